import { setTimeout as sleep } from 'node:timers/promises';
import { RefusedAddressError } from '../domain/net/address-policy.ts';
import { type ResidencyPolicy, residencyRefusal } from '../domain/net/residency.ts';
import { ConnectorAuthError, ConnectorError, ConnectorSetupError } from './errors.ts';

/**
 * The one way a connector talks to its vendor: JSON over fetch, at a per-connector request rate, retrying
 * 429 and 5xx with backoff (a vendor's `Retry-After` honoured), refreshing credentials once on a 401, and
 * sorting every failure into the errors the sync engine acts on.
 */

export interface RateLimit {
  /** Requests per second, averaged. */
  perSecond: number;
  /** Requests that may go at once after a quiet spell. */
  burst: number;
}

export interface HttpSettings {
  timeoutMs: number;
  /** Tries after the first, for 429, 5xx and network errors. */
  retries: number;
  /** Backoff before the first retry, doubled each time (with jitter). */
  backoffMs: number;
  /** The longest wait accepted, `Retry-After` included: a longer one fails the call (tried on the next run). */
  maxWaitMs: number;
}

export const DEFAULT_HTTP_SETTINGS: HttpSettings = {
  timeoutMs: 30_000,
  retries: 4,
  backoffMs: 500,
  maxWaitMs: 60_000,
};

/** How the client and the limiter wait: real timers, or a test's record of what was asked. */
export interface Waiting {
  now: () => number;
  wait: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const realWaiting: Waiting = {
  now: () => performance.now(),
  wait: (ms, signal) => sleep(ms, undefined, { signal }),
};

/** Paces requests: a token bucket, shared by every client made with it. */
export function createRateLimiter(limit: RateLimit, waiting: Waiting = realWaiting) {
  const interval = 1000 / limit.perSecond;
  let tokens = limit.burst;
  let refilledAt = waiting.now();
  let queue = Promise.resolve();
  const take = async (): Promise<void> => {
    const now = waiting.now();
    tokens = Math.min(limit.burst, tokens + (now - refilledAt) / interval);
    refilledAt = now;
    if (tokens < 1) {
      await waiting.wait((1 - tokens) * interval);
      tokens = 1;
      refilledAt = waiting.now();
    }
    tokens -= 1;
  };
  return {
    /** Resolves when the next request may go; callers are served in order. */
    acquire(): Promise<void> {
      const turn = queue.then(take);
      queue = turn.catch(() => {});
      return turn;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded (OAuth token endpoints). */
  form?: Record<string, string>;
  /** Sent as it is, with its content type (Tally's XML envelopes). */
  body?: { type: string; data: string };
  /** The answer's bytes as they came (a vendor that may answer in UTF-16), not text or JSON. */
  raw?: boolean;
  headers?: Record<string, string>;
  /** Leave out the client's credentials (a token endpoint authenticates by its form). */
  auth?: boolean;
  signal?: AbortSignal;
}

export interface VendorResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface VendorClientOptions {
  connector: string;
  baseUrl: string;
  limiter: RateLimiter;
  settings?: HttpSettings;
  /** The credentials' headers for each request. */
  authHeaders?: () => Promise<Record<string, string>> | Record<string, string>;
  /** Called once on a 401: true when fresh credentials were obtained and the call should be tried again. */
  refresh?: () => Promise<boolean>;
  /** The vendor's error text from an error body, when it has one. */
  errorText?: (body: unknown) => string | undefined;
  /** Whether a response that is not 401 still means the credentials were refused. */
  refused?: (status: number, body: unknown) => boolean;
  waiting?: Waiting;
  /** The fetch to call with: the address policy's own for an owner's address (guarded-fetch.ts). */
  fetch?: typeof fetch;
  /** Where the business's data may be sent (DATA_RESIDENCY): checked before every request. */
  residency?: ResidencyPolicy;
}

/** Seconds (Shopify sends "2.0") or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.ceil(Number(header.trim()) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createVendorClient(options: VendorClientOptions) {
  const settings = options.settings ?? DEFAULT_HTTP_SETTINGS;
  const { wait } = options.waiting ?? realWaiting;
  const { connector } = options;
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;

  const urlFor = (path: string, query: RequestOptions['query']): URL => {
    // Absolute URLs are the vendor's own next-page links; relative paths hang off the base.
    const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(path.replace(/^\//, ''), base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  };

  const describe = (status: number, body: unknown): string => {
    const vendor = options.errorText?.(body);
    return vendor ? `${connector} answered ${status}: ${vendor}` : `${connector} answered ${status}`;
  };

  async function once(method: string, url: URL, req: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.auth !== false) Object.assign(headers, await options.authHeaders?.());
    let body: string | undefined;
    if (req.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    } else if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.body) {
      headers['content-type'] = req.body.type;
      body = req.body.data;
    }
    await options.limiter.acquire();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), settings.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    try {
      return await (options.fetch ?? fetch)(url, { method, headers, body, signal, redirect: 'error' });
    } finally {
      clearTimeout(timer);
    }
  }

  async function request<T>(
    method: string,
    path: string,
    req: RequestOptions = {},
  ): Promise<VendorResponse<T>> {
    const url = urlFor(path, req.query);
    const refusal = options.residency && residencyRefusal(options.residency, url, `${connector} data`);
    if (refusal) throw new ConnectorSetupError(connector, refusal);
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await once(method, url, req);
      } catch (err) {
        // Only the network is retried here; a refresh made for this request has already tried its own.
        if (req.signal?.aborted || err instanceof ConnectorError || err instanceof ConnectorAuthError)
          throw err;
        if ((err as Error).cause instanceof RefusedAddressError) {
          throw new ConnectorSetupError(
            connector,
            `the address is a private one that AxonBOS does not call (${((err as Error).cause as Error).message})`,
          );
        }
        if (attempt >= settings.retries) {
          throw new ConnectorError(connector, `${connector} could not be reached (${(err as Error).name})`);
        }
        await wait(backoff(attempt), req.signal);
        continue;
      }
      const body = req.raw && res.ok ? Buffer.from(await res.arrayBuffer()) : await readBody(res);
      const refused = res.status === 401 || options.refused?.(res.status, body) === true;
      // 304 answers only a conditional request: the caller asked for it and reads it as "unchanged".
      const fine = res.ok || res.status === 304;
      if (fine && !refused) return { status: res.status, body: body as T, headers: res.headers };
      if (refused) {
        if (!refreshed && req.auth !== false && options.refresh && (await options.refresh())) {
          refreshed = true;
          continue;
        }
        throw new ConnectorAuthError(connector, describe(res.status, body));
      }
      if ((res.status === 429 || res.status >= 500) && attempt < settings.retries) {
        const ms = retryAfterMs(res.headers.get('retry-after')) ?? backoff(attempt);
        if (ms > settings.maxWaitMs) {
          throw new ConnectorError(
            connector,
            `${describe(res.status, body)}; asked to wait ${Math.ceil(ms / 1000)} s`,
            res.status,
          );
        }
        await wait(ms, req.signal);
        continue;
      }
      throw new ConnectorError(connector, describe(res.status, body), res.status);
    }
  }

  function backoff(attempt: number): number {
    const ms = settings.backoffMs * 2 ** attempt;
    return Math.min(settings.maxWaitMs, ms / 2 + Math.random() * (ms / 2));
  }

  return {
    request,
    get: <T>(path: string, req?: RequestOptions) => request<T>('GET', path, req),
    post: <T>(path: string, req?: RequestOptions) => request<T>('POST', path, req),
  };
}

export type VendorClient = ReturnType<typeof createVendorClient>;
