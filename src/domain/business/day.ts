import { z } from 'zod';
import { type Queryable, together } from '../../db/types.ts';
import { owedOn } from '../insights/metrics.ts';
import { resolvePeriod } from '../insights/periods.ts';
import { metricRecords } from '../insights/query.ts';
import { addDays, iso } from '../time.ts';
import { instantAt } from '../wall-clock.ts';

/**
 * What the connected systems say about the owner's day, for my-day and the morning briefing: today's
 * meetings, today's weather, and the money (yesterday's, today's dues, the largest overdue). Each part is
 * there only when its source is connected, and says when that source last synced (`as_of`).
 */

const asOf = z.string().nullable().meta({ description: 'When its source last synced' });

export const CalendarItem = z
  .object({
    title: z.string(),
    starts_at: z.string(),
    ends_at: z.string().nullable(),
    all_day: z.boolean(),
    location: z.string().nullable(),
    source: z.string().meta({ description: 'The connector it came from' }),
    as_of: asOf,
  })
  .meta({ id: 'CalendarItem' });
export type CalendarItem = z.infer<typeof CalendarItem>;

export const WeatherToday = z
  .object({
    place: z.string().nullable(),
    summary: z.string().meta({ example: 'Light rain' }),
    code: z.number().int().nullable().meta({ description: 'WMO weather code' }),
    temp_max: z.number().nullable().meta({ description: '°C' }),
    temp_min: z.number().nullable().meta({ description: '°C' }),
    rain_chance: z.number().int().nullable().meta({ description: 'Chance of rain, %' }),
    source: z.string(),
    as_of: asOf,
  })
  .meta({ id: 'WeatherToday' });
export type WeatherToday = z.infer<typeof WeatherToday>;

export const CashToday = z
  .object({
    currency: z.literal('INR'),
    received_yesterday: z
      .number()
      .int()
      .meta({ description: 'Payments in that went through yesterday, paise' }),
    settled_yesterday: z
      .number()
      .int()
      .meta({ description: 'Settlements paid to the bank yesterday, paise' }),
    due_today: z.number().int().meta({ description: 'Receivables falling due today, paise' }),
    largest_overdue: z
      .array(z.object({ party: z.string(), amount: z.number().int(), days_overdue: z.number().int() }))
      .meta({ description: 'The three customers owing the most past their due dates' }),
    as_of: asOf,
  })
  .meta({ id: 'CashToday' });
export type CashToday = z.infer<typeof CashToday>;

const MAX_EVENTS = 20;

interface EventRow {
  title: string;
  starts_at: Date;
  ends_at: Date | null;
  all_day: boolean;
  location: string | null;
  connector: string;
  last_synced_at: Date | null;
}

export async function todaysCalendar(
  tx: Queryable,
  timezone: string,
  today: string,
): Promise<CalendarItem[]> {
  const rows = await tx.query<EventRow>(
    `SELECT e.title, e.starts_at, e.ends_at, e.all_day, e.location, e.connector, c.last_synced_at
     FROM calendar_events e JOIN connections c ON c.id = e.connection_id
     WHERE e.deleted_at IS NULL AND e.status <> 'cancelled'
       AND e.starts_at < $2 AND coalesce(e.ends_at, e.starts_at + interval '1 minute') > $1
     ORDER BY e.all_day DESC, e.starts_at, e.title LIMIT ${MAX_EVENTS}`,
    [instantAt(today, 0, 0, timezone), instantAt(addDays(today, 1), 0, 0, timezone)],
  );
  return rows.map((r) => ({
    title: r.title,
    starts_at: new Date(r.starts_at).toISOString(),
    ends_at: iso(r.ends_at && new Date(r.ends_at)),
    all_day: r.all_day,
    location: r.location,
    source: r.connector,
    as_of: iso(r.last_synced_at && new Date(r.last_synced_at)),
  }));
}

export async function todaysWeather(tx: Queryable, today: string): Promise<WeatherToday | null> {
  const [row] = await tx.query<{
    place: string | null;
    summary: string;
    code: number | null;
    temp_max: string | null;
    temp_min: string | null;
    rain_chance: number | null;
    connector: string;
    last_synced_at: Date | null;
  }>(
    `SELECT w.place, w.summary, w.code, w.temp_max, w.temp_min, w.rain_chance, w.connector, c.last_synced_at
     FROM weather_forecasts w JOIN connections c ON c.id = w.connection_id
     WHERE w.deleted_at IS NULL AND w.day = $1 ORDER BY c.last_synced_at DESC NULLS LAST LIMIT 1`,
    [today],
  );
  if (!row) return null;
  const number = (v: string | null) => (v === null ? null : Number(v));
  return {
    place: row.place,
    summary: row.summary,
    code: row.code,
    temp_max: number(row.temp_max),
    temp_min: number(row.temp_min),
    rain_chance: row.rain_chance,
    source: row.connector,
    as_of: iso(row.last_synced_at && new Date(row.last_synced_at)),
  };
}

/** The money part of the day, by the metrics' own rules; null when no system holds invoices or payments. */
export async function todaysCash(
  tx: Queryable,
  timezone: string,
  now: Date,
  today: string,
): Promise<CashToday | null> {
  // Each connection is asked for one record through its (connection_id, external_id) key: a connection with
  // none (a calendar) costs an index probe, not a scan of the business's invoices.
  const holds = (table: string) =>
    `EXISTS (SELECT 1 FROM (SELECT 1 FROM ${table} r WHERE r.connection_id = c.id
                            ORDER BY r.connection_id, r.external_id LIMIT 1) one)`;
  const [books] = await tx.query<{ as_of: Date | null; connected: boolean }>(
    `SELECT max(c.last_synced_at) AS as_of, count(*) > 0 AS connected FROM connections c
     WHERE ${holds('invoices')} OR ${holds('payments')} OR ${holds('settlements')}`,
  );
  if (!books?.connected) return null;
  const yesterday = resolvePeriod('yesterday', now, timezone);
  const todayOnly = resolvePeriod('today', now, timezone);
  const sum = async (metric: 'payments_received' | 'settlements', period = yesterday) => {
    const { from, params } = metricRecords(metric, period, timezone, today);
    const [r] = await tx.query<{ v: string }>(
      `SELECT coalesce(sum(value), 0)::bigint AS v FROM ${from}`,
      params,
    );
    return Number(r?.v ?? 0);
  };
  const dueToday = async () => {
    const { from, params } = metricRecords('receivables_outstanding', todayOnly, timezone, today);
    const [r] = await tx.query<{ v: string }>(
      `SELECT coalesce(sum(value), 0)::bigint AS v FROM ${from} WHERE day = $${params.length + 1}::date`,
      [...params, today],
    );
    return Number(r?.v ?? 0);
  };
  const overdue = async () => {
    const rows = (await keptLeaders(tx, today)) ?? (await computeLeaders(tx, today));
    return rows.map((r) => ({
      party: r.party,
      amount: Number(r.amount),
      days_overdue: Math.round((Date.parse(today) - Date.parse(r.oldest)) / 86_400_000),
    }));
  };
  const [received, settled, due, largest] = await together(
    sum('payments_received'),
    sum('settlements'),
    dueToday(),
    overdue(),
  );
  return {
    currency: 'INR',
    received_yesterday: received,
    settled_yesterday: settled,
    due_today: due,
    largest_overdue: largest,
    as_of: iso(books.as_of && new Date(books.as_of)),
  };
}

interface Leader {
  party: string;
  amount: string;
  oldest: string;
}

/** The leaders kept for `today` at the books' current version (migration 030); null when stale or none. */
async function keptLeaders(tx: Queryable, today: string): Promise<Leader[] | null> {
  const rows = await tx.query<{ party: string; amount: string | null; oldest: string | null }>(
    `SELECT coalesce(p.name, l.named, 'A customer') AS party, l.amount::text AS amount, l.oldest
     FROM overdue_leaders o
     LEFT JOIN LATERAL jsonb_to_recordset(o.leaders) AS l(party_id text, named text, amount bigint, oldest text)
       ON true
     LEFT JOIN parties p ON p.id = l.party_id AND p.deleted_at IS NULL
     WHERE o.as_of = $1::date AND o.computed_version = o.books_version
     ORDER BY l.amount DESC, party`,
    [today],
  );
  if (rows.length === 0) return null;
  // A row with no leader: kept, and nobody is overdue.
  return rows.flatMap((r) =>
    r.amount && r.oldest ? [{ party: r.party, amount: r.amount, oldest: r.oldest }] : [],
  );
}

/**
 * The three customers owing the most past due, grouped before the parties are named (three names looked
 * up, not one per open invoice), and kept with the books' version read in the same snapshot: a sync that
 * writes while this runs leaves them stale, never wrong.
 */
async function computeLeaders(tx: Queryable, today: string): Promise<Leader[]> {
  return tx.query<Leader>(
    `WITH top AS (
       SELECT i.party_id, sum(i.balance)::bigint AS amount, min(i.due_date)::text AS oldest,
              min(i.party_name) AS named
       FROM invoices i WHERE ${owedOn('receivable', true, '$1::date')}
       GROUP BY i.party_id ORDER BY amount DESC LIMIT 3
     ), kept AS (
       INSERT INTO overdue_leaders AS o (tenant_id, books_version, computed_version, as_of, leaders)
       SELECT current_setting('app.tenant_id'), v.version, v.version, $1::date,
              coalesce((SELECT jsonb_agg(top) FROM top), '[]'::jsonb)
       FROM (SELECT coalesce((SELECT books_version FROM overdue_leaders), 0) AS version) v
       ON CONFLICT (tenant_id) DO UPDATE
         SET computed_version = excluded.computed_version, as_of = excluded.as_of, leaders = excluded.leaders
     )
     SELECT coalesce(p.name, top.named, 'A customer') AS party, top.amount::text AS amount, top.oldest
     FROM top LEFT JOIN parties p ON p.id = top.party_id AND p.deleted_at IS NULL
     ORDER BY top.amount DESC, party`,
    [today],
  );
}
