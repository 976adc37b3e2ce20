import pino from 'pino';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { completeFollowUp, createFollowUp } from '../../src/domain/follow-ups/service.ts';
import { createTask } from '../../src/domain/tasks/service.ts';
import type { AttemptRecord } from '../../src/domain/webhooks/outbox.ts';
import { claimDueDeliveries } from '../../src/domain/webhooks/outbox.ts';
import type { WebhookCreate } from '../../src/domain/webhooks/schema.ts';
import { createWebhook, listDeliveries, redeliver } from '../../src/domain/webhooks/service.ts';
import { createWebhookRelay, type RelayOptions, type WebhookRelay } from '../../src/jobs/webhooks/relay.ts';
import { type Answer, startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { newBusiness } from '../support/business.ts';
import { describeEachDb } from '../support/db.ts';
import { verifyStandardWebhook } from '../support/standard-webhook.ts';

const logger = pino({ level: 'silent' });
const FAST = [10, 10, 10];
const allowPrivate = { allowPrivate: true };

describeEachDb('webhook relay', (get, kind) => {
  let db: Db;
  let phone = 0;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(() => {
    db = get().db;
  });
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  const business = () => newBusiness(db, `+9190000${String(7000 + phone++).padStart(5, '0')}`);

  async function receiver(answer?: (req: { body: string }, i: number) => Answer): Promise<WebhookReceiver> {
    const r = await startWebhookReceiver(answer);
    cleanup.push(() => r.close());
    return r;
  }

  /** A relay whose attempts a test can await, one count per endpoint. */
  function relay(overrides: Partial<RelayOptions> = {}, onDb: Db = db) {
    const records: AttemptRecord[] = [];
    const waiters: { done: () => boolean; resolve: () => void }[] = [];
    const r: WebhookRelay = createWebhookRelay({
      db: onDb,
      logger,
      allowPrivate: true,
      retrySchedule: FAST,
      timeoutMs: 5000,
      pollIntervalMs: 60_000,
      onAttempt: (rec) => {
        records.push(rec);
        for (const w of waiters.filter((w) => w.done())) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      },
      ...overrides,
    });
    cleanup.push(() => r.stop());
    const attemptsFor = (endpointId: string) => records.filter((x) => x.delivery.endpoint_id === endpointId);
    return {
      relay: r,
      records,
      attemptsFor,
      /** Resolves when `n` attempts for the endpoint have been recorded. */
      waitForAttempts: (endpointId: string, n: number) =>
        new Promise<AttemptRecord[]>((resolve) => {
          const done = () => attemptsFor(endpointId).length >= n;
          if (done()) resolve(attemptsFor(endpointId));
          else waiters.push({ done, resolve: () => resolve(attemptsFor(endpointId)) });
        }),
    };
  }

  const endpoint = (ctx: Ctx, url: string, events: WebhookCreate['events'] = ['task.created']) =>
    createWebhook(db, ctx, { url, events, enabled: true }, allowPrivate);

  it('delivers a committed event, signed so that a Standard Webhooks receiver verifies it', async () => {
    const ctx = await business();
    const rx = await receiver();
    const hook = await endpoint(ctx, rx.url);
    const r = relay();
    await r.relay.start();
    const task = await createTask(db, ctx, { title: 'Call Sharma ji', priority: 'high' }, 'api');
    const [got] = await rx.waitFor(1);
    if (!got) throw new Error('nothing received');
    const verified = verifyStandardWebhook(hook.secret, got.body, got.headers);
    expect(verified).toMatchObject({ type: 'task.created', data: { id: task.id, title: 'Call Sharma ji' } });
    expect(got.headers['webhook-id']).toMatch(/^evt_/);
    expect(() =>
      verifyStandardWebhook(
        `whsec_${Buffer.from('wrong secret, wrong').toString('base64')}`,
        got.body,
        got.headers,
      ),
    ).toThrow();
    expect(() => verifyStandardWebhook(hook.secret, `${got.body} `, got.headers)).toThrow();
    const [rec] = await r.waitForAttempts(hook.id, 1);
    expect(rec?.outcome.kind).toBe('succeeded');
  });

  it('retries a receiver that fails three times and delivers on the 4th attempt with the same webhook-id', async () => {
    const ctx = await business();
    const rx = await receiver((_req, i) => ({ status: i < 3 ? 500 : 200 }));
    const hook = await endpoint(ctx, rx.url);
    const r = relay();
    await r.relay.start();
    await createTask(db, ctx, { title: 'GST payment', priority: 'medium' }, 'api');
    const got = await rx.waitFor(4);
    await r.waitForAttempts(hook.id, 4);
    expect(new Set(got.map((g) => g.headers['webhook-id'])).size).toBe(1);
    expect(new Set(got.map((g) => g.body)).size).toBe(1);
    for (const g of got) verifyStandardWebhook(hook.secret, g.body, g.headers);
    const page = await listDeliveries(db, ctx, hook.id, { page: 1, limit: 20 });
    const [delivery] = page.items;
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 4, last_status_code: 200 });
    expect(delivery?.attempt_log.map((a) => a.status_code)).toEqual([500, 500, 500, 200]);
    expect(delivery?.attempt_log.every((a) => a.duration_ms >= 0 && a.attempted_at)).toBe(true);
    expect(delivery?.attempt_log[0]?.error).toContain('500');
  });

  it('stops at the hard cap: never more attempts than the schedule allows, even when woken again', async () => {
    const ctx = await business();
    const rx = await receiver(() => ({ status: 503 }));
    const hook = await endpoint(ctx, rx.url);
    const r = relay();
    await r.relay.start();
    await createTask(db, ctx, { title: 'Never lands', priority: 'low' }, 'api');
    await r.waitForAttempts(hook.id, FAST.length + 1);
    const [delivery] = (await listDeliveries(db, ctx, hook.id, { page: 1, limit: 20 })).items;
    expect(delivery).toMatchObject({ status: 'failed', attempts: 4, max_attempts: 4, next_attempt_at: null });
    // Force it due again behind the relay's back; the claim must still refuse it.
    await db.query(
      "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now() - interval '1 hour' WHERE endpoint_id = $1",
      [hook.id],
    );
    const claimed = await db.transaction((tx) => claimDueDeliveries(tx, 100, 1000));
    expect(claimed.filter((c) => c.endpoint_id === hook.id)).toEqual([]);
    await expect(
      db.query('UPDATE webhook_deliveries SET attempts = max_attempts + 1 WHERE endpoint_id = $1', [hook.id]),
    ).rejects.toThrow();
    expect(rx.received).toHaveLength(4);
  });

  it('disables the endpoint on 410 Gone and sends it nothing more', async () => {
    const ctx = await business();
    const rx = await receiver(() => ({ status: 410 }));
    const hook = await endpoint(ctx, rx.url);
    const other = await receiver();
    const otherHook = await endpoint(ctx, other.url);
    const r = relay();
    await r.relay.start();
    await createTask(db, ctx, { title: 'First', priority: 'low' }, 'api');
    const [rec] = await r.waitForAttempts(hook.id, 1);
    expect(rec?.outcome.kind).toBe('gone');
    const [row] = await db.query<{ enabled: boolean; disabled_reason: string }>(
      'SELECT enabled, disabled_reason FROM webhook_endpoints WHERE id = $1',
      [hook.id],
    );
    expect(row).toMatchObject({ enabled: false });
    expect(row?.disabled_reason).toContain('410');
    await createTask(db, ctx, { title: 'Second', priority: 'low' }, 'api');
    // The other endpoint of the same business gets both events; the gone one got only the first.
    await other.waitFor(2);
    await r.waitForAttempts(otherHook.id, 2);
    expect(rx.received).toHaveLength(1);
    const [delivery] = (await listDeliveries(db, ctx, hook.id, { page: 1, limit: 20 })).items;
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 410 });
  });

  it('honours Retry-After: the next attempt waits at least that long', async () => {
    const ctx = await business();
    const rx = await receiver(() => ({ status: 429, headers: { 'retry-after': '120' } }));
    const hook = await endpoint(ctx, rx.url);
    const r = relay();
    await r.relay.start();
    await createTask(db, ctx, { title: 'Slow down', priority: 'low' }, 'api');
    const [rec] = await r.waitForAttempts(hook.id, 1);
    expect(rec?.outcome).toMatchObject({ kind: 'retry' });
    const [row] = await db.query<{ wait_s: number }>(
      `SELECT extract(epoch FROM d.next_attempt_at - a.attempted_at)::float8 AS wait_s
       FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id WHERE d.endpoint_id = $1`,
      [hook.id],
    );
    expect(row?.wait_s).toBeGreaterThanOrEqual(120);
    expect(rx.received).toHaveLength(1);
  });

  it('refuses to send to a private address unless WEBHOOK_ALLOW_PRIVATE', async () => {
    const ctx = await business();
    const rx = await receiver();
    const hook = await endpoint(ctx, rx.url);
    const named = await endpoint(ctx, rx.url.replace('127.0.0.1', 'localhost'));
    // Loopback inside IPv6 (IPv4-compatible, IPv4-mapped): saved while allowed, refused when sending.
    const hidden = await endpoint(ctx, rx.url.replace('127.0.0.1', '[::127.0.0.1]'));
    const mapped = await endpoint(ctx, rx.url.replace('127.0.0.1', '[::ffff:7f00:1]'));
    const r = relay({ allowPrivate: false, retrySchedule: [] });
    await r.relay.start();
    await createTask(db, ctx, { title: 'Into the intranet', priority: 'low' }, 'api');
    const [literal] = await r.waitForAttempts(hook.id, 1);
    const [byName] = await r.waitForAttempts(named.id, 1);
    const [inside] = await r.waitForAttempts(hidden.id, 1);
    const [asMapped] = await r.waitForAttempts(mapped.id, 1);
    expect(literal?.error).toMatch(/^refused: /);
    expect(byName?.error).toMatch(/^refused: /);
    expect(inside?.error).toMatch(/^refused: ::7f00:1 /);
    expect(asMapped?.error).toMatch(/^refused: ::ffff:7f00:1 /);
    expect(literal?.outcome.kind).toBe('failed');
    expect(rx.received).toHaveLength(0);
  });

  it('delivers what was committed while no relay ran, and takes over an attempt a dead process claimed', async () => {
    const ctx = await business();
    const rx = await receiver();
    const hook = await endpoint(ctx, rx.url, ['follow_up.created', 'follow_up.completed']);
    const fu = await createFollowUp(
      db,
      ctx,
      {
        subject: 'Payment reminder',
        due_at: new Date(Date.now() + 3_600_000).toISOString(),
        channel: 'call',
      },
      'api',
    );
    // A "process" fans out and claims the first event, then dies without sending (1 ms lease).
    const dead = relay({ concurrency: 0 });
    await dead.relay.start();
    await dead.relay.stop();
    const claimed = await db.transaction((tx) => claimDueDeliveries(tx, 100, 1));
    expect(claimed.some((c) => c.endpoint_id === hook.id)).toBe(true);
    await completeFollowUp(db, ctx, fu.id, 'Paid ₹1,20,000');

    const r = relay();
    await r.relay.start();
    const got = await rx.waitFor(2);
    const types = got.map((g) => JSON.parse(g.body).type).sort();
    expect(types).toEqual(['follow_up.completed', 'follow_up.created']);
    const recs = await r.waitForAttempts(hook.id, 2);
    const created = recs.find((x) => x.delivery.event_type === 'follow_up.created');
    expect(created?.delivery.attempt).toBe(2);
  });

  it('redelivers a finished delivery once more, with the same webhook-id', async () => {
    const ctx = await business();
    const rx = await receiver();
    const hook = await endpoint(ctx, rx.url);
    const r = relay();
    await r.relay.start();
    await createTask(db, ctx, { title: 'Again please', priority: 'low' }, 'api');
    await r.waitForAttempts(hook.id, 1);
    const [delivery] = (await listDeliveries(db, ctx, hook.id, { page: 1, limit: 20 })).items;
    if (!delivery) throw new Error('no delivery');
    const again = await redeliver(db, ctx, hook.id, delivery.id);
    expect(again).toMatchObject({ status: 'pending', max_attempts: 2 });
    const got = await rx.waitFor(2);
    await r.waitForAttempts(hook.id, 2);
    expect(got[1]?.headers['webhook-id']).toBe(got[0]?.headers['webhook-id']);
  });

  it('several relays on one database deliver each event exactly once', async () => {
    const ctx = await business();
    const rx = await receiver();
    const hook = await endpoint(ctx, rx.url);
    const extraDbs: Db[] = [];
    if (kind === 'postgres') {
      const url = get().url;
      if (!url) throw new Error('no url');
      for (let i = 0; i < 2; i++) {
        const other = await openDatabase({ DATABASE_URL: url, DATA_DIR: '', DATABASE_POOL_SIZE: 4 }, logger);
        extraDbs.push(other);
        cleanup.push(() => other.close());
      }
    }
    const relays = [relay(), relay({}, extraDbs[0] ?? db), relay({}, extraDbs[1] ?? db)];
    for (const x of relays) await x.relay.start();
    const n = 60;
    for (let i = 0; i < n; i++) await createTask(db, ctx, { title: `Order ${i}`, priority: 'low' }, 'api');
    const got = await rx.waitFor(n);
    await Promise.all(relays.map((x) => x.relay.stop()));
    expect(got).toHaveLength(n);
    expect(new Set(got.map((g) => g.headers['webhook-id'])).size).toBe(n);
    expect(rx.received).toHaveLength(n);
    const [row] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'succeeded' AND attempts = 1",
      [hook.id],
    );
    expect(row?.n).toBe(n);
  });
});
