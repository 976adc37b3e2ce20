import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ZohoContact, ZohoCustomerPayment, ZohoInvoice } from '../../src/connectors/zoho-books/index.ts';

/**
 * A local server speaking Zoho's wire format for what the connector uses, all under one base URL:
 * `GET /oauth/v2/auth` (the consent page, accepted at once: a redirect back with `code` and `state`, or
 * `error=access_denied`), `POST /oauth/v2/token` (form-encoded `grant_type=authorization_code` or
 * `refresh_token`; a refused code or refresh token is a 200 with `{"error": "invalid_code"}`), and `GET /books/v3/{organizations,contacts,invoices,customerpayments}` with
 * `Authorization: Zoho-oauthtoken …` and `organization_id`, paged by `page`/`per_page` (≤ 200) as
 * `{code: 0, message: "success", <list>: [...], page_context: {page, per_page, has_more_page, …}}`.
 * Invoices filter on `last_modified_time` (at or after) and sort on it when asked (`sort_order` A or D). A stale token is a 401
 * `{code: 57, message}`.
 */

export interface FakeZohoBooks {
  url: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  organizations: { organization_id: string; name: string }[];
  contacts: ZohoContact[];
  invoices: ZohoInvoice[];
  payments: ZohoCustomerPayment[];
  /** Access tokens handed out by the token endpoint, in order. */
  issued: string[];
  /** Every request answered: path and query. */
  requests: { path: string; query: URLSearchParams }[];
  /** The token endpoint refuses the refresh token. */
  revoked: boolean;
  /** Lists invoices without applying `last_modified_time` (only sorting), as an API that ignores it would. */
  ignoreModifiedFilter: boolean;
  /** Makes every token issued so far stale (the next API call is a 401). */
  expireTokens(): void;
  /** The consent page refuses (as when the owner clicks Reject). */
  denyConsent: boolean;
  /** Consent pages opened: their query. */
  consents: URLSearchParams[];
  /** Answers the token endpoint only when released (to hold two refreshes in flight). */
  holdTokens(): { release: () => void; arrived: Promise<void> };
  close(): Promise<void>;
}

const ORG = '60012345678';
const pad = (n: number) => String(n).padStart(6, '0');

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

const modified = (r: { last_modified_time?: string }) => r.last_modified_time ?? '';

/**
 * The rows modified at or after `since`, in modification order when asked (`A` oldest first, `D` newest
 * first). A list already in that order (as generated, until a test changes a row) is cut by binary search,
 * so paging a large one costs little.
 */
function selected<T extends { last_modified_time?: string }>(
  rows: T[],
  since: string | null,
  order: 'A' | 'D' | null,
): T[] {
  const inOrder = rows.every((r, i) => i === 0 || modified(rows[i - 1] as T) <= modified(r));
  let kept: T[];
  if (inOrder && since) {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (modified(rows[mid] as T) < since) lo = mid + 1;
      else hi = mid;
    }
    kept = rows.slice(lo);
  } else {
    kept = since ? rows.filter((r) => modified(r) >= since) : rows;
  }
  if (!order) return kept;
  const ascending = inOrder ? kept : [...kept].sort((a, b) => modified(a).localeCompare(modified(b)));
  return order === 'D' ? [...ascending].reverse() : ascending;
}

export async function startFakeZohoBooks(
  o: { contacts?: number; invoices?: number; payments?: number } = {},
): Promise<FakeZohoBooks> {
  // Zoho's time format, one second apart, in one offset so the text sorts as the time does.
  const lmt = (i: number) => {
    const d = new Date(Date.UTC(2026, 1, 1, 0, 0, 0) + i * 1000);
    return `${d.toISOString().slice(0, 19)}+0000`;
  };
  const fake: FakeZohoBooks = {
    url: '',
    clientId: '1000.FAKECLIENT0001',
    clientSecret: 'fake-client-secret-0123',
    refreshToken: '1000.fake-refresh-token.0123',
    organizations: [{ organization_id: ORG, name: 'Sharma Traders' }],
    contacts: Array.from({ length: o.contacts ?? 0 }, (_, i) => ({
      contact_id: `46000000${pad(i)}`,
      contact_name: `Party ${i}`,
      contact_type: i % 5 === 0 ? ('vendor' as const) : ('customer' as const),
      email: `party${i}@example.in`,
      phone: '+91 98000 00000',
      gst_no: i % 2 === 0 ? '27AAPFU0939F1ZV' : '',
      place_of_contact: 'MH',
      last_modified_time: lmt(i),
    })),
    invoices: Array.from({ length: o.invoices ?? 0 }, (_, i) => ({
      invoice_id: `46100000${pad(i)}`,
      invoice_number: `INV-${pad(i)}`,
      customer_id: `46000000${pad(i % Math.max(1, o.contacts ?? 1))}`,
      customer_name: `Party ${i}`,
      status: 'sent',
      date: '2026-02-01',
      due_date: '2026-03-01',
      currency_code: 'INR',
      total: 1234.56,
      balance: 1234.56,
      last_modified_time: lmt(i),
    })),
    payments: Array.from({ length: o.payments ?? 0 }, (_, i) => ({
      payment_id: `46200000${pad(i)}`,
      payment_number: `${i + 1}`,
      customer_id: `46000000${pad(0)}`,
      customer_name: 'Party 0',
      payment_mode: 'Bank Transfer',
      date: '2026-02-02',
      reference_number: `UTR${pad(i)}`,
      amount: 500.1,
      currency_code: 'INR',
      last_modified_time: lmt(i),
    })),
    issued: [],
    requests: [],
    revoked: false,
    ignoreModifiedFilter: false,
    denyConsent: false,
    consents: [],
    expireTokens() {
      valid.clear();
    },
    holdTokens() {
      let release = () => {};
      let arrived = () => {};
      hold = new Promise<void>((r) => {
        release = () => {
          hold = undefined;
          r();
        };
      });
      const came = new Promise<void>((r) => {
        arrived = r;
      });
      onToken = arrived;
      return { release, arrived: came };
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  const valid = new Set<string>();
  // Codes the consent page handed out and not yet exchanged, with the redirect each was given for.
  const codes = new Map<string, string>();
  const ourClient = (form: URLSearchParams) =>
    form.get('client_id') === fake.clientId && form.get('client_secret') === fake.clientSecret;
  /** A new access token, good until the test makes it stale. */
  const issue = () => {
    const token = `1000.access${fake.issued.length + 1}.fake`;
    fake.issued.push(token);
    valid.add(token);
    return { access_token: token, api_domain: fake.url, token_type: 'Bearer', expires_in: 3600 };
  };
  let hold: Promise<void> | undefined;
  let onToken: (() => void) | undefined;

  const lists: Record<string, () => { last_modified_time?: string }[]> = {
    contacts: () => fake.contacts,
    invoices: () => fake.invoices,
    customerpayments: () => fake.payments,
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    fake.requests.push({ path: url.pathname, query: url.searchParams });
    if (req.method === 'GET' && url.pathname === '/oauth/v2/auth') {
      // The consent page, accepted at once (or rejected): back to the redirect with a code or an error.
      fake.consents.push(url.searchParams);
      const redirect = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== fake.clientId || !URL.canParse(redirect)) {
        return send(res, 400, { error: 'invalid_client' });
      }
      const back = new URL(redirect);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      if (fake.denyConsent) back.searchParams.set('error', 'access_denied');
      else {
        const code = `1000.code${codes.size + 1}.${Math.random().toString(36).slice(2)}`;
        codes.set(code, redirect);
        back.searchParams.set('code', code);
        back.searchParams.set('location', 'in');
        back.searchParams.set('accounts-server', fake.url);
      }
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/oauth/v2/token') {
      const form = await formOf(req);
      onToken?.();
      if (hold) await hold;
      if (form.get('grant_type') === 'authorization_code') {
        const code = form.get('code') ?? '';
        const known = codes.get(code);
        codes.delete(code);
        if (known === undefined || known !== form.get('redirect_uri') || !ourClient(form)) {
          return send(res, 200, { error: 'invalid_code' });
        }
        return send(res, 200, { ...issue(), refresh_token: fake.refreshToken });
      }
      if (
        fake.revoked ||
        form.get('grant_type') !== 'refresh_token' ||
        form.get('refresh_token') !== fake.refreshToken ||
        !ourClient(form)
      ) {
        return send(res, 200, { error: 'invalid_code' });
      }
      return send(res, 200, issue());
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Zoho-oauthtoken ') || !valid.has(auth.slice('Zoho-oauthtoken '.length))) {
      return send(res, 401, { code: 57, message: 'You are not authorized to perform this operation' });
    }
    const name = url.pathname.replace(/^\/books\/v3\//, '');
    if (name === 'organizations') {
      return send(res, 200, { code: 0, message: 'success', organizations: fake.organizations });
    }
    const list = lists[name];
    if (!list) return send(res, 404, { code: 5, message: 'Invalid URL Passed' });
    if (!fake.organizations.some((org) => org.organization_id === url.searchParams.get('organization_id'))) {
      return send(res, 400, { code: 6041, message: 'This user is not associated with this organization.' });
    }
    const page = Number(url.searchParams.get('page') ?? 1);
    const perPage = Math.min(200, Number(url.searchParams.get('per_page') ?? 200));
    const rows = selected(
      list(),
      fake.ignoreModifiedFilter ? null : url.searchParams.get('last_modified_time'),
      url.searchParams.get('sort_column') === 'last_modified_time'
        ? url.searchParams.get('sort_order') === 'D'
          ? 'D'
          : 'A'
        : null,
    );
    const slice = rows.slice((page - 1) * perPage, page * perPage);
    send(res, 200, {
      code: 0,
      message: 'success',
      [name]: slice,
      page_context: {
        page,
        per_page: perPage,
        has_more_page: page * perPage < rows.length,
        report_name: name,
        sort_column: url.searchParams.get('sort_column') ?? 'created_time',
        sort_order: url.searchParams.get('sort_order') ?? 'D',
      },
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return fake;
}
