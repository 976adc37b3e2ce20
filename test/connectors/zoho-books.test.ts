import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorSetupError } from '../../src/connectors/errors.ts';
import { toPaise } from '../../src/connectors/money.ts';
import { type ConnectorRuntime, contextFor, createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { credentialStore, runSync } from '../../src/connectors/sync-engine.ts';
import type { Connector } from '../../src/connectors/types.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../src/connectors/vault.ts';
import { zohoBooks } from '../../src/connectors/zoho-books/index.ts';
import type { Db } from '../../src/db/types.ts';
import {
  type ConnectionRow,
  insertConnection,
  queueRun,
  type RunRow,
} from '../../src/domain/connections/repo.ts';
import { newId } from '../../src/domain/ids.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { type FakeZohoBooks, startFakeZohoBooks } from '../fakes/zoho-books.ts';
import { describeEachDb } from '../support/db.ts';
import { capturingLogger } from '../support/logger.ts';

const zoho = zohoBooks as unknown as Connector;
const vault = createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] });
let fake: FakeZohoBooks;
let clock = new Date('2026-03-01T00:00:00Z');

function runtimeFor(db: Db, connectors: Connector[] = [zoho]): ConnectorRuntime {
  return createConnectorRuntime({
    db,
    vault,
    logger: capturingLogger().logger,
    baseUrls: { 'zoho-books': fake.url },
    rateLimits: { 'zoho-books': { perSecond: 10_000, burst: 100 } },
    http: { timeoutMs: 5000, retries: 2, backoffMs: 10, maxWaitMs: 2000 },
    now: () => clock,
    connectors,
  });
}

const pasted = () => ({
  client_id: fake.clientId,
  client_secret: fake.clientSecret,
  refresh_token: fake.refreshToken,
});

async function connect(db: Db, phone: string) {
  const owner = await ensureOwner(db, phone, 'Asia/Kolkata');
  const id = newId('con');
  return db.tenant(owner.tenantId, (tx) =>
    insertConnection(tx, {
      id,
      tenantId: owner.tenantId,
      connector: 'zoho-books',
      config: { data_center: 'in' },
      sealed: vault.seal({ tenantId: owner.tenantId, connectionId: id }, pasted()),
      webhookToken: newId('whk'),
      frequencyMinutes: 15,
    }),
  );
}

async function sync(runtime: ConnectorRuntime, c: ConnectionRow): Promise<RunRow> {
  const { run } = await runtime.db.tenant(c.tenant_id, (tx) =>
    queueRun(tx, { tenantId: c.tenant_id, connectionId: c.id }, 'manual'),
  );
  const done = await runSync(runtime, run.id);
  if (!done) throw new Error('the run did not start');
  return done;
}

const one = async <T>(db: Db, c: ConnectionRow, sql: string) =>
  (await db.tenant(c.tenant_id, (tx) => tx.query<T>(sql)))[0] as T;

const count = async (db: Db, c: ConnectionRow, sql: string) =>
  Number((await one<{ n: string }>(db, c, sql)).n);

const storedCredentials = async (db: Db, c: ConnectionRow) => {
  const row = await one<{ key_version: number; wrapped_key: string; credentials: string }>(
    db,
    c,
    `SELECT key_version, wrapped_key, credentials FROM connections WHERE id = '${c.id}'`,
  );
  return {
    ciphertext: row.credentials,
    open: vault.open(
      { tenantId: c.tenant_id, connectionId: c.id },
      { keyVersion: row.key_version, wrappedKey: row.wrapped_key, ciphertext: row.credentials },
    ),
  };
};

/** Processes waiting for an advisory lock (Postgres: each pool connection is one). */
const lockWaiters = async (db: Db) =>
  Number(
    (
      await db.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
      )
    )[0]?.n,
  );

/** Postgres tells no one when a backend starts waiting on a lock, so this looks until it sees it. */
async function until(seen: () => Promise<boolean>) {
  while (!(await seen())) await new Promise((r) => setTimeout(r, 5));
}

const tokenCalls = () => fake.requests.filter((r) => r.path === '/oauth/v2/token').length;

describe('vendor amounts in paise', () => {
  it('converts rupees with decimals exactly, never through a float product', () => {
    expect(toPaise(1234.56)).toBe(123456);
    expect(toPaise(0.29)).toBe(29);
    expect(toPaise(1.15)).toBe(115);
    expect(toPaise('0.30')).toBe(30);
    expect(toPaise(0.1 + 0.2)).toBe(30);
    expect(toPaise('19.999')).toBe(2000);
    expect(toPaise(-12.5)).toBe(-1250);
    expect(toPaise(99999999.99)).toBe(9999999999);
    expect(toPaise('12,000')).toBeNull();
  });
});

describeEachDb('Zoho Books against its fake', (get, kind) => {
  beforeAll(async () => {
    fake = await startFakeZohoBooks({ contacts: 450, invoices: 450, payments: 250 });
  });
  afterAll(() => fake.close());

  it('refreshes a pasted refresh token, reads every page to the end and keeps the token sealed', async () => {
    const { db } = get();
    fake.requests.length = 0;
    const c = await connect(db, '+919800000301');
    const run = await sync(runtimeFor(db), c);
    expect(run.status).toBe('succeeded');
    expect(run.counts.contacts).toMatchObject({ added: 450, rejected: 0, pages: 3 });
    expect(run.counts.invoices).toMatchObject({ added: 450, rejected: 0, pages: 3 });
    expect(run.counts.customerpayments).toMatchObject({ added: 250, rejected: 0, pages: 2 });
    expect(tokenCalls()).toBe(1);
    const lists = fake.requests.filter((r) => r.path.startsWith('/books/v3/'));
    for (const r of lists) expect(r.query.get('organization_id') ?? r.path).not.toBe(null);
    expect(
      lists
        .filter((r) => r.path !== '/books/v3/organizations')
        .every((r) => r.query.get('per_page') === '200'),
    ).toBe(true);

    const invoice = await one<{ total: string; balance: string; status: string; subtotal: string | null }>(
      db,
      c,
      'SELECT total, balance, status, subtotal FROM invoices LIMIT 1',
    );
    expect(invoice).toMatchObject({ status: 'open', subtotal: null });
    expect(Number(invoice.total)).toBe(123456);
    expect(Number((await one<{ amount: string }>(db, c, 'SELECT amount FROM payments LIMIT 1')).amount)).toBe(
      50010,
    );
    expect(await count(db, c, "SELECT count(*) AS n FROM parties WHERE 'supplier' = ANY(kinds)")).toBe(90);
    expect(await count(db, c, "SELECT count(*) AS n FROM parties WHERE gstin = '27AAPFU0939F1ZV'")).toBe(225);

    const stored = await storedCredentials(db, c);
    expect(stored.open).toMatchObject({ refresh_token: fake.refreshToken, access_token: fake.issued.at(-1) });
    expect(stored.ciphertext).not.toContain(fake.issued.at(-1));
  });

  it('reads only the invoices changed since the saved cursor the next time', async () => {
    const { db } = get();
    const c = await connect(db, '+919800000302');
    const runtime = runtimeFor(db);
    await sync(runtime, c);
    const latest = fake.invoices.at(-1)?.last_modified_time;
    for (const i of [3, 100, 250]) {
      const inv = fake.invoices[i];
      if (inv)
        Object.assign(inv, {
          status: 'paid',
          balance: 0,
          last_modified_time: `2026-02-02T09:00:0${i % 10}+0000`,
        });
    }
    fake.requests.length = 0;
    const next = await sync(runtime, c);
    expect(next.status).toBe('succeeded');
    const invoiceReads = fake.requests.filter((r) => r.path === '/books/v3/invoices');
    expect(invoiceReads).toHaveLength(1);
    expect(invoiceReads[0]?.query.get('last_modified_time')).toBe(latest);
    expect(invoiceReads[0]?.query.get('sort_column')).toBe('last_modified_time');
    // The three changed ones, plus the last one seen before (read again at its own time, unchanged).
    expect(next.counts.invoices).toMatchObject({ added: 0, updated: 3, pages: 1 });
    expect(
      await count(db, c, "SELECT count(*) AS n FROM invoices WHERE status = 'paid' AND balance = 0"),
    ).toBe(3);
  });

  it('stops at the first invoice older than the cursor even when Zoho does not filter by it', async () => {
    const { db } = get();
    const c = await connect(db, '+919800000319');
    const runtime = runtimeFor(db);
    await sync(runtime, c);
    for (const i of [7, 120]) {
      const inv = fake.invoices[i];
      if (inv)
        Object.assign(inv, {
          status: 'paid',
          balance: 0,
          last_modified_time: `2026-02-03T09:00:0${i % 10}+0000`,
        });
    }
    fake.ignoreModifiedFilter = true;
    fake.requests.length = 0;
    try {
      const next = await sync(runtime, c);
      expect(next.status).toBe('succeeded');
      // Newest first: the first page reaches back past the cursor, so no second page is asked for.
      expect(fake.requests.filter((r) => r.path === '/books/v3/invoices')).toHaveLength(1);
      expect(next.counts.invoices).toMatchObject({ updated: 2, pages: 1 });
    } finally {
      fake.ignoreModifiedFilter = false;
    }
  });

  it('refreshes before the token expires, and once on a 401', async () => {
    const { db } = get();
    const c = await connect(db, '+919800000303');
    const runtime = runtimeFor(db);
    await sync(runtime, c);
    fake.requests.length = 0;
    await sync(runtime, c);
    expect(tokenCalls()).toBe(0);

    clock = new Date(clock.getTime() + 2 * 3600_000);
    fake.requests.length = 0;
    expect((await sync(runtime, c)).status).toBe('succeeded');
    expect(tokenCalls()).toBe(1);
    expect(fake.requests[0]?.path).toBe('/oauth/v2/token');

    fake.expireTokens();
    fake.requests.length = 0;
    const after401 = await sync(runtime, c);
    expect(after401.status).toBe('succeeded');
    expect(tokenCalls()).toBe(1);
    expect((await storedCredentials(db, c)).open.access_token).toBe(fake.issued.at(-1));
  });

  it('disconnects when Zoho refuses the refresh token: the run fails, one event', async () => {
    const { db } = get();
    const c = await connect(db, '+919800000304');
    const runtime = runtimeFor(db);
    await sync(runtime, c);
    fake.expireTokens();
    fake.revoked = true;
    try {
      const refused = await sync(runtime, c);
      expect(refused.status).toBe('failed');
      expect(refused.error).toContain('invalid_code');
      await sync(runtime, c);
    } finally {
      fake.revoked = false;
    }
    expect((await one<{ status: string }>(db, c, 'SELECT status FROM connections')).status).toBe(
      'disconnected',
    );
    const events = await db.tenant(c.tenant_id, (tx) =>
      tx.query<{ payload: unknown }>("SELECT payload FROM events WHERE type = 'connector.disconnected'"),
    );
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(fake.refreshToken);
    expect(await count(db, c, 'SELECT count(*) AS n FROM invoices WHERE deleted_at IS NULL')).toBe(450);
  });

  it('disconnects when Zoho refuses the refresh made before an expiry, without retrying it as a network error', async () => {
    const { db } = get();
    const c = await connect(db, '+919800000307');
    const runtime = runtimeFor(db);
    await sync(runtime, c);
    clock = new Date(clock.getTime() + 2 * 3600_000);
    fake.revoked = true;
    fake.requests.length = 0;
    try {
      const refused = await sync(runtime, c);
      expect(refused.status).toBe('failed');
      expect(refused.error).toContain('invalid_code');
    } finally {
      fake.revoked = false;
    }
    expect(tokenCalls()).toBe(1);
    expect((await one<{ status: string }>(db, c, 'SELECT status FROM connections')).status).toBe(
      'disconnected',
    );
  });

  it('refreshes once when two processes find the token stale at the same time', async () => {
    const { db } = get();
    const c = await connect(db, '+919800000305');
    const binding = { tenantId: c.tenant_id, connectionId: c.id };
    const contextIn = (runtime: ConnectorRuntime) =>
      contextFor(runtime, zoho, {
        config: { data_center: 'in' },
        credentials: pasted(),
        timezone: 'Asia/Kolkata',
        store: credentialStore(runtime, zoho, binding),
      });
    const a = contextIn(runtimeFor(db));
    const b = contextIn(runtimeFor(db));
    fake.requests.length = 0;
    const held = fake.holdTokens();
    const first = a.http.get('books/v3/organizations');
    await held.arrived;
    // The second process finds the token stale while the first one's refresh is still in flight.
    const second = b.http.get('books/v3/organizations');
    if (kind === 'postgres') {
      // Released once the second has either refreshed too (the fault) or queued on the lock (the fix).
      await until(async () => tokenCalls() > 1 || (await lockWaiters(db)) > 0);
    }
    held.release();
    const [ra, rb] = await Promise.all([first, second]);
    expect(ra.status).toBe(200);
    expect(rb.status).toBe(200);
    expect(tokenCalls()).toBe(1);
    expect(a.credentials.access_token).toBe(b.credentials.access_token);
  });

  it('marks a deleted payment deleted only after a complete full read', async () => {
    const { db } = get();
    const c = await connect(db, '+919800000306');
    await sync(runtimeFor(db), c);
    const gone = fake.payments.splice(10, 1)[0];
    const breaking: Connector = {
      ...zoho,
      async *read(ctx, stream, cursor) {
        for await (const page of zoho.read(ctx, stream, cursor)) {
          yield page;
          if (stream === 'customerpayments') throw new Error('the worker died');
        }
      },
    };
    try {
      expect((await sync(runtimeFor(db, [breaking]), c)).status).toBe('failed');
      expect(await count(db, c, 'SELECT count(*) AS n FROM payments WHERE deleted_at IS NOT NULL')).toBe(0);
      expect((await sync(runtimeFor(db), c)).status).toBe('succeeded');
      const deleted = await db.tenant(c.tenant_id, (tx) =>
        tx.query<{ external_id: string }>('SELECT external_id FROM payments WHERE deleted_at IS NOT NULL'),
      );
      expect(deleted.map((d) => d.external_id)).toEqual([gone?.payment_id]);
    } finally {
      if (gone) fake.payments.splice(10, 0, gone);
    }
  });

  it('check picks the only organisation and refuses to guess between several', async () => {
    const { db } = get();
    const ctx = (config: Record<string, unknown>) =>
      contextFor(runtimeFor(db), zoho, { config, credentials: pasted(), timezone: 'Asia/Kolkata' });
    await expect(zoho.check(ctx({ data_center: 'in' }))).resolves.toBeUndefined();
    fake.organizations.push({ organization_id: '60098765432', name: 'Sharma Exports' });
    try {
      const ambiguous = zoho.check(ctx({ data_center: 'in' }));
      await expect(ambiguous).rejects.toBeInstanceOf(ConnectorSetupError);
      await expect(zoho.check(ctx({ data_center: 'in' }))).rejects.toThrow(
        /2 organisations: Sharma Traders \(60012345678\), Sharma Exports \(60098765432\)/,
      );
      await expect(
        zoho.check(ctx({ data_center: 'in', organization_id: '60098765432' })),
      ).resolves.toBeUndefined();
    } finally {
      fake.organizations.pop();
    }
  });
});
