import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

const expectEnvelope = (res: { headers: Headers; body: any }, success: boolean) => {
  expect(Object.keys(res.body).sort()).toEqual(['data', 'error', 'meta', 'success']);
  expect(res.body.success).toBe(success);
  expect(res.body.meta.request_id).toBe(res.headers.get('x-request-id'));
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(new Date(res.body.meta.timestamp).toString()).not.toBe('Invalid Date');
  if (!success) {
    expect(res.body.data).toBeNull();
    expect(res.body.error.code).toMatch(/^[a-z_]+$/);
    expect(res.body.error.message.length).toBeGreaterThan(0);
  } else {
    expect(res.body.error).toBeNull();
  }
};

describeEachDb('API contract', (get) => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi(get().db, {
      RATE_LIMIT_SELF_SERVICE: '40',
      RATE_LIMIT_ANONYMOUS: '45',
      BODY_LIMIT: '2kb',
    });
    token = await api.signIn(testPhone(5));
  });
  afterAll(() => api.close());

  it('wraps errors of every kind in the envelope, with X-Request-Id and rate-limit headers', async () => {
    const cases: [number, string, Promise<{ status: number; headers: Headers; body: any }>][] = [
      [404, 'not_found', api.request('GET', '/api/v1/nowhere', { token })],
      [405, 'method_not_allowed', api.request('PUT', '/api/v1/tasks', { token })],
      [401, 'unauthorized', api.request('GET', '/api/v1/tasks')],
      [
        400,
        'invalid_json',
        api.request('POST', '/api/v1/tasks', {
          token,
          raw: '{"title":',
          headers: { 'content-type': 'application/json' },
        }),
      ],
      [
        415,
        'unsupported_media_type',
        api.request('POST', '/api/v1/tasks', {
          token,
          raw: 'title=x',
          headers: { 'content-type': 'text/plain' },
        }),
      ],
      [
        413,
        'payload_too_large',
        api.request('POST', '/api/v1/tasks', { token, body: { title: 'x'.repeat(5000) } }),
      ],
      [
        400,
        'validation_error',
        api.request('POST', '/api/v1/tasks', { token, body: { title: 'ok', colour: 'red' } }),
      ],
    ];
    for (const [status, code, pending] of cases) {
      const res = await pending;
      expect(res.status, code).toBe(status);
      expect(res.body.error.code).toBe(code);
      expectEnvelope(res, false);
      // Signed-in callers spend their tenant's budget; the signed-out one spends its IP's.
      expect(res.headers.get('x-ratelimit-limit')).toBe(status === 401 ? '45' : '40');
      expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
    }
    const allowed = await api.request('PUT', '/api/v1/tasks', { token });
    expect(allowed.headers.get('allow')).toBe('GET, POST');
  });

  it('echoes a sane X-Request-Id and replaces a junk one', async () => {
    const given = await api.request('GET', '/api/v1/tasks', {
      token,
      headers: { 'x-request-id': 'req-abc.123' },
    });
    expect(given.headers.get('x-request-id')).toBe('req-abc.123');
    expect(given.body.meta.request_id).toBe('req-abc.123');
    const junk = await api.request('GET', '/api/v1/tasks', {
      token,
      headers: { 'x-request-id': 'bad id <script>' },
    });
    expect(junk.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lists carry page, total and limit in meta', async () => {
    const res = await api.request('GET', '/api/v1/tasks?limit=5', { token });
    expectEnvelope(res, true);
    expect(res.body.meta).toMatchObject({ page: 1, total: expect.any(Number), limit: 5 });
  });

  it('replays the first response to a repeated Idempotency-Key and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': 'create-ramesh-call-1' };
    const first = await api.request('POST', '/api/v1/tasks', {
      token,
      headers,
      body: { title: 'Call Ramesh' },
    });
    expect(first.status).toBe(201);
    const second = await api.request('POST', '/api/v1/tasks', {
      token,
      headers,
      body: { title: 'Call Ramesh' },
    });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    const list = await api.request('GET', '/api/v1/tasks?q=Call%20Ramesh', { token });
    expect(list.body.meta.total).toBe(1);

    const other = await api.request('POST', '/api/v1/tasks', {
      token,
      headers,
      body: { title: 'Call Suresh' },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');

    const badKey = await api.request('POST', '/api/v1/tasks', {
      token,
      headers: { 'idempotency-key': 'x'.repeat(300) },
      body: { title: 'x' },
    });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.code).toBe('invalid_idempotency_key');
  });

  it('replays a client error too, and keys are per user', async () => {
    const headers = { 'idempotency-key': 'bad-task' };
    const first = await api.request('POST', '/api/v1/tasks', { token, headers, body: { title: '' } });
    expect(first.status).toBe(400);
    const again = await api.request('POST', '/api/v1/tasks', { token, headers, body: { title: '' } });
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const otherUser = await api.signIn(testPhone(6));
    const theirs = await api.request('POST', '/api/v1/tasks', {
      token: otherUser,
      headers: { 'idempotency-key': 'create-ramesh-call-1' },
      body: { title: 'Their own task' },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
  });

  it('serves an OpenAPI 3.1 document covering every route, and the /docs page reading it', async () => {
    const doc = await api.request('GET', '/api/v1/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.body.paths);
    for (const p of [
      '/api/v1/auth/otp/send',
      '/api/v1/auth/otp/verify',
      '/api/v1/auth/logout',
      '/api/v1/tasks',
      '/api/v1/tasks/{id}',
      '/api/v1/tasks/{id}/complete',
      '/api/v1/follow-ups',
      '/api/v1/follow-ups/{id}',
      '/api/v1/follow-ups/{id}/snooze',
      '/api/v1/follow-ups/{id}/done',
      '/api/v1/audit',
    ]) {
      expect(paths).toContain(p);
    }
    expect(doc.body.components.schemas.Task.properties.due_date).toBeDefined();
    // /docs is Swagger UI reading this document (rendered in Chromium by docs-page.test.ts).
    const page = await fetch(`${api.url}/docs`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<title>AxonBOS API</title>');
    const init = await fetch(`${api.url}/docs/init.js`);
    expect(await init.text()).toContain('"url":"/api/v1/openapi.json"');
  });

  it('answers health and readiness', async () => {
    const health = await api.request('GET', '/healthz');
    expect(health.status).toBe(200);
    expectEnvelope(health, true);
    const ready = await api.request('GET', '/readyz');
    expect(ready.body.data).toEqual({ status: 'ready', database: get().db.kind, data_residency: 'off' });
  });
});

describeEachDb('rate limits per plan', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    // No kept sessions: the plan is changed in the database below, and a kept session would learn of it
    // only when the notification lands (auth.test.ts covers that path).
    api = await startTestApi(get().db, {
      RATE_LIMIT_SELF_SERVICE: '3',
      RATE_LIMIT_MANAGED: '6',
      RATE_LIMIT_ANONYMOUS: '50',
      AUTH_SESSION_CACHE_MS: '0',
    });
  });
  afterAll(() => api.close());

  it('a self-service tenant gets its limit, then a 429 with Retry-After', async () => {
    const token = await api.signIn(testPhone(7));
    for (let i = 0; i < 3; i++) {
      const res = await api.request('GET', '/api/v1/tasks', { token });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(2 - i));
    }
    const limited = await api.request('GET', '/api/v1/tasks', { token });
    expect(limited.status).toBe(429);
    expectEnvelope(limited, false);
    expect(limited.body.error.code).toBe('rate_limited');
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(limited.headers.get('x-ratelimit-retry-after')).toBe(String(retry));
  });

  it('a managed tenant and a custom limit get theirs', async () => {
    const token = await api.signIn(testPhone(8));
    const me = await api.request('GET', '/api/v1/me', { token });
    await get().db.query("UPDATE tenants SET plan = 'managed' WHERE id = $1", [me.body.data.tenant_id]);
    const managed = await api.request('GET', '/api/v1/tasks', { token });
    expect(managed.headers.get('x-ratelimit-limit')).toBe('6');
    await get().db.query("UPDATE tenants SET plan = 'enterprise', rate_limit_per_minute = 9 WHERE id = $1", [
      me.body.data.tenant_id,
    ]);
    const custom = await api.request('GET', '/api/v1/me', { token });
    expect(custom.headers.get('x-ratelimit-limit')).toBe('9');
    expect(custom.body.data.rate_limit_per_minute).toBe(9);
  });
});

const redisUrl = process.env.TEST_REDIS_URL;
describe.skipIf(!redisUrl)('rate limits shared through Redis', () => {
  let a: TestApi;
  let b: TestApi;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const { createTestDb } = await import('../support/db.ts');
    const testDb = await createTestDb(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
    const env = { REDIS_URL: redisUrl as string, RATE_LIMIT_SELF_SERVICE: '4' };
    a = await startTestApi(testDb.db, env);
    b = await startTestApi(testDb.db, env);
    close = async () => {
      await a.close();
      await b.close();
      await testDb.close();
    };
  });
  afterAll(() => close());

  it('two processes spend one budget', async () => {
    const token = await a.signIn(testPhone(9));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await (i % 2 ? b : a).request('GET', '/api/v1/tasks', { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});

describeEachDb('requests Node rejects before the app', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(get().db);
  });
  afterAll(() => api.close());

  it('headers over 16 KB get a 431 envelope', async () => {
    const res = await api.request('GET', '/api/v1/tasks', { headers: { 'x-junk': 'x'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expectEnvelope(res, false);
    expect(res.body.error.code).toBe('headers_too_large');
  });
});
