import { localDate, zonedFormat } from './time.ts';

/**
 * Wall-clock arithmetic in an IANA time zone, with only Intl: which calendar day and clock time an
 * instant is somewhere, which instant a wall time is, and ISO text with the zone's offset
 * ("2026-03-26T17:00:00+05:30").
 */

/** A calendar date, YYYY-MM-DD. */
export type LocalDate = string;

export interface WallTime {
  date: LocalDate;
  hour: number;
  minute: number;
  second: number;
}

const formatter = zonedFormat('en-CA', {
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function wallTime(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

export const today = (now: Date, timeZone: string): LocalDate => localDate(now, timeZone);

/** Minutes the zone is ahead of UTC at an instant (330 for Asia/Kolkata). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const w = wallTime(instant, timeZone);
  const [y, m, d] = splitDate(w.date);
  const asUtc = Date.UTC(y, m - 1, d, w.hour, w.minute, w.second);
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60_000);
}

/** The instant a wall time in the zone names (the later reading when a clock change repeats it). */
export function instantAt(date: LocalDate, hour: number, minute: number, timeZone: string): Date {
  const [y, m, d] = splitDate(date);
  const guess = Date.UTC(y, m - 1, d, hour, minute);
  const first = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  const second = guess - offsetMinutes(new Date(first), timeZone) * 60_000;
  return new Date(second);
}

/** ISO 8601 with the zone's offset at that instant, to the second. */
export function formatInZone(instant: Date, timeZone: string): string {
  const w = wallTime(instant, timeZone);
  const offset = offsetMinutes(instant, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${w.date}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = splitDate(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  const [y, m, d] = splitDate(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The first date strictly after `date` that falls on `weekday`. */
export function nextWeekday(date: LocalDate, weekday: number): LocalDate {
  const ahead = (weekday - weekdayOf(date) + 7) % 7 || 7;
  return addDays(date, ahead);
}

export function makeDate(year: number, month: number, day: number): LocalDate | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

export function splitDate(date: LocalDate): [number, number, number] {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return [y, m, d];
}

const pad = (n: number) => String(n).padStart(2, '0');
