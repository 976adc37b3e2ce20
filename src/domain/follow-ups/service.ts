import type { z } from 'zod';
import { type Db, inTenant, type Queryable, type Tx } from '../../db/types.ts';
import type { Ctx } from '../context.ts';
import { DomainError, notFound } from '../errors.ts';
import { auditAndEmit } from '../events.ts';
import type { Source } from '../fields.ts';
import { newId } from '../ids.ts';
import { CANDIDATES, namePatterns, rankByName } from '../lookup.ts';
import type { Page } from '../pagination.ts';
import { cancelFollowUpReminder, syncFollowUpReminder } from '../reminders/sync.ts';
import {
  completeFollowUpRow,
  deleteFollowUpRow,
  type FollowUpFields,
  findFollowUp,
  insertFollowUp,
  selectFollowUps,
  selectOpenFollowUpsLike,
  updateFollowUpRow,
} from './repo.ts';
import type {
  FollowUp,
  FollowUpCreate,
  FollowUpListQuery,
  FollowUpSnooze,
  FollowUpUpdate,
} from './schema.ts';

const DEFAULT_SNOOZE_MINUTES = 60;

type Action = 'follow_up.updated' | 'follow_up.snoozed' | 'follow_up.completed';

async function assertTask(tx: Queryable, taskId: string | null | undefined): Promise<void> {
  if (!taskId) return;
  const [task] = await tx.query('SELECT 1 FROM tasks WHERE id = $1', [taskId]);
  if (!task) throw new DomainError('invalid', 'invalid_task', `No task with id ${taskId} in this business.`);
}

export async function createFollowUp(
  db: Db,
  ctx: Ctx,
  input: z.output<typeof FollowUpCreate>,
  source: Source,
): Promise<FollowUp> {
  return db.tenant(ctx.tenantId, async (tx) => {
    await assertTask(tx, input.task_id);
    const followUp = await insertFollowUp(tx, {
      id: newId('fu'),
      tenantId: ctx.tenantId,
      source,
      createdBy: ctx.userId,
      contact_name: input.contact_name ?? null,
      contact_phone: input.contact_phone ?? null,
      subject: input.subject,
      due_at: input.due_at,
      channel: input.channel,
      status: 'pending',
      notes: input.notes ?? null,
      outcome: null,
      task_id: input.task_id ?? null,
    });
    syncFollowUpReminder(tx, ctx, followUp);
    auditAndEmit(
      tx,
      ctx,
      'follow_up.created',
      { entity: 'follow_up', entityId: followUp.id, after: followUp },
      followUp,
    );
    return followUp;
  });
}

export async function getFollowUp(db: Db, ctx: Ctx, id: string): Promise<FollowUp> {
  const followUp = await inTenant(db, ctx.tenantId, (tx) => findFollowUp(tx, id));
  if (!followUp) throw notFound('follow_up', id);
  return followUp;
}

/**
 * The open follow-ups a person means by how they name one ("Ramesh wala", "the call to Ramesh"): as tasks
 * are found (lookup.ts), by contact, subject, notes and channel.
 */
export async function findOpenFollowUps(db: Db, ctx: Ctx, ref: string, limit = 5): Promise<FollowUp[]> {
  const patterns = namePatterns(ref);
  if (patterns.length === 0) return [];
  const candidates = await inTenant(db, ctx.tenantId, (tx) =>
    selectOpenFollowUpsLike(tx, patterns, CANDIDATES),
  );
  const name = (f: FollowUp) => `${f.contact_name ?? ''} ${f.subject} ${f.notes ?? ''} ${f.channel}`;
  return rankByName(ref, candidates, name).slice(0, limit);
}

export function listFollowUps(db: Db, ctx: Ctx, query: FollowUpListQuery): Promise<Page<FollowUp>> {
  return inTenant(db, ctx.tenantId, (tx) => selectFollowUps(tx, query, ctx.timezone));
}

/**
 * Applies a change under a row lock and audits it; every mutation of a follow-up goes through here.
 * `next` returns null when the follow-up is already as asked, which changes and audits nothing.
 */
async function change(
  db: Db,
  ctx: Ctx,
  id: string,
  action: Action,
  next: (current: FollowUp) => FollowUpFields | null,
): Promise<FollowUp> {
  return db.tenant(ctx.tenantId, async (tx) => {
    const before = await findFollowUp(tx, id, true);
    if (!before) throw notFound('follow_up', id);
    const fields = next(before);
    if (!fields) return before;
    await assertTask(tx, fields.task_id !== before.task_id ? fields.task_id : null);
    const after = await updateFollowUpRow(tx, id, fields);
    recordChange(tx, ctx, action, before, after);
    return after;
  });
}

/** What follows every change of a follow-up, queued in its transaction: its reminder, audit and event. */
function recordChange(tx: Tx, ctx: Ctx, action: Action, before: FollowUp, after: FollowUp): void {
  syncFollowUpReminder(tx, ctx, after);
  auditAndEmit(tx, ctx, action, { entity: 'follow_up', entityId: after.id, before, after }, after);
}

const fieldsOf = (f: FollowUp): FollowUpFields => ({
  contact_name: f.contact_name,
  contact_phone: f.contact_phone,
  subject: f.subject,
  due_at: f.due_at,
  channel: f.channel,
  status: f.status,
  notes: f.notes,
  outcome: f.outcome,
  task_id: f.task_id,
});

export function updateFollowUp(db: Db, ctx: Ctx, id: string, patch: FollowUpUpdate): Promise<FollowUp> {
  return change(db, ctx, id, 'follow_up.updated', (current) => {
    const merged = fieldsOf(current);
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
    }
    return merged;
  });
}

export function snoozeFollowUp(
  db: Db,
  ctx: Ctx,
  id: string,
  snooze: FollowUpSnooze,
  now = new Date(),
): Promise<FollowUp> {
  const until =
    snooze.until ??
    new Date(now.getTime() + (snooze.minutes ?? DEFAULT_SNOOZE_MINUTES) * 60_000).toISOString();
  if (new Date(until).getTime() <= now.getTime()) {
    return Promise.reject(
      new DomainError('invalid', 'invalid_snooze', 'Snooze to a time in the future.', { until }),
    );
  }
  return change(db, ctx, id, 'follow_up.snoozed', (current) => {
    if (current.status === 'done' || current.status === 'cancelled') {
      throw new DomainError('conflict', 'follow_up_closed', `This follow-up is already ${current.status}.`);
    }
    return { ...fieldsOf(current), status: 'snoozed', due_at: until };
  });
}

/**
 * Done, with the outcome if one is given; idempotent on a done follow-up with no new outcome, and a cancelled
 * one is refused. Read and changed in one statement under the row lock (see `completeFollowUpRow`).
 */
export function completeFollowUp(
  db: Db,
  ctx: Ctx,
  id: string,
  outcome: string | undefined,
): Promise<FollowUp> {
  return db.tenant(ctx.tenantId, async (tx) => {
    const change = await completeFollowUpRow(tx, id, outcome ?? null);
    if (!change) throw notFound('follow_up', id);
    const { before, after } = change;
    if (before.status === 'cancelled') {
      throw new DomainError('conflict', 'follow_up_closed', 'This follow-up was cancelled.');
    }
    if (!after) return before;
    recordChange(tx, ctx, 'follow_up.completed', before, after);
    return after;
  });
}

export async function deleteFollowUp(db: Db, ctx: Ctx, id: string): Promise<void> {
  await db.tenant(ctx.tenantId, async (tx) => {
    const before = await findFollowUp(tx, id, true);
    if (!before) throw notFound('follow_up', id);
    const deleted = deleteFollowUpRow(tx, id);
    cancelFollowUpReminder(tx, id);
    auditAndEmit(tx, ctx, 'follow_up.deleted', { entity: 'follow_up', entityId: id, before }, before);
    await deleted;
  });
}
