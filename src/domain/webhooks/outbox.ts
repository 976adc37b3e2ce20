import type { Queryable } from '../../db/types.ts';
import type { EventType } from '../events.ts';
import { newId } from '../ids.ts';

/**
 * The relay's SQL: system work across tenants, run as the owner. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so any number of processes can relay from one database without doing the same
 * work twice. All times come from the database clock, the one clock every process shares.
 */

export const OUTBOX_CHANNEL = 'axon_outbox';

/** Turns up to `limit` committed events into one pending delivery per enabled endpoint that wants them. */
export async function fanOutEvents(tx: Queryable, limit: number, maxAttempts: number): Promise<number> {
  const batch = await tx.query<{ id: string; tenant_id: string; type: EventType }>(
    `SELECT id, tenant_id, type FROM events WHERE relayed_at IS NULL
     ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  if (batch.length === 0) return 0;
  const endpoints = await tx.query<{ id: string; tenant_id: string; events: EventType[] }>(
    'SELECT id, tenant_id, events FROM webhook_endpoints WHERE enabled AND tenant_id = ANY($1)',
    [[...new Set(batch.map((e) => e.tenant_id))]],
  );
  const rows = batch.flatMap((ev) =>
    endpoints
      .filter((ep) => ep.tenant_id === ev.tenant_id && ep.events.includes(ev.type))
      .map((ep) => ({
        id: newId('whd'),
        tenant: ev.tenant_id,
        endpoint: ep.id,
        event: ev.id,
        type: ev.type,
      })),
  );
  if (rows.length > 0) {
    await tx.query(
      `INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, max_attempts)
       SELECT *, $6::int FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.tenant),
        rows.map((r) => r.endpoint),
        rows.map((r) => r.event),
        rows.map((r) => r.type),
        maxAttempts,
      ],
    );
  }
  await tx.query('UPDATE events SET relayed_at = clock_timestamp() WHERE id = ANY($1)', [
    batch.map((e) => e.id),
  ]);
  return batch.length;
}

export interface ClaimedDelivery {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: EventType;
  attempt: number;
  max_attempts: number;
  url: string;
  secrets: string[];
  payload: unknown;
  event_created_at: Date;
}

/**
 * Claims up to `limit` due deliveries and counts the attempt before it is made: the claim moves the next
 * attempt a lease ahead, so if this process dies mid-send another takes it over after the lease, as the
 * next attempt (same webhook-id). A delivery at its cap is never claimed; one left at its cap by a dead
 * process is closed as failed.
 */
export async function claimDueDeliveries(
  tx: Queryable,
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  await tx.query(
    `UPDATE webhook_deliveries
     SET status = 'failed', last_error = coalesce(last_error, 'no answer was recorded for the last attempt'),
         completed_at = clock_timestamp(), updated_at = clock_timestamp()
     WHERE status = 'pending' AND attempts >= max_attempts AND next_attempt_at <= clock_timestamp()`,
  );
  return tx.query<ClaimedDelivery>(
    `WITH due AS (
       SELECT d.id FROM webhook_deliveries d
       JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
       WHERE d.status = 'pending' AND d.next_attempt_at <= clock_timestamp() AND d.attempts < d.max_attempts
       ORDER BY d.next_attempt_at
       LIMIT $1
       FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE webhook_deliveries d
     SET attempts = d.attempts + 1,
         next_attempt_at = clock_timestamp() + make_interval(secs => $2::double precision / 1000),
         updated_at = clock_timestamp()
     FROM due, webhook_endpoints e, events ev
     WHERE d.id = due.id AND e.id = d.endpoint_id AND ev.id = d.event_id
     RETURNING d.id, d.tenant_id, d.endpoint_id, d.event_id, d.event_type, d.attempts AS attempt, d.max_attempts,
       e.url,
       CASE WHEN e.previous_secret IS NOT NULL AND e.previous_secret_expires_at > clock_timestamp()
         THEN ARRAY[e.secret, e.previous_secret] ELSE ARRAY[e.secret] END AS secrets,
       ev.payload, ev.created_at AS event_created_at`,
    [limit, leaseMs],
  );
}

export type AttemptOutcome =
  | { kind: 'succeeded' }
  | { kind: 'gone' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed' };

export interface AttemptRecord {
  delivery: ClaimedDelivery;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
  outcome: AttemptOutcome;
}

const GONE_REASON = 'The receiver answered 410 Gone, so delivery stopped. Fix the URL and enable it again.';

/**
 * Logs the attempt and moves the delivery on. A late answer (the lease ran out and another process took
 * the next attempt) is still logged, but only a success may still close the delivery.
 */
export async function recordAttempt(tx: Queryable, r: AttemptRecord): Promise<void> {
  const d = r.delivery;
  // The endpoint (and with it the delivery) may have been deleted while the attempt was in flight.
  await tx.query(
    `INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, status_code, error, duration_ms, attempted_at)
     SELECT $1::text, id, $3::int, $4::int, $5::text, $6::int, $7::timestamptz FROM webhook_deliveries WHERE id = $2
     ON CONFLICT (delivery_id, attempt) DO NOTHING`,
    [d.tenant_id, d.id, d.attempt, r.statusCode, r.error, Math.round(r.durationMs), r.attemptedAt],
  );
  const o = r.outcome;
  const closes = o.kind !== 'retry';
  await tx.query(
    `UPDATE webhook_deliveries
     SET status = $3, last_status_code = $4, last_error = $5, updated_at = clock_timestamp(),
         next_attempt_at = CASE WHEN $3 = 'pending'
           THEN clock_timestamp() + make_interval(secs => $6::double precision / 1000) ELSE next_attempt_at END,
         completed_at = CASE WHEN $3 = 'pending' THEN NULL ELSE clock_timestamp() END
     WHERE id = $1 AND status = 'pending' AND ($3 = 'succeeded' OR attempts = $2)`,
    [
      d.id,
      d.attempt,
      o.kind === 'succeeded' ? 'succeeded' : closes ? 'failed' : 'pending',
      r.statusCode,
      r.error,
      o.kind === 'retry' ? o.delayMs : 0,
    ],
  );
  if (o.kind === 'gone') {
    await tx.query(
      `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, updated_at = now()
       WHERE id = $1 AND enabled`,
      [d.endpoint_id, GONE_REASON],
    );
  }
}

/** Milliseconds until the earliest pending delivery falls due (0 if one is due), or null when none waits. */
export async function msUntilNextDue(q: Queryable): Promise<number | null> {
  // Not greatest(0, …) in SQL: it skips a NULL, and "none pending" became "due now".
  const [row] = await q.query<{ ms: number | null }>(
    `SELECT (extract(epoch FROM min(d.next_attempt_at) - clock_timestamp()) * 1000)::float8 AS ms
     FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
     WHERE d.status = 'pending'`,
  );
  return row?.ms == null ? null : Math.max(0, row.ms);
}
