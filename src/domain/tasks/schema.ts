import { z } from 'zod';
import { idOf, isoDate, isoDateTime, requiredText, Source, text } from '../fields.ts';
import { pageFields } from '../pagination.ts';

export const Priority = z.enum(['low', 'medium', 'high', 'urgent']);
export type Priority = z.infer<typeof Priority>;
export const TaskStatus = z.enum(['open', 'done', 'cancelled']);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const taskId = idOf('task');

const editable = {
  title: requiredText(500).meta({ example: 'Follow up with ABC Traders' }),
  notes: text(5000).nullable(),
  due_date: isoDate.nullable(),
  due_at: isoDateTime.nullable(),
  priority: Priority,
  remind_at: isoDateTime.nullable(),
  assignee_id: idOf('usr').nullable(),
};

export const TaskCreate = z
  .strictObject({
    ...editable,
    notes: editable.notes.optional(),
    due_date: editable.due_date.optional(),
    due_at: editable.due_at.optional(),
    priority: editable.priority.default('medium'),
    remind_at: editable.remind_at.optional(),
    assignee_id: editable.assignee_id.optional(),
  })
  .meta({ id: 'TaskCreate' });
export type TaskCreate = z.input<typeof TaskCreate>;

export const TaskUpdate = z
  .strictObject({ ...editable, status: TaskStatus })
  .partial()
  .refine((u) => Object.keys(u).length > 0, 'name at least one field to change')
  .meta({ id: 'TaskUpdate' });
export type TaskUpdate = z.infer<typeof TaskUpdate>;

export const Task = z
  .object({
    id: z.string().meta({ example: 'task_01jq2n3v4w5x6y7z8a9b0c' }),
    title: z.string(),
    notes: z.string().nullable(),
    due_date: z.string().nullable().meta({ example: '2026-03-26' }),
    due_at: z.string().nullable(),
    priority: Priority,
    status: TaskStatus,
    remind_at: z.string().nullable(),
    assignee_id: z.string().nullable(),
    source: Source,
    created_at: z.string(),
    updated_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof Task>;

export const TaskSort = z.enum([
  'created_at',
  '-created_at',
  'due_date',
  '-due_date',
  'priority',
  '-priority',
  'updated_at',
  '-updated_at',
]);

export const TaskListQuery = z
  .strictObject({
    status: TaskStatus.optional(),
    priority: Priority.optional(),
    due_before: isoDate.optional().meta({ description: 'Tasks due on or before this date' }),
    due_after: isoDate.optional().meta({ description: 'Tasks due on or after this date' }),
    q: text(200).optional().meta({ description: 'Words to find in the title or notes' }),
    sort: TaskSort.default('-created_at'),
    ...pageFields,
  })
  .meta({ id: 'TaskListQuery' });
export type TaskListQuery = z.infer<typeof TaskListQuery>;
