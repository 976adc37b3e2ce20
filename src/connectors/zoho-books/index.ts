import { z } from 'zod';
import { ConnectorAuthError, ConnectorSetupError } from '../errors.ts';
import { toPaise } from '../money.ts';
import type { Connector, ConnectorContext, Cursor, StreamPage } from '../types.ts';

/**
 * Zoho Books v3 (https://www.zoho.com/books/api/v3/): OAuth 2 access tokens (`Zoho-oauthtoken`), living an
 * hour, minted from a refresh token at the data centre's accounts server (`accounts.zoho.<dc>/oauth/v2/token`);
 * the API at `www.zohoapis.<dc>/books/v3`, with `organization_id` on every call. Lists are
 * `{code: 0, message, <things>: [...], page_context: {page, per_page, has_more_page}}`, paged by
 * `page`/`per_page` (≤ 200). Amounts are rupees with decimals; a refused refresh is a 200 with `{error}`.
 */

const PER_PAGE = 200;
/** Refresh this long before the access token's expiry, so a request never goes out with a dying token. */
const EXPIRY_MARGIN_MS = 5 * 60_000;
const DATA_CENTRES = ['com', 'in', 'eu', 'com.au', 'jp'] as const;

const config = z.object({
  data_center: z
    .enum(DATA_CENTRES)
    .default('in')
    .describe('Where your Zoho account lives: in (zoho.in), com, eu, com.au or jp'),
  organization_id: z
    .string()
    .trim()
    .regex(/^\d{1,30}$/, 'must be the organisation id, digits only')
    .optional()
    .describe('Needed only when your Zoho account has more than one organisation'),
});

const secret = (what: string) => z.string().trim().min(8).max(500).describe(what).meta({ writeOnly: true });

const credentials = z.object({
  client_id: z
    .string()
    .trim()
    .min(8)
    .max(200)
    .describe('Client ID of your Self Client in the Zoho API console'),
  client_secret: secret('Client Secret of your Self Client'),
  refresh_token: secret('Refresh token, exchanged from a code generated in the Self Client'),
  // Kept by AxonBOS after each refresh, never asked for (readOnly).
  access_token: secret('The current access token').optional().meta({ readOnly: true }),
  /** Milliseconds since the epoch. */
  expires_at: z.number().int().optional().meta({ readOnly: true }),
});

type Config = z.infer<typeof config>;
type Credentials = z.infer<typeof credentials>;
type Ctx = ConnectorContext<Config, Credentials>;

export interface ZohoContact {
  contact_id: string;
  contact_name: string;
  company_name?: string;
  contact_type: 'customer' | 'vendor';
  email?: string;
  phone?: string;
  mobile?: string;
  gst_no?: string;
  place_of_contact?: string;
  last_modified_time?: string;
}

export interface ZohoInvoice {
  invoice_id: string;
  invoice_number: string;
  customer_id: string;
  customer_name: string;
  status: string;
  date: string;
  due_date?: string;
  currency_code: string;
  total: number | string;
  balance: number | string;
  last_modified_time: string;
}

export interface ZohoCustomerPayment {
  payment_id: string;
  payment_number?: string;
  customer_id: string;
  customer_name: string;
  payment_mode?: string;
  date: string;
  reference_number?: string;
  amount: number | string;
  currency_code?: string;
  last_modified_time?: string;
}

interface PageContext {
  page: number;
  per_page: number;
  has_more_page: boolean;
}

/** Zoho's amount in paise; Zoho always sends numbers, so anything else is its error, not ours to guess. */
export function zohoPaise(rupees: number | string): number {
  const paise = toPaise(rupees);
  if (paise === null) throw new Error(`Zoho Books sent an amount that is not a number: ${rupees}`);
  return paise;
}

/** Zoho's `2024-01-15T10:20:30+0530` as ISO 8601 with a colon in the offset. */
const instant = (t: string | undefined) => (t ? t.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : null);

/** Midnight of a Zoho date (the organisation's day) in the business's time zone. */
function startOfDay(date: string, timezone: string): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${date}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = name?.replace('GMT', '') || '+00:00';
  return `${date}T00:00:00${offset}`;
}

const INVOICE_STATUS: Record<string, 'draft' | 'open' | 'partially_paid' | 'paid' | 'void'> = {
  draft: 'draft',
  pending_approval: 'draft',
  approved: 'open',
  sent: 'open',
  viewed: 'open',
  unpaid: 'open',
  overdue: 'open',
  partially_paid: 'partially_paid',
  paid: 'paid',
  void: 'void',
};

const GSTIN = /^[0-9]{2}[A-Z0-9]{13}$/;
const orNull = (s: string | undefined) => (s?.trim() ? s.trim() : null);

export function partyRecord(c: ZohoContact) {
  const gstin = c.gst_no?.trim().toUpperCase();
  return {
    external_id: c.contact_id,
    name: c.contact_name || c.company_name || c.contact_id,
    kinds: [c.contact_type === 'vendor' ? ('supplier' as const) : ('customer' as const)],
    email: orNull(c.email),
    phone: orNull(c.mobile) ?? orNull(c.phone),
    gstin: gstin && GSTIN.test(gstin) ? gstin : null,
    state: orNull(c.place_of_contact),
    remote_updated_at: instant(c.last_modified_time),
    raw: c as unknown as Record<string, unknown>,
  };
}

export function invoiceRecord(i: ZohoInvoice) {
  return {
    external_id: i.invoice_id,
    direction: 'receivable' as const,
    number: orNull(i.invoice_number),
    party_external_id: orNull(i.customer_id),
    party_name: orNull(i.customer_name),
    issue_date: i.date || null,
    due_date: i.due_date || null,
    status: INVOICE_STATUS[i.status] ?? 'open',
    currency: i.currency_code || 'INR',
    // The list leaves out subtotal and tax; only the invoice's own page has them.
    subtotal: null,
    tax: null,
    total: zohoPaise(i.total),
    balance: zohoPaise(i.balance),
    remote_updated_at: instant(i.last_modified_time),
    raw: i as unknown as Record<string, unknown>,
  };
}

export function paymentRecord(p: ZohoCustomerPayment, timezone: string) {
  return {
    external_id: p.payment_id,
    direction: 'in' as const,
    party_external_id: orNull(p.customer_id),
    party_name: orNull(p.customer_name),
    paid_at: startOfDay(p.date, timezone),
    method: orNull(p.payment_mode),
    amount: zohoPaise(p.amount),
    currency: p.currency_code || 'INR',
    reference: orNull(p.reference_number) ?? orNull(p.payment_number),
    status: 'settled' as const,
    remote_updated_at: instant(p.last_modified_time),
    raw: p as unknown as Record<string, unknown>,
  };
}

const apiBase = (dc: string) => `https://www.zohoapis.${dc}/`;

/** A path of the data centre's accounts server (tokens, consent), or under the one overriding base URL. */
const accountsUrl = (ctx: Ctx, path: string) =>
  ctx.baseUrl === apiBase(ctx.config.data_center)
    ? `https://accounts.zoho.${ctx.config.data_center}/${path}`
    : new URL(path, ctx.baseUrl).href;

const tokenUrl = (ctx: Ctx) => accountsUrl(ctx, 'oauth/v2/token');

/** Zoho's answer from its token endpoint: tokens, or a 200 with `error` (refused: see `refused`). */
interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

interface Organization {
  organization_id: string;
  name: string;
}

const organizations = new WeakMap<object, Promise<string>>();

/** The configured organisation (when the account has it) or the account's only one. */
async function pickOrganization(ctx: Ctx): Promise<string> {
  const res = await ctx.http.get<{ organizations?: Organization[] }>('books/v3/organizations', {
    signal: ctx.signal,
  });
  const orgs = res.body?.organizations ?? [];
  const wanted = ctx.config.organization_id;
  if (wanted) {
    if (orgs.some((o) => o.organization_id === wanted)) return wanted;
    throw new ConnectorSetupError('zoho-books', `This Zoho account has no organisation ${wanted}.`);
  }
  if (orgs.length === 1 && orgs[0]) return orgs[0].organization_id;
  if (orgs.length === 0) {
    throw new ConnectorSetupError('zoho-books', 'This Zoho account has no Zoho Books organisation yet.');
  }
  const listed = orgs.map((o) => `${o.name} (${o.organization_id})`).join(', ');
  throw new ConnectorSetupError(
    'zoho-books',
    `This Zoho account has ${orgs.length} organisations: ${listed}. Set organization_id to the one to sync.`,
  );
}

/** The organisation every call names: the configured one, else picked once per context. */
function organizationId(ctx: Ctx): Promise<string> {
  if (ctx.config.organization_id) return Promise.resolve(ctx.config.organization_id);
  let found = organizations.get(ctx);
  if (!found) {
    found = pickOrganization(ctx);
    organizations.set(ctx, found);
  }
  return found;
}

/** Where a stream has read to: the page to read next, and for invoices the modification time it reads from. */
const PageCursor = z.object({
  page: z.number().int().positive().optional(),
  /** The run in progress reads invoices modified at or after this. */
  since: z.string().optional(),
  /** The next run reads from here: the latest modification seen by a completed read. */
  through: z.string().optional(),
  /** The latest modification seen so far in the run in progress. */
  latest: z.string().optional(),
});

async function* readPages<T>(
  ctx: Ctx,
  name: 'contacts' | 'invoices' | 'customerpayments',
  cursor: Cursor | null,
  map: (row: T) => unknown,
): AsyncIterable<StreamPage> {
  const saved = PageCursor.safeParse(cursor ?? {});
  const state = saved.success ? saved.data : {};
  const incremental = name === 'invoices';
  // A resumed run keeps the `since` it began with; a new one starts from the last completed read.
  const since = state.page ? state.since : state.through;
  let latest = state.page ? state.latest : undefined;
  const organization_id = await organizationId(ctx);
  for (let page = state.page ?? 1; ; page++) {
    const res = await ctx.http.get<Record<string, unknown> & { page_context?: PageContext }>(
      `books/v3/${name}`,
      {
        query: {
          organization_id,
          page,
          per_page: PER_PAGE,
          // Newest first: an invoice changed mid-read moves to the front, so pages only shift later and a
          // record may be read twice (harmless) but never skipped; the changed one is the next run's.
          ...(incremental && {
            sort_column: 'last_modified_time',
            sort_order: 'D',
            last_modified_time: since,
          }),
        },
        signal: ctx.signal,
      },
    );
    const rows = res.body?.[name];
    if (!Array.isArray(rows))
      throw new ConnectorSetupError('zoho-books', `Zoho Books answered ${name} without a list`);
    const at = (t: string | undefined) => Date.parse(instant(t) ?? '');
    for (const row of rows as { last_modified_time?: string }[]) {
      const t = row.last_modified_time;
      if (t && (!latest || at(t) > at(latest))) latest = t;
    }
    // Newest first: a row older than `since` means the rest were read before, whether or not Zoho applied
    // the filter, so the read ends here.
    const fresh = since
      ? (rows as { last_modified_time?: string }[]).filter(
          (r) => !r.last_modified_time || at(r.last_modified_time) >= at(since),
        )
      : rows;
    const more = res.body?.page_context?.has_more_page === true && fresh.length === rows.length;
    const through = incremental ? (latest ?? since) : undefined;
    yield {
      records: (fresh as T[]).map(map),
      cursor: more ? { page: page + 1, since, latest, through: state.through } : through ? { through } : {},
    };
    if (!more) return;
  }
}

export const zohoBooks: Connector<typeof config, typeof credentials> = {
  manifest: {
    id: 'zoho-books',
    name: 'Zoho Books',
    category: 'accounting',
    auth: 'oauth2',
    description: 'Customers, suppliers, invoices and payments received, from your Zoho Books organisation.',
    config,
    credentials,
    streams: [
      {
        name: 'contacts',
        object: 'parties',
        mode: 'full',
        description: 'Customers and vendors, with GSTIN and place of supply.',
      },
      {
        name: 'invoices',
        object: 'invoices',
        mode: 'incremental',
        cursorField: 'last_modified_time',
        description: 'Sales invoices with status, total and balance due.',
      },
      {
        name: 'customerpayments',
        object: 'payments',
        mode: 'full',
        tracksDeletes: true,
        description: 'Payments received from customers; deleted ones are marked deleted.',
      },
    ],
    frequencyMinutes: 15,
    baseUrl: apiBase('in'),
    // Zoho allows 100 requests a minute per organisation.
    rateLimit: { perSecond: 1.5, burst: 5 },
    setup:
      'In api-console.zoho.in (or your data centre’s) add a Self Client, generate a code with scope ' +
      'ZohoBooks.fullaccess.READ, exchange it for a refresh token, and paste the client id, client secret ' +
      'and refresh token.',
  },

  baseUrlFor: (c) => apiBase(c.data_center),

  authHeaders: (c: Credentials): Record<string, string> =>
    c.access_token ? { authorization: `Zoho-oauthtoken ${c.access_token}` } : {},

  errorText(body) {
    const b = body as { message?: unknown; error?: unknown } | undefined;
    const text = b?.message ?? b?.error;
    return typeof text === 'string' ? text : undefined;
  },

  // Zoho's accounts server refuses a refresh token with a 200 that carries `error`.
  refused: (_status, body) => typeof (body as { error?: unknown } | undefined)?.error === 'string',

  stale: (c, now) => !c.access_token || !c.expires_at || c.expires_at - EXPIRY_MARGIN_MS <= now.getTime(),

  oauth: {
    scope: 'ZohoBooks.fullaccess.READ',
    // A refresh token is handed out only with offline access, and again only when consent is asked anew.
    consentParams: { access_type: 'offline', prompt: 'consent' },
    consentUrl: (ctx) => accountsUrl(ctx, 'oauth/v2/auth'),
    async exchange(ctx, { code, redirectUri, client }) {
      const res = await ctx.http.post<TokenAnswer>(tokenUrl(ctx), {
        auth: false,
        form: {
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: client.id,
          client_secret: client.secret,
        },
        signal: ctx.signal,
      });
      if (!res.body?.refresh_token || !res.body.access_token) {
        throw new ConnectorAuthError('zoho-books', 'Zoho gave no refresh token');
      }
      return {
        client_id: client.id,
        client_secret: client.secret,
        refresh_token: res.body.refresh_token,
        access_token: res.body.access_token,
        expires_at: ctx.now().getTime() + (res.body.expires_in ?? 3600) * 1000,
      };
    },
  },

  async refresh(ctx, c) {
    const res = await ctx.http.post<TokenAnswer>(tokenUrl(ctx), {
      auth: false,
      form: {
        grant_type: 'refresh_token',
        refresh_token: c.refresh_token,
        client_id: c.client_id,
        client_secret: c.client_secret,
      },
      signal: ctx.signal,
    });
    if (!res.body?.access_token) throw new ConnectorAuthError('zoho-books', 'Zoho gave no access token');
    return {
      ...c,
      access_token: res.body.access_token,
      expires_at: ctx.now().getTime() + (res.body.expires_in ?? 3600) * 1000,
    };
  },

  async check(ctx) {
    await pickOrganization(ctx);
  },

  read(ctx, stream, cursor) {
    if (stream === 'contacts') return readPages(ctx, 'contacts', cursor, partyRecord);
    if (stream === 'invoices') return readPages(ctx, 'invoices', cursor, invoiceRecord);
    if (stream === 'customerpayments') {
      return readPages<ZohoCustomerPayment>(ctx, 'customerpayments', cursor, (p) =>
        paymentRecord(p, ctx.timezone),
      );
    }
    throw new Error(`zoho-books has no stream ${stream}`);
  },
};
