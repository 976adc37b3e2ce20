import { beforeAll, expect, it } from 'vitest';
import { upsertRecords } from '../../../src/domain/business/records.ts';
import type { Ctx } from '../../../src/domain/context.ts';
import { composeMyDay } from '../../../src/domain/my-day.ts';
import { ensureOwner } from '../../../src/domain/tenants.ts';
import { briefingText, connectedLine } from '../../../src/jobs/messages.ts';
import { actingAs } from '../../support/business.ts';
import { businessWithSource, sourceOf } from '../../support/connections.ts';
import { describeEachDb } from '../../support/db.ts';

// Wednesday 25 March 2026, 07:30 in Kolkata: the morning briefing's hour.
const now = new Date('2026-03-25T02:00:00Z');

describeEachDb('my-day from connected systems', (get) => {
  let ctx: Ctx;
  let nothing: Ctx;

  beforeAll(async () => {
    const { db } = get();
    const books = await businessWithSource(db, '+919800000901', 'zoho-books');
    ctx = books.ctx;
    nothing = actingAs(await ensureOwner(db, '+919800000902', 'Asia/Kolkata'));
    const calendar = await sourceOf(db, ctx.tenantId, 'ics-calendar', '2026-03-25T01:45:00Z');
    const weather = await sourceOf(db, ctx.tenantId, 'open-meteo', '2026-03-25T00:00:00Z');
    const razorpay = await sourceOf(db, ctx.tenantId, 'razorpay');
    const event = (id: string, title: string, starts: string, o: Record<string, unknown> = {}) => ({
      external_id: id,
      title,
      starts_at: starts,
      ends_at: null,
      status: 'confirmed',
      raw: {},
      ...o,
    });
    const invoice = (n: string, party: string, due: string, total: number, balance: number) => ({
      external_id: n,
      direction: 'receivable',
      party_external_id: party,
      issue_date: '2026-02-01',
      due_date: due,
      status: balance === total ? 'open' : 'partially_paid',
      currency: 'INR',
      total,
      balance,
      raw: {},
    });
    await db.tenant(ctx.tenantId, async (tx) => {
      await upsertRecords(tx, calendar, 'calendar_events', [
        event('e1', 'Standup with staff', '2026-03-25T05:30:00Z'),
        event('e2', 'Meet Mehta at the godown', '2026-03-25T09:30:00Z', { location: 'Godown' }),
        event('e3', 'Gudi Padwa (shop closed)', '2026-03-24T18:30:00Z', {
          all_day: true,
          ends_at: '2026-03-25T18:30:00Z',
        }),
        event('e4', 'Cancelled call', '2026-03-25T07:00:00Z', { status: 'cancelled' }),
        // 00:15 on Thursday in Kolkata: tomorrow's.
        event('e5', 'Tomorrow early', '2026-03-25T18:45:00Z'),
      ]);
      await upsertRecords(tx, weather, 'weather_forecasts', [
        {
          external_id: '2026-03-25',
          day: '2026-03-25',
          code: 63,
          summary: 'Rain',
          temp_max: 33.4,
          temp_min: 21.1,
          rain_chance: 80,
          raw: {},
        },
        { external_id: '2026-03-26', day: '2026-03-26', code: 1, summary: 'Mainly clear', raw: {} },
      ]);
      await upsertRecords(tx, books.source, 'parties', [
        { external_id: 'st', name: 'Sharma Traders', kinds: ['customer'], raw: {} },
        { external_id: 'abc', name: 'ABC Traders', kinds: ['customer'], raw: {} },
      ]);
      await upsertRecords(tx, books.source, 'invoices', [
        invoice('INV-1', 'st', '2026-03-13', 45_000_00, 45_000_00),
        invoice('INV-2', 'abc', '2026-03-20', 30_000_00, 12_000_00),
        invoice('INV-3', 'abc', '2026-03-25', 8_500_00, 8_500_00),
      ]);
      await upsertRecords(tx, books.source, 'payments', [
        // Yesterday in Kolkata, the second at 23:45.
        {
          external_id: 'p1',
          direction: 'in',
          paid_at: '2026-03-24T06:00:00Z',
          amount: 1_00_000_00,
          currency: 'INR',
          status: 'settled',
          raw: {},
        },
        {
          external_id: 'p2',
          direction: 'in',
          paid_at: '2026-03-24T18:15:00Z',
          amount: 20_000_00,
          currency: 'INR',
          status: 'settled',
          raw: {},
        },
        {
          external_id: 'p3',
          direction: 'in',
          paid_at: '2026-03-24T07:00:00Z',
          amount: 5_000_00,
          currency: 'INR',
          status: 'failed',
          raw: {},
        },
      ]);
      await upsertRecords(tx, razorpay, 'settlements', [
        {
          external_id: 's1',
          amount: 50_000_00,
          fees: 1_180_00,
          tax: 180_00,
          currency: 'INR',
          utr: 'UTR1',
          status: 'processed',
          settled_at: '2026-03-24T10:00:00Z',
          raw: {},
        },
      ]);
    });
  });

  it('adds today’s meetings, weather and money, each saying when its source synced', async () => {
    const day = await composeMyDay(get().db, ctx, now);
    expect(day.calendar.map((e) => e.title)).toEqual([
      'Gudi Padwa (shop closed)',
      'Standup with staff',
      'Meet Mehta at the godown',
    ]);
    expect(day.calendar[2]).toMatchObject({
      location: 'Godown',
      source: 'ics-calendar',
      as_of: '2026-03-25T01:45:00.000Z',
    });
    expect(day.weather).toMatchObject({
      summary: 'Rain',
      temp_max: 33.4,
      rain_chance: 80,
      as_of: '2026-03-25T00:00:00.000Z',
    });
    expect(day.cash).toEqual({
      currency: 'INR',
      received_yesterday: 1_20_000_00,
      settled_yesterday: 50_000_00,
      due_today: 8_500_00,
      largest_overdue: [
        { party: 'Sharma Traders', amount: 45_000_00, days_overdue: 12 },
        { party: 'ABC Traders', amount: 12_000_00, days_overdue: 5 },
      ],
      as_of: '2026-03-25T04:30:00.000Z',
    });
  });

  it('says it in one short line of the briefing', async () => {
    const day = await composeMyDay(get().db, ctx, now);
    expect(connectedLine(day)).toBe(
      '☔ Rain, 33°/21°, 80% rain · 📅 2 meetings, first 11:00 am Standup with staff · 📅 Gudi Padwa (shop closed) · ' +
        '💰 ₹1,20,000 (1.2 lakh) came in yesterday · ₹8,500 due today · Sharma Traders ₹45,000 overdue 12 days',
    );
    expect(briefingText(day, 'Ravi', now, false).split('\n')[1]).toBe(connectedLine(day));
  });

  it('says nothing of what is not connected', async () => {
    const day = await composeMyDay(get().db, nothing, now);
    expect(day).toMatchObject({ calendar: [], weather: null, cash: null });
    expect(connectedLine(day)).toBe('');
    expect(briefingText(day, null, now, false)).toBe(
      'Good morning! ☀️ Here is your day, Wed, 25 Mar:\nNothing due and nothing overdue. Have a good day! 👍',
    );
  });

  it('keeps the largest overdue for the day, and answers anew when the invoices or the day change', async () => {
    const { db } = get();
    const b = await businessWithSource(db, '+919800000903', 'zoho-books');
    const invoice = (n: string, party: string, due: string, balance: number) => ({
      external_id: n,
      direction: 'receivable',
      party_external_id: party,
      issue_date: '2026-02-01',
      due_date: due,
      status: balance === 0 ? 'paid' : 'open',
      currency: 'INR',
      total: 90_000_00,
      balance,
      raw: {},
    });
    const write = (object: 'parties' | 'invoices', records: unknown[]) =>
      db.tenant(b.ctx.tenantId, (tx) => upsertRecords(tx, b.source, object, records));
    const largest = async (at = now) => (await composeMyDay(db, b.ctx, at)).cash?.largest_overdue;
    await write('parties', [
      { external_id: 'gk', name: 'Gupta Kirana', kinds: ['customer'], raw: {} },
      { external_id: 'mh', name: 'Mehta Hardware', kinds: ['customer'], raw: {} },
    ]);
    await write('invoices', [invoice('G-1', 'gk', '2026-03-20', 10_000_00)]);
    expect(await largest()).toEqual([{ party: 'Gupta Kirana', amount: 10_000_00, days_overdue: 5 }]);

    // What is kept is what is read: a leader planted without moving the books' version comes back.
    await db.transaction((tx) =>
      tx.query(
        `UPDATE overdue_leaders SET leaders = '[{"party_id": null, "named": "Kept", "amount": 1, "oldest": "2026-03-24"}]'
         WHERE tenant_id = $1`,
        [b.ctx.tenantId],
      ),
    );
    expect(await largest()).toEqual([{ party: 'Kept', amount: 1, days_overdue: 1 }]);

    await write('invoices', [invoice('M-1', 'mh', '2026-03-22', 50_000_00)]);
    expect(await largest()).toEqual([
      { party: 'Mehta Hardware', amount: 50_000_00, days_overdue: 3 },
      { party: 'Gupta Kirana', amount: 10_000_00, days_overdue: 5 },
    ]);
    await write('invoices', [invoice('M-1', 'mh', '2026-03-22', 0)]);
    expect(await largest()).toEqual([{ party: 'Gupta Kirana', amount: 10_000_00, days_overdue: 5 }]);

    // Names are read with the leaders, so a renamed party is named as it is now.
    await write('parties', [{ external_id: 'gk', name: 'Gupta Kirana Store', kinds: ['customer'], raw: {} }]);
    expect(await largest()).toEqual([{ party: 'Gupta Kirana Store', amount: 10_000_00, days_overdue: 5 }]);

    // The next day: a bill due today becomes overdue, and every bill is a day older.
    await write('invoices', [invoice('M-2', 'mh', '2026-03-25', 20_000_00)]);
    expect(await largest()).toEqual([{ party: 'Gupta Kirana Store', amount: 10_000_00, days_overdue: 5 }]);
    expect(await largest(new Date('2026-03-26T02:00:00Z'))).toEqual([
      { party: 'Mehta Hardware', amount: 20_000_00, days_overdue: 1 },
      { party: 'Gupta Kirana Store', amount: 10_000_00, days_overdue: 6 },
    ]);

    // A change made outside any business's transaction (an operator's fix) is seen too.
    await db.transaction((tx) =>
      tx.query(`UPDATE invoices SET balance = 9500000 WHERE tenant_id = $1 AND external_id = 'G-1'`, [
        b.ctx.tenantId,
      ]),
    );
    expect((await largest(new Date('2026-03-26T02:00:00Z')))?.[0]).toEqual({
      party: 'Gupta Kirana Store',
      amount: 95_000_00,
      days_overdue: 6,
    });
  });
});
