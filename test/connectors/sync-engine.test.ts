import { afterAll, beforeAll, expect, it } from 'vitest';
import { razorpay } from '../../src/connectors/razorpay/index.ts';
import { type ConnectorRuntime, createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { runSync } from '../../src/connectors/sync-engine.ts';
import type { Connector } from '../../src/connectors/types.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../src/connectors/vault.ts';
import type { Db } from '../../src/db/types.ts';
import {
  type ConnectionRow,
  insertConnection,
  queueRun,
  type RunRow,
} from '../../src/domain/connections/repo.ts';
import { newId } from '../../src/domain/ids.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { type FakeRazorpay, startFakeRazorpay } from '../fakes/razorpay.ts';
import { describeEachDb } from '../support/db.ts';
import { capturingLogger } from '../support/logger.ts';

const PAYMENTS = 1000;
const SETTLEMENTS = 30;
const vault = createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] });
let fake: FakeRazorpay;
let clock = new Date('2026-03-01T00:00:00Z');

function runtimeFor(db: Db, connectors?: Connector[]): ConnectorRuntime {
  return createConnectorRuntime({
    db,
    vault,
    logger: capturingLogger().logger,
    baseUrls: { razorpay: fake.url },
    rateLimits: { razorpay: { perSecond: 10_000, burst: 100 } },
    http: { timeoutMs: 5000, retries: 3, backoffMs: 10, maxWaitMs: 2000 },
    now: () => clock,
    ...(connectors && { connectors }),
  });
}

async function connect(
  db: Db,
  phone: string,
  credentials = { key_id: fake.keyId, key_secret: fake.keySecret },
) {
  const owner = await ensureOwner(db, phone, 'Asia/Kolkata');
  const id = newId('con');
  return db.tenant(owner.tenantId, (tx) =>
    insertConnection(tx, {
      id,
      tenantId: owner.tenantId,
      connector: 'razorpay',
      config: {},
      sealed: vault.seal({ tenantId: owner.tenantId, connectionId: id }, credentials),
      webhookToken: newId('whk'),
      frequencyMinutes: 15,
    }),
  );
}

async function sync(
  runtime: ConnectorRuntime,
  c: ConnectionRow,
  trigger: 'connect' | 'manual' = 'manual',
): Promise<RunRow> {
  const { run } = await runtime.db.tenant(c.tenant_id, (tx) =>
    queueRun(tx, { tenantId: c.tenant_id, connectionId: c.id }, trigger),
  );
  const done = await runSync(runtime, run.id);
  if (!done) throw new Error('the run did not start');
  return done;
}

const count = (db: Db, c: ConnectionRow, sql: string) =>
  db.tenant(c.tenant_id, async (tx) => Number((await tx.query<{ n: string }>(sql))[0]?.n));

const events = (db: Db, c: ConnectionRow, type: string) =>
  db.tenant(c.tenant_id, (tx) =>
    tx.query<{ payload: Record<string, unknown> }>(
      'SELECT payload FROM events WHERE type = $1 ORDER BY created_at',
      [type],
    ),
  );

describeEachDb('the sync engine with Razorpay', (get) => {
  beforeAll(async () => {
    // One payment a minute up to an hour before now (1,000 of them), and 30 settlements.
    const start = Math.floor(clock.getTime() / 1000) - 3600 - PAYMENTS * 60;
    fake = await startFakeRazorpay({ payments: PAYMENTS, settlements: SETTLEMENTS, start, step: 60 });
  });
  afterAll(() => fake.close());

  it('reads every page of both streams, then writes nothing on a re-sync', async () => {
    const { db } = get();
    const runtime = runtimeFor(db);
    const c = await connect(db, '+919800000201');
    const first = await sync(runtime, c, 'connect');
    expect(first.status).toBe('succeeded');
    // Ten full pages, then the short one that says the window is read to its end.
    expect(first.counts.payments).toMatchObject({ added: PAYMENTS, updated: 0, rejected: 0, pages: 11 });
    expect(first.counts.settlements).toMatchObject({ added: SETTLEMENTS, pages: 1 });
    expect(await count(db, c, 'SELECT count(*) AS n FROM payments')).toBe(PAYMENTS);
    const [state] = await db.tenant(c.tenant_id, (tx) =>
      tx.query<{ status: string; last_synced_at: Date | null }>(
        'SELECT status, last_synced_at FROM connections',
      ),
    );
    expect(state?.status).toBe('connected');
    expect(state?.last_synced_at).not.toBeNull();
    // The first sync finds history, not news.
    expect(await events(db, c, 'transaction.settled')).toEqual([]);

    clock = new Date(clock.getTime() + 15 * 60_000);
    const again = await sync(runtime, c);
    expect(again.counts.payments).toMatchObject({ added: 0, updated: 0 });
  });

  it('announces each newly settled payment once, however often it is read again', async () => {
    const { db } = get();
    const runtime = runtimeFor(db);
    const c = await connect(db, '+919800000202');
    await sync(runtime, c);
    fake.addPayments(3);
    fake.updatePayment(PAYMENTS + 1, { status: 'authorized' });
    clock = new Date(clock.getTime() + 15 * 60_000);
    const next = await sync(runtime, c);
    expect(next.counts.payments).toMatchObject({ added: 3, updated: 0 });
    let settled = await events(db, c, 'transaction.settled');
    expect(settled.map((e) => (e.payload.source as { external_id: string }).external_id).sort()).toEqual([
      fake.payment(PAYMENTS).id,
      fake.payment(PAYMENTS + 2).id,
    ]);
    expect(settled[0]?.payload).toMatchObject({ object: 'payment', currency: 'INR', direction: 'in' });

    fake.updatePayment(PAYMENTS + 1, { status: 'captured' });
    clock = new Date(clock.getTime() + 15 * 60_000);
    const later = await sync(runtime, c);
    expect(later.counts.payments).toMatchObject({ added: 0, updated: 1 });
    await sync(runtime, c);
    settled = await events(db, c, 'transaction.settled');
    expect(settled).toHaveLength(3);
  });

  it('resumes after the last saved page when a run breaks off: nothing lost, nothing doubled', async () => {
    const { db } = get();
    let pages = 0;
    const breaking: Connector = {
      ...(razorpay as unknown as Connector),
      async *read(ctx, stream, cursor) {
        for await (const page of razorpay.read(ctx as never, stream, cursor)) {
          if (stream === 'payments' && ++pages > 3) throw new Error('the worker died');
          yield page;
        }
      },
    };
    const c = await connect(db, '+919800000203');
    const broken = await sync(runtimeFor(db, [breaking]), c);
    expect(broken.status).toBe('failed');
    expect(broken.counts.payments).toMatchObject({ added: 300, pages: 3 });
    expect(await count(db, c, 'SELECT count(*) AS n FROM payments')).toBe(300);

    fake.requests.length = 0;
    const resumed = await sync(runtimeFor(db), c);
    expect(resumed.status).toBe('succeeded');
    expect(Number(fake.requests.find((r) => r.path === '/v1/payments')?.query.get('skip'))).toBe(300);
    expect(resumed.counts.payments).toMatchObject({ added: PAYMENTS + 3 - 300, pages: 8 });
    expect(await count(db, c, 'SELECT count(DISTINCT external_id) AS n FROM payments')).toBe(PAYMENTS + 3);
    expect(await count(db, c, 'SELECT count(*) AS n FROM payments')).toBe(PAYMENTS + 3);
  });

  it("waits out a 429's Retry-After and goes on", async () => {
    const { db } = get();
    const c = await connect(db, '+919800000204');
    fake.rateLimitNext = { count: 1, retryAfter: 1 };
    fake.requests.length = 0;
    const run = await sync(runtimeFor(db), c);
    expect(run.status).toBe('succeeded');
    expect(fake.requests[0]?.query.get('skip')).toBe('0');
    expect(fake.requests[1]?.query.get('skip')).toBe('0');
  });

  it('disconnects on refused credentials: one event, nothing deleted, and the next failure says nothing new', async () => {
    const { db } = get();
    const runtime = runtimeFor(db);
    const c = await connect(db, '+919800000205');
    await sync(runtime, c);
    fake.revoked = true;
    try {
      const refused = await sync(runtime, c);
      expect(refused.status).toBe('failed');
      expect(refused.error).toBe('razorpay answered 401: The api key provided is invalid');
      await sync(runtime, c);
    } finally {
      fake.revoked = false;
    }
    const [state] = await db.tenant(c.tenant_id, (tx) =>
      tx.query<{ status: string }>('SELECT status FROM connections'),
    );
    expect(state?.status).toBe('disconnected');
    const disconnected = await events(db, c, 'connector.disconnected');
    expect(disconnected).toHaveLength(1);
    expect(JSON.stringify(disconnected)).not.toContain(fake.keySecret);
    expect(await count(db, c, 'SELECT count(*) AS n FROM payments WHERE deleted_at IS NULL')).toBeGreaterThan(
      0,
    );
  });
});
