import { z } from 'zod';
import type { Db, Queryable } from '../../db/types.ts';
import type { Ctx } from '../context.ts';
import { DomainError } from '../errors.ts';
import { idOf } from '../fields.ts';
import { localDate } from '../time.ts';
import {
  type BaseParams,
  DIMENSIONS,
  type Dimension,
  METRICS,
  type MetricName,
  MetricNameSchema,
  type MetricSpec,
  TIME_DIMENSIONS,
} from './metrics.ts';
import {
  CompareTo,
  comparisonPeriod,
  describePeriod,
  type Period,
  PeriodInput,
  resolvePeriod,
} from './periods.ts';

/**
 * A metric call run over this business's unified records (its tenant transaction, under row-level
 * security): the total over the period, optionally grouped by a dimension and compared with another period,
 * with where the numbers come from and how fresh they are. Everything in the SQL is from the catalogue; what
 * the caller chose travels as parameters.
 */

export const MAX_ROWS = 50;

export const MetricFilters = z.strictObject({
  party_id: idOf('pty').optional().meta({ description: 'Only this party (find it with find_party)' }),
  source: z
    .string()
    .regex(/^[a-z0-9-]{1,50}$/)
    .optional()
    .meta({ description: 'Only records from this connector, e.g. zoho-books' }),
  status: z.string().min(1).max(30).optional().meta({ description: 'Only records in this status' }),
  method: z.string().min(1).max(50).optional().meta({ description: 'Only payments made this way, e.g. upi' }),
});

export const MetricCall = z.strictObject({
  metric: MetricNameSchema,
  period: PeriodInput.optional().meta({
    description:
      'For a flow (sales, payments…) the period; for a balance the day it stands on. Default: this month, or today for a balance.',
  }),
  group_by: z.enum(DIMENSIONS).optional(),
  filters: MetricFilters.optional(),
  compare_to: CompareTo.optional(),
  order: z
    .enum(['desc', 'asc'])
    .optional()
    .meta({ description: 'Largest first (desc, the default) or smallest' }),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_ROWS)
    .optional()
    .meta({ description: `Rows when grouped (≤ ${MAX_ROWS}; 10, or all of a time series)` }),
});
export type MetricCall = z.infer<typeof MetricCall>;

const PeriodShown = z.object({
  from: z.string(),
  to: z.string(),
  label: z.string().meta({ example: '1–25 March 2026' }),
  to_date: z.boolean().meta({ description: 'The period is still running and was cut at today' }),
});
type PeriodShown = z.infer<typeof PeriodShown>;

const MetricRow = z.object({
  key: z.string(),
  label: z.string(),
  value: z.number().int(),
  records: z.number().int(),
});
export type MetricRow = z.infer<typeof MetricRow>;

const SourceState = z.object({
  connector: z.string(),
  status: z.string(),
  last_synced_at: z.string().nullable(),
});
export type SourceState = z.infer<typeof SourceState>;

export const MetricAnswer = z
  .object({
    metric: MetricNameSchema,
    definition: z.string().meta({ description: 'The business rule behind the number' }),
    unit: z.enum(['money', 'count']).meta({ description: 'money: integer paise (INR); count: how many' }),
    currency: z.literal('INR'),
    kind: z.enum(['flow', 'balance']),
    period: PeriodShown,
    value: z.number().int(),
    records: z.number().int().meta({ description: 'How many records the value is made of' }),
    group_by: z.enum(DIMENSIONS).optional(),
    rows: z.array(MetricRow).optional(),
    groups: z.number().int().optional().meta({ description: 'Groups in all, of which rows are the first' }),
    compare: z
      .object({
        compare_to: CompareTo,
        period: PeriodShown,
        value: z.number().int(),
        change: z.number().int(),
        change_pct: z.number().nullable(),
      })
      .optional(),
    sources: z
      .array(SourceState)
      .meta({ description: 'The business’s connections, for freshness; none means nothing is connected' }),
    party: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .meta({ description: 'The customer or supplier the call was filtered to, if any' }),
    reads: z.string().meta({ description: 'The unified object the metric reads' }),
    has_data: z
      .boolean()
      .meta({ description: 'Whether that object holds any record of this business at all' }),
  })
  .meta({ id: 'MetricAnswer' });
export type MetricAnswer = z.infer<typeof MetricAnswer>;

const shownPeriod = (p: Period): PeriodShown => ({
  from: p.from,
  to: p.to,
  label: describePeriod(p),
  to_date: p.toDate,
});

const FY_START = (day: string) =>
  `(extract(year FROM ${day})::int - CASE WHEN extract(month FROM ${day}) < 4 THEN 1 ELSE 0 END)`;
const FY_LABEL = (day: string) =>
  `'FY' || ${FY_START(day)} || '-' || lpad(((${FY_START(day)} + 1) % 100)::text, 2, '0')`;

/** A dimension's key and label over the metric's rows (alias b). */
const GROUPS: Record<Dimension, { key: string; label: string }> = {
  party: {
    key: "coalesce(b.party_id, 'name:' || lower(b.party_name), 'unknown')",
    label: "coalesce(b.party_name, 'Unknown')",
  },
  party_kind: {
    key: `CASE WHEN b.party_kinds @> ARRAY['customer', 'supplier'] THEN 'customer and supplier'
               WHEN 'supplier' = ANY(b.party_kinds) THEN 'supplier'
               WHEN 'customer' = ANY(b.party_kinds) THEN 'customer' ELSE 'unknown' END`,
    label: '',
  },
  day: { key: "to_char(b.day, 'YYYY-MM-DD')", label: '' },
  week: { key: "to_char(date_trunc('week', b.day)::date, 'YYYY-MM-DD')", label: '' },
  month: { key: "to_char(b.day, 'YYYY-MM')", label: "to_char(b.day, 'FMMonth YYYY')" },
  quarter: {
    key: `${FY_LABEL('b.day')} || ' Q' || (((extract(month FROM b.day)::int + 8) % 12) / 3 + 1)`,
    label: '',
  },
  fy: { key: FY_LABEL('b.day'), label: '' },
  source: { key: 'b.connector', label: '' },
  method: { key: "coalesce(b.method, 'unknown')", label: '' },
  status: { key: 'b.status', label: '' },
  aging: { key: "coalesce(b.aging, 'not due')", label: '' },
};

const AGGREGATES: Record<MetricSpec['aggregate'], string> = {
  sum: 'coalesce(sum(b.value), 0)',
  count: 'count(*)',
  avg: 'coalesce(round(avg(b.value)), 0)',
};

const FILTER_COLUMNS: Record<keyof z.infer<typeof MetricFilters>, string> = {
  party_id: 'b.party_id',
  source: 'b.connector',
  status: 'b.status',
  method: 'b.method',
};

interface Statement {
  sql: string;
  params: unknown[];
}

/** The metric's rows over a period with the call's filters, as a subquery `b` and its parameters. */
function rowsOver(spec: MetricSpec, call: MetricCall, period: Period, timeZone: string, today: string) {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  // Bound only when the metric's SQL uses them: Postgres refuses a parameter it is never told the type of.
  const once = (value: unknown, cast: string) => {
    let placeholder: string | undefined;
    return () => {
      placeholder ??= `${bind(value)}::${cast}`;
      return placeholder;
    };
  };
  const [first, last, zone, day] = [
    once(period.from, 'date'),
    once(period.to, 'date'),
    once(timeZone, 'text'),
    once(today, 'date'),
  ];
  const at: BaseParams = {
    get from() {
      return first();
    },
    get to() {
      return last();
    },
    get zone() {
      return zone();
    },
    get today() {
      return day();
    },
  };
  const where = Object.entries(call.filters ?? {}).flatMap(([name, value]) =>
    value === undefined ? [] : [`${FILTER_COLUMNS[name as keyof typeof FILTER_COLUMNS]} = ${bind(value)}`],
  );
  const from = `(${spec.base.sql(at)}) b${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  return { from, params, bind };
}

/**
 * A metric's records over a period as a subquery (`value`, `day`, `party_id`, `party_name`, …), by the
 * metric's own business rule, for summaries that need a shape of their own (the day's cash in my-day).
 * Unfiltered, so the subquery has no WHERE of its own: the caller may add one.
 */
export function metricRecords(
  metric: MetricName,
  period: Period,
  timeZone: string,
  today: string,
): { from: string; params: unknown[] } {
  const { from, params } = rowsOver(METRICS[metric], { metric }, period, timeZone, today);
  return { from, params };
}

function totalStatement(
  spec: MetricSpec,
  call: MetricCall,
  period: Period,
  zone: string,
  today: string,
): Statement {
  const { from, params } = rowsOver(spec, call, period, zone, today);
  return {
    sql: `SELECT ${AGGREGATES[spec.aggregate]}::bigint AS value, count(*)::int AS n FROM ${from}`,
    params,
  };
}

function groupedStatement(
  spec: MetricSpec,
  call: MetricCall,
  dimension: Dimension,
  period: Period,
  zone: string,
  today: string,
): Statement {
  const { from, params, bind } = rowsOver(spec, call, period, zone, today);
  const group = GROUPS[dimension];
  const label = group.label || group.key;
  // Time and lateness read in their own order, all of it; anything else largest first unless asked otherwise.
  const inTimeOrder = TIME_DIMENSIONS.has(dimension) || dimension === 'aging';
  const order = inTimeOrder
    ? `key ${call.order === 'desc' ? 'DESC' : 'ASC'}`
    : `value ${call.order === 'asc' ? 'ASC' : 'DESC'}, key`;
  return {
    sql: `SELECT ${group.key} AS key, min(${label}) AS label, ${AGGREGATES[spec.aggregate]}::bigint AS value,
                 count(*)::int AS n, count(*) OVER ()::int AS groups
          FROM ${from} GROUP BY 1 ORDER BY ${order} LIMIT ${bind(call.limit ?? (inTimeOrder ? MAX_ROWS : 10))}`,
    params,
  };
}

const change = (value: number, before: number) => ({
  change: value - before,
  change_pct: before === 0 ? null : Math.round(((value - before) / Math.abs(before)) * 1000) / 10,
});

export async function queryMetric(db: Db, ctx: Ctx, raw: MetricCall, now: Date): Promise<MetricAnswer> {
  const call = MetricCall.parse(raw);
  const spec: MetricSpec = METRICS[call.metric];
  if (call.group_by && !spec.dimensions.includes(call.group_by)) {
    throw new DomainError(
      'invalid',
      'invalid_dimension',
      `${call.metric} cannot be grouped by ${call.group_by}; it can be by ${spec.dimensions.join(', ')}.`,
    );
  }
  const today = localDate(now, ctx.timezone);
  const period = resolvePeriod(
    call.period ?? (spec.kind === 'balance' ? 'today' : 'this_month'),
    now,
    ctx.timezone,
  );
  if (spec.kind === 'balance' && spec.base.table === 'invoices' && period.to < today) {
    throw new DomainError(
      'invalid',
      'as_of_unsupported',
      `${call.metric} is known as it stands today, not as it stood on an earlier day.`,
    );
  }
  const compared = call.compare_to ? comparisonPeriod(period, call.compare_to) : undefined;
  return db.tenant(ctx.tenantId, async (tx) => {
    const run = async (s: Statement) => tx.query<Record<string, string | number>>(s.sql, s.params);
    const [total] = await run(totalStatement(spec, call, period, ctx.timezone, today));
    const grouped = call.group_by
      ? await run(groupedStatement(spec, call, call.group_by, period, ctx.timezone, today))
      : undefined;
    const [before] = compared ? await run(totalStatement(spec, call, compared, ctx.timezone, today)) : [];
    const value = Number(total?.value ?? 0);
    return {
      metric: call.metric,
      definition: spec.description,
      unit: spec.unit,
      currency: 'INR',
      kind: spec.kind,
      period: shownPeriod(period),
      value,
      records: Number(total?.n ?? 0),
      ...(call.group_by && grouped
        ? {
            group_by: call.group_by,
            rows: grouped.map((r) => ({
              key: String(r.key),
              label: String(r.label),
              value: Number(r.value),
              records: Number(r.n),
            })),
            groups: Number(grouped[0]?.groups ?? 0),
          }
        : {}),
      ...(compared && call.compare_to
        ? {
            compare: {
              compare_to: call.compare_to,
              period: shownPeriod(compared),
              value: Number(before?.value ?? 0),
              ...change(value, Number(before?.value ?? 0)),
            },
          }
        : {}),
      sources: await sourcesOf(tx),
      party: call.filters?.party_id ? await partyNamed(tx, call.filters.party_id) : null,
      reads: spec.base.table,
      has_data: await hasRows(tx, spec.base.table),
    };
  });
}

async function sourcesOf(tx: Queryable): Promise<SourceState[]> {
  const rows = await tx.query<{ connector: string; status: string; last_synced_at: Date | null }>(
    'SELECT connector, status, last_synced_at FROM connections ORDER BY connector',
  );
  return rows.map((r) => ({
    connector: r.connector,
    status: r.status,
    last_synced_at: r.last_synced_at ? new Date(r.last_synced_at).toISOString() : null,
  }));
}

const hasRows = async (tx: Queryable, table: string) =>
  (await tx.query(`SELECT 1 FROM ${table} WHERE deleted_at IS NULL LIMIT 1`)).length > 0;

async function partyNamed(tx: Queryable, id: string): Promise<{ id: string; name: string } | null> {
  const [row] = await tx.query<{ id: string; name: string }>('SELECT id, name FROM parties WHERE id = $1', [
    id,
  ]);
  return row ?? null;
}
