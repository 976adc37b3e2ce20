import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorAuthError, ConnectorError } from '../../src/connectors/errors.ts';
import {
  createRateLimiter,
  createVendorClient,
  DEFAULT_HTTP_SETTINGS,
  retryAfterMs,
  type VendorClientOptions,
  type Waiting,
} from '../../src/connectors/http.ts';

/** A vendor whose next answers are scripted; it records what it was sent. */
interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
const script: Answer[] = [];
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
let base = '';
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const answer = script.shift() ?? { status: 200, body: { ok: true } };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  script.length = 0;
  seen.length = 0;
});

/** Waits that only record what was asked, so the tests check the behaviour and not the clock. */
function recordedWaiting(): Waiting & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    wait: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

function client(extra: Partial<VendorClientOptions> = {}) {
  const waiting = recordedWaiting();
  const c = createVendorClient({
    connector: 'acme',
    baseUrl: base,
    limiter: createRateLimiter({ perSecond: 1000, burst: 1000 }),
    authHeaders: () => ({ authorization: 'Bearer s3cret-token' }),
    errorText: (b) => (b as { error?: { description?: string } } | undefined)?.error?.description,
    waiting,
    ...extra,
  });
  return { c, waiting };
}

describe('vendor HTTP client', () => {
  it('sends the credentials, the query and JSON, under the base path', async () => {
    script.push({ status: 200, body: { items: [1, 2] } });
    const { c } = client();
    const res = await c.post<{ items: number[] }>('/payments', {
      query: { count: 2, skip: undefined },
      json: { a: 1 },
    });
    expect(res.body.items).toEqual([1, 2]);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/payments?count=2', body: '{"a":1}' });
    expect(seen[0]?.headers.authorization).toBe('Bearer s3cret-token');
  });

  it('leaves the credentials out when told, and sends a form', async () => {
    const { c } = client();
    await c.post('/oauth/token', { auth: false, form: { grant_type: 'refresh_token', code: 'x y' } });
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[0]?.body).toBe('grant_type=refresh_token&code=x+y');
  });

  it("waits as long as a 429's Retry-After says, then goes on", async () => {
    script.push({
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error: { description: 'slow down' } },
    });
    const { c, waiting } = client();
    expect((await c.get<{ ok: boolean }>('/payments')).body.ok).toBe(true);
    expect(seen).toHaveLength(2);
    expect(waiting.waits).toEqual([3000]);
  });

  it('backs off on 5xx and network trouble, and gives up with a ConnectorError after the retries', async () => {
    for (let i = 0; i <= DEFAULT_HTTP_SETTINGS.retries; i++) script.push({ status: 503 });
    const { c, waiting } = client();
    const err = await c.get('/payments').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectorError);
    expect((err as ConnectorError).status).toBe(503);
    expect(seen).toHaveLength(DEFAULT_HTTP_SETTINGS.retries + 1);
    // Each wait is at least half of a doubling backoff.
    waiting.waits.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual((DEFAULT_HTTP_SETTINGS.backoffMs * 2 ** i) / 2);
    });

    const closed = createVendorClient({
      connector: 'acme',
      baseUrl: 'http://127.0.0.1:1/',
      limiter: createRateLimiter({ perSecond: 1000, burst: 10 }),
      settings: { ...DEFAULT_HTTP_SETTINGS, retries: 1 },
      waiting: recordedWaiting(),
    });
    await expect(closed.get('/x')).rejects.toThrow('acme could not be reached');
  });

  it('fails at once when asked to wait longer than it will', async () => {
    script.push({ status: 429, headers: { 'retry-after': '3600' } });
    const { c, waiting } = client();
    await expect(c.get('/payments')).rejects.toThrow('asked to wait 3600 s');
    expect(waiting.waits).toEqual([]);
  });

  it('refreshes once on a 401 and tries again with the fresh credentials', async () => {
    script.push({ status: 401, body: { error: { description: 'token expired' } } });
    let token = 'old';
    let refreshes = 0;
    const { c } = client({
      authHeaders: () => ({ authorization: `Bearer ${token}` }),
      refresh: async () => {
        refreshes++;
        token = 'new';
        return true;
      },
    });
    await c.get('/invoices');
    expect(refreshes).toBe(1);
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('reports refused credentials as ConnectorAuthError, with the vendor text and no secret', async () => {
    script.push({ status: 401, body: { error: { description: 'The api key provided is invalid' } } });
    script.push({ status: 401, body: { error: { description: 'still invalid' } } });
    const { c } = client({ refresh: async () => true });
    const err = (await c.get('/payments').catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ConnectorAuthError);
    expect(err.message).toBe('acme answered 401: still invalid');
    expect(err.message).not.toContain('s3cret');
    expect(seen).toHaveLength(2);
  });

  it('honours a vendor rule that refuses credentials without a 401', async () => {
    script.push({ status: 200, body: { error: 'invalid_code' } });
    const { c } = client({ refused: (_s, b) => (b as { error?: unknown } | undefined)?.error !== undefined });
    await expect(c.post('/oauth/v2/token', { auth: false })).rejects.toBeInstanceOf(ConnectorAuthError);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('2.0')).toBe(2000);
    expect(retryAfterMs('0.25')).toBe(250);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT'))).toBe(
      10_000,
    );
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('rate limiter', () => {
  it('lets a burst through, then paces to the rate, in order', async () => {
    const waiting = recordedWaiting();
    const limiter = createRateLimiter({ perSecond: 10, burst: 3 }, waiting);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(waiting.waits).toHaveLength(3);
    for (const ms of waiting.waits) expect(ms).toBeCloseTo(100, 5);
  });
});
