import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONNECTORS } from '../../src/connectors/catalog.ts';
import { type ConnectorRuntime, createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { runSync } from '../../src/connectors/sync-engine.ts';
import type { Connector } from '../../src/connectors/types.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../src/connectors/vault.ts';
import type { Db } from '../../src/db/types.ts';
import { type ConnectionRow, queueRun, type RunRow } from '../../src/domain/connections/repo.ts';
import { type FakeShopify, shopifyOrder, startFakeShopify } from '../fakes/shopify.ts';
import { connectedBusiness } from '../support/connections.ts';
import { describeEachDb } from '../support/db.ts';
import { capturingLogger } from '../support/logger.ts';

// Shopify, a connector written as a manifest only (src/connectors/manifests/shopify.json), synced by the
// same engine as the coded ones against a fake speaking Shopify's REST Admin API.

const shopify = CONNECTORS.find((c) => c.manifest.id === 'shopify') as Connector;
const vault = createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] });

describeEachDb('Shopify (a manifest connector)', (get) => {
  let fake: FakeShopify;
  let runtime: ConnectorRuntime;
  let connection: ConnectionRow;
  let db: Db;

  const sync = async (): Promise<RunRow> => {
    const { run } = await db.tenant(connection.tenant_id, (tx) =>
      queueRun(tx, { tenantId: connection.tenant_id, connectionId: connection.id }, 'manual'),
    );
    const done = await runSync(runtime, run.id);
    if (!done) throw new Error('the run did not start');
    return done;
  };
  const rows = <T>(sql: string) => db.tenant(connection.tenant_id, (tx) => tx.query<T>(sql));

  beforeAll(async () => {
    db = get().db;
    fake = await startFakeShopify();
    runtime = createConnectorRuntime({
      db,
      vault,
      logger: capturingLogger().logger,
      baseUrls: { shopify: fake.url },
      rateLimits: { shopify: { perSecond: 10_000, burst: 100 } },
      http: { timeoutMs: 5000, retries: 2, backoffMs: 10, maxWaitMs: 5000 },
      connectors: [shopify],
    });
    connection = await connectedBusiness(db, vault, '+919800000801', {
      connector: 'shopify',
      config: { shop: 'chai-point.myshopify.com' },
      credentials: { access_token: fake.token },
    });
    for (let i = 1; i <= 600; i++) fake.orders.push(shopifyOrder(i));
    fake.orders.push(
      shopifyOrder(601, { cancelled_at: '2026-03-21T09:00:00+05:30', total_price: '250.50' }),
      shopifyOrder(602, { fulfillment_status: 'fulfilled', customer: null }),
      shopifyOrder(603, { financial_status: 'refunded' }),
      shopifyOrder(604, { total_price: 'twelve' }),
    );
    // A minute apart, each order last changed after the one before.
    fake.orders.forEach((o, i) => {
      o.updated_at = new Date(Date.parse('2026-03-20T05:30:00Z') + i * 60_000).toISOString();
    });
    fake.customers.push(
      {
        id: 900,
        first_name: 'Asha',
        last_name: 'Verma',
        email: 'asha@example.in',
        phone: '+919812345678',
        updated_at: '2026-03-01T10:00:00+05:30',
        default_address: { company: null, province: 'Madhya Pradesh' },
      },
      {
        id: 901,
        first_name: null,
        last_name: null,
        email: null,
        phone: null,
        updated_at: '2026-03-01T10:00:00+05:30',
        default_address: { company: 'Gupta Caterers', province: 'Maharashtra' },
      },
    );
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('pages orders through the Link header, maps them onto orders, and rejects only the broken one', async () => {
    fake.rateLimitNext = { count: 1, retryAfter: '0.05' };
    const run = await sync();
    expect(run.status).toBe('succeeded');
    expect(run.counts.orders).toMatchObject({ added: 603, rejected: 1, pages: 3 });
    // Three pages of 250; the later two carry only page_info and limit, as Shopify insists.
    const pages = fake.requests.filter((r) => r.path.endsWith('/orders.json'));
    expect(pages.filter((r) => r.query.has('page_info'))).toHaveLength(2);
    expect(pages.every((r) => !r.query.has('page_info') || [...r.query.keys()].length === 2)).toBe(true);
    const [cancelled, fulfilled, refunded] = await rows<Record<string, unknown>>(
      "SELECT number, status, total, party_name FROM orders WHERE external_id IN ('601','602','603') ORDER BY external_id",
    );
    expect(cancelled).toMatchObject({ number: '#1601', status: 'cancelled', party_name: 'Asha Verma' });
    expect(Number(cancelled?.total)).toBe(25_050);
    expect(fulfilled).toMatchObject({ status: 'fulfilled', party_name: null });
    expect(refunded).toMatchObject({ status: 'returned' });
  });

  it('names a customer without a name by their company', async () => {
    const parties = await rows<{ name: string; state: string | null }>(
      'SELECT name, state FROM parties ORDER BY name',
    );
    expect(parties).toEqual([
      { name: 'Asha Verma', state: 'Madhya Pradesh' },
      { name: 'Gupta Caterers', state: 'Maharashtra' },
    ]);
  });

  it('reads only what changed since the last run', async () => {
    fake.requests.length = 0;
    fake.orders.push(shopifyOrder(700, { updated_at: '2026-03-24T18:00:00+05:30', total_price: '99.00' }));
    const run = await sync();
    expect(run.status).toBe('succeeded');
    const first = fake.requests.find((r) => r.path.endsWith('/orders.json'));
    // From the last order seen (604, the 604th minute), not from the start.
    expect(first?.query.get('updated_at_min')).toBe('2026-03-20T15:33:00.000Z');
    // The boundary order is read again (the filter is inclusive) and, unchanged, not written again.
    expect(run.counts.orders).toMatchObject({ added: 1, updated: 0, pages: 1 });
    const [order] = await rows<{ total: string }>("SELECT total FROM orders WHERE external_id = '700'");
    expect(Number(order?.total)).toBe(9900);
  });

  it('follows a next-page link only on the vendor’s own address', async () => {
    const own = connection;
    connection = await connectedBusiness(db, vault, '+919800000802', {
      connector: 'shopify',
      config: { shop: 'other-store.myshopify.com' },
      credentials: { access_token: fake.token },
    });
    fake.linkOrigin = 'http://127.0.0.2:9';
    const run = await sync().finally(() => {
      fake.linkOrigin = null;
      connection = own;
    });
    expect(run.status).toBe('failed');
    expect(run.error).toContain('gave a next page on another address');
  });

  it('takes a refused token as disconnected, with Shopify’s own words', async () => {
    const sealed = vault.seal(
      { tenantId: connection.tenant_id, connectionId: connection.id },
      { access_token: 'shpat_ffffffffffffffffffffffffffffffff' },
    );
    await db.tenant(connection.tenant_id, (tx) =>
      tx.query('UPDATE connections SET key_version = $2, wrapped_key = $3, credentials = $4 WHERE id = $1', [
        connection.id,
        sealed.keyVersion,
        sealed.wrappedKey,
        sealed.ciphertext,
      ]),
    );
    const run = await sync();
    expect(run.status).toBe('failed');
    const [row] = await rows<{ status: string; error: string }>(
      `SELECT status, error FROM connections WHERE id = '${connection.id}'`,
    );
    expect(row?.status).toBe('disconnected');
    expect(row?.error).toContain('Invalid API key or access token');
  });
});
