import { afterAll, beforeAll, expect, it } from 'vitest';
import { upsertRecords } from '../../src/domain/business/records.ts';
import type { Delivery, Notification, Notifier } from '../../src/domain/notifier.ts';
import { ensureOwner, type Principal } from '../../src/domain/tenants.ts';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/log.ts';
import { seedBooks } from '../support/books.ts';
import { describeEachDb } from '../support/db.ts';

/** PNG's signature, then the IHDR chunk's width. */
const pngWidth = (b: Buffer) =>
  b.subarray(0, 8).toString('hex') === '89504e470d0a1a0a' ? b.readUInt32BE(16) : 0;

describeEachDb('Monday briefing: last week’s business', (get) => {
  let now = new Date('2026-03-09T07:00:00+05:30');
  const sent: Notification[] = [];
  /** Delivers nothing while `down`, so the redelivery sweep has work; lets a test wait for the n-th message. */
  let down = false;
  let waiting: { count: number; resolve: () => void } | undefined;
  const notifier: Notifier = {
    async notify(n): Promise<Delivery> {
      sent.push(n);
      if (waiting && sent.length >= waiting.count) waiting.resolve();
      return { via: 'log', delivered: !down };
    },
  };
  const waitFor = (count: number) =>
    sent.length >= count ? Promise.resolve() : new Promise<void>((resolve) => (waiting = { count, resolve }));
  let scheduler: Scheduler;
  let withBooks: Principal;
  let withoutBooks: Principal;
  const of = (p: Principal) => sent.filter((n) => n.userId === p.userId);

  beforeAll(async () => {
    const { db } = get();
    withBooks = await ensureOwner(db, '+919800000701', 'Asia/Kolkata');
    withoutBooks = await ensureOwner(db, '+919800000702', 'Asia/Kolkata');
    await db.query(`UPDATE users SET created_at = '2026-01-01' WHERE id IN ($1, $2)`, [
      withBooks.userId,
      withoutBooks.userId,
    ]);
    // Invoices of ₹2,36,000, ₹45,500 and ₹12,000 issued on Thursday 5 March.
    const source = await seedBooks(db, withBooks.tenantId);
    const payment = (id: string, paid_at: string, amount: number) => ({
      external_id: id,
      direction: 'in',
      party_external_id: 'abc',
      paid_at,
      method: 'upi',
      amount,
      currency: 'INR',
      status: 'settled',
      raw: {},
    });
    await db.tenant(withBooks.tenantId, (tx) =>
      upsertRecords(tx, source, 'payments', [
        payment('pay_fri', '2026-03-06T06:00:00Z', 50_000_00),
        // 23:45 on Sunday in Kolkata is still last week; 00:15 on Monday is this week.
        payment('pay_sun', '2026-03-08T18:15:00Z', 18_000_00),
        payment('pay_mon', '2026-03-08T18:45:00Z', 9_999_00),
      ]),
    );
    scheduler = await startScheduler(
      { db, notifier, logger: createLogger('silent'), clock: () => now },
      { clock: false, redeliverAfterSeconds: 0 },
    );
  });
  afterAll(async () => {
    await scheduler?.stop();
  });

  it('adds last week’s sales and cash in, with their chart, on a Monday', async () => {
    now = new Date('2026-03-09T08:00:00+05:30');
    expect(await scheduler.queueBriefings()).toBe(2);
    await waitFor(2);
    const [briefing] = of(withBooks);
    expect(briefing?.text).toContain(
      '📊 Last week (2–8 March 2026): sales ₹2,93,500 (2.94 lakh), cash in ₹68,000.',
    );
    expect(pngWidth(briefing?.image ?? Buffer.alloc(0))).toBe(1200);
  });

  it('leaves the business section out where nothing is connected', async () => {
    const [briefing] = of(withoutBooks);
    expect(briefing?.text).toMatch(/^Good morning/);
    expect(briefing?.text).not.toContain('Last week');
    expect(briefing?.image).toBeUndefined();
  });

  it('is a Monday thing: Tuesday’s briefing has neither', async () => {
    now = new Date('2026-03-10T08:00:00+05:30');
    expect(await scheduler.queueBriefings()).toBe(2);
    await waitFor(4);
    const tuesday = of(withBooks)[1];
    expect(tuesday?.text).not.toContain('Last week');
    expect(tuesday?.image).toBeUndefined();
  });

  it('sends the same text and a chart again when the first delivery did not go through', async () => {
    down = true;
    now = new Date('2026-03-16T08:00:00+05:30');
    expect(await scheduler.queueBriefings()).toBe(2);
    await waitFor(6);
    const first = of(withBooks)[2];
    // 9–15 March: no invoice, and only the payment at 00:15 on Monday the 9th.
    expect(first?.text).toContain('📊 Last week (9–15 March 2026): sales ₹0, cash in ₹9,999.');
    down = false;
    expect(await scheduler.redeliver()).toBeGreaterThanOrEqual(2);
    const again = of(withBooks)[3];
    expect(again?.text).toBe(first?.text);
    expect(pngWidth(again?.image ?? Buffer.alloc(0))).toBe(1200);
  });
});
