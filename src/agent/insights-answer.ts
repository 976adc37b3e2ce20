import type { MetricName } from '../domain/insights/metrics.ts';
import type { MetricAnswer, SourceState } from '../domain/insights/query.ts';
import { formatRupees } from './format.ts';

/**
 * A metric's answer in words an owner reads on WhatsApp, written by code from the numbers (never by a
 * model): the amount as ₹1,23,456 with lakh or crore beside it where that is how it is said, the period's
 * dates, a comparison, at most five rows and how many more, and where the numbers come from and how fresh.
 */

const TITLES: Record<MetricName, string> = {
  sales: 'Sales',
  purchases: 'Purchases',
  receivables_outstanding: 'Customers owe you',
  payables_outstanding: 'You owe suppliers',
  overdue_receivables: 'Overdue from customers',
  payments_received: 'Money received',
  payments_made: 'Money paid out',
  net_cash_flow: 'Money in minus money out',
  bank_balance: 'Bank balance',
  settlements: 'Settled to your bank by the gateway',
  order_count: 'Orders',
  average_order_value: 'Average order',
  gst_collected: 'GST on sales',
  gst_paid: 'GST on purchases',
};

/** The metric's name as the owner reads it ("Customers owe you"). */
export const metricTitle = (metric: MetricName): string => TITLES[metric];

/** What each metric is read from, for "none of your connected systems has …". */
const RECORDS_OF: Record<string, string> = {
  invoices: 'invoices or bills',
  payments: 'payments',
  bank_transactions: 'bank statements',
  settlements: 'gateway settlements',
  orders: 'orders',
};

export const SHOWN_ROWS = 5;
const LAKH = 1_00_000;
const CRORE = 1_00_00_000;

/** An amount in lakh or crore to two places, rounded half up on the paise (never on a float's approximation). */
const inUnits = (paise: number, unit: number) => {
  const hundredths = Math.round(Math.abs(paise) / unit);
  return String(hundredths / 100);
};

/** ₹ with Indian grouping, from paise; paise shown only when there are any. */
export const rupees = (paise: number) => formatRupees(paise / 100);

/** "₹1,23,456 (1.23 lakh)": lakh and crore beside an amount that large. */
export function money(paise: number): string {
  const whole = Math.abs(paise / 100);
  if (whole >= CRORE) return `${rupees(paise)} (${inUnits(paise, CRORE)} crore)`;
  if (whole >= LAKH) return `${rupees(paise)} (${inUnits(paise, LAKH)} lakh)`;
  return rupees(paise);
}

const amount = (a: MetricAnswer, value: number) =>
  a.unit === 'money' ? money(value) : value.toLocaleString('en-IN');

/** "just now", "12 min ago", "2 h ago", "3 days ago". */
export function ago(at: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(at)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} days ago`;
}

function freshness(sources: SourceState[], now: Date, nameOf: (id: string) => string): string {
  const parts = sources.map(
    (s) =>
      `${nameOf(s.connector)} (${s.last_synced_at ? `synced ${ago(s.last_synced_at, now)}` : 'not synced yet'}${
        s.status === 'disconnected' ? ', disconnected: reconnect it' : ''
      })`,
  );
  return `From ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]}.`;
}

function comparison(a: MetricAnswer): string | undefined {
  const c = a.compare;
  if (!c) return undefined;
  const against = `${c.period.label}: ${amount(a, c.value)}`;
  if (c.change === 0) return `${against}, the same.`;
  const direction = c.change > 0 ? 'up' : 'down';
  const by = c.change_pct === null ? amount(a, Math.abs(c.change)) : `${Math.abs(c.change_pct)}%`;
  return `${against}, so ${direction} ${by}.`;
}

/** The answer's text; `nameOf` gives a connector's name ("Zoho Books") from its id. */
export function answerText(a: MetricAnswer, now: Date, nameOf: (id: string) => string): string {
  if (a.sources.length === 0) {
    return "Nothing is connected yet, so I can't see your books 🙏 Connect Zoho Books or Razorpay (see the connectors page) and ask me again.";
  }
  if (!a.has_data) {
    return `I can't tell that from your connected data yet: none of your connected systems has sent ${
      RECORDS_OF[a.reads] ?? 'that kind of record'
    }.`;
  }
  const when =
    a.kind === 'balance'
      ? a.period.to_date || a.period.from === a.period.to
        ? 'today'
        : `on ${a.period.label}`
      : a.period.label;
  const title = a.party ? `${TITLES[a.metric]} (${a.party.name})` : TITLES[a.metric];
  const lines = [`${title}, ${when}: ${amount(a, a.value)}`];
  const compared = comparison(a);
  if (compared) lines.push(compared);
  if (a.rows && a.rows.length > 0) {
    for (const [i, r] of a.rows.slice(0, SHOWN_ROWS).entries())
      lines.push(`${i + 1}. ${r.label}: ${amount(a, r.value)}`);
    const more = (a.groups ?? a.rows.length) - Math.min(SHOWN_ROWS, a.rows.length);
    if (more > 0) lines.push(`+${more} more`);
  }
  lines.push(freshness(a.sources, now, nameOf));
  return lines.join('\n');
}
