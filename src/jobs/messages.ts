import { dayName, formatDay, formatTime, formatWhen } from '../agent/format.ts';
import { money } from '../agent/insights-answer.ts';
import type { Deadline } from '../domain/compliance/calendar.ts';
import type { WeekInBusiness } from '../domain/insights/week.ts';
import type { AssignmentNotice } from '../domain/members/assignment-notices.ts';
import type { MyDay } from '../domain/my-day.ts';
import type { FiredReminder } from '../domain/reminders/repo.ts';
import { localDate } from '../domain/time.ts';

/** What the Digital Employee says when it acts on its own: short, friendly, in the user's time zone. */

export function reminderText(r: FiredReminder, now: Date): string {
  const sameDay = localDate(r.due_at, r.timezone) === localDate(now, r.timezone);
  const when = sameDay
    ? formatTime(r.due_at, r.timezone)
    : formatWhen({ due_at: r.due_at.toISOString() }, now, r.timezone);
  const label = r.kind === 'follow_up' ? 'Follow-up' : 'Reminder';
  if (r.late) return `⏰ ${label} (sent late, I was offline): ${r.title} — was due ${when}`;
  return `⏰ ${label}: ${r.title} — ${when}`;
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** "📌 Ravi, Suresh assigned you: File GST returns — due tomorrow, 5:00 pm". */
export function assignmentText(n: AssignmentNotice, now: Date): string {
  const name = n.assignee_name ? firstName(n.assignee_name) : null;
  const lead = n.assigned_by
    ? `${name ? `${name}, ` : ''}${firstName(n.assigned_by)} assigned you`
    : `${name ? `${name}, you` : 'You'} have a new task`;
  const when = formatWhen({ due_date: n.due_date, due_at: n.due_at?.toISOString() ?? null }, now, n.timezone);
  return `📌 ${lead}: ${n.title}${when ? ` — due ${when}` : ''}`;
}

export function complianceText(d: Deadline, daysLeft: number, now: Date, timezone: string): string {
  const when =
    daysLeft <= 0
      ? 'today'
      : daysLeft === 1
        ? 'tomorrow'
        : `in ${daysLeft} days (${formatDay(d.due_date, now, timezone)})`;
  return `📅 Heads-up: ${d.name} is due ${when}. File it in time to avoid late fees.`;
}

const MAX_PRIORITIES = 5;

/** How a briefing's text starts its business section. */
export const WEEK_MARK = '📊 Last week';

/** "📊 Last week (16–22 November 2026): sales ₹2,45,000 (2.45 lakh), cash in ₹1,80,500 (1.81 lakh)." */
export function weekText(week: WeekInBusiness): string {
  return (
    `${WEEK_MARK} (${week.sales.period.label}): sales ${money(week.sales.value)}, ` +
    `cash in ${money(week.cashIn.value)}.`
  );
}

/** The morning briefing: my-day written for chat, priorities first; on Mondays last week's business too. */
export function briefingText(
  day: MyDay,
  name: string | null,
  now: Date,
  late: boolean,
  week?: WeekInBusiness | null,
): string {
  const lines = [`Good morning${name ? `, ${name}` : ''}! ☀️ Here is your day, ${dayName(day.date)}:`];
  if (late) lines.push('(A little late today, sorry: I was offline.)');
  if (week) lines.push(weekText(week));
  if (day.priorities.length === 0) {
    lines.push('Nothing due and nothing overdue. Have a good day! 👍');
    return lines.join('\n');
  }
  lines.push('', 'Top priorities:');
  for (const [i, p] of day.priorities.slice(0, MAX_PRIORITIES).entries()) {
    lines.push(`${i + 1}. ${p.title} — ${p.reason}`);
  }
  const counts = [
    day.overdue_tasks.length && `${day.overdue_tasks.length} overdue`,
    day.tasks_due_today.length && `${day.tasks_due_today.length} due today`,
    day.follow_ups_due.length &&
      `${day.follow_ups_due.length} follow-up${day.follow_ups_due.length === 1 ? '' : 's'}`,
  ].filter(Boolean);
  if (counts.length) lines.push('', `In all: ${counts.join(', ')}.`);
  for (const c of day.compliance.slice(0, 3)) {
    lines.push(`📅 ${c.name} due ${formatWhen({ due_date: c.due_date }, now, day.timezone)}`);
  }
  lines.push('', 'Reply "what\'s my day" for the full list.');
  return lines.join('\n');
}

/** "⚠️ Razorpay stopped accepting our connection…": the owner must act, and how. */
export function connectorDisconnectedText(name: string, connectorId: string): string {
  return (
    `⚠️ ${name} stopped accepting our connection, so I can't read it any more. Nothing is lost: ` +
    `reconnect it with fresh keys (npx axon connect ${connectorId}, or PATCH /api/v1/connectors/${connectorId}).`
  );
}
