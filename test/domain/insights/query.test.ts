import { beforeAll, expect, it } from 'vitest';
import { type Source, upsertRecords } from '../../../src/domain/business/records.ts';
import type { Ctx } from '../../../src/domain/context.ts';
import { DomainError } from '../../../src/domain/errors.ts';
import { queryMetric } from '../../../src/domain/insights/query.ts';
import { businessWithSource } from '../../support/connections.ts';
import { describeEachDb } from '../../support/db.ts';

// Wednesday 25 March 2026, 11:00 in Kolkata.
const now = new Date('2026-03-25T05:30:00Z');

const business = businessWithSource;

const invoice = (n: string, o: Record<string, unknown>) => ({
  external_id: n,
  number: n,
  direction: 'receivable',
  party_external_id: 'abc',
  issue_date: '2026-03-10',
  due_date: '2026-04-09',
  status: 'open',
  currency: 'INR',
  tax: 18_000_00,
  total: 1_18_000_00,
  balance: 1_18_000_00,
  raw: {},
  ...o,
});

const payment = (n: string, o: Record<string, unknown>) => ({
  external_id: n,
  direction: 'in',
  party_external_id: 'abc',
  paid_at: '2026-03-12T10:00:00+05:30',
  method: 'upi',
  amount: 50_000_00,
  currency: 'INR',
  status: 'settled',
  raw: {},
  ...o,
});

describeEachDb('business metrics', (get) => {
  let a: { ctx: Ctx; source: Source };
  let b: { ctx: Ctx; source: Source };
  const ask = (who: { ctx: Ctx }, call: Parameters<typeof queryMetric>[2]) =>
    queryMetric(get().db, who.ctx, call, now);

  beforeAll(async () => {
    const { db } = get();
    a = await business(db, '+919800000501', 'zoho-books');
    b = await business(db, '+919800000502', 'zoho-books');
    await db.tenant(a.ctx.tenantId, async (tx) => {
      await upsertRecords(tx, a.source, 'parties', [
        { external_id: 'abc', name: 'ABC Traders', kinds: ['customer'], raw: {} },
        { external_id: 'xyz', name: 'XYZ Stores', kinds: ['customer'], raw: {} },
        { external_id: 'sup', name: 'Sharma Supplies', kinds: ['supplier'], raw: {} },
      ]);
      await upsertRecords(tx, a.source, 'invoices', [
        invoice('INV-1', {}),
        invoice('INV-2', {
          party_external_id: 'xyz',
          total: 50_000_00,
          tax: null,
          balance: 20_000_00,
          status: 'partially_paid',
          due_date: '2026-02-10',
        }),
        invoice('INV-3', { status: 'void' }),
        invoice('INV-4', { status: 'draft' }),
        invoice('INV-5', {
          issue_date: '2026-02-28',
          due_date: '2025-12-01',
          total: 10_000_00,
          balance: 10_000_00,
        }),
        invoice('INV-6', { issue_date: '2026-03-31', total: 99_00, balance: 99_00 }),
        invoice('BILL-1', {
          direction: 'payable',
          party_external_id: 'sup',
          total: 30_000_00,
          balance: 30_000_00,
        }),
      ]);
      await upsertRecords(tx, a.source, 'payments', [
        payment('P1', {}),
        // 23:45 on the last day of February in Kolkata is still February there (18:15 UTC).
        payment('P2', { paid_at: '2026-02-28T18:15:00Z', amount: 7_000_00, method: 'cash' }),
        payment('P3', { status: 'failed', amount: 1_00_000_00 }),
        payment('P4', { direction: 'out', party_external_id: 'sup', amount: 12_000_00, method: 'neft' }),
      ]);
    });
    // Business B shares a party name; none of its money may reach A's answers.
    await db.tenant(b.ctx.tenantId, async (tx) => {
      await upsertRecords(tx, b.source, 'parties', [
        { external_id: 'abc', name: 'ABC Traders', kinds: ['customer'], raw: {} },
      ]);
      await upsertRecords(tx, b.source, 'invoices', [
        invoice('B-1', { total: 9_99_999_00, balance: 9_99_999_00 }),
      ]);
    });
  });

  it('sums sales of the period, leaving out void and draft invoices, and compares with the month before', async () => {
    const march = await ask(a, { metric: 'sales', period: 'this_month', compare_to: 'previous_period' });
    expect(march.value).toBe(1_18_000_00 + 50_000_00);
    expect(march.records).toBe(2);
    expect(march.period).toEqual({
      from: '2026-03-01',
      to: '2026-03-25',
      label: '1–25 March 2026',
      to_date: true,
    });
    expect(march.compare).toMatchObject({
      period: { from: '2026-02-01', to: '2026-02-25' },
      value: 0,
      change: 1_68_000_00,
      change_pct: null,
    });
    const quarter = await ask(a, { metric: 'sales', period: 'this_quarter', compare_to: 'previous_period' });
    expect(quarter.value).toBe(1_68_000_00 + 10_000_00);
    expect((await ask(a, { metric: 'gst_collected', period: 'this_month' })).value).toBe(18_000_00);
    expect((await ask(a, { metric: 'purchases', period: 'this_month' })).value).toBe(30_000_00);
  });

  it('counts a payment on the day it was made in the business’s time zone, and only payments that went through', async () => {
    expect((await ask(a, { metric: 'payments_received', period: '2026-02' })).value).toBe(7_000_00);
    const march = await ask(a, { metric: 'payments_received', period: 'this_month', group_by: 'method' });
    expect(march.value).toBe(50_000_00);
    expect(march.rows).toEqual([{ key: 'upi', label: 'upi', value: 50_000_00, records: 1 }]);
    expect((await ask(a, { metric: 'net_cash_flow', period: 'this_month' })).value).toBe(
      50_000_00 - 12_000_00,
    );
  });

  it('tells who owes what today, largest first, and how late the overdue part is', async () => {
    const owed = await ask(a, { metric: 'receivables_outstanding', group_by: 'party' });
    expect(owed.value).toBe(1_18_000_00 + 20_000_00 + 10_000_00 + 99_00);
    expect(owed.rows?.map((r) => [r.label, r.value])).toEqual([
      ['ABC Traders', 1_18_000_00 + 10_000_00 + 99_00],
      ['XYZ Stores', 20_000_00],
    ]);
    expect(owed.groups).toBe(2);
    const overdue = await ask(a, { metric: 'overdue_receivables', group_by: 'aging' });
    expect(overdue.rows?.map((r) => [r.key, r.value])).toEqual([
      ['31–60 days', 20_000_00],
      ['90+ days', 10_000_00],
    ]);
    const one = owed.rows?.[0]?.key ?? '';
    expect((await ask(a, { metric: 'receivables_outstanding', filters: { party_id: one } })).value).toBe(
      1_28_099_00,
    );
  });

  it('keeps every business to its own books', async () => {
    expect((await ask(b, { metric: 'sales', period: 'this_month' })).value).toBe(9_99_999_00);
    expect(
      (await ask(a, { metric: 'sales', period: 'this_month', group_by: 'party' })).rows?.[0]?.value,
    ).toBe(1_18_000_00);
  });

  it('says where the numbers come from and whether there is any data of the kind', async () => {
    const bank = await ask(a, { metric: 'bank_balance' });
    expect(bank).toMatchObject({ value: 0, has_data: false });
    expect(bank.sources).toEqual([
      { connector: 'zoho-books', status: 'connected', last_synced_at: '2026-03-25T04:30:00.000Z' },
    ]);
    expect((await ask(a, { metric: 'sales' })).has_data).toBe(true);
  });

  it('groups by month in time order, and refuses a dimension the metric does not have', async () => {
    const months = await ask(a, { metric: 'sales', period: 'this_fy', group_by: 'month' });
    expect(months.rows?.map((r) => [r.key, r.label])).toEqual([
      ['2026-02', 'February 2026'],
      ['2026-03', 'March 2026'],
    ]);
    const quarters = await ask(a, { metric: 'sales', period: 'this_fy', group_by: 'quarter' });
    expect(quarters.rows?.map((r) => r.key)).toEqual(['FY2025-26 Q4']);
    await expect(ask(a, { metric: 'bank_balance', group_by: 'party' })).rejects.toThrow(DomainError);
    await expect(ask(a, { metric: 'receivables_outstanding', period: 'last_month' })).rejects.toMatchObject({
      code: 'as_of_unsupported',
    });
  });

  it('tells the bank balance, gateway settlements and orders from records of those kinds', async () => {
    const { db } = get();
    const c = await business(db, '+919800000503', 'bank-statement');
    await db.tenant(c.ctx.tenantId, async (tx) => {
      const entry = (n: string, posted_on: string, account: string, balance: number) => ({
        external_id: n,
        account,
        posted_on,
        direction: 'in',
        amount: 1_000_00,
        currency: 'INR',
        balance,
        raw: {},
      });
      await upsertRecords(tx, c.source, 'bank_transactions', [
        entry('B1', '2026-03-20', 'HDFC 1234', 5_00_000_00),
        entry('B2', '2026-03-24', 'HDFC 1234', 4_50_000_00),
        entry('B3', '2026-03-22', 'SBI 9876', 1_20_000_00),
        entry('B4', '2026-03-26', 'SBI 9876', 9_99_999_00),
      ]);
      await upsertRecords(tx, c.source, 'settlements', [
        {
          external_id: 'S1',
          amount: 48_000_00,
          fees: 1_000_00,
          tax: 180_00,
          currency: 'INR',
          status: 'processed',
          settled_at: '2026-03-10T12:00:00+05:30',
          raw: {},
        },
        {
          external_id: 'S2',
          amount: 9_000_00,
          currency: 'INR',
          status: 'failed',
          settled_at: '2026-03-11T12:00:00+05:30',
          raw: {},
        },
      ]);
      const order = (n: string, status: string, total: number) => ({
        external_id: n,
        ordered_at: '2026-03-18T15:00:00+05:30',
        status,
        total,
        currency: 'INR',
        raw: {},
      });
      await upsertRecords(tx, c.source, 'orders', [
        order('O1', 'fulfilled', 1_200_00),
        order('O2', 'open', 1_800_00),
        order('O3', 'cancelled', 50_000_00),
        order('O4', 'returned', 7_000_00),
      ]);
    });
    // The latest balance of each account on or before today; a later entry is not yet.
    expect((await ask(c, { metric: 'bank_balance' })).value).toBe(4_50_000_00 + 1_20_000_00);
    expect(
      (await ask(c, { metric: 'bank_balance', period: { from: '2026-03-21', to: '2026-03-21' } })).value,
    ).toBe(5_00_000_00);
    expect((await ask(c, { metric: 'settlements', period: 'this_month' })).value).toBe(48_000_00);
    expect((await ask(c, { metric: 'order_count', period: 'this_month' })).value).toBe(2);
    expect((await ask(c, { metric: 'average_order_value', period: 'this_month' })).value).toBe(1_500_00);
  });
});
