import { z } from 'zod';

/**
 * The metrics catalogue: every number the Digital Employee may state about a business's books, each defined
 * once here with its business rule, over the unified tables whatever system filled them. Questions become a
 * metric call (metric, period, group_by, filters), never free SQL, so a number is right or it is not given.
 * Money is summed in paise and only in rupees (INR): a record in another currency is not added to them.
 * Void and draft invoices, cancelled or returned orders, and failed, pending or refunded payments never count.
 */

/** Each source row of a metric carries these columns; dimensions and filters read them. */
interface Base {
  /** SQL returning value, day, party_id, party_name, party_kinds, connector, method, status, aging. */
  sql: (p: BaseParams) => string;
  /** The table whose rows the metric reads: with none for this business, it has no data to tell from. */
  table: string;
}

/** The placeholders a base's SQL uses: the period's first and last day, the time zone, today. */
export interface BaseParams {
  from: string;
  to: string;
  zone: string;
  today: string;
}

export type Aggregate = 'sum' | 'count' | 'avg';

export interface MetricSpec {
  description: string;
  unit: 'money' | 'count';
  aggregate: Aggregate;
  /** flow: what happened within the period; balance: what stands at the end of it (as of today at most). */
  kind: 'flow' | 'balance';
  dimensions: readonly Dimension[];
  base: Base;
}

export const DIMENSIONS = [
  'party',
  'party_kind',
  'day',
  'week',
  'month',
  'quarter',
  'fy',
  'source',
  'method',
  'status',
  'aging',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const TIME_DIMENSIONS: ReadonlySet<Dimension> = new Set(['day', 'week', 'month', 'quarter', 'fy']);

const party = (alias: string) => `${alias}.party_id, coalesce(p.name, ${alias}.party_name) AS party_name,
  p.kinds AS party_kinds`;
const partyJoin = (alias: string) =>
  `LEFT JOIN parties p ON p.id = ${alias}.party_id AND p.deleted_at IS NULL`;
/** The local calendar day an instant falls on, in the business's time zone. */
const localDay = (column: string, p: BaseParams) => `(${column} AT TIME ZONE ${p.zone})::date`;
/** An instant column within the period's local days, written so its index can serve it. */
const instantWithin = (column: string, p: BaseParams) =>
  `${column} >= (${p.from}::timestamp AT TIME ZONE ${p.zone})
   AND ${column} < ((${p.to} + 1)::timestamp AT TIME ZONE ${p.zone})`;

const invoiced = (direction: 'receivable' | 'payable', amount: 'total' | 'tax'): Base => ({
  table: 'invoices',
  sql: (p) => `
    SELECT i.${amount} AS value, i.issue_date AS day, ${party('i')}, i.connector, NULL::text AS method,
           i.status, NULL::text AS aging
    FROM invoices i ${partyJoin('i')}
    WHERE i.deleted_at IS NULL AND i.currency = 'INR' AND i.direction = '${direction}'
      AND i.status NOT IN ('void', 'draft') AND i.issue_date BETWEEN ${p.from} AND ${p.to}
      ${amount === 'tax' ? 'AND i.tax IS NOT NULL' : ''}`,
});

/**
 * The invoices with something still owed on them today (alias `i`): the rule of the outstanding metrics,
 * also read on its own where grouping must come before naming the parties (my-day's largest overdue).
 */
export const owedOn = (direction: 'receivable' | 'payable', overdueOnly: boolean, today: string) => `
    i.deleted_at IS NULL AND i.currency = 'INR' AND i.direction = '${direction}'
      AND i.status IN ('open', 'partially_paid') AND i.balance > 0
      ${overdueOnly ? `AND i.due_date < ${today}` : ''}`;

/** What is still owed on invoices today: the balance the source keeps after payments and credit notes. */
const outstanding = (direction: 'receivable' | 'payable', overdueOnly: boolean): Base => ({
  table: 'invoices',
  sql: (p) => `
    SELECT i.balance AS value, i.due_date AS day, ${party('i')}, i.connector, NULL::text AS method, i.status,
      CASE WHEN i.due_date IS NULL OR i.due_date >= ${p.today} THEN NULL
           WHEN ${p.today} - i.due_date <= 30 THEN '0–30 days'
           WHEN ${p.today} - i.due_date <= 60 THEN '31–60 days'
           WHEN ${p.today} - i.due_date <= 90 THEN '61–90 days'
           ELSE '90+ days' END AS aging
    FROM invoices i ${partyJoin('i')}
    WHERE ${owedOn(direction, overdueOnly, p.today)}`,
});

const COUNTED_PAYMENTS = "pm.status IN ('settled', 'authorized')";

const paid = (direction: 'in' | 'out' | 'net'): Base => ({
  table: 'payments',
  sql: (p) => `
    SELECT ${direction === 'net' ? "CASE pm.direction WHEN 'in' THEN pm.amount ELSE -pm.amount END" : 'pm.amount'}
             AS value,
           ${localDay('pm.paid_at', p)} AS day, ${party('pm')}, pm.connector, pm.method, pm.status,
           NULL::text AS aging
    FROM payments pm ${partyJoin('pm')}
    WHERE pm.deleted_at IS NULL AND pm.currency = 'INR' AND ${COUNTED_PAYMENTS}
      ${direction === 'net' ? '' : `AND pm.direction = '${direction}'`}
      AND ${instantWithin('pm.paid_at', p)}`,
});

const ordered = (value: 'total' | 'one'): Base => ({
  table: 'orders',
  sql: (p) => `
    SELECT ${value === 'total' ? 'o.total' : '1'} AS value, ${localDay('o.ordered_at', p)} AS day, ${party('o')},
           o.connector, NULL::text AS method, o.status, NULL::text AS aging
    FROM orders o ${partyJoin('o')}
    WHERE o.deleted_at IS NULL AND o.currency = 'INR' AND o.status NOT IN ('cancelled', 'returned')
      AND ${instantWithin('o.ordered_at', p)}`,
});

const PARTY_DIMENSIONS = ['party', 'party_kind', 'source', 'status'] as const;
const TIME = ['day', 'week', 'month', 'quarter', 'fy'] as const;

const metric = (spec: MetricSpec) => spec;

export const METRICS = {
  sales: metric({
    description:
      'Sales invoiced: the total (tax included) of invoices to customers issued in the period, void and draft ones left out.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'flow',
    dimensions: [...PARTY_DIMENSIONS, ...TIME],
    base: invoiced('receivable', 'total'),
  }),
  purchases: metric({
    description:
      'Purchases billed: the total (tax included) of bills from suppliers issued in the period, void and draft ones left out.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'flow',
    dimensions: [...PARTY_DIMENSIONS, ...TIME],
    base: invoiced('payable', 'total'),
  }),
  receivables_outstanding: metric({
    description:
      'What customers owe today: the unpaid balance of open and partly paid invoices, after payments and credit notes as the source books them.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'balance',
    dimensions: [...PARTY_DIMENSIONS, 'aging'],
    base: outstanding('receivable', false),
  }),
  payables_outstanding: metric({
    description: 'What the business owes suppliers today: the unpaid balance of open and partly paid bills.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'balance',
    dimensions: [...PARTY_DIMENSIONS, 'aging'],
    base: outstanding('payable', false),
  }),
  overdue_receivables: metric({
    description:
      'What customers owe past the due date today, with how late: 0–30, 31–60, 61–90 and 90+ days.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'balance',
    dimensions: [...PARTY_DIMENSIONS, 'aging'],
    base: outstanding('receivable', true),
  }),
  payments_received: metric({
    description:
      'Money received: payments in during the period that went through (settled or authorised), partial payments at what was paid; failed, pending and refunded ones left out.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'flow',
    dimensions: [...PARTY_DIMENSIONS, 'method', ...TIME],
    base: paid('in'),
  }),
  payments_made: metric({
    description: 'Money paid out: payments out during the period that went through.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'flow',
    dimensions: [...PARTY_DIMENSIONS, 'method', ...TIME],
    base: paid('out'),
  }),
  net_cash_flow: metric({
    description: 'Money received minus money paid out during the period.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'flow',
    dimensions: ['party', 'source', 'method', ...TIME],
    base: paid('net'),
  }),
  bank_balance: metric({
    description:
      'Money in the bank: the latest balance of each account on its statement, up to the end of the period.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'balance',
    dimensions: ['source'],
    base: {
      table: 'bank_transactions',
      sql: (p) => `
        SELECT * FROM (
          SELECT DISTINCT ON (b.connection_id, coalesce(b.account, ''))
            b.balance AS value, b.posted_on AS day, NULL::text AS party_id, b.account AS party_name,
            NULL::text[] AS party_kinds, b.connector, NULL::text AS method, NULL::text AS status,
            NULL::text AS aging
          FROM bank_transactions b
          WHERE b.deleted_at IS NULL AND b.currency = 'INR' AND b.balance IS NOT NULL
            AND b.posted_on <= ${p.to}
          ORDER BY b.connection_id, coalesce(b.account, ''), b.posted_on DESC, b.synced_at DESC
        ) latest`,
    },
  }),
  settlements: metric({
    description: 'Money settled to the bank by the payment gateway (after its fees) during the period.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'flow',
    dimensions: ['source', ...TIME],
    base: {
      table: 'settlements',
      sql: (p) => `
        SELECT s.amount AS value, ${localDay('s.settled_at', p)} AS day, NULL::text AS party_id,
               NULL::text AS party_name, NULL::text[] AS party_kinds, s.connector, NULL::text AS method,
               s.status, NULL::text AS aging
        FROM settlements s
        WHERE s.deleted_at IS NULL AND s.currency = 'INR' AND s.status = 'processed'
          AND ${instantWithin('s.settled_at', p)}`,
    },
  }),
  order_count: metric({
    description: 'Orders placed in the period, cancelled and returned ones left out.',
    unit: 'count',
    aggregate: 'count',
    kind: 'flow',
    dimensions: [...PARTY_DIMENSIONS, ...TIME],
    base: ordered('one'),
  }),
  average_order_value: metric({
    description:
      'The average total of the orders placed in the period, cancelled and returned ones left out.',
    unit: 'money',
    aggregate: 'avg',
    kind: 'flow',
    dimensions: [...PARTY_DIMENSIONS, ...TIME],
    base: ordered('total'),
  }),
  gst_collected: metric({
    description:
      'GST on sales: the tax on invoices to customers issued in the period, where the source carries it.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'flow',
    dimensions: [...PARTY_DIMENSIONS, ...TIME],
    base: invoiced('receivable', 'tax'),
  }),
  gst_paid: metric({
    description:
      'GST on purchases: the tax on bills from suppliers issued in the period, where the source carries it.',
    unit: 'money',
    aggregate: 'sum',
    kind: 'flow',
    dimensions: [...PARTY_DIMENSIONS, ...TIME],
    base: invoiced('payable', 'tax'),
  }),
} as const satisfies Record<string, MetricSpec>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as [MetricName, ...MetricName[]];
export const MetricNameSchema = z.enum(METRIC_NAMES);
