import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import type { Ctx } from '../../domain/context.ts';
import { FITS, type Fit, type Purpose } from '../../domain/lookup.ts';
import { Priority, type Task, TaskCreate, TaskUpdate, taskId } from '../../domain/tasks/schema.ts';
import {
  completeTask as complete,
  createTask as create,
  findOpenTasks,
  getTask,
  listTasks as list,
  deleteTask as remove,
  updateTask as update,
} from '../../domain/tasks/service.ts';
import { addDays, localDate } from '../../domain/time.ts';
import { type AssigneeBrief, assigneeArg, assigneeOf, resolveAssignee } from './members.ts';
import { resolveNamed } from './resolve.ts';
import { dateArg, dateTimeArg, LIST_LIMIT, sourceOf } from './shapes.ts';
import { defineTool } from './tool.ts';

/** The tasks tools: add, list, change, complete and delete the owner's to-dos. */

/** A task as the model reads it: what it needs to answer, nothing more. */
export interface TaskBrief {
  id: string;
  title: string;
  due_date: string | null;
  due_at: string | null;
  priority: Task['priority'];
  status: Task['status'];
  remind_at?: string;
  /** Who does it, in the results of create_task and update_task when someone does. */
  assignee?: AssigneeBrief;
}

export const briefTask = (t: Task): TaskBrief => ({
  id: t.id,
  title: t.title,
  due_date: t.due_date,
  due_at: t.due_at,
  priority: t.priority,
  status: t.status,
  ...(t.remind_at ? { remind_at: t.remind_at } : {}),
});

/** A task's brief with its assignee named: `resolved` is the one the tool just resolved, if any. */
async function briefWithAssignee(
  db: Db,
  ctx: Ctx,
  t: Task,
  resolved?: AssigneeBrief | null,
): Promise<TaskBrief> {
  const assignee = await assigneeOf(db, ctx, t.assignee_id, resolved);
  return { ...briefTask(t), ...(assignee ? { assignee } : {}) };
}

const taskRef = z.string().min(1).describe('The task: its id (task_…) or words from its title');

/**
 * "whole" when the words may as well name a new task: only a task they name in full is meant; "mentioned"
 * when they are the user's whole message, which names the task its own way among other things.
 */
const fitArg = z
  .enum(FITS)
  .describe(
    "How the words name the task: loose (default) allows words of your own around them; whole, every word in the title; mentioned, the user's whole message mentions it",
  );

const resolveTask = (db: Db, ctx: Ctx, ref: string, fit?: Fit, to?: Purpose) =>
  resolveNamed({
    ref,
    what: 'task',
    isId: taskId.safeParse(ref).success,
    get: () => getTask(db, ctx, ref),
    find: () => findOpenTasks(db, ctx, ref, fit, to),
    brief: briefTask,
  });

export const createTask = defineTool({
  name: 'create_task',
  description:
    'Add a task (a to-do), optionally with a due date or time, priority, reminder, and a team member to do it.',
  args: z.object({
    title: z
      .string()
      .min(1)
      .describe('What to do, short, in the words of the user (e.g. "Call ABC Traders")'),
    due_date: dateArg.optional().describe('The day it is due, when no time was given'),
    due_at: dateTimeArg.optional().describe('When it is due, when a time was given'),
    priority: Priority.optional().describe('urgent/zaroori → urgent, important → high; else leave out'),
    notes: z.string().optional(),
    remind_at: dateTimeArg
      .optional()
      .describe(
        'When to remind the user; when they say "remind me … at T", set both due_at and remind_at to T',
      ),
    assignee: assigneeArg.optional(),
  }),
  async run({ assignee, ...args }, { ctx }, { db }) {
    // Resolved first: a stranger or an ambiguous name must leave nothing behind.
    const who = assignee === undefined ? undefined : await resolveAssignee(db, ctx, assignee);
    if (who && 'failure' in who) return who.failure;
    const input = TaskCreate.parse({
      ...args,
      priority: args.priority ?? 'medium',
      ...(who?.found ? { assignee_id: who.found.id } : {}),
    });
    const task = await create(db, ctx, input, sourceOf(ctx));
    return { ok: true, task: await briefWithAssignee(db, ctx, task, who?.found) };
  },
});

export const listTasks = defineTool({
  name: 'list_tasks',
  description: "List the user's tasks, e.g. today's, overdue or matching words.",
  args: z.object({
    status: z.enum(['open', 'done', 'all']).optional().describe('Default open'),
    when: z.enum(['today', 'tomorrow', 'overdue', 'this_week', 'any']).optional().describe('Default any'),
    priority: Priority.optional(),
    q: z.string().optional().describe('Words to look for in the title'),
  }),
  async run(args, { ctx, now }, { db }) {
    const today = localDate(now, ctx.timezone);
    const range = {
      today: { due_after: today, due_before: today },
      tomorrow: { due_after: addDays(today, 1), due_before: addDays(today, 1) },
      overdue: { due_before: addDays(today, -1) },
      this_week: { due_after: today, due_before: addDays(today, 6) },
      any: {},
    }[args.when ?? 'any'];
    const status = args.status === 'all' ? undefined : (args.status ?? 'open');
    const page = await list(db, ctx, {
      ...range,
      ...(status ? { status } : {}),
      ...(args.priority ? { priority: args.priority } : {}),
      ...(args.q ? { q: args.q } : {}),
      sort: 'due_date',
      page: 1,
      limit: LIST_LIMIT,
    });
    return { ok: true, total: page.total, today, tasks: page.items.map(briefTask) };
  },
});

export const updateTask = defineTool({
  name: 'update_task',
  description:
    'Change a task: reschedule it, rename it, change its priority or notes, or assign it to a team member.',
  args: z.object({
    task: taskRef,
    match: fitArg.optional(),
    title: z.string().min(1).optional(),
    due_date: dateArg.optional(),
    due_at: dateTimeArg.optional(),
    priority: Priority.optional(),
    notes: z.string().optional(),
    assignee: assigneeArg.optional(),
  }),
  async run({ task, match, assignee, ...changes }, { ctx }, { db }) {
    const moves = changes.due_date !== undefined || changes.due_at !== undefined;
    const r = await resolveTask(db, ctx, task, match, moves ? 'move' : 'name');
    if ('failure' in r) return r.failure;
    const who = assignee === undefined ? undefined : await resolveAssignee(db, ctx, assignee);
    if (who && 'failure' in who) return who.failure;
    const patch = TaskUpdate.parse({ ...changes, ...(who ? { assignee_id: who.found?.id ?? null } : {}) });
    const updated = await update(db, ctx, r.found.id, patch);
    return { ok: true, task: await briefWithAssignee(db, ctx, updated, who?.found) };
  },
});

export const completeTask = defineTool({
  name: 'complete_task',
  description: 'Mark a task done.',
  args: z.object({ task: taskRef, match: fitArg.optional() }),
  async run({ task, match }, { ctx }, { db }) {
    const r = await resolveTask(db, ctx, task, match);
    if ('failure' in r) return r.failure;
    return { ok: true, task: briefTask(await complete(db, ctx, r.found.id)) };
  },
});

export const deleteTask = defineTool({
  name: 'delete_task',
  description: 'Delete a task the user no longer wants.',
  args: z.object({ task: taskRef }),
  async run({ task }, { ctx }, { db }) {
    const r = await resolveTask(db, ctx, task);
    if ('failure' in r) return r.failure;
    await remove(db, ctx, r.found.id);
    return { ok: true, deleted: briefTask(r.found) };
  },
});
