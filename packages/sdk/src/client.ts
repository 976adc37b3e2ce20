import { randomUUID } from 'node:crypto';
import { AxonError, errorOf } from './errors.ts';
import { operations } from './operations.ts';
import { backoff, DEFAULT_RETRY, type RetryPolicy, retryAfterMs, sleep } from './retry.ts';
import type { FileBody, ListId, Methods, OperationId, Paginators, RequestOptions } from './types.ts';

export interface ClientOptions {
  /** Where the API is served, without `/api/v1`: `https://api.example.com`. */
  baseUrl: string;
  /** An API key (`axk_live_…`) for a server, or `token`: a signed-in person's access token. */
  apiKey?: string;
  token?: string;
  /** Replaces the global fetch (a proxy agent, a test double). */
  fetch?: typeof fetch;
  /** Attempts after the first on 429, 5xx and network errors (default 2; 0 turns retries off). */
  retries?: number;
  /** The first backoff, doubling per attempt with jitter (default 500 ms). */
  retryDelayMs?: number;
  /** The longest wait between attempts; a longer Retry-After fails the call instead (default 30 s). */
  maxRetryDelayMs?: number;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  /** Sent with every call. */
  headers?: Record<string, string>;
}

interface Meta {
  request_id?: string;
  page?: number;
  total?: number;
  limit?: number;
}

type Operation = (typeof operations)[OperationId];

/**
 * The AxonBOS API, one method per operation (`listTasks`, `createTask`, …), each resolving to the envelope's
 * `data` or rejecting with an `AxonError`. Every POST carries an Idempotency-Key (random unless given), so
 * it can be retried without acting twice.
 */
class Client {
  /** Every item of a list, page after page: `for await (const task of client.paginate.listTasks())`. */
  readonly paginate: Paginators;
  readonly #fetch: typeof fetch;
  readonly #baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;

  constructor(options: ClientOptions) {
    if (options.apiKey && options.token) throw new TypeError('Give an apiKey or a token, not both.');
    const credential = options.apiKey ?? options.token;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#headers = { ...options.headers, ...(credential ? { authorization: `Bearer ${credential}` } : {}) };
    this.#retry = {
      retries: options.retries ?? DEFAULT_RETRY.retries,
      baseDelayMs: options.retryDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    };
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    const lists = (Object.keys(operations) as OperationId[]).filter((id) => operations[id].list);
    this.paginate = Object.fromEntries(
      lists.map((id) => [id, (...args: unknown[]) => this.#pages(id as ListId, args)]),
    ) as unknown as Paginators;
  }

  static {
    for (const id of Object.keys(operations) as OperationId[]) {
      Object.defineProperty(Client.prototype, id, {
        async value(this: Client, ...args: unknown[]) {
          return (await this.#send(id, args)).data;
        },
      });
    }
  }

  async #send(id: OperationId, args: unknown[]): Promise<{ data: unknown; meta: Meta }> {
    const op: Operation = operations[id];
    const takesInput = op.body !== null || op.query;
    const input = takesInput ? args[op.pathParams.length] : undefined;
    const options = (args[op.pathParams.length + (takesInput ? 1 : 0)] ?? {}) as RequestOptions;
    const url = new URL(this.#baseUrl + fillPath(op, args));
    if (op.query && input) appendQuery(url.searchParams, input as Record<string, unknown>);
    const headers: Record<string, string> = {
      accept: op.response === 'json' ? 'application/json' : '*/*',
      ...this.#headers,
      ...options.headers,
    };
    let body: FileBody | undefined;
    if (op.body === 'application/json' && input !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input);
    } else if (op.body !== null && input !== undefined) {
      headers['content-type'] = options.contentType ?? op.body;
      body = input as FileBody;
    }
    if (op.method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method: op.method,
          headers,
          body: body as BodyInit | undefined,
          signal: attemptSignal(this.#timeoutMs, options.signal),
        });
      } catch (err) {
        if (options.signal?.aborted) throw err;
        const timedOut = err instanceof Error && err.name === 'TimeoutError';
        const error = new AxonError(
          0,
          {
            code: timedOut ? 'timeout' : 'network_error',
            message: timedOut
              ? `No answer within ${this.#timeoutMs} ms.`
              : `The request failed: ${String(err)}`,
          },
          null,
          { cause: err },
        );
        if (!op.idempotent || attempt >= this.#retry.retries) throw error;
        await sleep(backoff(this.#retry, attempt), options.signal);
        continue;
      }
      if (response.ok) return read(op, response);
      const error = await errorOf(response);
      const wait = this.#retryWait(op, response, error, attempt);
      if (wait === null) throw error;
      await sleep(wait, options.signal);
    }
  }

  /**
   * How long to wait before trying again, or null not to. A 429 was refused before it ran, so any call
   * may repeat it; a 5xx or a key still in progress only a call that cannot act twice.
   */
  #retryWait(op: Operation, response: Response, error: AxonError, attempt: number): number | null {
    if (attempt >= this.#retry.retries) return null;
    const again =
      response.status === 429 ||
      (op.idempotent && (response.status >= 500 || error.code === 'idempotency_in_progress'));
    if (!again) return null;
    const after = retryAfterMs(response.headers.get('retry-after'));
    if (after !== null && after > this.#retry.maxDelayMs) return null;
    return after ?? backoff(this.#retry, attempt);
  }

  /** Page after page from the query's `page` (1 unless given), at the largest `limit` unless given. */
  async *#pages(id: ListId, args: unknown[]): AsyncGenerator<unknown> {
    const op = operations[id];
    const n = op.pathParams.length;
    const query: Record<string, unknown> = { limit: op.list.maxLimit, ...(args[n] as object | undefined) };
    for (let page = typeof query.page === 'number' ? query.page : 1; ; page++) {
      const { data, meta } = await this.#send(id, [...args.slice(0, n), { ...query, page }, args[n + 1]]);
      const items = (data as Record<string, unknown[]>)[op.list.items] ?? [];
      yield* items;
      // Offset pages: the total is re-read each time, so a list that grows while it is walked still ends.
      const limit = meta.limit ?? items.length;
      if (items.length === 0 || meta.total === undefined || page * limit >= meta.total) return;
    }
  }
}

export type AxonClient = Client & Methods;
export const AxonClient = Client as new (options: ClientOptions) => AxonClient;

function fillPath(op: Operation, args: unknown[]): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = args[op.pathParams.indexOf(name as never)];
    if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string.`);
    return encodeURIComponent(value);
  });
}

function appendQuery(params: URLSearchParams, query: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null) params.append(name, String(one));
    }
  }
}

/** The caller's signal, if any, and this attempt's own timeout. */
function attemptSignal(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

async function read(op: Operation, response: Response): Promise<{ data: unknown; meta: Meta }> {
  if (op.response === 'binary') return { data: new Uint8Array(await response.arrayBuffer()), meta: {} };
  const text = await response.text();
  const envelope = text ? (JSON.parse(text) as { data?: unknown; meta?: Meta }) : {};
  return { data: envelope.data ?? null, meta: envelope.meta ?? {} };
}
