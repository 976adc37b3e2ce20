import { z } from 'zod';
import { addDays } from '../time.ts';
import data from './filings.json' with { type: 'json' };

/** India's recurring due dates, read from filings.json (data, not code) and checked once at load. */

const MonthDay = z.strictObject({
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
});

const FilingSpec = z.strictObject({
  code: z.string().regex(/^[a-z0-9_]+$/),
  name: z.string(),
  description: z.string(),
  monthly: z
    .strictObject({ day: z.number().int().min(1).max(28), overrides: z.array(MonthDay).optional() })
    .optional(),
  yearly: z.array(MonthDay).optional(),
});
export type FilingSpec = z.infer<typeof FilingSpec>;

export const FILINGS: readonly FilingSpec[] = z
  .strictObject({ $comment: z.string(), filings: z.array(FilingSpec) })
  .parse(data).filings;

export const FILING_CODES = FILINGS.map((f) => f.code) as [string, ...string[]];

export interface Deadline {
  code: string;
  name: string;
  due_date: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The due dates of one filing in one calendar month (YYYY, 1-12). */
function datesIn(f: FilingSpec, year: number, month: number): string[] {
  const days: number[] = [];
  if (f.monthly) days.push(f.monthly.overrides?.find((o) => o.month === month)?.day ?? f.monthly.day);
  for (const y of f.yearly ?? []) if (y.month === month) days.push(y.day);
  return days.map((d) => `${year}-${pad(month)}-${pad(d)}`);
}

/** Every due date of the given filings from `from` to `to` (inclusive, YYYY-MM-DD), soonest first. */
export function deadlinesBetween(codes: readonly string[], from: string, to: string): Deadline[] {
  const wanted = FILINGS.filter((f) => codes.includes(f.code));
  const out: Deadline[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  while (`${year}-${pad(month)}` <= last) {
    for (const f of wanted) {
      for (const due of datesIn(f, year, month)) {
        if (due >= from && due <= to) out.push({ code: f.code, name: f.name, due_date: due });
      }
    }
    month = month === 12 ? 1 : month + 1;
    if (month === 1) year++;
  }
  return out.sort((a, b) => a.due_date.localeCompare(b.due_date) || a.name.localeCompare(b.name));
}

/** Whole days from one calendar date to another. */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The alert threshold a deadline has reached on `today`: the smallest of `alertDays` not below the days
 * left. A process that was down past "3 days before" still sends the 3-day alert late, once.
 */
export function thresholdReached(today: string, due: string, alertDays: readonly number[]): number | null {
  const left = daysBetween(today, due);
  if (left < 0) return null;
  const reached = alertDays.filter((n) => n >= left);
  return reached.length ? Math.min(...reached) : null;
}

export const horizon = (today: string, alertDays: readonly number[]) =>
  addDays(today, Math.max(0, ...alertDays));
