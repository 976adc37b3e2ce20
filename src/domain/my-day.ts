import { type Db, together } from '../db/types.ts';
import {
  type CalendarItem,
  type CashToday,
  todaysCalendar,
  todaysCash,
  todaysWeather,
  type WeatherToday,
} from './business/day.ts';
import { readCompliance, type UpcomingDeadline, upcomingDeadlines } from './compliance/service.ts';
import type { Ctx } from './context.ts';
import { selectFollowUps } from './follow-ups/repo.ts';
import type { FollowUp } from './follow-ups/schema.ts';
import { type Prioritizer, type PriorityItem, scoredPrioritizer } from './priorities.ts';
import { selectTasks } from './tasks/repo.ts';
import type { Task } from './tasks/schema.ts';
import { addDays, localDate } from './time.ts';

/** What an owner's day holds: the data behind GET /my-day, the morning briefing and the my_day tool. */
export interface MyDay {
  date: string;
  timezone: string;
  tasks_due_today: Task[];
  overdue_tasks: Task[];
  follow_ups_due: FollowUp[];
  /** Today's events from connected calendars; empty until one is connected. */
  calendar: CalendarItem[];
  /** Today's forecast from a weather connector; null until one is connected. */
  weather: WeatherToday | null;
  /** Yesterday's money in, today's dues and the largest overdue; null until books or payments are connected. */
  cash: CashToday | null;
  compliance: UpcomingDeadline[];
  priorities: PriorityItem[];
  /** How `priorities` was ranked. */
  ranked_by: 'model' | 'score';
}

const LIMIT = 50;
/** Compliance deadlines shown in the day: those within a week. */
const COMPLIANCE_DAYS = 7;

export async function composeMyDay(
  db: Db,
  ctx: Ctx,
  now: Date,
  prioritize: Prioritizer = scoredPrioritizer,
): Promise<MyDay> {
  const today = localDate(now, ctx.timezone);
  const page = { page: 1, limit: LIMIT } as const;
  // One transaction, one connection: thousands of briefings composed at 08:00 must not queue for the pool.
  // The reads do not depend on each other: sent together, they cost one round trip.
  const [dueToday, overdue, followUps, settings, calendar, weather, cash] = await db.tenant(
    ctx.tenantId,
    (tx) =>
      together(
        selectTasks(tx, { status: 'open', due_after: today, due_before: today, sort: 'due_date', ...page }),
        selectTasks(tx, { status: 'open', due_before: addDays(today, -1), sort: 'due_date', ...page }),
        selectFollowUps(tx, { status: 'open', due_before: today, sort: 'due_at', ...page }, ctx.timezone),
        readCompliance(tx),
        todaysCalendar(tx, ctx.timezone, today),
        todaysWeather(tx, today),
        todaysCash(tx, ctx.timezone, now, today),
      ),
  );
  const items = {
    date: today,
    tasks_due_today: dueToday.items,
    overdue_tasks: overdue.items,
    follow_ups_due: followUps.items,
    compliance: upcomingDeadlines(settings.filings, today).filter((d) => d.days_left <= COMPLIANCE_DAYS),
  };
  let priorities: PriorityItem[];
  let rankedBy: MyDay['ranked_by'] = prioritize === scoredPrioritizer ? 'score' : 'model';
  try {
    priorities = await prioritize(items, now);
  } catch {
    // A model that fails must not cost the owner their day: the score always answers.
    priorities = await scoredPrioritizer(items, now);
    rankedBy = 'score';
  }
  return { ...items, timezone: ctx.timezone, calendar, weather, cash, priorities, ranked_by: rankedBy };
}
