import { z } from 'zod';
import { isoDate } from '../fields.ts';
import { addDays, localDate } from '../time.ts';

/**
 * The periods a business question names, resolved to calendar dates in the business's time zone. India's
 * financial year runs April to March, so its quarters are Q1 April–June … Q4 January–March, and "this FY"
 * is the one today falls in. A period that is still running ("this month") runs to today, and is compared
 * with the same number of days of the one before, so a half month never meets a whole one.
 */

export const NAMED_PERIODS = [
  'today',
  'yesterday',
  'day_before_yesterday',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
  'this_quarter',
  'last_quarter',
  'this_fy',
  'last_fy',
  'last_7_days',
  'last_30_days',
] as const;

export type NamedPeriod = (typeof NAMED_PERIODS)[number];

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^q([1-4])$/;
const FY = /^fy(\d{4})-(\d{2})$/;

/** A period by its name: named, a month, a quarter of this financial year, or a financial year. */
export const PeriodName = z.union([
  z.enum(NAMED_PERIODS),
  z.string().regex(MONTH, 'a month is YYYY-MM'),
  z.string().regex(QUARTER, 'a quarter of this financial year is q1 … q4'),
  z.string().regex(FY, 'a financial year is fy2025-26'),
]);

export const PeriodInput = z.union([PeriodName, z.strictObject({ from: isoDate, to: isoDate })]).meta({
  description:
    'A named period (today, yesterday, this_week, last_month, this_quarter, this_fy, last_7_days, …), a month ' +
    '(2026-03), a quarter of this financial year (q1 = April–June … q4 = January–March), a financial year ' +
    '(fy2025-26), or {from, to} dates. Resolved in the business’s time zone.',
  example: 'this_month',
});
export type PeriodInput = z.infer<typeof PeriodInput>;

export const CompareTo = z
  .enum(['previous_period', 'same_period_last_year'])
  .meta({ description: 'Also compute the metric over the period before, or the same period a year earlier' });
export type CompareTo = z.infer<typeof CompareTo>;

/** Calendar dates, both inclusive. */
export interface Period {
  from: string;
  to: string;
  /** Whether the period was cut at today (it was still running). */
  toDate: boolean;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const partsOf = (date: string) => date.split('-').map(Number) as [number, number, number];
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthStart = (date: string) => `${date.slice(0, 7)}-01`;

/** The first day of the month `months` away from the month of `date`. */
function shiftMonth(date: string, months: number): string {
  const [y, m] = partsOf(date);
  const index = y * 12 + (m - 1) + months;
  return ymd(Math.floor(index / 12), (index % 12) + 1, 1);
}

const monthEnd = (date: string) => {
  const [y, m] = partsOf(date);
  return ymd(y, m, daysIn(y, m));
};

/** The first month (1, 4, 7, 10) of the financial-year quarter a date falls in. */
const quarterStart = (date: string) => {
  const [y, m] = partsOf(date);
  return ymd(y, Math.floor((m - 1) / 3) * 3 + 1, 1);
};

/** The year a financial year begins in (April). */
const fyOf = (date: string) => {
  const [y, m] = partsOf(date);
  return m >= 4 ? y : y - 1;
};

const weekStart = (date: string) => {
  // Weeks begin on Monday.
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((weekday + 6) % 7));
};

const whole = (from: string, to: string): Period => ({ from, to, toDate: false });

/** Cut at today if it is under way (a period yet to begin stays whole: nothing has happened in it). */
function running(from: string, to: string, today: string): Period {
  return to >= today && from <= today ? { from, to: today, toDate: true } : whole(from, to);
}

export function resolvePeriod(input: PeriodInput, now: Date, timeZone: string): Period {
  const today = localDate(now, timeZone);
  if (typeof input === 'object') {
    const [from, to] = input.from <= input.to ? [input.from, input.to] : [input.to, input.from];
    return whole(from, to);
  }
  const month = MONTH.exec(input);
  if (month) return running(`${input}-01`, monthEnd(`${input}-01`), today);
  const quarter = QUARTER.exec(input);
  if (quarter) {
    // Q1 is April of this financial year; Q4 is January of the next calendar year. A quarter that has not
    // begun yet is last year's: "Q4" asked in June is the January–March just gone.
    const named = shiftMonth(`${fyOf(today)}-04-01`, (Number(quarter[1]) - 1) * 3);
    const start = named > today ? shiftMonth(named, -12) : named;
    return running(start, monthEnd(shiftMonth(start, 2)), today);
  }
  const fy = FY.exec(input);
  if (fy) {
    const begins = Number(fy[1]);
    return running(`${begins}-04-01`, `${begins + 1}-03-31`, today);
  }
  switch (input as NamedPeriod) {
    case 'today':
      return whole(today, today);
    case 'yesterday':
      return whole(addDays(today, -1), addDays(today, -1));
    case 'day_before_yesterday':
      return whole(addDays(today, -2), addDays(today, -2));
    case 'this_week':
      return running(weekStart(today), addDays(weekStart(today), 6), today);
    case 'last_week':
      return whole(addDays(weekStart(today), -7), addDays(weekStart(today), -1));
    case 'this_month':
      return running(monthStart(today), monthEnd(today), today);
    case 'last_month':
      return whole(shiftMonth(today, -1), monthEnd(shiftMonth(today, -1)));
    case 'this_quarter':
      return running(quarterStart(today), monthEnd(shiftMonth(quarterStart(today), 2)), today);
    case 'last_quarter': {
      const start = shiftMonth(quarterStart(today), -3);
      return whole(start, monthEnd(shiftMonth(start, 2)));
    }
    case 'this_fy':
      return running(`${fyOf(today)}-04-01`, `${fyOf(today) + 1}-03-31`, today);
    case 'last_fy':
      return whole(`${fyOf(today) - 1}-04-01`, `${fyOf(today)}-03-31`);
    case 'last_7_days':
      return whole(addDays(today, -6), today);
    case 'last_30_days':
      return whole(addDays(today, -29), today);
  }
  throw new Error(`unknown period ${JSON.stringify(input)}`);
}

const dayCount = (p: Period) =>
  Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / 86_400_000) + 1;

/** A date a year earlier; 29 February becomes 28 February. */
function yearEarlier(date: string): string {
  const [y, m, d] = partsOf(date);
  return ymd(y - 1, m, Math.min(d, daysIn(y - 1, m)));
}

const isMonthStart = (date: string) => date.endsWith('-01');
const isMonthEnd = (date: string) => date === monthEnd(date);

/**
 * The period a comparison is made with. The one before: whole months give whole months (March against
 * February, a quarter against the quarter before), a running one gives as many days of the one before;
 * anything else the same number of days just before. A year earlier: the same dates.
 */
export function comparisonPeriod(period: Period, compareTo: CompareTo): Period {
  if (compareTo === 'same_period_last_year') {
    return { from: yearEarlier(period.from), to: yearEarlier(period.to), toDate: period.toDate };
  }
  if (isMonthStart(period.from) && (isMonthEnd(period.to) || period.toDate)) {
    const [fy, fm] = partsOf(period.from);
    const [ty, tm] = partsOf(period.to);
    const months = (ty - fy) * 12 + (tm - fm) + 1;
    const from = shiftMonth(period.from, -months);
    if (!period.toDate) return whole(from, monthEnd(shiftMonth(period.to, -months)));
    const elapsed = dayCount({ from: monthStart(period.to), to: period.to, toDate: true });
    const lastMonth = shiftMonth(period.to, -months);
    const [ly, lm] = partsOf(lastMonth);
    return { from, to: ymd(ly, lm, Math.min(elapsed, daysIn(ly, lm))), toDate: true };
  }
  const days = dayCount(period);
  return { from: addDays(period.from, -days), to: addDays(period.from, -1), toDate: period.toDate };
}

/** "1–31 March 2026", "15 March – 2 April 2026", "Wed, 25 March 2026". */
export function describePeriod(period: Period): string {
  const [fy, fm, fd] = partsOf(period.from);
  const [ty, tm, td] = partsOf(period.to);
  const day = (d: number, m: number) => `${d} ${MONTHS[m - 1]}`;
  if (period.from === period.to) {
    const weekday = new Date(`${period.from}T00:00:00Z`).toLocaleDateString('en-IN', {
      weekday: 'short',
      timeZone: 'UTC',
    });
    return `${weekday}, ${day(fd, fm)} ${fy}`;
  }
  if (fy !== ty) return `${day(fd, fm)} ${fy} – ${day(td, tm)} ${ty}`;
  if (fm !== tm) return `${day(fd, fm)} – ${day(td, tm)} ${ty}`;
  return `${fd}–${td} ${MONTHS[fm - 1]} ${fy}`;
}
