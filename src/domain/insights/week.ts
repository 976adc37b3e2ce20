import type { Db } from '../../db/types.ts';
import type { Ctx } from '../context.ts';
import { addDays } from '../time.ts';
import { type MetricAnswer, queryMetric } from './query.ts';

/** Last week's sales and cash in, day by day: what the Monday briefing shows when books are connected. */
export interface WeekInBusiness {
  /** The seven days, Monday first. */
  days: string[];
  sales: MetricAnswer;
  cashIn: MetricAnswer;
}

/**
 * The seven days before `monday` (a date in the business's zone), or null when nothing is connected: a
 * business without books gets no business section rather than a week of zeros.
 */
export async function weekInBusiness(
  db: Db,
  ctx: Ctx,
  monday: string,
  now: Date,
): Promise<WeekInBusiness | null> {
  const period = { from: addDays(monday, -7), to: addDays(monday, -1) };
  const daily = { period, group_by: 'day', limit: 7 } as const;
  const sales = await queryMetric(db, ctx, { metric: 'sales', ...daily }, now);
  if (sales.sources.length === 0) return null;
  const cashIn = await queryMetric(db, ctx, { metric: 'payments_received', ...daily }, now);
  return { days: Array.from({ length: 7 }, (_, i) => addDays(period.from, i)), sales, cashIn };
}
