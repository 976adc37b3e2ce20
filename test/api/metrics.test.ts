import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describeEachDb('/metrics', (get) => {
  let open: TestApi;
  let guarded: TestApi;
  beforeAll(async () => {
    open = await startTestApi(get().db);
    guarded = await startTestApi(get().db, { METRICS_TOKEN });
  });
  afterAll(async () => {
    await open.close();
    await guarded.close();
  });

  it('without METRICS_TOKEN, answers a client on this machine and no one behind a proxy', async () => {
    const local = await open.request('GET', '/metrics');
    expect(local.status).toBe(200);
    expect(local.body).toContain('axon_http_request_duration_seconds');
    // A reverse proxy on this machine forwards an outside client: that client is not local.
    const outside = await open.request('GET', '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('forbidden');
    expect(JSON.stringify(outside.body)).not.toContain('nodejs_version_info');
  });

  it('with METRICS_TOKEN, answers only the bearer of that token, wherever it is', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN]) {
      const res = await guarded.request('GET', '/metrics', {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(JSON.stringify(res.body)).not.toContain('nodejs_version_info');
    }
    const ok = await guarded.request('GET', '/metrics', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}`, 'x-forwarded-for': '203.0.113.9' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('nodejs_version_info');
  });

  it('every answer says nosniff: API, errors, health, docs, metrics', async () => {
    for (const [path, status] of [
      ['/api/v1/tasks', 401],
      ['/api/v1/nowhere', 404],
      ['/nowhere', 404],
      ['/healthz', 200],
      ['/docs', 200],
      ['/api/v1/openapi.json', 200],
      ['/metrics', 200],
    ] as const) {
      const res = await open.request('GET', path);
      expect(res.status, path).toBe(status);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
