import { z } from 'zod';
import { composeMyDay } from '../../domain/my-day.ts';
import { BriefingTime, updateProfile } from '../../domain/profile.ts';
import { briefFollowUp } from './follow-ups.ts';
import { briefTask } from './tasks.ts';
import { defineTool, fail } from './tool.ts';

/** The owner's day, and when its morning briefing comes. */

export const myDay = defineTool({
  name: 'my_day',
  description: "Summarise the user's day: tasks due today, overdue tasks and follow-ups due.",
  args: z.object({}),
  async run(_args, { ctx, now }, { db }) {
    const day = await composeMyDay(db, ctx, now);
    return {
      ok: true,
      date: day.date,
      tasks_due_today: day.tasks_due_today.map(briefTask),
      overdue_tasks: day.overdue_tasks.map(briefTask),
      follow_ups_due: day.follow_ups_due.map(briefFollowUp),
    };
  },
});

export const setBriefing = defineTool({
  name: 'set_briefing',
  description:
    "Change when the morning briefing (the my-day message) comes, in the user's time zone, or turn it off or back on.",
  args: z.object({
    time: BriefingTime.optional().describe(
      'When the morning briefing should come, HH:MM 24-hour, local time',
    ),
    enabled: z.boolean().optional().describe('false stops the morning briefing, true turns it back on'),
  }),
  async run({ time, enabled }, { ctx }, { db }) {
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
});
