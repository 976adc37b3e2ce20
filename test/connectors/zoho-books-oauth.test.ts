import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSync } from '../../src/connectors/sync-engine.ts';
import { type FakeZohoBooks, startFakeZohoBooks } from '../fakes/zoho-books.ts';
import { expectError, startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// Connecting Zoho Books by its consent page: the owner asks AxonBOS for the page, accepts at the (fake)
// Zoho, and the browser comes back to the callback, which connects the business that asked.

const PUBLIC_URL = 'http://127.0.0.1:7/';

describeEachDb('Zoho Books by its consent page', (get) => {
  let api: TestApi;
  let fake: FakeZohoBooks;
  beforeAll(async () => {
    fake = await startFakeZohoBooks({ contacts: 3, invoices: 4, payments: 1 });
    api = await startTestApi(get().db, {
      PUBLIC_URL,
      CONNECTOR_ZOHO_BOOKS_BASE_URL: fake.url,
      CONNECTOR_ZOHO_BOOKS_RATE: '1000/s,100',
      CONNECTOR_ZOHO_BOOKS_CLIENT_ID: fake.clientId,
      CONNECTOR_ZOHO_BOOKS_CLIENT_SECRET: fake.clientSecret,
      RATE_LIMIT_SELF_SERVICE: '1000',
    });
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const authorize = (token: string, config: Record<string, unknown> = { data_center: 'in' }) =>
    api.request('POST', '/api/v1/connectors/zoho-books/authorize', { token, body: { config } });

  /** The owner at Zoho's consent page: where Zoho sends the browser back, as a path on this server. */
  async function consent(authorizeUrl: string): Promise<string> {
    const res = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}api/v1/connectors/oauth/callback`);
    return back.pathname + back.search;
  }

  const connection = async (token: string) =>
    (await api.request('GET', '/api/v1/connectors/zoho-books', { token })).body.data.connection;

  it('gives the consent page with a state, then connects the business that asked and starts its sync', async () => {
    const owner = await api.signIn(testPhone(30));
    const asked = await authorize(owner);
    expect(asked.status).toBe(200);
    const url = new URL(asked.body.data.authorize_url);
    expect(url.origin + url.pathname).toBe(`${fake.url}oauth/v2/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: fake.clientId,
      scope: 'ZohoBooks.fullaccess.READ',
      access_type: 'offline',
      prompt: 'consent',
      redirect_uri: `${PUBLIC_URL}api/v1/connectors/oauth/callback`,
    });
    const state = url.searchParams.get('state') ?? '';
    expect(state.length).toBeGreaterThanOrEqual(43);
    expect(JSON.stringify(asked.body)).not.toContain(fake.clientSecret);

    const back = await consent(asked.body.data.authorize_url);
    const done = await api.request('GET', back, { headers: { accept: 'text/html' } });
    expect(done.status).toBe(201);
    expect(String(done.body)).toContain('Zoho Books is connected');
    expect(String(done.body)).not.toContain('code=');
    expect(await connection(owner)).toMatchObject({ connector: 'zoho-books', config: { data_center: 'in' } });

    // The link works once: the same callback again changes nothing and says so.
    const again = await api.request('GET', back);
    expectError(again, 400, 'oauth_state_invalid');
    const stored = await api.runtime.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM oauth_states WHERE used_at IS NOT NULL',
    );
    expect(Number(stored[0]?.n)).toBeGreaterThanOrEqual(1);
    const raw = await api.runtime.db.query<{ state_hash: string }>('SELECT state_hash FROM oauth_states');
    expect(raw.map((r) => r.state_hash)).not.toContain(state);
  });

  it('binds the state to the business that asked: another business’s browser still connects the first', async () => {
    const first = await api.signIn(testPhone(31));
    const second = await api.signIn(testPhone(32));
    const asked = await authorize(first);
    const back = await consent(asked.body.data.authorize_url);
    // Whoever's browser follows the link (and whatever token it holds), the connection is the asker's.
    const done = await api.request('GET', back, { token: second });
    expect(done.status).toBe(201);
    expect(await connection(first)).toMatchObject({ connector: 'zoho-books' });
    expect(await connection(second)).toBeNull();
    // Its first sync was queued with it, and reads with the tokens the code was worth.
    const run = await runSync(api.runtime.connectors, done.body.data.sync.id);
    expect(run?.status).toBe('succeeded');
    const invoices = await api.request('GET', '/api/v1/invoices?source=zoho-books', { token: first });
    expect(invoices.body.data.invoices).toHaveLength(4);
  });

  it('refuses an unknown, tampered or expired state, a refused consent and a code Zoho refuses, storing nothing', async () => {
    const owner = await api.signIn(testPhone(33));
    expectError(
      await api.request('GET', `/api/v1/connectors/oauth/callback?code=x&state=${'a'.repeat(43)}`),
      400,
      'oauth_state_invalid',
    );
    expectError(
      await api.request('GET', '/api/v1/connectors/oauth/callback?code=x'),
      400,
      'oauth_state_invalid',
    );

    const expired = await authorize(owner);
    const back = await consent(expired.body.data.authorize_url);
    await api.runtime.db.query(
      "UPDATE oauth_states SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL",
    );
    expectError(await api.request('GET', back), 400, 'oauth_state_invalid');

    fake.denyConsent = true;
    try {
      const denied = await consent((await authorize(owner)).body.data.authorize_url);
      const refused = await api.request('GET', denied, { headers: { accept: 'text/html' } });
      expect(refused.status).toBe(400);
      expect(String(refused.body)).toContain('did not give access');
    } finally {
      fake.denyConsent = false;
    }

    const used = await consent((await authorize(owner)).body.data.authorize_url);
    const code = new URLSearchParams(used.split('?')[1]).get('code') ?? '';
    // The code is spent at Zoho before the callback comes: Zoho refuses it.
    await fetch(`${fake.url}oauth/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: `${PUBLIC_URL}api/v1/connectors/oauth/callback`,
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
      }),
    });
    const spent = await api.request('GET', used);
    expectError(spent, 400, 'connector_auth_failed');
    expect(JSON.stringify(spent.body)).not.toContain(code);
    expect(await connection(owner)).toBeNull();
  });

  it('is for owners, and only where the server has an OAuth app and the connector signs in that way', async () => {
    const owner = await api.signIn(testPhone(34));
    const member = await api.request('POST', '/api/v1/members', {
      token: owner,
      body: { phone: testPhone(35), name: 'Ravi' },
    });
    expect(member.status).toBe(201);
    expectError(await authorize(await api.signIn(testPhone(35))), 403, 'forbidden');
    expectError(
      await api.request('POST', '/api/v1/connectors/razorpay/authorize', { token: owner, body: {} }),
      400,
      'oauth_not_supported',
    );
    expectError(await authorize(owner, { data_center: 'mars' }), 400, 'connector_config_invalid');

    // A server with no OAuth app for Zoho says what to set; pasting a refresh token still works there.
    const bare = await startTestApi(get().db, { CONNECTOR_ZOHO_BOOKS_BASE_URL: fake.url });
    try {
      const res = await bare.request('POST', '/api/v1/connectors/zoho-books/authorize', {
        token: await bare.signIn(testPhone(36)),
        body: {},
      });
      expectError(res, 503, 'oauth_not_configured');
      expect(res.body.error.message).toContain('CONNECTOR_ZOHO_BOOKS_CLIENT_ID');
    } finally {
      await bare.close();
    }
  });
});
