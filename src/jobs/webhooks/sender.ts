import http from 'node:http';
import https from 'node:https';
import { guardedLookup, refusedLiteral } from '../../domain/net/address-policy.ts';

/** One HTTP POST of a signed webhook body: the answer's status and Retry-After, or why there was none. */

export interface SendResult {
  statusCode: number | null;
  retryAfter: string | undefined;
  error: string | null;
}

export interface Sender {
  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult>;
  close(): void;
}

// Enough to tell an integrator what went wrong, short enough for the delivery log.
const MAX_ERROR_LENGTH = 300;

export function createSender(opts: { timeoutMs: number; allowPrivate: boolean; userAgent: string }): Sender {
  const lookup = opts.allowPrivate ? undefined : guardedLookup();
  // Kept-alive connections: a receiver taking many events is not paying a handshake per event.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  function send(raw: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const url = new URL(raw);
    const literal = opts.allowPrivate ? null : refusedLiteral(url);
    if (literal) {
      return Promise.resolve({
        statusCode: null,
        retryAfter: undefined,
        error: `refused: ${literal} is a private, loopback or link-local address`,
      });
    }
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const req = transport.request(
        url,
        {
          method: 'POST',
          agent: agents[url.protocol as 'http:' | 'https:'],
          lookup,
          signal: AbortSignal.timeout(opts.timeoutMs),
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': opts.userAgent,
          },
        },
        (res) => {
          // The status decides; the body is not ours to read, only drained so the connection can be reused.
          res.on('error', () => {});
          res.resume();
          resolve({
            statusCode: res.statusCode ?? null,
            retryAfter: headerOf(res, 'retry-after'),
            error: null,
          });
        },
      );
      req.on('error', (err) => resolve(failure(err)));
      req.end(body);
    });
  }

  return {
    send,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

const headerOf = (res: http.IncomingMessage, name: string) => {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function failure(err: Error & { code?: string }): SendResult {
  const message =
    err.name === 'TimeoutError' || err.name === 'AbortError'
      ? 'timed out waiting for the receiver'
      : err.name === 'RefusedAddressError'
        ? `refused: ${err.message}`
        : `${err.code ? `${err.code}: ` : ''}${err.message}`;
  return { statusCode: null, retryAfter: undefined, error: message.slice(0, MAX_ERROR_LENGTH) };
}
