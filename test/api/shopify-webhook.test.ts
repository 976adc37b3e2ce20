import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeShopify, shopifyOrder, startFakeShopify } from '../fakes/shopify.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// Shopify's orders/create and orders/paid webhooks into a manifest connector: verified by the base64 HMAC
// of the raw body (X-Shopify-Hmac-Sha256) with the app's client secret, taken once per X-Shopify-Webhook-Id.

const SECRET = 'shpss_client-secret-of-the-app';

describeEachDb('Shopify webhooks', (get) => {
  let api: TestApi;
  let fake: FakeShopify;
  let owner: string;
  let path: string;

  beforeAll(async () => {
    fake = await startFakeShopify();
    api = await startTestApi(get().db, { CONNECTOR_SHOPIFY_BASE_URL: fake.url });
    owner = await api.signIn(testPhone(57));
    const res = await api.request('POST', '/api/v1/connectors/shopify/connect', {
      token: owner,
      body: {
        config: { shop: 'Chai-Point.myshopify.com' },
        credentials: { access_token: fake.token, webhook_secret: SECRET },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.data.connection.config).toEqual({ shop: 'chai-point.myshopify.com' });
    path = res.body.data.connection.webhook_path;
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const deliver = (body: unknown, id: string, secret = SECRET) => {
    const raw = JSON.stringify(body);
    return api.request('POST', path, {
      raw,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-hmac-sha256': fake.sign(raw, secret),
        'x-shopify-webhook-id': id,
      },
    });
  };

  it('takes a signed order in at once, and a redelivery of the same webhook changes nothing', async () => {
    const order = shopifyOrder(4242, { total_price: '12500.00' });
    const first = await deliver(order, 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    expect(first.status).toBe(200);
    expect(first.body.data.outcome).toBe('taken');
    const orders = await api.request('GET', '/api/v1/orders', { token: owner });
    expect(orders.body.data.orders).toContainEqual(
      expect.objectContaining({
        number: '#5242',
        total: 12_500_00,
        source: expect.objectContaining({ external_id: '4242' }),
      }),
    );
    const again = await deliver(order, 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    expect(again.body.data.outcome).toBe('duplicate');
  });

  it('refuses a delivery signed with another secret, and stores nothing', async () => {
    const forged = await deliver(shopifyOrder(4343), 'c0ffee00-0000-4000-8000-000000000001', 'guessed');
    expect(forged.status).toBe(401);
    const [n] = await get().db.query<{ n: string }>(
      "SELECT count(*) AS n FROM orders WHERE external_id = '4343'",
    );
    expect(Number(n?.n)).toBe(0);
  });
});
