import { PREPARED, type Queryable, type Tx } from '../../db/types.ts';
import type { Ctx } from '../context.ts';
import type { Task } from '../tasks/schema.ts';

/**
 * "Ravi, Suresh assigned you: …". A change that gives a task to someone other than the person acting
 * writes a notice row in its own transaction; the scheduler, woken by the NOTIFY at commit, sends it through
 * the Notifier. A row before work: a crash between the commit and the message loses nothing.
 */

/** NOTIFY channel on which a committed notice wakes the senders. */
export const ASSIGNMENTS_CHANNEL = 'axon_assignments';

/** Writes the notice when this change hands the task to someone new who is not the one acting. */
export function noteAssignment(tx: Tx, ctx: Ctx, before: Task | null, after: Task): void {
  const to = after.assignee_id;
  if (!to || to === before?.assignee_id || to === ctx.userId || after.status !== 'open') return;
  tx.queue(
    'INSERT INTO assignment_notices (tenant_id, task_id, user_id, assigned_by) VALUES ($1, $2, $3, $4)',
    [ctx.tenantId, after.id, to, ctx.userId],
    PREPARED,
  );
}

/** What a notice needs to be told: to whom, by whom, about which task, in which zone. */
export interface AssignmentNotice {
  id: string;
  tenant_id: string;
  user_id: string;
  assignee_name: string | null;
  /** The assigner's name; null when they have none (an owner who never gave one). */
  assigned_by: string | null;
  title: string;
  due_date: string | null;
  due_at: Date | null;
  timezone: string;
  /** Still theirs and open, and they are still in the business: else there is nothing to tell. */
  current: boolean;
}

/**
 * Takes unsent notices that no sender took in the last `leaseSeconds` (new ones at once; one whose sender
 * died, after the lease), moving `taken_at` on so that senders in other processes leave them alone.
 */
export async function takeAssignmentNotices(
  db: Queryable,
  leaseSeconds: number,
  limit = 100,
): Promise<AssignmentNotice[]> {
  return db.query<AssignmentNotice>(
    `WITH due AS (
       SELECT id FROM assignment_notices
       WHERE delivered_at IS NULL AND (taken_at IS NULL OR taken_at < now() - $1 * interval '1 second')
       ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
     ), taken AS (
       UPDATE assignment_notices n SET taken_at = now() FROM due WHERE n.id = due.id RETURNING n.*
     )
     SELECT n.id::text, n.tenant_id, n.user_id, u.name AS assignee_name,
            a.name AS assigned_by, t.title, t.due_date::text, t.due_at,
            coalesce(u.timezone, tn.timezone) AS timezone,
            (t.assignee_id = n.user_id AND t.status = 'open' AND u.removed_at IS NULL) AS current
     FROM taken n JOIN tasks t ON t.id = n.task_id JOIN users u ON u.id = n.user_id
       JOIN tenants tn ON tn.id = n.tenant_id LEFT JOIN users a ON a.id = n.assigned_by
     ORDER BY n.id`,
    [leaseSeconds, limit],
  );
}

/** Done with a notice: delivered on `via`, or 'skipped' when there was nothing left to tell. */
export async function markNoticeSent(db: Queryable, id: string, via: string): Promise<void> {
  await db.query('UPDATE assignment_notices SET delivered_at = now(), delivered_via = $2 WHERE id = $1', [
    id,
    via,
  ]);
}
