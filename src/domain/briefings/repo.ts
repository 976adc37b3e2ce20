import type { Queryable } from '../../db/types.ts';

/** SQL for morning briefings: one row per user per local date, opened when their local time comes. */

/**
 * The zone a user's briefing follows: theirs, else their business's; NULL when the database does not know
 * it, so that row is skipped instead of failing the statement for every user (see 013_known_zones.sql).
 */
const USER_ZONE = 'axon_zone(coalesce(u.timezone, t.timezone))';

export interface DueBriefings {
  opened: { id: string }[];
  /** Users due a briefing check whose zone the database does not know: skipped until it is fixed. */
  unknownZone: string[];
}

/**
 * Opens today's briefing row for every user whose chosen local time has come and who has none yet. The
 * unique (user, local date) key makes this safe to run from any number of processes, and again after a
 * restart: a user gets one row a day, whoever opened it. A process that was down opens the missed rows
 * when it comes back (the briefing then says it is late).
 */
export async function openDueBriefings(tx: Queryable, now: Date): Promise<DueBriefings> {
  const rows = await tx.query<{ id: string | null; unknown_zone: string | null }>(
    `WITH candidates AS (
       SELECT u.tenant_id, u.id AS user_id, u.briefing_time, u.created_at, coalesce(u.timezone, t.timezone) AS zone
       FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.briefing_enabled
     ), zones AS (
       -- Each distinct zone is checked once, not once per user.
       SELECT zone, axon_zone(zone) AS known FROM (SELECT DISTINCT zone FROM candidates) d
     ), local AS (
       SELECT c.tenant_id, c.user_id, c.briefing_time, c.created_at, z.known AS zone,
              $1::timestamptz AT TIME ZONE z.known AS local_now
       FROM candidates c JOIN zones z ON z.zone = c.zone WHERE z.known IS NOT NULL
     ), opened AS (
       INSERT INTO briefings (tenant_id, user_id, local_date, due_at)
       SELECT tenant_id, user_id, local_now::date, (local_now::date + briefing_time) AT TIME ZONE zone
       FROM local
       WHERE local_now::time >= briefing_time
         -- Someone who joins after today's briefing time gets their first one tomorrow, not a late one now.
         AND (local_now::date + briefing_time) AT TIME ZONE zone >= created_at
       ON CONFLICT (user_id, local_date) DO NOTHING
       RETURNING id::text
     )
     SELECT id, NULL AS unknown_zone FROM opened
     UNION ALL
     SELECT NULL, c.user_id FROM candidates c JOIN zones z ON z.zone = c.zone WHERE z.known IS NULL`,
    [now],
  );
  return {
    opened: rows.flatMap((r) => (r.id ? [{ id: r.id }] : [])),
    unknownZone: rows.flatMap((r) => (r.unknown_zone ? [r.unknown_zone] : [])),
  };
}

export interface BriefingRow {
  id: string;
  tenant_id: string;
  user_id: string;
  local_date: string;
  due_at: Date;
  /** Null when the database does not know the user's zone (any more): the briefing cannot be composed. */
  timezone: string | null;
  /** The user's name, for the greeting. */
  name: string | null;
}

/**
 * Claims an open briefing: only one caller, in any process, gets the row back. The text is composed after
 * the claim commits (composing reads the database, which must not happen inside this transaction on the
 * single-connection PGlite); a claimed briefing left without text is recomposed by the delivery sweep.
 */
export async function claimBriefing(tx: Queryable, id: string): Promise<BriefingRow | null> {
  const [row] = await tx.query<BriefingRow>(
    `WITH claimed AS (
       UPDATE briefings SET status = 'sent', sent_at = now() WHERE id = $1 AND status = 'pending' RETURNING *)
     SELECT b.id::text, b.tenant_id, b.user_id, b.local_date::text, b.due_at, ${USER_ZONE} AS timezone, u.name
     FROM claimed b JOIN users u ON u.id = b.user_id JOIN tenants t ON t.id = b.tenant_id`,
    [id],
  );
  return row ?? null;
}

export async function storeBriefingText(
  tx: Queryable,
  id: string,
  text: string,
  late: boolean,
): Promise<void> {
  await tx.query('UPDATE briefings SET text = $2, late = $3 WHERE id = $1', [id, text, late]);
}

export async function markBriefingDelivered(tx: Queryable, id: string, via: string): Promise<void> {
  await tx.query('UPDATE briefings SET delivered_via = $2, delivered_at = now() WHERE id = $1', [id, via]);
}

export interface UndeliveredBriefing extends BriefingRow {
  text: string | null;
}

/**
 * Takes briefings claimed but never confirmed delivered, judged by the database's clock. Taking one moves
 * its `sent_at` (the last attempt) on, so another process's sweep leaves it alone for `staleSeconds`.
 */
export async function undeliveredBriefings(
  tx: Queryable,
  staleSeconds: number,
): Promise<UndeliveredBriefing[]> {
  return tx.query(
    `WITH stale AS (
       SELECT id FROM briefings
       WHERE status = 'sent' AND delivered_at IS NULL AND sent_at < now() - $1 * interval '1 second'
       ORDER BY sent_at LIMIT 100 FOR UPDATE SKIP LOCKED
     ), taken AS (
       UPDATE briefings b SET sent_at = now() FROM stale WHERE b.id = stale.id RETURNING b.*
     )
     SELECT b.id::text, b.tenant_id, b.user_id, b.local_date::text, b.due_at, b.text, ${USER_ZONE} AS timezone,
            u.name
     FROM taken b JOIN users u ON u.id = b.user_id JOIN tenants t ON t.id = b.tenant_id`,
    [staleSeconds],
  );
}
