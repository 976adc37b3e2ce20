import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import type { Ctx } from '../../domain/context.ts';
import {
  type FollowUp,
  FollowUpChannel,
  FollowUpCreate,
  followUpId,
} from '../../domain/follow-ups/schema.ts';
import {
  completeFollowUp as complete,
  createFollowUp as create,
  findOpenFollowUps,
  getFollowUp,
  listFollowUps as list,
  snoozeFollowUp as snooze,
} from '../../domain/follow-ups/service.ts';
import { localDate } from '../../domain/time.ts';
import { resolveNamed } from './resolve.ts';
import { dateTimeArg, LIST_LIMIT, sourceOf } from './shapes.ts';
import { defineTool } from './tool.ts';

/** The follow-up tools: call, message, email or visit someone (or check on something) at a time. */

export interface FollowUpBrief {
  id: string;
  contact_name: string | null;
  contact_phone: string | null;
  subject: string;
  due_at: string;
  channel: FollowUp['channel'];
  status: FollowUp['status'];
  overdue: boolean;
}

export const briefFollowUp = (f: FollowUp): FollowUpBrief => ({
  id: f.id,
  contact_name: f.contact_name,
  contact_phone: f.contact_phone,
  subject: f.subject,
  due_at: f.due_at,
  channel: f.channel,
  status: f.status,
  overdue: f.overdue,
});

const followUpRef = z
  .string()
  .min(1)
  .describe('The follow-up: its id (fu_…) or words from the contact name or subject');

const resolveFollowUp = (db: Db, ctx: Ctx, ref: string) =>
  resolveNamed({
    ref,
    what: 'follow-up',
    isId: followUpId.safeParse(ref).success,
    get: () => getFollowUp(db, ctx, ref),
    find: () => findOpenFollowUps(db, ctx, ref),
    brief: briefFollowUp,
  });

export const createFollowUp = defineTool({
  name: 'create_follow_up',
  description: 'Add a follow-up: call, message, email or visit someone (or check on something) at a time.',
  args: z.object({
    contact_name: z.string().min(1).optional().describe('Who to follow up with, when there is someone'),
    contact_phone: z.string().optional().describe('Their phone number as the user wrote it'),
    subject: z.string().min(1).describe('What the follow-up is about'),
    due_at: dateTimeArg.describe('When to follow up; 10:00 on the day when no time was given'),
    channel: FollowUpChannel.optional().describe('call, whatsapp, email or visit; default call'),
    notes: z.string().optional(),
  }),
  async run(args, { ctx }, { db }) {
    const input = FollowUpCreate.parse({
      ...args,
      contact_name: args.contact_name ?? null,
      channel: args.channel ?? 'call',
    });
    return { ok: true, follow_up: briefFollowUp(await create(db, ctx, input, sourceOf(ctx))) };
  },
});

export const listFollowUps = defineTool({
  name: 'list_follow_ups',
  description: "List the user's follow-ups, e.g. today's or overdue.",
  args: z.object({
    status: z.enum(['pending', 'done', 'all']).optional().describe('Default pending (includes snoozed)'),
    when: z.enum(['today', 'overdue', 'upcoming', 'any']).optional().describe('Default any'),
    q: z.string().optional().describe('Words to look for in the contact or subject'),
  }),
  async run(args, { ctx, now }, { db }) {
    const range = {
      today: { due_before: localDate(now, ctx.timezone) },
      overdue: { overdue: true },
      upcoming: { due_after: now.toISOString() },
      any: {},
    }[args.when ?? 'any'];
    const status = ({ pending: 'open', done: 'done', all: undefined } as const)[args.status ?? 'pending'];
    const page = await list(db, ctx, {
      ...range,
      ...(status ? { status } : {}),
      ...(args.q ? { q: args.q } : {}),
      sort: 'due_at',
      page: 1,
      limit: LIST_LIMIT,
    });
    return { ok: true, total: page.total, follow_ups: page.items.map(briefFollowUp) };
  },
});

export const snoozeFollowUp = defineTool({
  name: 'snooze_follow_up',
  description: 'Push a follow-up to later.',
  args: z.object({
    follow_up: followUpRef,
    until: dateTimeArg.optional(),
    minutes: z.number().int().min(1).max(525_600).optional().describe('Default 60 when no time is given'),
  }),
  async run({ follow_up, until, minutes }, { ctx, now }, { db }) {
    const r = await resolveFollowUp(db, ctx, follow_up);
    if ('failure' in r) return r.failure;
    const snoozed = await snooze(db, ctx, r.found.id, { until, minutes }, now);
    return { ok: true, follow_up: briefFollowUp(snoozed) };
  },
});

export const completeFollowUp = defineTool({
  name: 'complete_follow_up',
  description: 'Mark a follow-up done, with its outcome when the user says it.',
  args: z.object({ follow_up: followUpRef, outcome: z.string().optional() }),
  async run({ follow_up, outcome }, { ctx }, { db }) {
    const r = await resolveFollowUp(db, ctx, follow_up);
    if ('failure' in r) return r.failure;
    return { ok: true, follow_up: briefFollowUp(await complete(db, ctx, r.found.id, outcome)) };
  },
});
