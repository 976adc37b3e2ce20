import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import { CalendarItem, CashToday, WeatherToday } from '../../domain/business/day.ts';
import { UpcomingDeadline } from '../../domain/compliance/service.ts';
import { FollowUp } from '../../domain/follow-ups/schema.ts';
import { composeMyDay } from '../../domain/my-day.ts';
import { type Prioritizer, PriorityItem } from '../../domain/priorities.ts';
import { Task } from '../../domain/tasks/schema.ts';
import { defineRoute } from '../route.ts';

const MyDay = z
  .object({
    date: z.string().meta({ description: "Today in the user's time zone", example: '2026-03-26' }),
    timezone: z.string(),
    tasks_due_today: z.array(Task),
    overdue_tasks: z.array(Task),
    follow_ups_due: z.array(FollowUp),
    calendar: z.array(CalendarItem).meta({ description: 'Today’s events from connected calendars' }),
    weather: WeatherToday.nullable().meta({
      description: 'Today’s forecast; null until a weather source is connected',
    }),
    cash: CashToday.nullable().meta({
      description:
        'Money in yesterday, dues today, largest overdue; null until books or payments are connected',
    }),
    compliance: z.array(UpcomingDeadline).meta({ description: 'Opted-in filings due within 7 days' }),
    priorities: z.array(PriorityItem).meta({ description: 'What to do first, ranked, each with its reason' }),
    ranked_by: z.enum(['model', 'score']),
  })
  .meta({ id: 'MyDay' });

export const myDayRoutes = (db: Db, prioritize?: Prioritizer) => [
  defineRoute({
    method: 'get',
    path: '/my-day',
    operationId: 'getMyDay',
    summary: "The user's day: due, overdue, follow-ups, compliance and priorities",
    description:
      "Dates in the user's time zone. `priorities` is ranked by the model when one is configured, else by a " +
      'transparent score (overdue, priority, due time, compliance). The morning briefing is this, written for chat.',
    tag: 'My day',
    access: 'user',
    response: MyDay,
    handler: async ({ ctx }) => ({ data: await composeMyDay(db, ctx, new Date(), prioritize) }),
  }),
];
