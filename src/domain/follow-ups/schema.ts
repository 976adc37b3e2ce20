import { z } from 'zod';
import {
  booleanQuery,
  contactPhone,
  idOf,
  isoDate,
  isoDateTime,
  requiredText,
  Source,
  text,
} from '../fields.ts';
import { pageFields } from '../pagination.ts';

export const FollowUpChannel = z.enum(['call', 'whatsapp', 'email', 'visit']);
export type FollowUpChannel = z.infer<typeof FollowUpChannel>;
export const FollowUpStatus = z.enum(['pending', 'done', 'snoozed', 'cancelled']);
export type FollowUpStatus = z.infer<typeof FollowUpStatus>;

export const followUpId = idOf('fu');

const editable = {
  contact_name: requiredText(200).nullable().meta({
    example: 'Ramesh (ABC Traders)',
    description: 'Who to follow up with; null when it is about a thing, not a person',
  }),
  contact_phone: contactPhone.nullable(),
  subject: requiredText(500).meta({ example: 'Payment for invoice 1042' }),
  due_at: isoDateTime,
  channel: FollowUpChannel,
  notes: text(5000).nullable(),
  task_id: idOf('task').nullable(),
};

export const FollowUpCreate = z
  .strictObject({
    ...editable,
    contact_name: editable.contact_name.optional(),
    contact_phone: editable.contact_phone.optional(),
    channel: editable.channel.default('call'),
    notes: editable.notes.optional(),
    task_id: editable.task_id.optional(),
  })
  .meta({ id: 'FollowUpCreate' });

export const FollowUpUpdate = z
  .strictObject({
    ...editable,
    status: z
      .enum(['pending', 'cancelled'])
      .meta({ description: 'Use /snooze and /done for the other states' }),
    outcome: text(2000).nullable(),
  })
  .partial()
  .refine((u) => Object.keys(u).length > 0, 'name at least one field to change')
  .meta({ id: 'FollowUpUpdate' });
export type FollowUpUpdate = z.infer<typeof FollowUpUpdate>;

export const FollowUpSnooze = z
  .strictObject({
    until: isoDateTime.optional(),
    minutes: z.number().int().min(1).max(525_600).optional(),
  })
  .refine((s) => !(s.until && s.minutes), 'give either until or minutes, not both')
  .meta({ id: 'FollowUpSnooze', description: 'Snooze until a time, or for some minutes (default 60).' });
export type FollowUpSnooze = z.infer<typeof FollowUpSnooze>;

export const FollowUpDone = z.strictObject({ outcome: text(2000).optional() }).meta({ id: 'FollowUpDone' });

export const FollowUp = z
  .object({
    id: z.string().meta({ example: 'fu_01jq2n3v4w5x6y7z8a9b0c' }),
    contact_name: z.string().nullable(),
    contact_phone: z.string().nullable(),
    subject: z.string(),
    due_at: z.string(),
    channel: FollowUpChannel,
    status: FollowUpStatus,
    overdue: z.boolean().meta({ description: 'Pending or snoozed and past due' }),
    notes: z.string().nullable(),
    outcome: z.string().nullable(),
    task_id: z.string().nullable(),
    source: Source,
    created_at: z.string(),
    updated_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .meta({ id: 'FollowUp' });
export type FollowUp = z.infer<typeof FollowUp>;

export const FollowUpListQuery = z
  .strictObject({
    status: z
      .enum([...FollowUpStatus.options, 'open'])
      .optional()
      .meta({ description: 'open means pending or snoozed' }),
    overdue: booleanQuery.optional(),
    channel: FollowUpChannel.optional(),
    due_before: z.union([isoDateTime, isoDate]).optional(),
    due_after: z.union([isoDateTime, isoDate]).optional(),
    q: text(200).optional().meta({ description: 'Words to find in the contact, subject or notes' }),
    sort: z.enum(['due_at', '-due_at', 'created_at', '-created_at']).default('due_at'),
    ...pageFields,
  })
  .meta({ id: 'FollowUpListQuery' });
export type FollowUpListQuery = z.infer<typeof FollowUpListQuery>;
