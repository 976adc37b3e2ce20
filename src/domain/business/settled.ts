import type { Queryable, Tx } from '../../db/types.ts';
import { emitEvent } from '../events.ts';
import type { Source } from './records.ts';

/**
 * `transaction.settled`, once per settled payment or processed settlement: the row remembers it was
 * announced, so no re-sync or replayed vendor webhook announces it again. Records from a connection's first
 * sync are history, not news: they are marked without an event, in one statement once that sync ends.
 */

const SETTLED = {
  payments: {
    sql: `UPDATE payments SET announced_at = now()
          WHERE id = ANY($1) AND status = 'settled' AND announced_at IS NULL
          RETURNING id, external_id, amount, currency, direction, party_id, party_name, reference, paid_at AS at`,
    kind: 'payment',
  },
  settlements: {
    sql: `UPDATE settlements SET announced_at = now()
          WHERE id = ANY($1) AND status = 'processed' AND announced_at IS NULL
          RETURNING id, external_id, amount, currency, 'in' AS direction, NULL AS party_id, NULL AS party_name,
                    utr AS reference, settled_at AS at`,
    kind: 'settlement',
  },
} as const;

interface SettledRow {
  id: string;
  external_id: string;
  amount: string;
  currency: string;
  direction: 'in' | 'out';
  party_id: string | null;
  party_name: string | null;
  reference: string | null;
  at: Date | string | null;
}

export type SettlingObject = keyof typeof SETTLED;
export const settles = (object: string): object is SettlingObject => object in SETTLED;

/** After a connection's first sync: what it found settled is history, marked so it is never announced. */
export async function markHistoryAnnounced(tx: Queryable, connectionId: string): Promise<void> {
  await tx.query(
    "UPDATE payments SET announced_at = now() WHERE connection_id = $1 AND status = 'settled' AND announced_at IS NULL",
    [connectionId],
  );
  await tx.query(
    "UPDATE settlements SET announced_at = now() WHERE connection_id = $1 AND status = 'processed' AND announced_at IS NULL",
    [connectionId],
  );
}

/** Announces the records among `ids` that are settled and not yet announced; returns how many were. */
export async function announceSettled(
  tx: Tx,
  source: Source,
  object: SettlingObject,
  ids: string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const spec = SETTLED[object];
  const rows = await tx.query<SettledRow>(spec.sql, [ids]);
  for (const r of rows) {
    emitEvent(tx, source.tenantId, 'transaction.settled', {
      object: spec.kind,
      id: r.id,
      amount: Number(r.amount),
      currency: r.currency,
      direction: r.direction,
      party: r.party_id || r.party_name ? { id: r.party_id, name: r.party_name } : null,
      [spec.kind === 'settlement' ? 'utr' : 'reference']: r.reference,
      settled_at: r.at instanceof Date ? r.at.toISOString() : r.at,
      source: { connector: source.connector, external_id: r.external_id },
    });
  }
  return rows.length;
}
