import { z } from 'zod';
import { FollowUpChannel } from '../domain/follow-ups/schema.ts';
import { MemoryKind } from '../domain/memory/schema.ts';
import { BriefingTime } from '../domain/profile.ts';
import { Priority } from '../domain/tasks/schema.ts';

/**
 * The arguments of every tool the Digital Employee can call: the one contract shared by the tools, the
 * OpenAI-compatible model (as JSON Schema) and the offline model's parser. Tenant, user and time zone are
 * never arguments: tools take them from the turn.
 */

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('A calendar date, YYYY-MM-DD');
const dateTime = z
  .string()
  .describe("An ISO 8601 time with the user's offset, e.g. 2026-03-26T17:00:00+05:30");
const taskRef = z.string().min(1).describe('The task: its id (task_…) or words from its title');
const followUpRef = z
  .string()
  .min(1)
  .describe('The follow-up: its id (fu_…) or words from the contact name or subject');

export const toolArgs = {
  create_task: z.object({
    title: z
      .string()
      .min(1)
      .describe('What to do, short, in the words of the user (e.g. "Call ABC Traders")'),
    due_date: date.optional().describe('The day it is due, when no time was given'),
    due_at: dateTime.optional().describe('When it is due, when a time was given'),
    priority: Priority.optional().describe('urgent/zaroori → urgent, important → high; else leave out'),
    notes: z.string().optional(),
    remind_at: dateTime
      .optional()
      .describe(
        'When to remind the user; when they say "remind me … at T", set both due_at and remind_at to T',
      ),
  }),
  list_tasks: z.object({
    status: z.enum(['open', 'done', 'all']).optional().describe('Default open'),
    when: z.enum(['today', 'tomorrow', 'overdue', 'this_week', 'any']).optional().describe('Default any'),
    priority: Priority.optional(),
    q: z.string().optional().describe('Words to look for in the title'),
  }),
  update_task: z.object({
    task: taskRef,
    title: z.string().min(1).optional(),
    due_date: date.optional(),
    due_at: dateTime.optional(),
    priority: Priority.optional(),
    notes: z.string().optional(),
  }),
  complete_task: z.object({ task: taskRef }),
  delete_task: z.object({ task: taskRef }),
  create_follow_up: z.object({
    contact_name: z.string().min(1).optional().describe('Who to follow up with, when there is someone'),
    contact_phone: z.string().optional().describe('Their phone number as the user wrote it'),
    subject: z.string().min(1).describe('What the follow-up is about'),
    due_at: dateTime.describe('When to follow up; 10:00 on the day when no time was given'),
    channel: FollowUpChannel.optional().describe('call, whatsapp, email or visit; default call'),
    notes: z.string().optional(),
  }),
  list_follow_ups: z.object({
    status: z.enum(['pending', 'done', 'all']).optional().describe('Default pending (includes snoozed)'),
    when: z.enum(['today', 'overdue', 'upcoming', 'any']).optional().describe('Default any'),
    q: z.string().optional().describe('Words to look for in the contact or subject'),
  }),
  snooze_follow_up: z.object({
    follow_up: followUpRef,
    until: dateTime.optional(),
    minutes: z.number().int().min(1).max(525_600).optional().describe('Default 60 when no time is given'),
  }),
  complete_follow_up: z.object({ follow_up: followUpRef, outcome: z.string().optional() }),
  my_day: z.object({}),
  set_briefing: z.object({
    time: BriefingTime.optional().describe(
      'When the morning briefing should come, HH:MM 24-hour, local time',
    ),
    enabled: z.boolean().optional().describe('false stops the morning briefing, true turns it back on'),
  }),
  search_memory: z.object({
    query: z
      .string()
      .min(1)
      .describe('What to recall, in a few words (e.g. "Ramesh\'s number", "how ABC Traders pays")'),
    kind: MemoryKind.optional().describe('Only memories of this kind'),
  }),
  remember: z.object({
    content: z
      .string()
      .min(1)
      .max(1000)
      .describe(
        'One short statement that makes sense on its own later, in the user\'s words, naming who it is about (e.g. "Ramesh\'s number is 98450 12345", "ABC Traders always pays late")',
      ),
    kind: MemoryKind.optional().describe('contact, pattern, preference or fact; worked out when left out'),
    subject: z.string().min(1).max(200).optional().describe('Who or what it is about, when there is someone'),
  }),
  forget: z.object({
    memory: z
      .string()
      .min(1)
      .describe('The memory to forget: its id (mem_…) or words from it (e.g. "Ramesh\'s number")'),
  }),
} as const;

export type ToolName = keyof typeof toolArgs;
export type ToolArgs<T extends ToolName> = z.infer<(typeof toolArgs)[T]>;
export const TOOL_NAMES = Object.keys(toolArgs) as ToolName[];
