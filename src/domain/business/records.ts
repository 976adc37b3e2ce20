import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/types.ts';
import { newId } from '../ids.ts';
import { OBJECTS, type ObjectName } from './objects.ts';

/**
 * Unified records in and out of their tables, by source. A page of records is one statement: each new
 * record added, each changed one rewritten, an unchanged one (same payload hash) left as it is, so a re-sync
 * writes and announces nothing. A record that does not fit its object is set aside with the reason; the rest
 * of its page is kept.
 */

/** The connection records come from; its tenant's transaction is the caller's. */
export interface Source {
  connectionId: string;
  tenantId: string;
  connector: string;
}

export interface Change {
  id: string;
  externalId: string;
  change: 'added' | 'updated';
}

export interface Rejected {
  /** Position in the page handed over. */
  index: number;
  externalId?: string;
  reason: string;
}

export interface UpsertResult {
  changes: Change[];
  unchanged: number;
  rejected: Rejected[];
}

export interface UpsertOptions {
  /** A full run's id: every record of the page is marked seen by it, changed or not (for delete detection). */
  seenRun?: string;
}

const hashOf = (record: unknown) => createHash('sha256').update(JSON.stringify(record)).digest('base64url');

function reasonOf(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || 'record'}: ${i.message}`)
    .join('; ');
}

const statements = new Map<ObjectName, string>();

/** The page's statement for an object, built once from its spec. */
function upsertStatement(object: ObjectName): string {
  const cached = statements.get(object);
  if (cached) return cached;
  const spec = OBJECTS[object];
  const columns = Object.keys(spec.columns);
  const types = Object.entries(spec.columns).map(([c, t]) => `${c} ${t}`);
  const party = spec.linksParty
    ? [
        'party_id',
        `(SELECT p.id FROM parties p WHERE p.connection_id = $2 AND p.external_id = r.party_external_id
           AND p.deleted_at IS NULL)`,
      ]
    : undefined;
  const insertColumns = [...columns, ...(party ? [party[0]] : [])];
  const sql = `
    WITH input AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id text, external_id text, payload_hash text,
        remote_updated_at timestamptz, raw jsonb, ${types.join(', ')})
    ), old AS (
      -- Row by row through the (connection_id, external_id) key, never a scan of the connection's rows: the
      -- LIMIT keeps the planner from turning the lookup into a hash join over a table whose statistics lag
      -- far behind its size during a first sync.
      SELECT i.external_id, o.payload_hash, o.deleted_at FROM input i
      CROSS JOIN LATERAL (SELECT t.payload_hash, t.deleted_at FROM ${spec.table} t
        WHERE t.connection_id = $2 AND t.external_id = i.external_id LIMIT 1) o
    ), written AS (
      INSERT INTO ${spec.table} AS t (id, tenant_id, connection_id, connector, external_id, payload_hash,
        remote_updated_at, raw, seen_run, ${insertColumns.join(', ')})
      SELECT r.id, $3, $2, $4, r.external_id, r.payload_hash, r.remote_updated_at, r.raw, $5::text,
        ${[...columns.map((c) => `r.${c}`), ...(party ? [party[1]] : [])].join(', ')}
      FROM input r
      ON CONFLICT (connection_id, external_id) DO UPDATE SET
        ${insertColumns.map((c) => `${c} = excluded.${c}`).join(', ')},
        payload_hash = excluded.payload_hash, remote_updated_at = excluded.remote_updated_at, raw = excluded.raw,
        synced_at = now(), deleted_at = NULL, seen_run = coalesce(excluded.seen_run, t.seen_run)
      WHERE t.payload_hash IS DISTINCT FROM excluded.payload_hash OR t.deleted_at IS NOT NULL
         OR t.seen_run IS DISTINCT FROM coalesce(excluded.seen_run, t.seen_run)
      RETURNING t.id, t.external_id
    )
    SELECT w.id, w.external_id,
      CASE WHEN o.external_id IS NULL THEN 'added'
           WHEN o.payload_hash IS DISTINCT FROM i.payload_hash OR o.deleted_at IS NOT NULL THEN 'updated'
      END AS change
    FROM written w JOIN input i USING (external_id) LEFT JOIN old o USING (external_id)`;
  statements.set(object, sql);
  return sql;
}

export async function upsertRecords(
  tx: Queryable,
  source: Source,
  object: ObjectName,
  records: readonly unknown[],
  options: UpsertOptions = {},
): Promise<UpsertResult> {
  const spec = OBJECTS[object];
  const rejected: Rejected[] = [];
  // The last of a page's records with one external id wins: a statement may not write a row twice.
  const valid = new Map<string, Record<string, unknown>>();
  records.forEach((record, index) => {
    const parsed = spec.schema.safeParse(record);
    if (!parsed.success) {
      const externalId = (record as { external_id?: unknown } | null)?.external_id;
      rejected.push({
        index,
        ...(typeof externalId === 'string' && { externalId }),
        reason: reasonOf(parsed.error.issues),
      });
      return;
    }
    const data = parsed.data as Record<string, unknown> & { external_id: string };
    valid.set(data.external_id, { ...data, payload_hash: hashOf(data), id: newId(spec.prefix) });
  });
  if (valid.size === 0) return { changes: [], unchanged: 0, rejected };
  const rows = await tx.query<{ id: string; external_id: string; change: Change['change'] | null }>(
    upsertStatement(object),
    [
      JSON.stringify([...valid.values()]),
      source.connectionId,
      source.tenantId,
      source.connector,
      options.seenRun ?? null,
    ],
    { prepare: true },
  );
  const changes = rows.flatMap((r) =>
    r.change ? [{ id: r.id, externalId: r.external_id, change: r.change }] : [],
  );
  return { changes, unchanged: valid.size - changes.length, rejected };
}

/** After a full run that read a stream to its end: every record it did not see is gone at the source. */
export async function markUnseenDeleted(
  tx: Queryable,
  connectionId: string,
  object: ObjectName,
  runId: string,
): Promise<number> {
  const rows = await tx.query(
    `UPDATE ${OBJECTS[object].table} SET deleted_at = now(), synced_at = now()
     WHERE connection_id = $1 AND deleted_at IS NULL AND seen_run IS DISTINCT FROM $2 RETURNING id`,
    [connectionId, runId],
  );
  return rows.length;
}

/**
 * Records that named a party before it was synced get linked to it: the parties written since `since` (the
 * connection's last completed sync; null for all) are looked up among the records still waiting for theirs.
 * A record written after its party was already there got its link when it was written.
 */
export async function linkParties(
  tx: Queryable,
  connectionId: string,
  since: Date | null = null,
): Promise<number> {
  let linked = 0;
  for (const spec of Object.values(OBJECTS).filter((s) => s.linksParty)) {
    const rows = await tx.query(
      `UPDATE ${spec.table} x SET party_id = p.id
       FROM parties p
       WHERE p.connection_id = $1 AND p.deleted_at IS NULL AND ($2::timestamptz IS NULL OR p.synced_at >= $2)
         AND x.connection_id = p.connection_id AND x.party_external_id = p.external_id AND x.party_id IS NULL
       RETURNING x.id`,
      [connectionId, since],
    );
    linked += rows.length;
  }
  return linked;
}

/** Fresh planner statistics for the objects' tables, after a bulk load (as the schema owner: ANALYZE needs it). */
export async function refreshStatistics(tx: Queryable, objects: readonly ObjectName[]): Promise<void> {
  for (const object of new Set(objects)) await tx.exec(`ANALYZE ${OBJECTS[object].table}`);
}

/**
 * What a source says is still owed on one bill: the party (by its key when the source gives one, which a
 * rename keeps; else by name) and the bill's reference (`raw.bill`).
 */
export interface Outstanding {
  party_name: string;
  party_external_id?: string;
  bill: string;
  balance: number;
}

/**
 * A source's complete list of open bills (Tally's bill-wise outstanding), applied to its invoices that carry
 * a bill reference: a listed bill owes its balance, an unlisted one is paid. Only rows that change are
 * written; void invoices stay void.
 */
export async function settleOutstanding(
  tx: Queryable,
  connectionId: string,
  outstanding: readonly Outstanding[],
): Promise<number> {
  const rows = await tx.query(
    `WITH owed AS (
       SELECT party_name, party_external_id, bill, max(balance) AS balance
         FROM jsonb_to_recordset($2::jsonb) AS o(party_name text, party_external_id text, bill text, balance bigint)
        GROUP BY 1, 2, 3
     ), next AS (
       SELECT i.id, coalesce(o.balance, 0) AS balance,
              CASE WHEN coalesce(o.balance, 0) = 0 THEN 'paid'
                   WHEN o.balance < abs(i.total) THEN 'partially_paid' ELSE 'open' END AS status
         FROM invoices i LEFT JOIN owed o ON o.bill = i.raw ->> 'bill'
          AND coalesce(o.party_external_id = i.party_external_id, o.party_name = i.party_name)
        WHERE i.connection_id = $1 AND i.raw ? 'bill' AND i.status NOT IN ('void', 'draft') AND i.deleted_at IS NULL
     )
     UPDATE invoices i SET balance = n.balance, status = n.status, synced_at = now()
       FROM next n
      WHERE i.id = n.id AND (i.balance, i.status) IS DISTINCT FROM (n.balance, n.status)
     RETURNING i.id`,
    [connectionId, JSON.stringify(outstanding)],
  );
  return rows.length;
}
