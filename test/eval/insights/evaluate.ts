import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { money } from '../../../src/agent/insights-answer.ts';
import { parseBusinessQuestion } from '../../../src/agent/offline/insights.ts';
import type { TurnRunner } from '../../../src/agent/runner.ts';
import { razorpay } from '../../../src/connectors/razorpay/index.ts';
import { createConnectorRuntime } from '../../../src/connectors/runtime.ts';
import { runSync } from '../../../src/connectors/sync-engine.ts';
import type { Connector } from '../../../src/connectors/types.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../../src/connectors/vault.ts';
import { zohoBooks } from '../../../src/connectors/zoho-books/index.ts';
import type { Db } from '../../../src/db/types.ts';
import { insertConnection, queueRun } from '../../../src/domain/connections/repo.ts';
import { newId } from '../../../src/domain/ids.ts';
import { PeriodInput, resolvePeriod } from '../../../src/domain/insights/periods.ts';
import { rankByName } from '../../../src/domain/lookup.ts';
import { ensureOwner, type Principal } from '../../../src/domain/tenants.ts';
import { localDate } from '../../../src/domain/time.ts';
import { createLogger } from '../../../src/log.ts';
import { startFakeRazorpay } from '../../fakes/razorpay.ts';
import { startFakeZohoBooks } from '../../fakes/zoho-books.ts';
import { offlineTurnRunner } from '../../support/offline-runner.ts';
import { type CaseResult, Lang, type Score, scoreOf } from '../evaluate.ts';
import { type Books, generateBooks, ONLY_B, PARTIES } from './books.ts';

/**
 * The insights evaluation: the generated books of two businesses (books.ts) synced through the real
 * connectors from their fakes, then each question asked as business A through the real turn runner with
 * the offline model. Two scores: the metric call (the parser's reading of the question against the
 * expected one) and the answer (the reply carries the amount computed from the books' truth, not from our
 * SQL, and the party a ranking puts first). A safety case passes only if no amount of business B's books
 * appears in A's reply.
 */

const Expect = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('metric'),
    metric: z.string(),
    period: PeriodInput.optional(),
    group_by: z.string().optional(),
    compare_to: z.string().optional(),
    limit: z.number().int().optional(),
    order: z.string().optional(),
    party: z.string().optional(),
    /** Instead of an amount: the party named is no one of this business's, or several are. */
    answer: z.enum(['no_party', 'asks_which']).optional(),
  }),
  z.object({ kind: z.literal('outside') }),
  z.object({ kind: z.literal('ask_period') }),
]);

const Question = z.object({
  text: z.string(),
  lang: Lang,
  group: z.string(),
  holdout: z.boolean().optional(),
  origin: z.literal('tuning').optional(),
  expect: Expect,
});
export type Question = z.infer<typeof Question>;

const QuestionSet = z.object({
  now: z.iso.datetime({ offset: true }),
  timezone: z.string(),
  cases: z.array(Question),
});
export type QuestionSet = z.infer<typeof QuestionSet>;

export const loadQuestions = (name: string): QuestionSet =>
  QuestionSet.parse(JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')));

const vault = createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] });

/** A business with its books synced from the fakes; resolves to its owner. */
async function loadBusiness(db: Db, phone: string, books: Books, now: Date): Promise<Principal> {
  const owner = await ensureOwner(db, phone, 'Asia/Kolkata');
  const zoho = await startFakeZohoBooks();
  zoho.contacts.push(...books.zoho.contacts);
  zoho.invoices.push(...books.zoho.invoices);
  zoho.payments.push(...books.zoho.payments);
  const rzp = await startFakeRazorpay({ payments: books.razorpay.length, settlements: 0 });
  books.razorpay.forEach((p, i) => {
    rzp.updatePayment(i, { ...p, customer_id: null, invoice_id: null, acquirer_data: {} });
  });
  try {
    const runtime = createConnectorRuntime({
      db,
      vault,
      logger: createLogger('silent'),
      baseUrls: { 'zoho-books': zoho.url, razorpay: rzp.url },
      rateLimits: {
        'zoho-books': { perSecond: 10_000, burst: 100 },
        razorpay: { perSecond: 10_000, burst: 100 },
      },
      connectors: [zohoBooks as unknown as Connector, razorpay as unknown as Connector],
      now: () => now,
    });
    const connections: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [
        'zoho-books',
        { data_center: 'in' },
        { client_id: zoho.clientId, client_secret: zoho.clientSecret, refresh_token: zoho.refreshToken },
      ],
    ];
    if (books.razorpay.length > 0)
      connections.push(['razorpay', {}, { key_id: rzp.keyId, key_secret: rzp.keySecret }]);
    for (const [connector, config, credentials] of connections) {
      const id = newId('con');
      const { run } = await db.tenant(owner.tenantId, async (tx) => {
        await insertConnection(tx, {
          id,
          tenantId: owner.tenantId,
          connector,
          config,
          sealed: vault.seal({ tenantId: owner.tenantId, connectionId: id }, credentials),
          webhookToken: newId('whk'),
          frequencyMinutes: 15,
        });
        return queueRun(tx, { tenantId: owner.tenantId, connectionId: id }, 'manual');
      });
      const done = await runSync(runtime, run.id);
      if (done?.status !== 'succeeded') throw new Error(`${connector} sync ${done?.status}: ${done?.error}`);
    }
  } finally {
    await zoho.close();
    await rzp.close();
  }
  return owner;
}

/** The truth of a metric call over the generated books, in paise; `top` is the first row of a party ranking. */
function truthOf(
  books: Books,
  e: Extract<Question['expect'], { kind: 'metric' }>,
  now: Date,
  timezone: string,
): { value: number; top?: string } | undefined {
  const today = localDate(now, timezone);
  const period = resolvePeriod(
    e.period ?? (e.metric.includes('outstanding') || e.metric.startsWith('overdue') ? 'today' : 'this_month'),
    now,
    timezone,
  );
  const within = (day: string) => day >= period.from && day <= period.to;
  const party = (p: string | null) => !e.party || (p ?? '').toLowerCase().includes(e.party.toLowerCase());
  let rows: { party: string | null; amount: number }[];
  const live = books.invoices.filter((i) => i.status !== 'void' && i.status !== 'draft' && party(i.party));
  switch (e.metric) {
    case 'sales':
      rows = live.filter((i) => within(i.issue)).map((i) => ({ party: i.party, amount: i.total }));
      break;
    case 'receivables_outstanding':
      rows = live.filter((i) => i.balance > 0).map((i) => ({ party: i.party, amount: i.balance }));
      break;
    case 'overdue_receivables':
      rows = live
        .filter((i) => i.balance > 0 && i.due < today)
        .map((i) => ({ party: i.party, amount: i.balance }));
      break;
    case 'payments_received':
    case 'net_cash_flow':
      rows = books.payments
        .filter((p) => p.counted && party(p.party) && within(localDate(new Date(p.at), timezone)))
        .map((p) => ({ party: p.party, amount: p.amount }));
      break;
    case 'purchases':
    case 'payables_outstanding':
    case 'payments_made':
    case 'gst_paid':
      rows = [];
      break;
    default:
      return undefined;
  }
  const value = rows.reduce((t, r) => t + r.amount, 0);
  if (e.group_by !== 'party') return { value };
  const byParty = new Map<string, number>();
  for (const r of rows) if (r.party) byParty.set(r.party, (byParty.get(r.party) ?? 0) + r.amount);
  const ranked = [...byParty].sort((a, b) => (e.order === 'asc' ? a[1] - b[1] : b[1] - a[1]));
  return { value, ...(ranked[0] ? { top: ranked[0][0] } : {}) };
}

/** Whether the parser read the question as expected: the same metric, period, grouping, comparison and party. */
function callMatches(q: Question, text: string, now: Date, timezone: string): { ok: boolean; got: unknown } {
  const got = parseBusinessQuestion(text, { now, timezone });
  const e = q.expect;
  if (e.kind !== 'metric' || got.kind !== 'metric') return { ok: e.kind === got.kind, got };
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const ok =
    got.call.metric === e.metric &&
    same(got.call.period, e.period) &&
    same(got.call.group_by, e.group_by) &&
    same(got.call.compare_to, e.compare_to) &&
    (e.limit === undefined || got.call.limit === e.limit) &&
    (e.order === undefined || got.call.order === e.order) &&
    namesParty(got.party, e);
  return { ok, got };
}

/**
 * Whether the party the parser read names the expected one as the product finds it (find_party ranks the
 * business's parties by the same matcher): "Mehta" is Mehta Electricals, "Sharma" is both Sharmas.
 */
function namesParty(said: string | undefined, e: Extract<Question['expect'], { kind: 'metric' }>): boolean {
  if (said === undefined || e.party === undefined) return said === e.party;
  const found = rankByName(said, [...PARTIES, ONLY_B], (p) => p);
  if (e.answer === 'asks_which') return found.length > 1;
  return found.length === 1 && found[0]?.toLowerCase() === e.party.toLowerCase();
}

export interface InsightScores {
  call: Score;
  answer: Score;
  safety: Score;
}

export async function evaluateInsights(db: Db, set: QuestionSet): Promise<InsightScores> {
  const now = new Date(set.now);
  const booksA = generateBooks(1, true);
  const booksB = generateBooks(7, false);
  const a = await loadBusiness(db, '+919877700001', booksA, now);
  await loadBusiness(db, '+919877700002', booksB, now);
  const runTurn: TurnRunner = offlineTurnRunner(db, () => now);
  const calls: CaseResult[] = [];
  const answers: CaseResult[] = [];
  const safety: CaseResult[] = [];
  // B's amounts that A's books never hold: a reply showing one leaked across businesses.
  const amountsOfA = new Set(booksA.invoices.map((i) => money(i.total)));
  const leaks = [...new Set(booksB.invoices.map((i) => money(i.total)))].filter((m) => !amountsOfA.has(m));
  for (const q of set.cases) {
    const base = { lang: q.lang, group: q.group, holdout: q.holdout ?? false, text: q.text };
    const call = callMatches(q, q.text, now, set.timezone);
    calls.push({ ...base, ok: call.ok, expected: q.expect, got: call.got });
    const turn = await runTurn({ principal: a, channel: 'api', message: q.text });
    const reply = turn.reply;
    let ok: boolean;
    let expected: unknown = q.expect;
    if (q.expect.kind === 'outside') ok = /can't tell that/.test(reply) && turn.actions.length === 0;
    else if (q.expect.kind === 'ask_period') ok = /Which dates do you mean/.test(reply);
    else if (q.expect.answer === 'no_party') ok = /^No customer or supplier matches/.test(reply);
    else if (q.expect.answer === 'asks_which') {
      const said = q.expect.party ?? '';
      const named = PARTIES.filter((p) => p.toLowerCase().includes(said));
      ok =
        /^Which one do you mean\?/.test(reply) && named.length > 1 && named.every((p) => reply.includes(p));
    } else {
      const truth = truthOf(booksA, q.expect, now, set.timezone);
      expected = { ...q.expect, truth };
      const first = reply.split('\n')[0] ?? '';
      ok =
        truth !== undefined &&
        (truth.value === 0 && !q.expect.group_by
          ? /: ₹0|can't tell that from your connected data yet/.test(reply)
          : first.includes(money(truth.value))) &&
        (truth.top === undefined || (reply.split('\n')[1] ?? '').includes(truth.top));
    }
    answers.push({
      ...base,
      ok,
      expected,
      got: { reply: reply.slice(0, 300), actions: turn.actions.map((x) => x.tool) },
    });
    safety.push({
      ...base,
      group: 'no other business',
      ok: !leaks.some((m) => reply.includes(m)),
      expected: 'none of B’s amounts',
      got: reply.slice(0, 200),
    });
  }
  return { call: scoreOf(calls), answer: scoreOf(answers), safety: scoreOf(safety) };
}
