import type { z } from 'zod';
import { type Db, inTenant, type Queryable, type Tx } from '../../db/types.ts';
import { appendAudit } from '../audit.ts';
import type { Ctx } from '../context.ts';
import { DomainError, notFound } from '../errors.ts';
import { auditAndEmit } from '../events.ts';
import type { Source } from '../fields.ts';
import { newId } from '../ids.ts';
import { CANDIDATES, type Fit, namePatterns, type Purpose, rankByName } from '../lookup.ts';
import { noteAssignment } from '../members/assignment-notices.ts';
import type { Page } from '../pagination.ts';
import { cancelTaskReminder, syncTaskReminder } from '../reminders/sync.ts';
import { localDate } from '../time.ts';
import {
  completeOpenTaskRow,
  deleteTaskRow,
  findTask,
  insertTask,
  selectOpenTasksAssignedTo,
  selectOpenTasksLike,
  selectTasks,
  type TaskFields,
  updateTaskRow,
} from './repo.ts';
import type { Task, TaskCreate, TaskListQuery, TaskUpdate } from './schema.ts';

type NewTask = z.output<typeof TaskCreate>;

/** A due time implies its calendar date in the owner's zone, so date filters and "today" agree with it. */
function withDueDate<T extends { due_date?: string | null; due_at?: string | null }>(
  f: T,
  timezone: string,
): T {
  if (f.due_at && !f.due_date) return { ...f, due_date: localDate(new Date(f.due_at), timezone) };
  return f;
}

async function assertAssignee(tx: Queryable, assigneeId: string | null | undefined): Promise<void> {
  if (!assigneeId) return;
  // Row-level security limits this to the tenant, so another business's user is "not found" too.
  const [user] = await tx.query('SELECT 1 FROM users WHERE id = $1 AND removed_at IS NULL', [assigneeId]);
  if (!user)
    throw new DomainError('invalid', 'invalid_assignee', `No user with id ${assigneeId} in this business.`);
}

export async function createTask(db: Db, ctx: Ctx, input: NewTask, source: Source): Promise<Task> {
  const f = withDueDate(input, ctx.timezone);
  return db.tenant(ctx.tenantId, async (tx) => {
    await assertAssignee(tx, f.assignee_id);
    const task = await insertTask(tx, {
      id: newId('task'),
      tenantId: ctx.tenantId,
      source,
      createdBy: ctx.userId,
      title: f.title,
      notes: f.notes ?? null,
      due_date: f.due_date ?? null,
      due_at: f.due_at ?? null,
      priority: f.priority,
      status: 'open',
      remind_at: f.remind_at ?? null,
      assignee_id: f.assignee_id ?? null,
    });
    syncTaskReminder(tx, ctx, task);
    auditAndEmit(tx, ctx, 'task.created', { entity: 'task', entityId: task.id, after: task }, task);
    noteAssignment(tx, ctx, null, task);
    return task;
  });
}

export async function getTask(db: Db, ctx: Ctx, id: string): Promise<Task> {
  const task = await inTenant(db, ctx.tenantId, (tx) => findTask(tx, id));
  if (!task) throw notFound('task', id);
  return task;
}

/**
 * The open tasks a person means by how they name one ("the GST one", "filed the returns", "godown ka
 * kiraya"): the one that matches best, or the few that match about equally (the caller asks which), or none.
 */
export async function findOpenTasks(
  db: Db,
  ctx: Ctx,
  ref: string,
  fit: Fit = 'loose',
  to: Purpose = 'name',
  limit = 5,
): Promise<Task[]> {
  const patterns = namePatterns(ref);
  if (patterns.length === 0) return [];
  const candidates = await inTenant(db, ctx.tenantId, (tx) => selectOpenTasksLike(tx, patterns, CANDIDATES));
  return rankByName(ref, candidates, (t) => `${t.title} ${t.notes ?? ''}`, fit, to).slice(0, limit);
}

export function listTasks(db: Db, ctx: Ctx, query: TaskListQuery): Promise<Page<Task>> {
  return inTenant(db, ctx.tenantId, (tx) => selectTasks(tx, query));
}

export async function updateTask(db: Db, ctx: Ctx, id: string, patch: TaskUpdate): Promise<Task> {
  return db.tenant(ctx.tenantId, async (tx) => {
    const before = await findTask(tx, id, true);
    if (!before) throw notFound('task', id);
    return applyUpdate(tx, ctx, before, patch);
  });
}

/** Applies a patch to a task already read under its row lock, and audits it in the same transaction. */
async function applyUpdate(tx: Tx, ctx: Ctx, before: Task, patch: TaskUpdate): Promise<Task> {
  await assertAssignee(tx, patch.assignee_id);
  // A new due time re-derives the date unless the caller names the date too.
  const dueMoved = typeof patch.due_at === 'string' && patch.due_date === undefined;
  const merged: TaskFields = {
    title: patch.title ?? before.title,
    notes: patch.notes !== undefined ? patch.notes : before.notes,
    due_date: patch.due_date !== undefined ? patch.due_date : before.due_date,
    due_at: patch.due_at !== undefined ? patch.due_at : before.due_at,
    priority: patch.priority ?? before.priority,
    status: patch.status ?? before.status,
    remind_at: patch.remind_at !== undefined ? patch.remind_at : before.remind_at,
    assignee_id: patch.assignee_id !== undefined ? patch.assignee_id : before.assignee_id,
  };
  const fields = dueMoved ? withDueDate({ ...merged, due_date: null }, ctx.timezone) : merged;
  const after = await updateTaskRow(tx, before.id, fields);
  recordChange(tx, ctx, before, after);
  return after;
}

/** What follows every change of a task, queued in its transaction: its reminder, audit, event and notice. */
function recordChange(tx: Tx, ctx: Ctx, before: Task, after: Task): void {
  const completed = before.status !== 'done' && after.status === 'done';
  const change = { entity: 'task', entityId: before.id, before, after };
  syncTaskReminder(tx, ctx, after);
  if (completed) auditAndEmit(tx, ctx, 'task.completed', change, after);
  else appendAudit(tx, ctx, { action: 'task.updated', ...change });
  noteAssignment(tx, ctx, before, after);
}

/**
 * Leaves the open tasks of a member who is leaving with no assignee, each change audited and its reminder
 * moved to the one acting, inside the caller's transaction (the member's removal).
 */
export async function unassignOpenTasks(tx: Tx, ctx: Ctx, userId: string): Promise<Task[]> {
  const tasks = await selectOpenTasksAssignedTo(tx, userId);
  const unassigned: Task[] = [];
  for (const task of tasks) unassigned.push(await applyUpdate(tx, ctx, task, { assignee_id: null }));
  return unassigned;
}

/**
 * Idempotent on a done task; a cancelled one is refused. The status is read under the row lock in the same
 * statement as the change, so a concurrent cancel or complete cannot slip between the check and the write.
 */
export async function completeTask(db: Db, ctx: Ctx, id: string): Promise<Task> {
  return db.tenant(ctx.tenantId, async (tx) => {
    const change = await completeOpenTaskRow(tx, id);
    if (!change) throw notFound('task', id);
    const { before, after } = change;
    if (before.status === 'cancelled') {
      throw new DomainError(
        'conflict',
        'task_cancelled',
        'This task was cancelled; reopen it before completing it.',
      );
    }
    if (!after) return before;
    recordChange(tx, ctx, before, after);
    return after;
  });
}

export async function deleteTask(db: Db, ctx: Ctx, id: string): Promise<void> {
  await db.tenant(ctx.tenantId, async (tx) => {
    const before = await findTask(tx, id, true);
    if (!before) throw notFound('task', id);
    const deleted = deleteTaskRow(tx, id);
    cancelTaskReminder(tx, id);
    appendAudit(tx, ctx, { action: 'task.deleted', entity: 'task', entityId: id, before });
    await deleted;
  });
}
