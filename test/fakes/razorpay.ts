import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RazorpayPayment, RazorpaySettlement } from '../../src/connectors/razorpay/records.ts';

/**
 * A local server speaking Razorpay's REST wire format for what the connector reads: `GET /v1/payments` and
 * `GET /v1/settlements` with Basic auth, `from`/`to` (unix seconds, inclusive), `count` (1–100, default 10)
 * and `skip`, newest first, as `{entity: "collection", count, items}`; errors as
 * `{"error": {code, description, source, step, reason, metadata}}` (401 for a wrong key). Records are made
 * from their index on demand, so a fake of 100,000 payments holds only the ones a test changed.
 */

export interface FakeRazorpayOptions {
  keyId?: string;
  keySecret?: string;
  payments?: number;
  settlements?: number;
  /** Unix seconds of the oldest record; records are spread one `step` apart from there. */
  start?: number;
  step?: number;
}

export interface FakeRazorpay {
  url: string;
  keyId: string;
  keySecret: string;
  /** Requests answered, by path. */
  requests: { path: string; query: URLSearchParams }[];
  /** The next `count` list requests answer 429 with this Retry-After (seconds). */
  rateLimitNext: { count: number; retryAfter: number };
  /** Rejects every request as a revoked key would. */
  revoked: boolean;
  payment(i: number): RazorpayPayment;
  settlement(i: number): RazorpaySettlement;
  /** Changes a payment (a status moving on). */
  updatePayment(i: number, patch: Partial<RazorpayPayment>): void;
  /** Adds payments after the last one. */
  addPayments(n: number): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const error = (code: string, description: string) => ({
  error: { code, description, source: 'NA', step: 'NA', reason: 'NA', metadata: {} },
});

export async function startFakeRazorpay(options: FakeRazorpayOptions = {}): Promise<FakeRazorpay> {
  const keyId = options.keyId ?? 'rzp_test_FakeKey1234';
  const keySecret = options.keySecret ?? 'fake-secret-0123456789';
  const start = options.start ?? Math.floor(Date.parse('2026-01-01T00:00:00Z') / 1000);
  const step = options.step ?? 60;
  let paymentCount = options.payments ?? 0;
  const settlementCount = options.settlements ?? 0;
  const changed = new Map<number, Partial<RazorpayPayment>>();
  const methods = ['upi', 'card', 'netbanking', 'wallet'] as const;

  const payment = (i: number): RazorpayPayment => ({
    id: `pay_${String(i).padStart(14, '0')}`,
    amount: 10_000 + (i % 997) * 100,
    currency: 'INR',
    status: 'captured',
    method: methods[i % methods.length],
    order_id: `order_${String(i).padStart(14, '0')}`,
    invoice_id: null,
    customer_id: i % 5 === 0 ? `cust_${String(i % 50).padStart(14, '0')}` : null,
    email: `buyer${i % 50}@example.com`,
    contact: `+9198${String(10_000_000 + (i % 50)).slice(-8)}`,
    description: `Order ${i}`,
    vpa: i % methods.length === 0 ? `buyer${i % 50}@okaxis` : null,
    acquirer_data: i % methods.length === 0 ? { rrn: String(400_000_000_000 + i) } : {},
    created_at: start + i * step,
    ...changed.get(i),
  });
  const settlement = (i: number): RazorpaySettlement => ({
    id: `setl_${String(i).padStart(14, '0')}`,
    amount: 500_000 + i * 1000,
    status: 'processed',
    fees: 1180,
    tax: 180,
    utr: `UTIB${String(900_000_000 + i)}`,
    created_at: start + i * step * 24,
  });

  const fake: FakeRazorpay = {
    url: '',
    keyId,
    keySecret,
    requests: [],
    rateLimitNext: { count: 0, retryAfter: 1 },
    revoked: false,
    payment,
    settlement,
    updatePayment: (i, patch) => changed.set(i, { ...changed.get(i), ...patch }),
    addPayments: (n) => {
      paymentCount += n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  /** Indexes whose created_at falls in [from, to], newest first, after skip, at most count. */
  function page<T>(
    total: number,
    createdAt: (i: number) => number,
    make: (i: number) => T,
    q: URLSearchParams,
  ): T[] {
    const from = Number(q.get('from') ?? 0);
    const to = Number(q.get('to') ?? Number.MAX_SAFE_INTEGER);
    const count = Number(q.get('count') ?? 10);
    const skip = Number(q.get('skip') ?? 0);
    let newest = total - 1;
    while (newest >= 0 && createdAt(newest) > to) newest--;
    const items: T[] = [];
    for (let i = newest - skip; i >= 0 && items.length < count && createdAt(i) >= from; i--)
      items.push(make(i));
    return items;
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push({ path: url.pathname, query: url.searchParams });
    const auth = req.headers.authorization ?? '';
    const expected = `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`;
    if (fake.revoked || auth !== expected) {
      return send(res, 401, error('BAD_REQUEST_ERROR', 'The api key provided is invalid'));
    }
    if (fake.rateLimitNext.count > 0) {
      fake.rateLimitNext.count--;
      return send(res, 429, error('BAD_REQUEST_ERROR', 'Too many requests'), {
        'retry-after': String(fake.rateLimitNext.retryAfter),
      });
    }
    const count = Number(url.searchParams.get('count') ?? 10);
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      return send(res, 400, error('BAD_REQUEST_ERROR', 'The count must be between 1 and 100.'));
    }
    let items: unknown[];
    if (url.pathname === '/v1/payments') {
      items = page(paymentCount, (i) => payment(i).created_at, payment, url.searchParams);
    } else if (url.pathname === '/v1/settlements') {
      items = page(settlementCount, (i) => start + i * step * 24, settlement, url.searchParams);
    } else {
      return send(res, 404, error('BAD_REQUEST_ERROR', 'The requested URL was not found on the server.'));
    }
    send(res, 200, { entity: 'collection', count: items.length, items });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return fake;
}
