import { addDays, localDate, zonedFormat } from '../domain/time.ts';

/** How dates, times and money read to an owner in India: "Thu, 26 Mar", "5:00 pm", "₹1,25,000". */

/** "Thu, 26 Mar". */
const dayNameFormat = zonedFormat('en-IN', { weekday: 'short', day: 'numeric', month: 'short' });
const timeFormat = zonedFormat('en-IN', { hour: 'numeric', minute: '2-digit', hour12: true });
/** "Thursday". */
export const weekdayFormat = zonedFormat('en-IN', { weekday: 'long' });

export const dayName = (date: string) => dayNameFormat('UTC').format(new Date(`${date}T00:00:00Z`));

export function formatDay(date: string, now: Date, timeZone: string): string {
  const today = localDate(now, timeZone);
  if (date === today) return 'today';
  if (date === addDays(today, 1)) return 'tomorrow';
  if (date === addDays(today, -1)) return 'yesterday';
  return dayName(date);
}

export function formatTime(instant: Date, timeZone: string): string {
  return timeFormat(timeZone)
    .format(instant)
    .replace(/\s?(am|pm)$/i, (m) => ` ${m.trim().toLowerCase()}`);
}

/** "tomorrow, 5:00 pm" or "Thu, 26 Mar" when there is no time. */
export function formatWhen(
  when: { due_at?: string | null; due_date?: string | null },
  now: Date,
  timeZone: string,
): string | null {
  if (when.due_at) {
    const at = new Date(when.due_at);
    return `${formatDay(localDate(at, timeZone), now, timeZone)}, ${formatTime(at, timeZone)}`;
  }
  return when.due_date ? formatDay(when.due_date, now, timeZone) : null;
}

const rupees = (fraction: number) =>
  new Intl.NumberFormat('en-IN', {
    style: 'currency',
    currency: 'INR',
    minimumFractionDigits: fraction,
    maximumFractionDigits: fraction,
  });
/** Whole rupees, and rupees with paise: made once, as a date format is. */
const WHOLE_RUPEES = rupees(0);
const RUPEES_AND_PAISE = rupees(2);

export function formatRupees(amount: number): string {
  return (Number.isInteger(amount) ? WHOLE_RUPEES : RUPEES_AND_PAISE).format(amount);
}
