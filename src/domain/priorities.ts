import { z } from 'zod';
import type { UpcomingDeadline } from './compliance/service.ts';
import type { FollowUp } from './follow-ups/schema.ts';
import type { Task, Priority as TaskPriority } from './tasks/schema.ts';

/** What to do first today, each with the reason it ranks where it does. */

export const PriorityItem = z
  .object({
    kind: z.enum(['task', 'follow_up', 'compliance']),
    id: z.string().meta({ description: 'Task or follow-up id, or the filing code' }),
    title: z.string(),
    reason: z.string(),
    score: z
      .number()
      .meta({ description: 'Higher first; from the transparent score, or the rank the model gave' }),
  })
  .meta({ id: 'PriorityItem' });
export type PriorityItem = z.infer<typeof PriorityItem>;

export interface DayItems {
  date: string;
  tasks_due_today: Task[];
  overdue_tasks: Task[];
  follow_ups_due: FollowUp[];
  compliance: UpcomingDeadline[];
}

/** Ranks a day's items; the LLM does it when configured, else `scorePriorities`. */
export type Prioritizer = (day: DayItems, now: Date) => Promise<PriorityItem[]>;

export const MAX_PRIORITIES = 10;

const PRIORITY_POINTS: Record<TaskPriority, number> = { urgent: 40, high: 25, medium: 10, low: 0 };
const PRIORITY_WORDS: Record<TaskPriority, string | null> = {
  urgent: 'urgent',
  high: 'high priority',
  medium: null,
  low: null,
};

const daysLate = (date: string, today: string) =>
  Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const reasonOf = (...parts: (string | null)[]) => parts.filter(Boolean).join(' · ');

/**
 * The transparent score: overdue work first (more for each day late, capped), then what is due today
 * (earlier due times first), lifted by the task's priority; compliance deadlines by days left.
 */
export function scorePriorities(day: DayItems, now: Date, limit = MAX_PRIORITIES): PriorityItem[] {
  const items: PriorityItem[] = [];
  for (const t of day.overdue_tasks) {
    const late = t.due_date ? daysLate(t.due_date, day.date) : 1;
    items.push({
      kind: 'task',
      id: t.id,
      title: t.title,
      score: 100 + Math.min(late, 10) * 2 + PRIORITY_POINTS[t.priority],
      reason: reasonOf(`Overdue by ${plural(late, 'day')}`, PRIORITY_WORDS[t.priority]),
    });
  }
  for (const t of day.tasks_due_today) {
    // Up to 20 points for being due soon; a task with no time sits in the middle.
    const hoursLeft = t.due_at ? (Date.parse(t.due_at) - now.getTime()) / 3_600_000 : 10;
    const pastDue = t.due_at !== null && hoursLeft < 0;
    items.push({
      kind: 'task',
      id: t.id,
      title: t.title,
      score: (pastDue ? 95 : 50 + Math.max(0, 20 - hoursLeft * 2)) + PRIORITY_POINTS[t.priority],
      reason: reasonOf(pastDue ? 'Was due earlier today' : 'Due today', PRIORITY_WORDS[t.priority]),
    });
  }
  for (const f of day.follow_ups_due) {
    items.push({
      kind: 'follow_up',
      id: f.id,
      title: f.contact_name ? `${f.subject} (${f.contact_name})` : f.subject,
      score: f.overdue ? 80 : 45,
      reason: f.overdue ? 'Follow-up overdue' : 'Follow-up due today',
    });
  }
  for (const c of day.compliance) {
    items.push({
      kind: 'compliance',
      id: c.code,
      title: `${c.name} due ${c.due_date}`,
      score:
        c.days_left <= 0 ? 120 : c.days_left <= 3 ? 90 - c.days_left * 10 : Math.max(0, 40 - c.days_left * 2),
      reason:
        c.days_left <= 0
          ? 'Compliance deadline today'
          : `Compliance deadline in ${plural(c.days_left, 'day')}`,
    });
  }
  return items.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, limit);
}

export const scoredPrioritizer: Prioritizer = async (day, now) => scorePriorities(day, now);
