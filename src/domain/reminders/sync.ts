import type { Tx } from '../../db/types.ts';
import type { Ctx } from '../context.ts';
import type { FollowUp } from '../follow-ups/schema.ts';
import type { Task } from '../tasks/schema.ts';
import { cancelReminder, upsertReminder } from './repo.ts';

/**
 * Keeps a record's reminder row in step with the record, inside the same transaction: a reminder exists
 * exactly when the change that asked for it commits, and the scheduler turns pending rows into jobs.
 */

export function syncTaskReminder(tx: Tx, ctx: Ctx, task: Task): void {
  if (task.status !== 'open' || !task.remind_at) {
    cancelReminder(tx, 'task', task.id);
    return;
  }
  upsertReminder(tx, {
    tenantId: ctx.tenantId,
    kind: 'task',
    entityId: task.id,
    // The assignee is the one to remind; else whoever set the reminder.
    userId: task.assignee_id ?? ctx.userId,
    title: task.title,
    dueAt: task.remind_at,
  });
}

export function syncFollowUpReminder(tx: Tx, ctx: Ctx, f: FollowUp): void {
  if (f.status === 'done' || f.status === 'cancelled') {
    cancelReminder(tx, 'follow_up', f.id);
    return;
  }
  upsertReminder(tx, {
    tenantId: ctx.tenantId,
    kind: 'follow_up',
    entityId: f.id,
    userId: ctx.userId,
    title: f.contact_name ? `${f.subject} (${f.contact_name})` : f.subject,
    dueAt: f.due_at,
  });
}

export const cancelTaskReminder = (tx: Tx, id: string) => cancelReminder(tx, 'task', id);
export const cancelFollowUpReminder = (tx: Tx, id: string) => cancelReminder(tx, 'follow_up', id);
