import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ConnectorRuntime, createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { createConnectorService } from '../../src/connectors/service.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../src/connectors/vault.ts';
import type { Db } from '../../src/db/types.ts';
import { queueRun } from '../../src/domain/connections/repo.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { newId } from '../../src/domain/ids.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler.ts';
import { type FakeRazorpay, startFakeRazorpay } from '../fakes/razorpay.ts';
import { describeEachDb } from '../support/db.ts';
import { capturingNotifier } from '../support/notifier.ts';

// The connectors' clock and workers: a due connection is synced by a worker, a run whose worker stopped
// is taken over and goes on from its last page, and a connection that cannot sync holds back no other.

/** A logger that tells when the workers have ended `count` sync runs (the event the test waits for). */
function runEndings() {
  const ended: Record<string, unknown>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const entry = JSON.parse(line);
        if (entry.msg !== 'sync run ended') continue;
        ended.push(entry);
        for (const w of waiters.filter((x) => ended.length >= x.count)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      done();
    },
  });
  return {
    logger: pino({ level: 'info' }, sink),
    ended,
    until: (count: number) =>
      ended.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ count, resolve })),
  };
}

describeEachDb('connector syncs in the scheduler', (get) => {
  let fake: FakeRazorpay;
  let runtime: ConnectorRuntime;
  let scheduler: Scheduler;
  const endings = runEndings();
  const notifier = capturingNotifier();

  beforeAll(async () => {
    fake = await startFakeRazorpay({ payments: 120, settlements: 2 });
    runtime = createConnectorRuntime({
      db: get().db,
      vault: createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] }),
      logger: endings.logger,
      baseUrls: { razorpay: fake.url },
      rateLimits: { razorpay: { perSecond: 1000, burst: 100 } },
    });
    // No clock: the test runs the connectors' clock itself, once per step.
    scheduler = await startScheduler(
      { db: get().db, notifier, logger: endings.logger, connectors: runtime },
      { clock: false, backstopSeconds: 3600 },
    );
  });
  afterAll(async () => {
    await scheduler?.stop();
    await fake?.close();
  });

  async function connected(db: Db, phone: string): Promise<{ ctx: Ctx; connectionId: string }> {
    const owner = await ensureOwner(db, phone, 'Asia/Kolkata');
    const ctx: Ctx = {
      tenantId: owner.tenantId,
      userId: owner.userId,
      actor: 'user',
      via: 'api',
      timezone: 'Asia/Kolkata',
    };
    const { connection } = await createConnectorService(runtime).connect(ctx, 'razorpay', {
      credentials: { key_id: fake.keyId, key_secret: fake.keySecret },
    });
    return { ctx, connectionId: connection.id };
  }

  it('hands a queued run to a worker, which syncs the connection', async () => {
    const { db } = get();
    const { ctx } = await connected(db, '+919800000401');
    const before = endings.ended.length;
    await scheduler.syncConnectors();
    await endings.until(before + 1);
    const [run] = await db.tenant(ctx.tenantId, (tx) =>
      tx.query<{ status: string; trigger: string }>('SELECT status, trigger FROM sync_runs'),
    );
    expect(run).toEqual({ status: 'succeeded', trigger: 'connect' });
    const [n] = await db.tenant(ctx.tenantId, (tx) =>
      tx.query<{ n: string }>('SELECT count(*) AS n FROM payments'),
    );
    expect(Number(n?.n)).toBe(120);
  });

  it('queues a sync for a connection whose time has come, and sets its next time', async () => {
    const { db } = get();
    const { ctx, connectionId } = await connected(db, '+919800000402');
    await db.query("UPDATE sync_runs SET status = 'succeeded' WHERE connection_id = $1", [connectionId]);
    await db.query("UPDATE connections SET next_sync_at = now() - interval '1 minute' WHERE id = $1", [
      connectionId,
    ]);
    const before = endings.ended.length;
    const next = await scheduler.syncConnectors();
    await endings.until(before + 1);
    const runs = await db.tenant(ctx.tenantId, (tx) =>
      tx.query<{ trigger: string; status: string }>(
        'SELECT trigger, status FROM sync_runs ORDER BY created_at',
      ),
    );
    expect(runs.at(-1)).toEqual({ trigger: 'schedule', status: 'succeeded' });
    const [c] = await db.query<{ next_sync_at: Date }>('SELECT next_sync_at FROM connections WHERE id = $1', [
      connectionId,
    ]);
    expect(new Date(c?.next_sync_at ?? 0).getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
    expect(next).not.toBeNull();
  });

  it('takes over a run whose worker stopped: interrupted, and a new run goes on from the saved page', async () => {
    const { db } = get();
    const { ctx, connectionId } = await connected(db, '+919800000403');
    // As a worker that died after its second page would leave it.
    await db.query(
      `UPDATE sync_runs SET status = 'running', started_at = now() - interval '1 hour',
         heartbeat_at = now() - interval '30 minutes', dispatched_at = now() - interval '1 hour'
       WHERE connection_id = $1`,
      [connectionId],
    );
    await db.tenant(ctx.tenantId, (tx) =>
      tx.query(
        `INSERT INTO connection_streams (connection_id, tenant_id, stream, cursor)
         VALUES ($1, $2, 'payments', $3)`,
        [connectionId, ctx.tenantId, { window: { from: 0, to: 4_000_000_000, skip: 100 } }],
      ),
    );
    fake.requests.length = 0;
    const before = endings.ended.length;
    await scheduler.syncConnectors();
    await endings.until(before + 1);
    const runs = await db.tenant(ctx.tenantId, (tx) =>
      tx.query<{ status: string; error: string | null }>(
        'SELECT status, error FROM sync_runs ORDER BY created_at',
      ),
    );
    expect(runs.map((r) => r.status)).toEqual(['interrupted', 'succeeded']);
    expect(runs[0]?.error).toContain('last saved page');
    expect(fake.requests.find((r) => r.path === '/v1/payments')?.query.get('skip')).toBe('100');
  });

  it('never reads a connection its bridge feeds, and leaves a bridge’s stalled run to the bridge', async () => {
    const { db } = get();
    const owner = await ensureOwner(db, '+919800000409', 'Asia/Kolkata');
    const ctx: Ctx = {
      tenantId: owner.tenantId,
      userId: owner.userId,
      actor: 'user',
      via: 'api',
      timezone: 'Asia/Kolkata',
    };
    const { connection, run } = await createConnectorService(runtime).connect(ctx, 'tally', {
      config: { reach: 'bridge' },
      credentials: {},
    });
    expect(run).toBeNull();
    const binding = { tenantId: ctx.tenantId, connectionId: connection.id };
    // A bridge that stopped halfway through its run.
    await db.tenant(ctx.tenantId, (tx) => queueRun(tx, binding, 'bridge'));
    await db.query(
      `UPDATE sync_runs SET status = 'running', started_at = now() - interval '1 hour',
         heartbeat_at = now() - interval '30 minutes' WHERE connection_id = $1`,
      [connection.id],
    );
    await scheduler.syncConnectors();
    const runs = () =>
      db.tenant(ctx.tenantId, (tx) =>
        tx.query<{ status: string; trigger: string; error: string | null }>(
          'SELECT status, trigger, error FROM sync_runs ORDER BY created_at',
        ),
      );
    expect((await runs()).map((r) => [r.status, r.trigger])).toEqual([['interrupted', 'bridge']]);
    // A run queued by hand all the same is ended by its worker without reaching for Tally.
    await db.tenant(ctx.tenantId, (tx) => queueRun(tx, binding, 'manual'));
    const before = endings.ended.length;
    await scheduler.syncConnectors();
    await endings.until(before + 1);
    expect((await runs()).at(-1)).toEqual({
      status: 'failed',
      trigger: 'manual',
      error: 'Tally sends its records itself; nothing to read',
    });
    const [c] = await db.query<{ status: string; next_sync_at: Date | null }>(
      'SELECT status, next_sync_at FROM connections WHERE id = $1',
      [connection.id],
    );
    expect(c).toEqual({ status: 'connected', next_sync_at: null });
  });

  it('lets one connection that cannot sync hold back no other', async () => {
    const { db } = get();
    const broken = await ensureOwner(db, '+919800000404', 'Asia/Kolkata');
    const brokenId = newId('con');
    await db.tenant(broken.tenantId, (tx) =>
      tx.query(
        `INSERT INTO connections (id, tenant_id, connector, status, key_version, wrapped_key, credentials,
                                  webhook_token, frequency_minutes, next_sync_at)
         VALUES ($1, $2, 'no-such-connector', 'connected', 9, 'junk', 'junk', $3, 15, now() - interval '1 hour')`,
        [brokenId, broken.tenantId, newId('whk')],
      ),
    );
    const { ctx, connectionId } = await connected(db, '+919800000405');
    const before = endings.ended.length;
    await scheduler.syncConnectors();
    await endings.until(before + 2);
    const [bad] = await db.query<{ status: string; error: string }>(
      'SELECT status, error FROM connections WHERE id = $1',
      [brokenId],
    );
    expect(bad?.status).toBe('error');
    expect(bad?.error).toContain('no-such-connector');
    const [good] = await db.tenant(ctx.tenantId, (tx) =>
      tx.query<{ status: string }>('SELECT status FROM sync_runs WHERE connection_id = $1', [connectionId]),
    );
    expect(good?.status).toBe('succeeded');
  });

  it('tells the owner once when the vendor stops accepting the connection', async () => {
    const { db } = get();
    let before = endings.ended.length;
    const { ctx, connectionId } = await connected(db, '+919800000406');
    await scheduler.syncConnectors();
    await endings.until(before + 1);
    fake.revoked = true;
    try {
      before = endings.ended.length;
      await createConnectorService(runtime).requestSync(ctx, 'razorpay', {});
      await scheduler.syncConnectors();
      await endings.until(before + 1);
      // Another run of the same incident (queued before the owner could act) says nothing new.
      before = endings.ended.length;
      await db.tenant(ctx.tenantId, (tx) => queueRun(tx, { tenantId: ctx.tenantId, connectionId }, 'manual'));
      await scheduler.syncConnectors();
      await endings.until(before + 1);
    } finally {
      fake.revoked = false;
    }
    const told = notifier.sent.filter((n) => n.tenantId === ctx.tenantId);
    expect(told).toHaveLength(1);
    expect(told[0]?.userId).toBe(ctx.userId);
    expect(told[0]?.text).toContain('Razorpay stopped accepting our connection');
    expect(told[0]?.text).toContain('npx axon connect razorpay');
    const [state] = await db.query<{ status: string }>('SELECT status FROM connections WHERE id = $1', [
      connectionId,
    ]);
    expect(state?.status).toBe('disconnected');
  });
});
