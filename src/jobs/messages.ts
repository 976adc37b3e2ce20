import { dayName, formatDay, formatTime, formatWhen } from '../agent/format.ts';
import { money } from '../agent/insights-answer.ts';
import type { WeatherToday } from '../domain/business/day.ts';
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

/** WMO weather codes in groups, for the briefing's one glyph. */
function weatherGlyph(w: WeatherToday): string {
  const code = w.code ?? 0;
  if (code >= 95) return '⛈️';
  if ((w.rain_chance ?? 0) >= 50 || (code >= 51 && code <= 82)) return '☔';
  if (code >= 71 && code <= 86) return '❄️';
  if (code === 45 || code === 48) return '🌫️';
  return code <= 1 ? '☀️' : '⛅';
}

const round = (n: number) => Math.round(n);

/**
 * What the connected systems add to the day, in one short line: "☔ Rain, 33°/21°, 80% rain · 2 meetings,
 * first 11:00 am Standup · ₹1,20,000 (1.2 lakh) came in yesterday · Sharma Traders ₹45,000 overdue 12 days".
 * Empty when nothing is connected: the briefing never mentions what is not.
 */
export function connectedLine(day: MyDay): string {
  const parts: string[] = [];
  const w = day.weather;
  if (w) {
    const temps =
      w.temp_max !== null && w.temp_min !== null ? `, ${round(w.temp_max)}°/${round(w.temp_min)}°` : '';
    const rain = (w.rain_chance ?? 0) >= 30 ? `, ${w.rain_chance}% rain` : '';
    parts.push(`${weatherGlyph(w)} ${w.summary}${temps}${rain}`);
  }
  const timed = day.calendar.filter((e) => !e.all_day);
  const allDay = day.calendar.filter((e) => e.all_day);
  if (timed.length > 0) {
    const first = timed[0] as (typeof timed)[number];
    const count = timed.length === 1 ? '1 meeting' : `${timed.length} meetings`;
    parts.push(`📅 ${count}, first ${formatTime(new Date(first.starts_at), day.timezone)} ${first.title}`);
  }
  for (const e of allDay.slice(0, 1)) parts.push(`📅 ${e.title}`);
  const c = day.cash;
  if (c) {
    if (c.received_yesterday > 0) parts.push(`💰 ${money(c.received_yesterday)} came in yesterday`);
    if (c.due_today > 0) parts.push(`${money(c.due_today)} due today`);
    const top = c.largest_overdue[0];
    if (top) {
      const days = top.days_overdue === 1 ? '1 day' : `${top.days_overdue} days`;
      parts.push(`${top.party} ${money(top.amount)} overdue ${days}`);
    }
  }
  return parts.join(' · ');
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
  const connected = connectedLine(day);
  if (connected) lines.push(connected);
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
