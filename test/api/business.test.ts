import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSync } from '../../src/connectors/sync-engine.ts';
import { type Source, upsertRecords } from '../../src/domain/business/records.ts';
import { type FakeRazorpay, startFakeRazorpay } from '../fakes/razorpay.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// The unified business data over the API: filled by a real sync (Razorpay's fake) and, for invoices, by
// records as an accounting connector hands them over; filtered, paginated, and kept to each business.

describeEachDb('business data API', (get) => {
  let api: TestApi;
  let fake: FakeRazorpay;
  let owner: string;
  let other: string;
  let partyId: string;
  const start = Math.floor(Date.parse('2026-11-30T18:30:00Z') / 1000); // 1 Dec 2026, 00:00 in India

  beforeAll(async () => {
    // 60 payments an hour apart from the start of 1 Dec (IST): 24 on 1 Dec, 24 on 2 Dec, 12 on 3 Dec.
    fake = await startFakeRazorpay({ payments: 60, settlements: 3, start, step: 3600 });
    api = await startTestApi(get().db, {
      CONNECTOR_RAZORPAY_BASE_URL: fake.url,
      CONNECTOR_RAZORPAY_RATE: '1000',
    });
    owner = await api.signIn(testPhone(51));
    other = await api.signIn(testPhone(52));
    const connected = await api.request('POST', '/api/v1/connectors/razorpay/connect', {
      token: owner,
      body: { credentials: { key_id: fake.keyId, key_secret: fake.keySecret } },
    });
    const run = await runSync(api.runtime.connectors, connected.body.data.sync.id);
    if (run?.status !== 'succeeded') throw new Error(`sync ${run?.status}: ${run?.error}`);

    // An accounting system's parties and invoices, written as its connector would.
    const db = get().db;
    const [c] = await db.query<{ id: string; tenant_id: string }>('SELECT id, tenant_id FROM connections');
    if (!c) throw new Error('no connection');
    const source: Source = { connectionId: c.id, tenantId: c.tenant_id, connector: 'razorpay' };
    const parties = await db.tenant(c.tenant_id, (tx) =>
      upsertRecords(tx, source, 'parties', [
        { external_id: 'c1', name: 'ABC Traders', kinds: ['customer'], raw: {} },
        { external_id: 's1', name: 'Sharma Supplies', kinds: ['supplier'], raw: {} },
      ]),
    );
    partyId = parties.changes.find((p) => p.externalId === 'c1')?.id ?? '';
    const invoice = (n: string, due: string, status: string, balance: number, direction = 'receivable') => ({
      external_id: n,
      number: n,
      direction,
      party_external_id: direction === 'receivable' ? 'c1' : 's1',
      issue_date: '2026-11-01',
      due_date: due,
      status,
      currency: 'INR',
      total: 1_18_000_00,
      balance,
      raw: { secret_note: 'raw stays home' },
    });
    await db.tenant(c.tenant_id, (tx) =>
      upsertRecords(tx, source, 'invoices', [
        invoice('INV-1', '2026-11-15', 'open', 1_18_000_00),
        invoice('INV-2', '2026-11-20', 'partially_paid', 18_000_00),
        invoice('INV-3', '2099-01-31', 'open', 1_18_000_00),
        invoice('INV-4', '2026-11-10', 'paid', 0),
        invoice('BILL-1', '2026-11-12', 'open', 50_000_00, 'payable'),
      ]),
    );
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const get_ = (path: string, token = owner) => api.request('GET', `/api/v1${path}`, { token });

  it('lists payments newest first, in pages, each with its source and in paise', async () => {
    const res = await get_('/payments?limit=5');
    expect(res.status).toBe(200);
    expect(res.body.meta).toMatchObject({ total: 60, page: 1, limit: 5 });
    const [first] = res.body.data.payments;
    expect(first).toMatchObject({
      direction: 'in',
      currency: 'INR',
      status: 'settled',
      source: { connector: 'razorpay', external_id: fake.payment(59).id },
      amount: fake.payment(59).amount,
    });
    expect(Number.isInteger(first.amount)).toBe(true);
    expect(first.id).toMatch(/^pmt_/);
    expect(first).not.toHaveProperty('raw');
    const paidAt = res.body.data.payments.map((p: { paid_at: string }) => p.paid_at);
    expect([...paidAt].sort().reverse()).toEqual(paidAt);
  });

  it("filters payments by the business's own days, by source and by direction", async () => {
    expect((await get_('/payments?from=2026-12-02&to=2026-12-02')).body.meta.total).toBe(24);
    expect((await get_('/payments?from=2026-12-03')).body.meta.total).toBe(12);
    expect((await get_('/payments?source=razorpay')).body.meta.total).toBe(60);
    expect((await get_('/payments?source=zoho-books')).body.meta.total).toBe(0);
    expect((await get_('/payments?direction=out')).body.meta.total).toBe(0);
    expect((await get_('/settlements')).body.data.settlements).toHaveLength(3);
  });

  it('answers who owes what: receivables overdue, by status, by party, by due date', async () => {
    const overdue = await get_('/invoices?direction=receivable&overdue=true');
    expect(overdue.body.data.invoices.map((i: { number: string }) => i.number).sort()).toEqual([
      'INV-1',
      'INV-2',
    ]);
    expect(overdue.body.data.invoices[0]).not.toHaveProperty('raw');
    expect(JSON.stringify(overdue.body)).not.toContain('raw stays home');
    expect((await get_('/invoices?overdue=true')).body.meta.total).toBe(3);
    expect((await get_('/invoices?overdue=false')).body.meta.total).toBe(2);
    expect((await get_('/invoices?status=paid')).body.data.invoices[0].number).toBe('INV-4');
    expect((await get_(`/invoices?party_id=${partyId}`)).body.meta.total).toBe(4);
    expect((await get_('/invoices?due_before=2026-11-15&due_after=2026-11-10')).body.meta.total).toBe(1);
    const party = await get_(`/parties/${partyId}`);
    expect(party.body.data).toMatchObject({ name: 'ABC Traders', kinds: ['customer'] });
    expect(
      (await get_('/parties?kind=supplier')).body.data.parties.map((p: { name: string }) => p.name),
    ).toEqual(['Sharma Supplies']);
    expect((await get_('/parties?q=abc')).body.meta.total).toBe(1);
  });

  it('refuses filters it does not know and values it cannot read', async () => {
    for (const path of [
      '/invoices?overdue=maybe',
      '/payments?from=2026-02-30',
      '/payments?colour=red',
      '/parties?kind=friend',
    ]) {
      const res = await get_(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe('validation_error');
    }
  });

  it("never shows one business another's records", async () => {
    expect((await get_('/payments', other)).body.meta.total).toBe(0);
    expect((await get_('/invoices', other)).body.meta.total).toBe(0);
    expect((await get_(`/parties/${partyId}`, other)).status).toBe(404);
  });
});
