/**
 * `npm run bench:webhooks`: how fast committed events reach a webhook receiver.
 *  1. latency: events committed one per transaction, at a steady pace; p50/p95/p99 from each commit to
 *     the receiver getting its first attempt (target p95 ≤ 1 s);
 *  2. throughput: a burst of events committed in batches; deliveries per second until the last arrives.
 *
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database, dropped at the end), else in-memory
 * PGlite. BENCH_LATENCY_EVENTS (500), BENCH_LATENCY_GAP_MS (5), BENCH_BURST_EVENTS (5000),
 * BENCH_CONCURRENCY relay attempts in flight (32). Prints figures only; it never fails on the target.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { openDatabase } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { emitEvent } from '../../src/domain/events.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { createWebhook } from '../../src/domain/webhooks/service.ts';
import { createWebhookRelay } from '../../src/jobs/webhooks/relay.ts';

const TARGET_P95_MS = 1000;

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= min) return n;
  process.stderr.write(`bench:webhooks: ${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}\n`);
  process.exit(2);
}

const LATENCY_EVENTS = intEnv('BENCH_LATENCY_EVENTS', 500, 1);
const LATENCY_GAP_MS = intEnv('BENCH_LATENCY_GAP_MS', 5, 0);
const BURST_EVENTS = intEnv('BENCH_BURST_EVENTS', 5000, 1);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 32, 1);
const BATCH = 100;

const progress = (msg: string) => process.stderr.write(`[bench:webhooks] ${msg}\n`);

async function benchDatabase(): Promise<{ db: Db; describe: string; drop(): Promise<void> }> {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const db = await openDatabase({ DATA_DIR: 'memory://', DATABASE_POOL_SIZE: 1 });
    return {
      db,
      describe: 'in-memory PGlite (no BENCH_DATABASE_URL / TEST_DATABASE_URL set)',
      drop: () => db.close(),
    };
  }
  const name = `axon_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ DATABASE_URL: url.toString(), DATA_DIR: '', DATABASE_POOL_SIZE: 10 });
  return {
    db,
    describe: `Postgres, fresh database ${name} (dropped at the end)`,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A receiver that answers 204 at once and notes when each webhook-id first arrived. */
async function startReceiver() {
  const firstSeen = new Map<string, number>();
  let waiting: { n: number; resolve: () => void } | undefined;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      if (!firstSeen.has(id)) firstSeen.set(id, performance.now());
      res.writeHead(204).end();
      if (waiting && firstSeen.size >= waiting.n) waiting.resolve();
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    firstSeen,
    until: (n: number) =>
      firstSeen.size >= n ? Promise.resolve() : new Promise<void>((resolve) => (waiting = { n, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const { db, describe, drop } = await benchDatabase();
  const receiver = await startReceiver();
  const relay = createWebhookRelay({
    db,
    logger: pino({ level: 'silent' }),
    allowPrivate: true,
    retrySchedule: [1000],
    timeoutMs: 15_000,
    // A slow poll: the figures measure the NOTIFY wake-up, not polling.
    pollIntervalMs: 5_000,
    concurrency: CONCURRENCY,
  });
  try {
    const owner = await ensureOwner(db, '+919000009101', 'Asia/Kolkata');
    const ctx: Ctx = {
      tenantId: owner.tenantId,
      userId: owner.userId,
      actor: 'system',
      via: 'job',
      timezone: owner.timezone,
    };
    await createWebhook(
      db,
      ctx,
      { url: receiver.url, events: ['reminder.triggered'], enabled: true },
      { allowPrivate: true },
    );
    await relay.start();
    const data = (i: number) => ({ entity: 'task', id: `task_${i}`, late: false });

    progress(`latency: ${LATENCY_EVENTS} events, one per transaction, ${LATENCY_GAP_MS} ms apart`);
    const committedAt = new Map<string, number>();
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      const id = await db.tenant(ctx.tenantId, (tx) => emitEvent(tx, ctx, 'reminder.triggered', data(i)));
      committedAt.set(id, performance.now());
      if (LATENCY_GAP_MS > 0) await delay(LATENCY_GAP_MS);
    }
    await receiver.until(LATENCY_EVENTS);
    const latencies = [...committedAt]
      .map(([id, at]) => (receiver.firstSeen.get(id) ?? Number.NaN) - at)
      .sort((a, b) => a - b);

    progress(`throughput: ${BURST_EVENTS} events committed in transactions of ${BATCH}`);
    const before = receiver.firstSeen.size;
    const started = performance.now();
    for (let done = 0; done < BURST_EVENTS; done += BATCH) {
      await db.tenant(ctx.tenantId, async (tx) => {
        for (let i = done; i < Math.min(done + BATCH, BURST_EVENTS); i++) {
          await emitEvent(tx, ctx, 'reminder.triggered', data(i));
        }
      });
    }
    const committed = performance.now() - started;
    await receiver.until(before + BURST_EVENTS);
    const elapsed = performance.now() - started;

    const p95 = percentile(latencies, 95);
    const lines = [
      `bench:webhooks — ${describe}; relay concurrency ${CONCURRENCY}; local receiver answering 204`,
      '',
      `commit → first attempt over ${LATENCY_EVENTS} events: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(p95)}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? Number.NaN)}`,
      `  target p95 ≤ ${TARGET_P95_MS} ms: ${p95 <= TARGET_P95_MS ? 'met' : 'NOT met'}`,
      `burst of ${BURST_EVENTS}: committed in ${ms(committed)}, all delivered after ${ms(elapsed)} → ${(BURST_EVENTS / (elapsed / 1000)).toFixed(0)} deliveries/s`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await relay.stop();
    await receiver.close();
    await drop();
  }
}

main().catch((err) => {
  process.stderr.write(`bench:webhooks failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
