import { PREPARED, type Queryable, type Tx } from '../../db/types.ts';
import { newId } from '../ids.ts';

/** SQL for reminders. The domain writes them with the record they belong to; the jobs layer fires them. */

export type ReminderKind = 'task' | 'follow_up';

export interface ReminderTarget {
  tenantId: string;
  kind: ReminderKind;
  entityId: string;
  userId: string | null;
  title: string;
  /** When to remind; null cancels a pending reminder. */
  dueAt: string | null;
}

export interface ReminderRow {
  id: string;
  tenant_id: string;
  kind: ReminderKind;
  entity_id: string;
  user_id: string | null;
  title: string;
  due_at: Date;
  fired_at: Date | null;
  late: boolean | null;
}

/**
 * Upserts the one reminder of a record. A new due time makes it pending again; an edit that keeps the due
 * time of a reminder that already fired leaves it fired, so renaming a task never repeats its reminder.
 */
export function upsertReminder(tx: Tx, t: ReminderTarget & { dueAt: string }): void {
  tx.queue(
    `INSERT INTO reminders (id, tenant_id, kind, entity_id, user_id, title, due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (kind, entity_id) DO UPDATE SET
       user_id = coalesce(EXCLUDED.user_id, reminders.user_id),
       title = EXCLUDED.title,
       due_at = EXCLUDED.due_at,
       status = CASE WHEN reminders.due_at = EXCLUDED.due_at AND reminders.status = 'fired'
                     THEN 'fired' ELSE 'pending' END,
       updated_at = now()`,
    [newId('rem'), t.tenantId, t.kind, t.entityId, t.userId, t.title, t.dueAt],
    PREPARED,
  );
}

export function cancelReminder(tx: Tx, kind: ReminderKind, entityId: string): void {
  tx.queue(
    `UPDATE reminders SET status = 'cancelled', updated_at = now()
     WHERE kind = $1 AND entity_id = $2 AND status = 'pending'`,
    [kind, entityId],
    PREPARED,
  );
}

/**
 * Pending reminders due by `horizon` whose current due time has no job yet, locked for this sweep (only
 * those of `ids` when given). A due time of ±infinity, which no clock reaches, is never taken.
 */
export async function lockUnqueued(
  tx: Queryable,
  horizon: Date,
  limit: number,
  ids: readonly string[] | null = null,
): Promise<{ id: string; due_at: Date; due_key: string }[]> {
  // due_key is the exact stored instant as text (microseconds survive, unlike a JS Date), for the claim.
  return tx.query(
    `SELECT id, due_at, due_at::text AS due_key FROM reminders
     WHERE status = 'pending' AND due_at <= $1 AND isfinite(due_at) AND queued_for IS DISTINCT FROM due_at
       AND ($3::text[] IS NULL OR id = ANY($3))
     ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [horizon, limit, ids],
  );
}

/** When the next pending reminder without a job falls due after `after`; null when none is pending. */
export async function nextUnqueuedDue(q: Queryable, after: Date): Promise<Date | null> {
  const [row] = await q.query<{ due: Date | null }>(
    `SELECT min(due_at) AS due FROM reminders
     WHERE status = 'pending' AND due_at > $1 AND isfinite(due_at) AND queued_for IS DISTINCT FROM due_at`,
    [after],
  );
  return row?.due ?? null;
}

export async function markQueued(tx: Queryable, ids: string[]): Promise<void> {
  await tx.query('UPDATE reminders SET queued_for = due_at WHERE id = ANY($1)', [ids]);
}

/** What a fired reminder needs to be told: who, in which zone, about what. */
export interface FiredReminder extends ReminderRow {
  notify_user_id: string;
  timezone: string;
}

// The zone the message is written in: the first one the database knows (a reminder is due at an instant
// whatever the zone; the zone only words it), else India's.
const FIRED_COLUMNS = `r.id, r.tenant_id, r.kind, r.entity_id, r.user_id, r.title, r.due_at, r.fired_at, r.late,
  coalesce(r.user_id, o.id) AS notify_user_id,
  coalesce(axon_zone(u.timezone), axon_zone(o.timezone), axon_zone(t.timezone), 'Asia/Kolkata') AS timezone`;
// The user to tell, falling back to the business's first owner when the reminder names nobody.
const FIRED_JOINS = `JOIN tenants t ON t.id = r.tenant_id
  LEFT JOIN users u ON u.id = r.user_id
  LEFT JOIN LATERAL (SELECT id, timezone FROM users WHERE tenant_id = r.tenant_id AND role = 'owner'
                     AND removed_at IS NULL ORDER BY created_at LIMIT 1) o ON true`;

/**
 * Claims a reminder for firing: only the first caller for this due time gets the row back, in whichever
 * process it runs. A reminder that moved or was cancelled since its job was queued claims nothing.
 */
export async function claimReminder(
  tx: Queryable,
  id: string,
  dueAt: string,
  now: Date,
  lateAfterMs: number,
): Promise<FiredReminder | null> {
  const [row] = await tx.query<FiredReminder>(
    `WITH claimed AS (
       UPDATE reminders SET status = 'fired', fired_at = $3, late = $3 - due_at > $4 * interval '1 millisecond',
              updated_at = now()
       WHERE id = $1 AND due_at = $2::timestamptz AND status = 'pending' RETURNING *)
     SELECT ${FIRED_COLUMNS} FROM claimed r ${FIRED_JOINS}`,
    [id, dueAt, now, lateAfterMs],
  );
  return row ?? null;
}

export async function markReminderDelivered(tx: Queryable, id: string, via: string): Promise<void> {
  await tx.query('UPDATE reminders SET delivered_via = $2, delivered_at = now() WHERE id = $1', [id, via]);
}

/**
 * Takes reminders that fired but whose message was never confirmed (the process died in between), judged
 * by the database's own clock so a test's fake clock cannot make fresh ones look stale. Taking one moves
 * its `updated_at` on, so another process's sweep leaves it alone for the next `staleSeconds`.
 */
export async function undeliveredReminders(tx: Queryable, staleSeconds: number): Promise<FiredReminder[]> {
  return tx.query<FiredReminder>(
    `WITH stale AS (
       SELECT id FROM reminders
       WHERE status = 'fired' AND delivered_at IS NULL AND updated_at < now() - $1 * interval '1 second'
       ORDER BY updated_at LIMIT 100 FOR UPDATE SKIP LOCKED
     ), taken AS (
       UPDATE reminders r SET updated_at = now() FROM stale WHERE r.id = stale.id RETURNING r.*
     )
     SELECT ${FIRED_COLUMNS} FROM taken r ${FIRED_JOINS}`,
    [staleSeconds],
  );
}
