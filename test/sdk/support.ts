import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Args, AxonClient, type ClientOptions } from '@axonbos/sdk';
import { closeServer } from '../../src/main.ts';
import type { TestApi } from '../support/api.ts';
import { testPhone } from '../support/api.ts';

export type Scope = Args<'createApiKey'>[0]['scopes'][number];

/** Test phones 90..99 are the SDK tests' own (see testPhone). */
export const SDK_PHONE = (n: number) => testPhone(90 + n);

/** Fast retries, so a test waits milliseconds rather than the default half second. */
export const FAST = { retryDelayMs: 5, maxRetryDelayMs: 5_000 } satisfies Partial<ClientOptions>;

/**
 * An owner signs in (phone 90 + n) and makes an API key with these scopes through the SDK: the only step
 * that needs a person. Everything after uses the key.
 */
export async function keyFor(api: TestApi, n: number, scopes: Scope[]): Promise<string> {
  const token = await api.signIn(SDK_PHONE(n));
  const asOwner = new AxonClient({ baseUrl: api.url, token });
  const made = await asOwner.createApiKey({ name: `sdk test ${scopes.join(' ')}`, scopes });
  return made.key;
}

export interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the proxy does with request i: pass it on, answer for the API, or pass it on and lose the answer. */
export type Script = (
  seen: Seen,
  index: number,
) => 'forward' | 'forward-then-503' | { status: number; headers?: Record<string, string> };

export interface FlakyProxy {
  url: string;
  seen: Seen[];
  /** What the API answered to the requests the proxy passed on. */
  answers: { status: number; replayed: boolean }[];
  close(): Promise<void>;
}

/** A proxy on 127.0.0.1 in front of the API that fails as the test scripts it. */
export async function startFlakyProxy(target: string, script: Script): Promise<FlakyProxy> {
  const seen: Seen[] = [];
  const answers: FlakyProxy['answers'] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: Seen = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    const plan = script(request, seen.push(request) - 1);
    if (typeof plan === 'object') {
      res.writeHead(plan.status, { 'content-type': 'application/json', ...plan.headers });
      res.end(JSON.stringify({ success: false, data: null, error: { code: 'flaky', message: 'Scripted.' } }));
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'host' && e[0] !== 'connection',
      ),
    );
    const upstream = await fetch(`${target}${request.path}`, {
      method: request.method,
      headers,
      ...(request.body ? { body: request.body } : {}),
    });
    const text = await upstream.text();
    answers.push({
      status: upstream.status,
      replayed: upstream.headers.get('idempotent-replayed') === 'true',
    });
    if (plan === 'forward-then-503') {
      res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>Bad gateway day</h1>');
      return;
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' });
    res.end(text);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    answers,
    close: () => closeServer(server),
  };
}
