import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorSetupError } from '../../src/connectors/errors.ts';
import { guardedFetch } from '../../src/connectors/guarded-fetch.ts';
import { createRateLimiter, createVendorClient } from '../../src/connectors/http.ts';
import { RefusedAddressError } from '../../src/domain/net/address-policy.ts';

// An owner's address is checked as the connection is made, not only before: a name that turns private
// between the check and the call (DNS rebinding) is refused at the socket.

describe('fetch for owners’ addresses', () => {
  let port = 0;
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end('BEGIN:VCALENDAR');
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a name that resolves to a loopback address when it connects, and never reaches it', async () => {
    // As a rebinding name answers: public when checked, 127.0.0.1 when the socket opens.
    const rebound = guardedFetch(async () => [{ address: '127.0.0.1', family: 4 }]);
    const failure = await rebound(`http://calendar.example:${port}/basic.ics`).catch((err: Error) => err);
    expect((failure as Error).cause).toBeInstanceOf(RefusedAddressError);
    expect(hits).toBe(0);
  });

  it('tells the owner, through the vendor client, that the address is private', async () => {
    const client = createVendorClient({
      connector: 'ics-calendar',
      baseUrl: `http://calendar.example:${port}/`,
      limiter: createRateLimiter({ perSecond: 100, burst: 10 }),
      settings: { timeoutMs: 2000, retries: 2, backoffMs: 1, maxWaitMs: 10 },
      fetch: guardedFetch(async () => [{ address: '10.0.0.7', family: 4 }]),
    });
    const failure = await client.get('basic.ics').catch((err: Error) => err);
    expect(failure).toBeInstanceOf(ConnectorSetupError);
    expect((failure as Error).message).toMatch(/private one .*10\.0\.0\.7/);
  });
});
