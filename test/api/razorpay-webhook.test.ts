import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeRazorpay, startFakeRazorpay } from '../fakes/razorpay.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// Razorpay's webhooks into a connection: signed with the secret the owner saved, taken in once per event
// id, the payment at once in the unified data, transaction.settled once.

const SECRET = 'whs3cret-chosen-by-owner';

describeEachDb('Razorpay webhooks', (get) => {
  let api: TestApi;
  let fake: FakeRazorpay;
  let owner: string;
  let path: string;

  beforeAll(async () => {
    fake = await startFakeRazorpay({ payments: 0 });
    api = await startTestApi(get().db, { CONNECTOR_RAZORPAY_BASE_URL: fake.url });
    owner = await api.signIn(testPhone(56));
    const res = await api.request('POST', '/api/v1/connectors/razorpay/connect', {
      token: owner,
      body: { credentials: { key_id: fake.keyId, key_secret: fake.keySecret, webhook_secret: SECRET } },
    });
    path = res.body.data.connection.webhook_path;
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const event = (id: string, status = 'captured') => ({
    entity: 'event',
    account_id: 'acc_BFQ7uQEaa7j2z7',
    event: `payment.${status}`,
    contains: ['payment'],
    payload: { payment: { entity: { ...fake.payment(7), id, status } } },
    created_at: 1_764_844_200,
  });

  function deliver(body: unknown, eventId: string, secret = SECRET, to = path) {
    const raw = JSON.stringify(body);
    const signature = createHmac('sha256', secret).update(raw).digest('hex');
    return api.request('POST', to, {
      raw,
      headers: {
        'content-type': 'application/json',
        'x-razorpay-signature': signature,
        'x-razorpay-event-id': eventId,
      },
    });
  }

  const settledEvents = async () =>
    (
      await get().db.query<{ payload: { source: { external_id: string } } }>(
        "SELECT payload FROM events WHERE type = 'transaction.settled'",
      )
    ).map((e) => e.payload.source.external_id);

  it('gives the owner the address to paste into Razorpay, carrying a token and not the business', async () => {
    expect(path).toMatch(/^\/api\/v1\/connectors\/razorpay\/webhook\/[A-Za-z0-9_-]{32}$/);
    const [tenant] = await get().db.query<{ id: string }>('SELECT tenant_id AS id FROM connections');
    expect(path).not.toContain(tenant?.id);
  });

  it('takes a signed payment in at once, announces it once, and a replay changes nothing', async () => {
    const first = await deliver(event('pay_WEBHOOK000001'), 'evt_1');
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({ received: true, outcome: 'taken' });
    const payments = await api.request('GET', '/api/v1/payments', { token: owner });
    expect(payments.body.data.payments[0]).toMatchObject({
      status: 'settled',
      source: { connector: 'razorpay', external_id: 'pay_WEBHOOK000001' },
    });
    const replay = await deliver(event('pay_WEBHOOK000001'), 'evt_1');
    expect(replay.body.data.outcome).toBe('duplicate');
    // Razorpay sends a second event for the same payment (another id): stored again, not announced again.
    const again = await deliver(event('pay_WEBHOOK000001'), 'evt_2');
    expect(again.body.data.outcome).toBe('taken');
    expect(await settledEvents()).toEqual(['pay_WEBHOOK000001']);
  });

  it('refuses a delivery not signed with the saved secret, and stores nothing', async () => {
    const forged = await deliver(event('pay_FORGED000001'), 'evt_3', 'guessed-secret');
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('invalid_signature');
    const unsigned = await api.request('POST', path, {
      raw: JSON.stringify(event('pay_FORGED000002')),
      headers: { 'content-type': 'application/json', 'x-razorpay-event-id': 'evt_4' },
    });
    expect(unsigned.status).toBe(401);
    const [n] = await get().db.query<{ n: string }>(
      "SELECT count(*) AS n FROM payments WHERE external_id LIKE 'pay_FORGED%'",
    );
    expect(Number(n?.n)).toBe(0);
  });

  it('answers an unknown address 404, an event it does not keep as ignored, and a missing event id 400', async () => {
    const nowhere = await deliver(
      event('pay_X'),
      'evt_5',
      SECRET,
      '/api/v1/connectors/razorpay/webhook/AAAAAAAAAAAAAAAAAAAAAAAA',
    );
    expect(nowhere.status).toBe(404);
    const order = await deliver(
      { event: 'order.paid', payload: { order: { entity: { id: 'order_1' } } } },
      'evt_6',
    );
    expect(order.body.data.outcome).toBe('ignored');
    const raw = JSON.stringify(event('pay_NOID'));
    const noId = await api.request('POST', path, {
      raw,
      headers: {
        'content-type': 'application/json',
        'x-razorpay-signature': createHmac('sha256', SECRET).update(raw).digest('hex'),
      },
    });
    expect(noId.status).toBe(400);
    expect(noId.body.error.code).toBe('event_id_missing');
  });
});
