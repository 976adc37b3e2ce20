import { createHmac } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server speaking Shopify's REST Admin API for what the connector reads: `GET
 * /admin/api/<version>/{shop,orders,customers}.json` with `X-Shopify-Access-Token`, `limit` (≤ 250),
 * `updated_at_min` (inclusive), pages by cursor in the `Link` header (`page_info`, after which only
 * `limit` may be given: any other filter is a 400, as Shopify answers), oldest first by id; errors as
 * `{"errors": "…"}`: 401 for a wrong token, 429 with `Retry-After: 2.0` when asked. It also signs webhooks
 * the way Shopify does (base64 HMAC-SHA256 of the raw body).
 */

export interface ShopifyOrder {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  cancelled_at: string | null;
  financial_status: string;
  fulfillment_status: string | null;
  total_price: string;
  currency: string;
  customer: { id: number; first_name: string | null; last_name: string | null } | null;
}

export interface ShopifyCustomer {
  id: number;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  updated_at: string;
  default_address: { company: string | null; province: string | null } | null;
}

export interface FakeShopify {
  url: string;
  token: string;
  orders: ShopifyOrder[];
  customers: ShopifyCustomer[];
  requests: { path: string; query: URLSearchParams }[];
  /** The next `count` requests answer 429 with `Retry-After: 2.0`-style seconds. */
  rateLimitNext: { count: number; retryAfter: string };
  /** Where next-page links point, when not at this server (a hostile answer). */
  linkOrigin: string | null;
  /** Sign a webhook body as Shopify does with the app's client secret. */
  sign(body: string, secret: string): string;
  close(): Promise<void>;
}

const VERSION_PATH = /^\/admin\/api\/\d{4}-\d{2}\/(shop|orders|customers)\.json$/;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function shopifyOrder(id: number, o: Partial<ShopifyOrder> = {}): ShopifyOrder {
  return {
    id,
    name: `#${1000 + id}`,
    created_at: '2026-03-20T11:00:00+05:30',
    updated_at: '2026-03-20T11:00:00+05:30',
    cancelled_at: null,
    financial_status: 'paid',
    fulfillment_status: null,
    total_price: '1499.00',
    currency: 'INR',
    customer: { id: 900 + (id % 3), first_name: 'Asha', last_name: 'Verma' },
    ...o,
  };
}

export async function startFakeShopify(): Promise<FakeShopify> {
  const token = 'shpat_0123456789abcdef0123456789abcdef';
  const fake: Omit<FakeShopify, 'url' | 'close'> = {
    token,
    orders: [],
    customers: [],
    requests: [],
    rateLimitNext: { count: 0, retryAfter: '2.0' },
    linkOrigin: null,
    sign: (body, secret) => createHmac('sha256', secret).update(body, 'utf8').digest('base64'),
  };
  // page_info → what it stands for: the filter and the last id handed out.
  const cursors = new Map<string, { resource: string; since: string | null; after: number }>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    fake.requests.push({ path: url.pathname, query: url.searchParams });
    const match = VERSION_PATH.exec(url.pathname);
    if (req.method !== 'GET' || !match) return send(res, 404, { errors: 'Not Found' });
    if (req.headers['x-shopify-access-token'] !== token) {
      return send(res, 401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    }
    if (fake.rateLimitNext.count > 0) {
      fake.rateLimitNext.count--;
      return send(
        res,
        429,
        {
          errors:
            'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
        },
        { 'retry-after': fake.rateLimitNext.retryAfter },
      );
    }
    const resource = match[1] as string;
    if (resource === 'shop') return send(res, 200, { shop: { id: 1, name: 'Fake Store', currency: 'INR' } });
    const limit = Math.min(250, Number(url.searchParams.get('limit') ?? 50));
    const pageInfo = url.searchParams.get('page_info');
    let since: string | null;
    let after = 0;
    if (pageInfo) {
      const extra = [...url.searchParams.keys()].filter((k) => k !== 'page_info' && k !== 'limit');
      if (extra.length > 0) {
        return send(res, 400, {
          errors: { page_info: [`${extra[0]} cannot be passed when page_info is present`] },
        });
      }
      const saved = cursors.get(pageInfo);
      if (!saved || saved.resource !== resource)
        return send(res, 400, { errors: { page_info: ['Invalid value.'] } });
      ({ since, after } = saved);
    } else since = url.searchParams.get('updated_at_min');
    const all = (resource === 'orders' ? fake.orders : fake.customers)
      .filter((r) => r.id > after && (!since || Date.parse(r.updated_at) >= Date.parse(since)))
      .sort((a, b) => a.id - b.id);
    const page = all.slice(0, limit);
    const headers: Record<string, string> = {};
    if (all.length > limit) {
      const next = `p${cursors.size + 1}`;
      cursors.set(next, { resource, since, after: page.at(-1)?.id ?? after });
      const base = `${fake.linkOrigin ?? `http://${req.headers.host}`}${url.pathname}`;
      headers.link = `<${base}?limit=${limit}&page_info=${next}>; rel="next"`;
    }
    send(res, 200, { [resource]: page }, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // One object: what a test sets on it (a 429 to come, a hostile link) is what the server reads.
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/admin/api/2025-07/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
