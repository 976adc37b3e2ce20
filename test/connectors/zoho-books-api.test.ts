import { afterAll, beforeAll, expect, it } from 'vitest';
import { runSync } from '../../src/connectors/sync-engine.ts';
import { type FakeZohoBooks, startFakeZohoBooks } from '../fakes/zoho-books.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// Zoho Books over the real app: its manifest, a refused refresh token, an account with several
// organisations, and a pasted refresh token connecting and syncing through CONNECTOR_ZOHO_BOOKS_BASE_URL.

describeEachDb('Zoho Books over the API', (get) => {
  let api: TestApi;
  let fake: FakeZohoBooks;
  let owner: string;
  beforeAll(async () => {
    fake = await startFakeZohoBooks({ contacts: 3, invoices: 5, payments: 2 });
    api = await startTestApi(get().db, {
      CONNECTOR_ZOHO_BOOKS_BASE_URL: fake.url,
      CONNECTOR_ZOHO_BOOKS_RATE: '1000/s,100',
    });
    owner = await api.signIn(testPhone(51));
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const credentials = (refresh_token = fake.refreshToken) => ({
    client_id: fake.clientId,
    client_secret: fake.clientSecret,
    refresh_token,
  });

  it('describes Zoho Books: data centre defaulting to India, secrets write-only, three streams', async () => {
    const res = await api.request('GET', '/api/v1/connectors/zoho-books', { token: owner });
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d).toMatchObject({ id: 'zoho-books', auth: 'oauth2', category: 'accounting' });
    expect(d.config_schema.properties.data_center).toMatchObject({ default: 'in' });
    expect(d.credentials_schema.properties.client_secret.writeOnly).toBe(true);
    expect(d.credentials_schema.properties.refresh_token.writeOnly).toBe(true);
    expect(d.streams.map((s: { name: string; object: string }) => [s.name, s.object])).toEqual([
      ['contacts', 'parties'],
      ['invoices', 'invoices'],
      ['customerpayments', 'payments'],
    ]);
  });

  it('refuses a refresh token Zoho refuses, and an account whose organisation it cannot pick', async () => {
    const refused = await api.request('POST', '/api/v1/connectors/zoho-books/connect', {
      token: owner,
      body: { credentials: credentials('1000.not-the-token.0000') },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('connector_auth_failed');
    expect(JSON.stringify(refused.body)).not.toContain('1000.not-the-token.0000');

    fake.organizations.push({ organization_id: '60098765432', name: 'Sharma Exports' });
    try {
      const ambiguous = await api.request('POST', '/api/v1/connectors/zoho-books/connect', {
        token: owner,
        body: { credentials: credentials() },
      });
      expect(ambiguous.status).toBeGreaterThanOrEqual(400);
      expect(ambiguous.body.error.message).toContain('Sharma Exports (60098765432)');
    } finally {
      fake.organizations.pop();
    }
    const [stored] = await get().db.query<{ n: string }>('SELECT count(*) AS n FROM connections');
    expect(Number(stored?.n)).toBe(0);
  });

  it('connects with a pasted refresh token and syncs', async () => {
    const res = await api.request('POST', '/api/v1/connectors/zoho-books/connect', {
      token: owner,
      body: { credentials: credentials() },
    });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain(fake.refreshToken);
    const run = await runSync(api.runtime.connectors, res.body.data.sync.id);
    expect(run?.status).toBe('succeeded');
    const invoices = await api.request('GET', '/api/v1/invoices?source=zoho-books', { token: owner });
    expect(invoices.body.data.invoices ?? invoices.body.data).toHaveLength(5);
  });
});
