import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSync } from '../../src/connectors/sync-engine.ts';
import { type FakeRazorpay, startFakeRazorpay } from '../fakes/razorpay.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// The connectors API over the real app: the catalog, a manifest, connecting with credentials the vendor
// refuses and accepts, a sync's records counted back, sync on demand, disconnecting, and businesses apart.

describeEachDb('connectors API', (get) => {
  let api: TestApi;
  let fake: FakeRazorpay;
  let owner: string;
  let other: string;
  beforeAll(async () => {
    fake = await startFakeRazorpay({ payments: 250, settlements: 4 });
    api = await startTestApi(get().db, {
      CONNECTOR_RAZORPAY_BASE_URL: fake.url,
      CONNECTOR_RAZORPAY_RATE: '1000/s,100',
    });
    owner = await api.signIn(testPhone(41));
    other = await api.signIn(testPhone(42));
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const credentials = () => ({ key_id: fake.keyId, key_secret: fake.keySecret });

  it('lists the catalog, each connector available until connected, with filters', async () => {
    const res = await api.request('GET', '/api/v1/connectors', { token: owner });
    expect(res.status).toBe(200);
    expect(res.body.data.connectors).toContainEqual(
      expect.objectContaining({
        id: 'razorpay',
        category: 'payments',
        auth: 'api_key',
        status: 'available',
        records: {},
      }),
    );
    const weather = await api.request('GET', '/api/v1/connectors?category=weather', { token: owner });
    expect(weather.body.data.connectors.map((c: { id: string }) => c.id)).toEqual(['open-meteo']);
    const found = await api.request('GET', '/api/v1/connectors?q=RAZOR', { token: owner });
    expect(found.body.data.connectors.map((c: { id: string }) => c.id)).toEqual(['razorpay']);
    const bad = await api.request('GET', '/api/v1/connectors?status=sleeping', { token: owner });
    expect(bad.status).toBe(400);
  });

  it('describes a connector: its schemas with the secret marked, its streams, and no connection yet', async () => {
    const res = await api.request('GET', '/api/v1/connectors/razorpay', { token: owner });
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d.credentials_schema.properties.key_secret.writeOnly).toBe(true);
    expect(d.credentials_schema.required).toEqual(['key_id', 'key_secret']);
    expect(d.streams.map((s: { name: string; object: string }) => [s.name, s.object])).toEqual([
      ['payments', 'payments'],
      ['settlements', 'settlements'],
    ]);
    expect(d.streams[0].record_schema.properties.amount.type).toBe('integer');
    expect(d.connection).toBeNull();
    expect((await api.request('GET', '/api/v1/connectors/quickbooks', { token: owner })).status).toBe(400);
  });

  it('describes a connector written as a manifest like a coded one', async () => {
    const res = await api.request('GET', '/api/v1/connectors/shopify', { token: owner });
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d.config_schema.properties.shop.pattern).toBe('^[a-z0-9][a-z0-9-]{0,60}\\.myshopify\\.com$');
    expect(d.credentials_schema.properties.access_token.writeOnly).toBe(true);
    expect(d.credentials_schema.required).toEqual(['access_token']);
    expect(d.streams.map((s: { name: string; object: string }) => [s.name, s.object])).toEqual([
      ['orders', 'orders'],
      ['customers', 'parties'],
    ]);
    const wrong = await api.request('POST', '/api/v1/connectors/shopify/connect', {
      token: owner,
      body: {
        config: { shop: 'https://evil.example' },
        credentials: { access_token: 'shpat_0123456789abcdef' },
      },
    });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body)).toContain('myshopify.com address');
  });

  it('refuses credentials the vendor refuses, and stores nothing', async () => {
    const wrong = await api.request('POST', '/api/v1/connectors/razorpay/connect', {
      token: owner,
      body: { credentials: { key_id: fake.keyId, key_secret: 'not-the-secret' } },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('connector_auth_failed');
    expect(wrong.body.error.message).toContain('The api key provided is invalid');
    expect(JSON.stringify(wrong.body)).not.toContain('not-the-secret');
    const malformed = await api.request('POST', '/api/v1/connectors/razorpay/connect', {
      token: owner,
      body: { credentials: { key_id: 'abc' } },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('connector_settings_invalid');
    expect(malformed.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual([
      'credentials.key_id',
      'credentials.key_secret',
    ]);
    const [stored] = await get().db.query<{ n: string }>('SELECT count(*) AS n FROM connections');
    expect(Number(stored?.n)).toBe(0);
  });

  it('connects with accepted credentials: sealed at rest, never returned, first sync queued', async () => {
    const res = await api.request('POST', '/api/v1/connectors/razorpay/connect', {
      token: owner,
      body: { credentials: credentials() },
    });
    expect(res.status).toBe(201);
    expect(res.body.data.connection).toMatchObject({ connector: 'razorpay', status: 'connected' });
    expect(res.body.data.sync).toMatchObject({ status: 'queued', trigger: 'connect' });
    expect(JSON.stringify(res.body)).not.toContain(fake.keySecret);
    const [row] = await get().db.query<Record<string, unknown>>('SELECT * FROM connections');
    expect(JSON.stringify(row)).not.toContain(fake.keySecret);
    expect(JSON.stringify(row)).not.toContain(fake.keyId);

    const again = await api.request('POST', '/api/v1/connectors/razorpay/connect', {
      token: owner,
      body: { credentials: credentials() },
    });
    expect(again.status).toBe(409);

    const run = await runSync(api.runtime.connectors, res.body.data.sync.id);
    expect(run?.status).toBe('succeeded');
    const catalog = await api.request('GET', '/api/v1/connectors?status=connected', { token: owner });
    expect(catalog.body.data.connectors).toEqual([
      expect.objectContaining({
        id: 'razorpay',
        status: 'connected',
        records: { payments: 250, settlements: 4 },
      }),
    ]);
  });

  it('queues one sync at a time on demand, and lists the runs newest first', async () => {
    const first = await api.request('POST', '/api/v1/connectors/razorpay/sync', { token: owner, body: {} });
    expect(first.status).toBe(202);
    const second = await api.request('POST', '/api/v1/connectors/razorpay/sync', {
      token: owner,
      body: { reset: true },
    });
    expect(second.body.data.id).toBe(first.body.data.id);
    const unknown = await api.request('POST', '/api/v1/connectors/razorpay/sync', {
      token: owner,
      body: { streams: ['refunds'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('unknown_stream');
    const runs = await api.request('GET', '/api/v1/connectors/razorpay/syncs?limit=1', { token: owner });
    expect(runs.body.data.syncs.map((r: { id: string }) => r.id)).toEqual([first.body.data.id]);
    expect(runs.body.meta).toMatchObject({ total: 2 });
  });

  it('keeps each business to its own connections', async () => {
    const theirs = await api.request('GET', '/api/v1/connectors/razorpay', { token: other });
    expect(theirs.body.data.connection).toBeNull();
    const sync = await api.request('POST', '/api/v1/connectors/razorpay/sync', { token: other, body: {} });
    expect(sync.status).toBe(404);
    expect(sync.body.error.code).toBe('connector_not_connected');
  });

  it('disconnects keeping the records, then purges them', async () => {
    const off = await api.request('DELETE', '/api/v1/connectors/razorpay', { token: owner });
    expect(off.body.data).toEqual({ connector: 'razorpay', disconnected: true, purged: false });
    let catalog = await api.request('GET', '/api/v1/connectors', { token: owner });
    expect(catalog.body.data.connectors[0]).toMatchObject({
      status: 'disconnected',
      records: { payments: 250 },
    });
    const sync = await api.request('POST', '/api/v1/connectors/razorpay/sync', { token: owner, body: {} });
    expect(sync.body.error.code).toBe('connector_disconnected');

    const purged = await api.request('DELETE', '/api/v1/connectors/razorpay?purge=true', { token: owner });
    expect(purged.body.data.purged).toBe(true);
    catalog = await api.request('GET', '/api/v1/connectors', { token: owner });
    expect(catalog.body.data.connectors[0]).toMatchObject({ status: 'available', records: {} });
    const [left] = await get().db.query<{ n: string }>('SELECT count(*) AS n FROM payments');
    expect(Number(left?.n)).toBe(0);
  });
});
