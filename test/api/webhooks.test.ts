import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';
import { verifyStandardWebhook } from '../support/standard-webhook.ts';

// /api/v1/webhooks over real HTTP. `api` refuses private targets (the production default); `dev` runs
// with WEBHOOK_ALLOW_PRIVATE=true and a fast retry schedule, and its relay delivers to a local receiver.

const UNKNOWN_WH = 'wh_0000000000zzzzzzzzzzzz';
const UNKNOWN_WHD = 'whd_0000000000zzzzzzzzzzzz';

describeEachDb('webhooks API', (get) => {
  let api: TestApi;
  let dev: TestApi;
  let rx: WebhookReceiver;
  let owner: string;

  beforeAll(async () => {
    api = await startTestApi(get().db);
    dev = await startTestApi(get().db, { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '10ms' });
    await dev.runtime.webhookRelay.start();
    rx = await startWebhookReceiver();
    owner = await dev.signIn(testPhone(1));
  });
  afterAll(async () => {
    await dev?.close();
    await api?.close();
    await rx?.close();
  });

  const create = (t: TestApi, token: string, body: unknown) =>
    t.request('POST', '/api/v1/webhooks', { token, body });

  it('creates, reads, lists, changes and deletes an endpoint; the secret is shown only on create', async () => {
    const made = await create(dev, owner, {
      url: rx.url,
      events: ['task.created', 'follow_up.completed'],
      description: 'Tally sync',
    });
    expect(made.status).toBe(201);
    const hook = made.body.data;
    expect(hook).toMatchObject({
      url: rx.url,
      enabled: true,
      description: 'Tally sync',
      disabled_reason: null,
    });
    expect(hook.id).toMatch(/^wh_[0-9a-z]{22}$/);
    expect(hook.secret).toMatch(/^whsec_/);

    const got = await dev.request('GET', `/api/v1/webhooks/${hook.id}`, { token: owner });
    expect(got.status).toBe(200);
    expect(got.body.data).not.toHaveProperty('secret');
    expect(JSON.stringify(got.body)).not.toContain(hook.secret.slice(6));

    const list = await dev.request('GET', '/api/v1/webhooks', { token: owner });
    expect(list.body.data.webhooks.map((w: { id: string }) => w.id)).toContain(hook.id);
    expect(list.body.meta).toMatchObject({ page: 1, limit: 20 });
    expect(list.body.data.webhooks[0]).not.toHaveProperty('secret');

    const patched = await dev.request('PATCH', `/api/v1/webhooks/${hook.id}`, {
      token: owner,
      body: { enabled: false, description: null },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ enabled: false, description: null, events: hook.events });

    const audit = await dev.request('GET', `/api/v1/audit?entity=webhook&entity_id=${hook.id}`, {
      token: owner,
    });
    const actions = audit.body.data.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['webhook.updated', 'webhook.created']);
    expect(JSON.stringify(audit.body)).not.toContain(hook.secret.slice(6));

    const deleted = await dev.request('DELETE', `/api/v1/webhooks/${hook.id}`, { token: owner });
    expect(deleted.body.data).toEqual({ id: hook.id, deleted: true });
    expect((await dev.request('GET', `/api/v1/webhooks/${hook.id}`, { token: owner })).status).toBe(404);
  });

  it('delivers an event caused over the API, signed; logs the attempt; redelivers with the same webhook-id', async () => {
    const token = await dev.signIn(testPhone(2));
    const hook = (await create(dev, token, { url: rx.url, events: ['task.created'] })).body.data;
    const before = rx.received.length;
    const task = await dev.request('POST', '/api/v1/tasks', { token, body: { title: 'Pay GST by 20th' } });
    const [first] = (await rx.waitFor(before + 1)).slice(before);
    if (!first) throw new Error('nothing received');
    expect(verifyStandardWebhook(hook.secret, first.body, first.headers)).toMatchObject({
      type: 'task.created',
      data: { id: task.body.data.id, title: 'Pay GST by 20th' },
    });

    const deliveries = async () =>
      (await dev.request('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { token })).body.data.deliveries;
    // The receiver answers before the relay records the answer, and nothing here emits when it does:
    // poll, with a bounded deadline.
    let [delivery] = await deliveries();
    for (const deadline = Date.now() + 5000; delivery?.status === 'pending' && Date.now() < deadline; ) {
      [delivery] = await deliveries();
    }
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 1, event_type: 'task.created' });
    expect(delivery.event_id).toBe(first.headers['webhook-id']);
    expect(delivery.attempt_log).toHaveLength(1);
    expect(delivery.attempt_log[0]).toMatchObject({ attempt: 1, status_code: 204, error: null });

    const again = await dev.request(
      'POST',
      `/api/v1/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`,
      {
        token,
      },
    );
    expect(again.status).toBe(202);
    expect(again.body.data).toMatchObject({ id: delivery.id, status: 'pending' });
    const [second] = (await rx.waitFor(before + 2)).slice(before + 1);
    expect(second?.headers['webhook-id']).toBe(first.headers['webhook-id']);

    const rotated = await dev.request('POST', `/api/v1/webhooks/${hook.id}/rotate-secret`, { token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.data.secret).toMatch(/^whsec_/);
    expect(rotated.body.data.secret).not.toBe(hook.secret);

    // Deleting the endpoint takes its deliveries and their log with it.
    expect((await dev.request('DELETE', `/api/v1/webhooks/${hook.id}`, { token })).status).toBe(200);
    const left = await get().db.query('SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1', [hook.id]);
    expect(left).toEqual([]);
  });

  it('refuses a redelivery while the delivery is still being retried', async () => {
    const token = await dev.signIn(testPhone(3));
    const busy = await startWebhookReceiver(() => ({ status: 503, headers: { 'retry-after': '3600' } }));
    try {
      const hook = (await create(dev, token, { url: busy.url, events: ['task.created'] })).body.data;
      await dev.request('POST', '/api/v1/tasks', { token, body: { title: 'Busy receiver' } });
      await busy.waitFor(1);
      const [delivery] = (await dev.request('GET', `/api/v1/webhooks/${hook.id}/deliveries`, { token })).body
        .data.deliveries;
      const res = await dev.request(
        'POST',
        `/api/v1/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`,
        {
          token,
        },
      );
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('delivery_in_progress');
    } finally {
      await busy.close();
    }
  });

  it('refuses private, loopback and link-local targets unless WEBHOOK_ALLOW_PRIVATE', async () => {
    const token = await api.signIn(testPhone(4));
    for (const url of [
      rx.url,
      'http://localhost:9/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[::7f00:1]/hook',
      'http://[2002:a9fe:a9fe::]/latest',
      'http://169.254.169.254/latest',
      'http://192.168.1.10/hook',
    ]) {
      const res = await create(api, token, { url, events: ['task.created'] });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code, url).toBe('webhook_url_refused');
    }
    const allowed = await create(dev, await dev.signIn(testPhone(5)), {
      url: rx.url,
      events: ['task.created'],
    });
    expect(allowed.status).toBe(201);
    const ok = await create(api, token, { url: 'https://8.8.8.8/hook', events: ['task.created'] });
    expect(ok.status).toBe(201);
    const moved = await api.request('PATCH', `/api/v1/webhooks/${ok.body.data.id}`, {
      token,
      body: { url: 'http://10.0.0.1/hook' },
    });
    expect(moved.body.error.code).toBe('webhook_url_refused');
  });

  it('is for owners only', async () => {
    const token = await dev.signIn(testPhone(6));
    const me = await dev.request('GET', '/api/v1/me', { token });
    await get().db.query(
      "INSERT INTO users (id, tenant_id, phone, role) VALUES ('usr_member0000000000000007', $1, $2, 'member')",
      [me.body.data.tenant_id, testPhone(7)],
    );
    const member = await dev.signIn(testPhone(7));
    for (const [method, path] of [
      ['GET', '/api/v1/webhooks'],
      ['POST', '/api/v1/webhooks'],
      ['GET', `/api/v1/webhooks/${UNKNOWN_WH}`],
    ] as const) {
      const body = method === 'POST' ? { url: rx.url, events: ['task.created'] } : undefined;
      const res = await dev.request(method, path, { token: member, body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await dev.request('GET', '/api/v1/webhooks')).status).toBe(401);
  });

  it('keeps each business’s endpoints and deliveries to itself', async () => {
    const a = await dev.signIn(testPhone(8));
    const b = await dev.signIn(testPhone(9));
    const hook = (await create(dev, a, { url: rx.url, events: ['task.created'] })).body.data;
    await dev.request('POST', '/api/v1/tasks', { token: a, body: { title: 'A only' } });
    expect((await dev.request('GET', '/api/v1/webhooks', { token: b })).body.data.webhooks).toEqual([]);
    for (const [method, path, body] of [
      ['GET', `/api/v1/webhooks/${hook.id}`, undefined],
      ['PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: false }],
      ['POST', `/api/v1/webhooks/${hook.id}/rotate-secret`, undefined],
      ['GET', `/api/v1/webhooks/${hook.id}/deliveries`, undefined],
      ['POST', `/api/v1/webhooks/${hook.id}/deliveries/${UNKNOWN_WHD}/redeliver`, undefined],
      ['DELETE', `/api/v1/webhooks/${hook.id}`, undefined],
    ] as const) {
      const res = await dev.request(method, path, { token: b, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('webhook_not_found');
    }
    expect((await dev.request('GET', `/api/v1/webhooks/${hook.id}`, { token: a })).body.data.enabled).toBe(
      true,
    );
  });

  it('answers bad input to every route with a clear 400 or 404', async () => {
    const token = await dev.signIn(testPhone(10));
    const hook = (await create(dev, token, { url: rx.url, events: ['task.created'] })).body.data;
    const cases: [string, string, unknown, number, string][] = [
      [
        'POST',
        '/api/v1/webhooks',
        { url: 'ftp://example.com/x', events: ['task.created'] },
        400,
        'validation_error',
      ],
      ['POST', '/api/v1/webhooks', { url: 'not a url', events: ['task.created'] }, 400, 'validation_error'],
      [
        'POST',
        '/api/v1/webhooks',
        { url: 'https://u:p@example.com/', events: ['task.created'] },
        400,
        'validation_error',
      ],
      ['POST', '/api/v1/webhooks', { url: rx.url, events: [] }, 400, 'validation_error'],
      ['POST', '/api/v1/webhooks', { url: rx.url, events: ['task.exploded'] }, 400, 'validation_error'],
      [
        'POST',
        '/api/v1/webhooks',
        { url: rx.url, events: ['task.created', 'task.created'] },
        400,
        'validation_error',
      ],
      [
        'POST',
        '/api/v1/webhooks',
        { url: rx.url, events: ['task.created'], secret: 'mine' },
        400,
        'validation_error',
      ],
      ['POST', '/api/v1/webhooks', { events: ['task.created'] }, 400, 'validation_error'],
      ['GET', '/api/v1/webhooks?limit=0', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/webhooks?colour=red', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/webhooks/task_123', undefined, 400, 'validation_error'],
      ['GET', `/api/v1/webhooks/${UNKNOWN_WH}`, undefined, 404, 'webhook_not_found'],
      ['PATCH', `/api/v1/webhooks/${hook.id}`, {}, 400, 'validation_error'],
      ['PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: 'yes' }, 400, 'validation_error'],
      ['PATCH', `/api/v1/webhooks/${hook.id}`, { description: 'x'.repeat(501) }, 400, 'validation_error'],
      ['PATCH', `/api/v1/webhooks/${UNKNOWN_WH}`, { enabled: true }, 404, 'webhook_not_found'],
      ['DELETE', '/api/v1/webhooks/nope', undefined, 400, 'validation_error'],
      ['POST', `/api/v1/webhooks/${hook.id}/rotate-secret`, { now: true }, 400, 'validation_error'],
      ['POST', `/api/v1/webhooks/${UNKNOWN_WH}/rotate-secret`, undefined, 404, 'webhook_not_found'],
      ['GET', `/api/v1/webhooks/${hook.id}/deliveries?status=lost`, undefined, 400, 'validation_error'],
      ['GET', `/api/v1/webhooks/${UNKNOWN_WH}/deliveries`, undefined, 404, 'webhook_not_found'],
      ['POST', `/api/v1/webhooks/${hook.id}/deliveries/evt_1/redeliver`, undefined, 400, 'validation_error'],
      [
        'POST',
        `/api/v1/webhooks/${hook.id}/deliveries/${UNKNOWN_WHD}/redeliver`,
        undefined,
        404,
        'delivery_not_found',
      ],
      ['PUT', `/api/v1/webhooks/${hook.id}`, { enabled: true }, 405, 'method_not_allowed'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await dev.request(method, path, { token, body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(res.body.error.code, `${method} ${path}`).toBe(code);
      expect(res.body.error.message.length).toBeGreaterThan(0);
    }
  });

  it('documents each event as an OpenAPI webhook', async () => {
    const doc = (await dev.request('GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(doc.webhooks)).toEqual(
      expect.arrayContaining(['task.created', 'task.completed', 'reminder.triggered', 'follow_up.snoozed']),
    );
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/webhooks',
        '/api/v1/webhooks/{id}',
        '/api/v1/webhooks/{id}/rotate-secret',
        '/api/v1/webhooks/{id}/deliveries',
        '/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver',
      ]),
    );
  });
});
