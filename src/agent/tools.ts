import { tool } from '@langchain/core/tools';
import { ZodError } from 'zod';
import type { Db } from '../db/types.ts';
import type { Ctx } from '../domain/context.ts';
import { DomainError } from '../domain/errors.ts';
import type { Source } from '../domain/fields.ts';
import type { FollowUp } from '../domain/follow-ups/schema.ts';
import { FollowUpCreate, followUpId } from '../domain/follow-ups/schema.ts';
import {
  completeFollowUp,
  createFollowUp,
  findOpenFollowUps,
  getFollowUp,
  listFollowUps,
  snoozeFollowUp,
} from '../domain/follow-ups/service.ts';
import { type Memory, memoryId } from '../domain/memory/schema.ts';
import type { MemoryService, ScoredHit } from '../domain/memory/service.ts';
import { composeMyDay } from '../domain/my-day.ts';
import { updateProfile } from '../domain/profile.ts';
import { type Task, TaskCreate, TaskUpdate, taskId } from '../domain/tasks/schema.ts';
import {
  completeTask,
  createTask,
  deleteTask,
  findOpenTasks,
  getTask,
  listTasks,
  updateTask,
} from '../domain/tasks/service.ts';
import { addDays, localDate } from '../domain/time.ts';
import { type ToolArgs, type ToolName, toolArgs } from './tool-schemas.ts';

/**
 * The Digital Employee's tools: thin wrappers over the domain services. Who is acting (tenant, user,
 * channel, time zone) comes from the turn's context, never from the model's arguments, and row-level
 * security holds every query to that tenant anyway.
 */

export interface TurnContext {
  ctx: Ctx;
  now: Date;
  /** The conversation the turn belongs to: where a remembered fact came from. */
  conversationId?: string | undefined;
}

export type ToolResult = Record<string, unknown> & { ok: boolean };

const SOURCE: Record<Ctx['via'], Source> = {
  api: 'chat',
  whatsapp: 'whatsapp',
  telegram: 'telegram',
  console: 'console',
  job: 'chat',
};

const LIST_LIMIT = 10;

const fail = (error: string, message: string, extra: Record<string, unknown> = {}): ToolResult => ({
  ok: false,
  error,
  message,
  ...extra,
});

/** Compact shapes for the model: what it needs to answer, nothing more. */
const briefTask = (t: Task) => ({
  id: t.id,
  title: t.title,
  due_date: t.due_date,
  due_at: t.due_at,
  priority: t.priority,
  status: t.status,
  ...(t.remind_at ? { remind_at: t.remind_at } : {}),
});

const briefFollowUp = (f: FollowUp) => ({
  id: f.id,
  contact_name: f.contact_name,
  contact_phone: f.contact_phone,
  subject: f.subject,
  due_at: f.due_at,
  channel: f.channel,
  status: f.status,
  overdue: f.overdue,
});

const briefMemory = (m: Memory | ScoredHit) => ({
  id: m.id,
  content: m.content,
  kind: m.kind,
  subject: m.subject,
  remembered_on: m.updated_at.slice(0, 10),
});

type Resolved<T> = { found: T } | { result: ToolResult };

/** One record from an id or from how the user names it; none or several matching is a result to explain. */
async function resolveNamed<T>(r: {
  ref: string;
  what: string;
  isId: boolean;
  get: () => Promise<T>;
  find: () => Promise<T[]>;
  brief: (found: T) => unknown;
}): Promise<Resolved<T>> {
  if (r.isId) return { found: await r.get() };
  const found = await r.find();
  if (found.length === 0) return { result: fail('not_found', `No open ${r.what} matches "${r.ref}".`) };
  if (found.length > 1) {
    return {
      result: fail('ambiguous', `${found.length} open ${r.what}s match "${r.ref}".`, {
        candidates: found.map(r.brief),
      }),
    };
  }
  return { found: found[0] as T };
}

const resolveTask = (db: Db, ctx: Ctx, ref: string) =>
  resolveNamed({
    ref,
    what: 'task',
    isId: taskId.safeParse(ref).success,
    get: () => getTask(db, ctx, ref),
    find: () => findOpenTasks(db, ctx, ref),
    brief: briefTask,
  });

const resolveFollowUp = (db: Db, ctx: Ctx, ref: string) =>
  resolveNamed({
    ref,
    what: 'follow-up',
    isId: followUpId.safeParse(ref).success,
    get: () => getFollowUp(db, ctx, ref),
    find: () => findOpenFollowUps(db, ctx, ref),
    brief: briefFollowUp,
  });

type Handler<T extends ToolName> = (args: ToolArgs<T>, turn: TurnContext) => Promise<ToolResult>;

const RECALL_LIMIT = 5;

function handlers(db: Db, memory: MemoryService | undefined): { [T in ToolName]: Handler<T> } {
  const memories = (): MemoryService => {
    if (!memory) throw new DomainError('unavailable', 'memory_unavailable', 'Memory is not set up here.');
    return memory;
  };
  return {
    async create_task(args, { ctx }) {
      const input = TaskCreate.parse({ ...args, priority: args.priority ?? 'medium' });
      return { ok: true, task: briefTask(await createTask(db, ctx, input, SOURCE[ctx.via])) };
    },

    async list_tasks(args, { ctx, now }) {
      const today = localDate(now, ctx.timezone);
      const range = {
        today: { due_after: today, due_before: today },
        tomorrow: { due_after: addDays(today, 1), due_before: addDays(today, 1) },
        overdue: { due_before: addDays(today, -1) },
        this_week: { due_after: today, due_before: addDays(today, 6) },
        any: {},
      }[args.when ?? 'any'];
      const status = args.status === 'all' ? undefined : (args.status ?? 'open');
      const page = await listTasks(db, ctx, {
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

    async update_task({ task, ...changes }, { ctx }) {
      const r = await resolveTask(db, ctx, task);
      if ('result' in r) return r.result;
      const patch = TaskUpdate.parse(changes);
      return { ok: true, task: briefTask(await updateTask(db, ctx, r.found.id, patch)) };
    },

    async complete_task({ task }, { ctx }) {
      const r = await resolveTask(db, ctx, task);
      if ('result' in r) return r.result;
      return { ok: true, task: briefTask(await completeTask(db, ctx, r.found.id)) };
    },

    async delete_task({ task }, { ctx }) {
      const r = await resolveTask(db, ctx, task);
      if ('result' in r) return r.result;
      await deleteTask(db, ctx, r.found.id);
      return { ok: true, deleted: briefTask(r.found) };
    },

    async create_follow_up(args, { ctx }) {
      const input = FollowUpCreate.parse({
        ...args,
        contact_name: args.contact_name ?? null,
        channel: args.channel ?? 'call',
      });
      return { ok: true, follow_up: briefFollowUp(await createFollowUp(db, ctx, input, SOURCE[ctx.via])) };
    },

    async list_follow_ups(args, { ctx, now }) {
      const today = localDate(now, ctx.timezone);
      const range = {
        today: { due_before: today },
        overdue: { overdue: true },
        upcoming: { due_after: now.toISOString() },
        any: {},
      }[args.when ?? 'any'];
      const status = { pending: 'open', done: 'done', all: undefined }[args.status ?? 'pending'] as
        | 'open'
        | 'done'
        | undefined;
      const page = await listFollowUps(db, ctx, {
        ...range,
        ...(status ? { status } : {}),
        ...(args.q ? { q: args.q } : {}),
        sort: 'due_at',
        page: 1,
        limit: LIST_LIMIT,
      });
      return { ok: true, total: page.total, follow_ups: page.items.map(briefFollowUp) };
    },

    async snooze_follow_up({ follow_up, until, minutes }, { ctx, now }) {
      const r = await resolveFollowUp(db, ctx, follow_up);
      if ('result' in r) return r.result;
      const snoozed = await snoozeFollowUp(db, ctx, r.found.id, { until, minutes }, now);
      return { ok: true, follow_up: briefFollowUp(snoozed) };
    },

    async complete_follow_up({ follow_up, outcome }, { ctx }) {
      const r = await resolveFollowUp(db, ctx, follow_up);
      if ('result' in r) return r.result;
      return { ok: true, follow_up: briefFollowUp(await completeFollowUp(db, ctx, r.found.id, outcome)) };
    },

    async my_day(_args, { ctx, now }) {
      const day = await composeMyDay(db, ctx, now);
      return {
        ok: true,
        date: day.date,
        tasks_due_today: day.tasks_due_today.map(briefTask),
        overdue_tasks: day.overdue_tasks.map(briefTask),
        follow_ups_due: day.follow_ups_due.map(briefFollowUp),
      };
    },

    async set_briefing({ time, enabled }, { ctx }) {
      if (!ctx.userId) return fail('invalid_arguments', 'Only a signed-in user has a briefing.');
      if (time === undefined && enabled === undefined)
        return fail('invalid_arguments', 'Say a time for the briefing, or whether to turn it off or on.');
      const profile = await updateProfile(
        db,
        { ...ctx, userId: ctx.userId },
        { briefing_time: time, briefing_enabled: enabled ?? true },
      );
      return {
        ok: true,
        briefing_time: profile.briefing_time,
        briefing_enabled: profile.briefing_enabled,
        timezone: profile.timezone,
      };
    },

    async search_memory({ query, kind }, { ctx }) {
      const hits = await memories().recall(ctx, query, RECALL_LIMIT, kind);
      return { ok: true, query, total: hits.length, memories: hits.map(briefMemory) };
    },

    async remember({ content, kind, subject }, { ctx, conversationId }) {
      const written = await memories().remember(ctx, {
        content,
        kind,
        subject,
        source: 'conversation',
        conversationId,
      });
      const replaced = written.supersedes ? await memories().get(ctx, written.supersedes) : null;
      return {
        ok: true,
        outcome: written.outcome,
        memory: briefMemory(written),
        ...(replaced ? { replaced: briefMemory(replaced) } : {}),
      };
    },

    async forget({ memory: ref }, { ctx }) {
      let target: Memory;
      if (memoryId.safeParse(ref).success) target = await memories().get(ctx, ref);
      else {
        const r = await memories().resolve(ctx, ref);
        if ('notFound' in r) return fail('not_found', `Nothing I remember matches "${ref}".`);
        if ('ambiguous' in r) {
          return fail('ambiguous', `${r.ambiguous.length} memories match "${ref}".`, {
            candidates: r.ambiguous.map(briefMemory),
          });
        }
        target = r.found;
      }
      await memories().forget(ctx, target.id);
      return { ok: true, forgotten: briefMemory(target) };
    },
  };
}

const DESCRIPTIONS: Record<ToolName, string> = {
  create_task:
    'Add a task (a to-do) for the user, optionally with a due date or time, priority and reminder.',
  list_tasks: "List the user's tasks, e.g. today's, overdue or matching words.",
  update_task: 'Change a task: reschedule it, rename it, change its priority or notes.',
  complete_task: 'Mark a task done.',
  delete_task: 'Delete a task the user no longer wants.',
  create_follow_up:
    'Add a follow-up: call, message, email or visit someone (or check on something) at a time.',
  list_follow_ups: "List the user's follow-ups, e.g. today's or overdue.",
  snooze_follow_up: 'Push a follow-up to later.',
  complete_follow_up: 'Mark a follow-up done, with its outcome when the user says it.',
  my_day: "Summarise the user's day: tasks due today, overdue tasks and follow-ups due.",
  set_briefing:
    "Change when the morning briefing (the my-day message) comes, in the user's time zone, or turn it off or back on.",
  search_memory:
    'Recall what the user told you before (contacts, how customers behave, preferences, facts), by meaning and words.',
  remember:
    'Keep a lasting fact the user tells you (a number, how someone pays, a preference) for later conversations. Restating or correcting a fact updates it.',
  forget: 'Forget a memory the user asks you to forget; it is gone from recall for good.',
};

/** A domain refusal or bad arguments become a result the model can explain, not a crashed turn. */
async function guarded(run: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainError) return fail(err.code, err.message);
    if (err instanceof ZodError) {
      const issue = err.issues[0];
      return fail(
        'invalid_arguments',
        issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid arguments',
      );
    }
    throw err;
  }
}

export function turnContextOf(runtime: { context?: unknown }): TurnContext {
  const turn = runtime.context as TurnContext | undefined;
  if (!turn?.ctx) throw new Error('tool called outside a turn');
  return turn;
}

/** Runs a tool by name, as the offline model's turn and tests may; the LangChain tools call the same. */
export function createToolbox(db: Db, memory?: MemoryService) {
  const impl = handlers(db, memory);
  const run = (name: ToolName, args: unknown, turn: TurnContext): Promise<ToolResult> =>
    guarded(() => (impl[name] as Handler<ToolName>)(toolArgs[name].parse(args) as never, turn));
  const tools = (Object.keys(toolArgs) as ToolName[]).map((name) =>
    tool(async (args: unknown, runtime) => JSON.stringify(await run(name, args, turnContextOf(runtime))), {
      name,
      description: DESCRIPTIONS[name],
      schema: toolArgs[name],
    }),
  );
  return { run, tools };
}
