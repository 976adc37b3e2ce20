import type { Db } from '../db/types.ts';
import type { Ctx } from './context.ts';
import type { FollowUp } from './follow-ups/schema.ts';
import { listFollowUps } from './follow-ups/service.ts';
import type { Task } from './tasks/schema.ts';
import { listTasks } from './tasks/service.ts';
import { addDays, localDate } from './time.ts';

/** What an owner's day holds: the data behind GET /my-day, the morning briefing and the my_day tool. */
export interface MyDay {
  date: string;
  timezone: string;
  tasks_due_today: Task[];
  overdue_tasks: Task[];
  follow_ups_due: FollowUp[];
}

const LIMIT = 50;

export async function composeMyDay(db: Db, ctx: Ctx, now: Date): Promise<MyDay> {
  const today = localDate(now, ctx.timezone);
  const page = { page: 1, limit: LIMIT } as const;
  const [dueToday, overdue, followUps] = await Promise.all([
    listTasks(db, ctx, { status: 'open', due_after: today, due_before: today, sort: 'due_date', ...page }),
    listTasks(db, ctx, { status: 'open', due_before: addDays(today, -1), sort: 'due_date', ...page }),
    listFollowUps(db, ctx, { status: 'open', due_before: today, sort: 'due_at', ...page }),
  ]);
  return {
    date: today,
    timezone: ctx.timezone,
    tasks_due_today: dueToday.items,
    overdue_tasks: overdue.items,
    follow_ups_due: followUps.items,
  };
}
