import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { expectError, startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { seedBooks } from '../support/books.ts';
import { describeEachDb } from '../support/db.ts';

const NOW = new Date('2026-03-25T10:30:00+05:30');

describeEachDb('insights API', (get) => {
  let api: TestApi;
  let owner: string;
  let other: string;
  beforeAll(async () => {
    const { db } = get();
    api = await startTestApi(db, { RATE_LIMIT_SELF_SERVICE: '1000' }, { clock: () => NOW });
    owner = await api.signIn(testPhone(55));
    other = await api.signIn(testPhone(59));
    await seedBooks(db, (await ensureOwner(db, testPhone(55), 'Asia/Kolkata')).tenantId);
  });
  afterAll(() => api.close());

  const get_ = (path: string, token = owner) => api.request('GET', `/api/v1${path}`, { token });

  it('lists the metrics catalogue with each business rule', async () => {
    const res = await get_('/insights/metrics');
    expect(res.status).toBe(200);
    const names = res.body.data.metrics.map((m: { name: string }) => m.name);
    expect(names).toEqual(
      expect.arrayContaining(['sales', 'receivables_outstanding', 'bank_balance', 'gst_paid']),
    );
    const sales = res.body.data.metrics.find((m: { name: string }) => m.name === 'sales');
    expect(sales.definition).toMatch(/void and draft ones left out/);
    expect(sales.dimensions).toContain('month');
  });

  it('runs a metric call from the query string, in paise, for this business only', async () => {
    const res = await get_('/insights/query?metric=receivables_outstanding&group_by=party&limit=2');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ metric: 'receivables_outstanding', value: 1_75_500_00, groups: 3 });
    expect(res.body.data.rows.map((r: { label: string; value: number }) => [r.label, r.value])).toEqual([
      ['ABC Traders', 1_18_000_00],
      ['Sharma Hardware', 45_500_00],
    ]);
    const march = await get_(
      '/insights/query?metric=sales&from=2026-03-01&to=2026-03-31&compare_to=previous_period',
    );
    expect(march.body.data).toMatchObject({
      value: 2_93_500_00,
      period: { from: '2026-03-01', to: '2026-03-31', label: '1–31 March 2026' },
      compare: { period: { from: '2026-02-01', to: '2026-02-28' }, value: 0 },
    });
    const theirs = await get_('/insights/query?metric=receivables_outstanding', other);
    expect(theirs.body.data).toMatchObject({ value: 0, has_data: false, sources: [] });
  });

  it('refuses a call that makes no sense, saying why', async () => {
    expectError(await get_('/insights/query?metric=bank_balance&group_by=party'), 400, 'invalid_dimension');
    expectError(await get_('/insights/query?metric=sales&from=2026-03-01'), 400, 'validation_error');
    expectError(await get_('/insights/query?metric=profit'), 400, 'validation_error');
    expectError(await get_('/insights/query?metric=sales&period=since_diwali'), 400, 'validation_error');
    expectError(await api.request('GET', '/api/v1/insights/query?metric=sales', {}), 401, 'unauthorized');
  });

  it('answers a question in words with the metric call it became', async () => {
    const res = await api.request('POST', '/api/v1/insights', {
      token: owner,
      body: { question: 'ABC Traders ka kitna baaki hai?' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.answer).toContain('₹1,18,000');
    expect(res.body.data.query).toMatchObject({
      metric: 'receivables_outstanding',
      filters: { party_id: expect.stringMatching(/^pty_/) },
    });
    expect(res.body.data.result.value).toBe(1_18_000_00);
    const outside = await api.request('POST', '/api/v1/insights', {
      token: owner,
      body: { question: 'what is my stock worth?' },
    });
    expect(outside.body.data).toMatchObject({ query: null, result: null });
    expect(outside.body.data.answer).toMatch(/can't tell that from your connected data yet/);
  });

  it('draws a ranking as a PNG for a phone, and says when there is nothing to draw', async () => {
    const png = await fetch(
      `${api.url}/api/v1/insights/chart?metric=receivables_outstanding&group_by=party`,
      {
        headers: { authorization: `Bearer ${owner}` },
      },
    );
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: width then height, big-endian, after the signature and the chunk's length and type.
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 750]);
    expect(bytes.length).toBeGreaterThan(10_000);
    expectError(await get_('/insights/chart?metric=receivables_outstanding'), 404, 'no_chart');
    expectError(await api.request('GET', '/api/v1/insights/chart?metric=sales', {}), 401, 'unauthorized');

    const asked = await api.request('POST', '/api/v1/insights', {
      token: owner,
      body: { question: 'who owes me the most?' },
    });
    expect(asked.body.data.chart_url).toBe(
      '/api/v1/insights/chart?metric=receivables_outstanding&group_by=party',
    );
    const one = await api.request('POST', '/api/v1/insights', {
      token: owner,
      body: { question: 'ABC Traders ka kitna baaki hai?' },
    });
    expect(one.body.data).not.toHaveProperty('chart_url');
  });
});
