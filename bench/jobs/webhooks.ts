/**
 * bench:jobs, webhooks: how fast committed events reach a webhook receiver (was bench/webhooks).
 *  1. latency: events committed one per transaction, at a steady pace; p50/p95/p99 from each commit to
 *     the receiver getting its first attempt (target p95 ≤ 1 s);
 *  2. throughput: a burst of events committed in batches; deliveries per second until the last arrives.
 * The relay is the product's (src/jobs/webhooks/relay.ts), woken by NOTIFY; the receiver is a local
 * HTTP server on 127.0.0.1 answering 204 at once.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import pino from 'pino';
import type { Db } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { emitEvent } from '../../src/domain/events.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { createWebhook } from '../../src/domain/webhooks/service.ts';
import { createWebhookRelay } from '../../src/jobs/webhooks/relay.ts';
import { type BenchDatabase, type BenchKit, fmt, percentile } from '../support.ts';

export const TARGET_FIRST_ATTEMPT_P95_MS = 1000;
const BATCH = 100;

export interface WebhookOptions {
  latencyEvents: number;
  gapMs: number;
  burstEvents: number;
  concurrency: number;
  /** Longest wait for the receiver to see everything, per phase. */
  timeoutMs: number;
}

export function webhookOptions(kit: BenchKit): WebhookOptions {
  return {
    latencyEvents: kit.intEnv('BENCH_WEBHOOK_LATENCY_EVENTS', 500, 1),
    gapMs: kit.intEnv('BENCH_WEBHOOK_GAP_MS', 5, 0),
    burstEvents: kit.intEnv('BENCH_WEBHOOK_BURST_EVENTS', 5000, 1),
    concurrency: kit.intEnv('BENCH_WEBHOOK_CONCURRENCY', 32, 1),
    timeoutMs: kit.intEnv('BENCH_WEBHOOK_TIMEOUT_S', 120, 1) * 1000,
  };
}

/** A receiver that answers 204 at once and notes when each webhook-id first arrived. */
async function startReceiver() {
  const firstSeen = new Map<string, number>();
  let requests = 0;
  let waiting: { n: number; resolve: () => void } | undefined;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
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
    requests: () => requests,
    /** Resolves true once n distinct ids arrived, false after timeoutMs. */
    until: (n: number, timeoutMs: number): Promise<boolean> => {
      if (firstSeen.size >= n) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiting = {
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve(true);
          },
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ms = (n: number) => `${fmt(n, 1)} ms`;

export interface WebhookResult {
  lines: string[];
  p95: number;
}

export async function runWebhookBench(
  kit: BenchKit,
  db: Db,
  database: BenchDatabase,
  o: WebhookOptions,
  stopping: () => boolean,
): Promise<WebhookResult> {
  const receiver = await startReceiver();
  const relay = createWebhookRelay({
    db,
    logger: pino({ level: 'silent' }),
    allowPrivate: true,
    retrySchedule: [1000],
    timeoutMs: 15_000,
    // A slow poll: the figures measure the NOTIFY wake-up, not polling.
    pollIntervalMs: 5_000,
    concurrency: o.concurrency,
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

    kit.progress(`webhooks latency: ${o.latencyEvents} events, one per transaction, ${o.gapMs} ms apart`);
    const committedAt = new Map<string, number>();
    for (let i = 0; i < o.latencyEvents && !stopping(); i++) {
      const id = await db.tenant(ctx.tenantId, async (tx) =>
        emitEvent(tx, ctx, 'reminder.triggered', data(i)),
      );
      committedAt.set(id, performance.now());
      if (o.gapMs > 0) await delay(o.gapMs);
    }
    const latencyComplete = await receiver.until(committedAt.size, o.timeoutMs);
    const latencies = [...committedAt]
      .map(([id, at]) => (receiver.firstSeen.get(id) ?? Number.NaN) - at)
      .filter(Number.isFinite);

    kit.progress(`webhooks throughput: ${o.burstEvents} events committed in transactions of ${BATCH}`);
    const before = receiver.firstSeen.size;
    const started = performance.now();
    let burst = 0;
    for (let done = 0; done < o.burstEvents && !stopping(); done += BATCH) {
      await db.tenant(ctx.tenantId, async (tx) => {
        for (let i = done; i < Math.min(done + BATCH, o.burstEvents); i++) {
          emitEvent(tx, ctx, 'reminder.triggered', data(i));
          burst++;
        }
      });
    }
    const committed = performance.now() - started;
    const burstComplete = await receiver.until(before + burst, o.timeoutMs);
    const elapsed = performance.now() - started;
    const delivered = receiver.firstSeen.size - before;

    const p95 = percentile(latencies, 95);
    const lines = [
      `database     ${database.describe}; relay concurrency ${o.concurrency}, woken by NOTIFY (poll 5 s as ` +
        'fallback); local receiver on 127.0.0.1 answering 204 at once; one endpoint',
      `commit → first attempt over ${fmt(latencies.length)} events (one per transaction, ${o.gapMs} ms apart): ` +
        `p50 ${ms(percentile(latencies, 50))}, p95 ${ms(p95)}, p99 ${ms(percentile(latencies, 99))}, ` +
        `max ${ms(Math.max(...latencies))}` +
        (latencyComplete ? '' : `  (INCOMPLETE: ${committedAt.size - latencies.length} never arrived)`),
      `  target p95 ≤ ${TARGET_FIRST_ATTEMPT_P95_MS} ms: ${p95 <= TARGET_FIRST_ATTEMPT_P95_MS ? 'met' : 'NOT met'}` +
        (database.kind === 'pglite' ? ' (but this is PGlite, not the target setup)' : ''),
      `burst of ${fmt(burst)} (transactions of ${BATCH}): committed in ${ms(committed)}, ` +
        `${burstComplete ? 'all' : `only ${fmt(delivered)}`} delivered after ${ms(elapsed)} → ` +
        `${fmt(delivered / (elapsed / 1000))} deliveries/s; receiver saw ${fmt(receiver.requests())} requests in all`,
    ];
    return { lines, p95 };
  } finally {
    await relay.stop();
    await receiver.close();
  }
}
