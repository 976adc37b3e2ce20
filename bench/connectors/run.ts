/**
 * `npm run bench:connectors`: the sync engine at volume, against local fakes that page as the vendors do.
 * A full sync of BENCH_RECORDS (100,000) Razorpay payments (100 a page, 200 days of them) into a fresh
 * business: records per second, and the process's RSS sampled through it (it must not grow with the count).
 * Then 1% of them change (status moved within Razorpay's look-back window, or new) and an incremental sync
 * runs: its time beside the full one's, and the rows it wrote (only the changed ones).
 *
 * Targets (real Postgres): ≥ 5,000 records/s full; incremental ≤ 5% of the full sync's time; RSS growth
 * during the full sync < 100 MB. Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database,
 * dropped at the end), else in-memory PGlite. Only 127.0.0.1 traffic. Prints figures; never fails on a target.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.ts';
import { type ConnectorRuntime, createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { createConnectorService } from '../../src/connectors/service.ts';
import { runSync } from '../../src/connectors/sync-engine.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../src/connectors/vault.ts';
import { openDatabase } from '../../src/db/index.ts';
import type { RunRow, StreamCounts } from '../../src/domain/connections/repo.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { createLogger } from '../../src/log.ts';
import { startFakeRazorpay } from '../../test/fakes/razorpay.ts';
import {
  benchKit,
  cleanupOnExit,
  fmt,
  freshDatabase,
  machine,
  mb,
  runBench,
  table,
  verdict,
} from '../support.ts';

const kit = benchKit('connectors');
const { progress } = kit;
const RECORDS = kit.intEnv('BENCH_RECORDS', 100_000, 1000);
// 1% of the span is 2 days: the changed 1% lies inside Razorpay's 3-day look-back.
const DAYS = 200;
const TARGET_RATE = 5000;
const TARGET_INCREMENTAL = 0.05;
const TARGET_GROWTH_MB = 100;

interface Measured {
  run: RunRow;
  ms: number;
  rssBefore: number;
  rssPeak: number;
}

/** One sync run, timed, with the process's RSS sampled every 50 ms through it and progress on stderr. */
async function timedSync(runtime: ConnectorRuntime, ctx: Ctx, label: string): Promise<Measured> {
  const service = createConnectorService(runtime);
  const { run } = await service.requestSync(ctx, 'razorpay', {});
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let pages = 0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const done = await runSync(runtime, run.id, {
    onPage: () => {
      pages++;
      if (pages % 50 === 0) process.stderr.write(`\r[${kit.label}] ${label}: ${fmt(pages)} pages saved`);
    },
  }).finally(() => clearInterval(sampler));
  const ms = performance.now() - started;
  process.stderr.write('\n');
  if (done?.status !== 'succeeded') throw new Error(`${label} sync ${done?.status}: ${done?.error}`);
  return { run: done, ms, rssBefore, rssPeak: Math.max(rssPeak, process.memoryUsage().rss) };
}

async function main(): Promise<void> {
  const database = await freshDatabase(kit);
  const cleanups = cleanupOnExit(kit, database);
  try {
    const logger = createLogger('silent');
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...database.settings });
    const db = await openDatabase(config, logger);
    cleanups.add(() => db.close());
    const nowSeconds = Math.floor(Date.now() / 1000);
    const step = Math.floor((DAYS * 86_400) / RECORDS);
    // 1% will change: half moved on within Razorpay's look-back window (refunded), half new since.
    const changes = Math.max(2, Math.round(RECORDS / 100));
    progress(`a fake Razorpay with ${fmt(RECORDS)} payments over ${DAYS} days (one every ${step} s)`);
    const fake = await startFakeRazorpay({
      payments: RECORDS,
      settlements: 0,
      start: nowSeconds - 3600 - (RECORDS + changes / 2) * step,
      step,
    });
    cleanups.add(() => fake.close());
    const runtime = createConnectorRuntime({
      db,
      vault: createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] }),
      logger,
      baseUrls: { razorpay: fake.url },
      // The fake has no limit to respect: the engine's own speed is what is measured.
      rateLimits: { razorpay: { perSecond: 1_000_000, burst: 1000 } },
    });
    const owner = await ensureOwner(db, '+919811100001', 'Asia/Kolkata');
    const ctx: Ctx = {
      tenantId: owner.tenantId,
      userId: owner.userId,
      actor: 'user',
      via: 'api',
      timezone: 'Asia/Kolkata',
    };
    const service = createConnectorService(runtime);
    const connected = await service.connect(ctx, 'razorpay', {
      credentials: { key_id: fake.keyId, key_secret: fake.keySecret },
    });
    // The connect run is the first (history) sync: measured as the full sync.
    await db.tenant(ctx.tenantId, (tx) =>
      tx.query("UPDATE sync_runs SET status = 'failed' WHERE id = $1", [connected.run.id]),
    );

    progress('full sync');
    const full = await timedSync(runtime, ctx, 'full sync');
    const fullAdded = full.run.counts.payments?.added ?? 0;
    if (fullAdded !== RECORDS) throw new Error(`the full sync added ${fullAdded} of ${RECORDS}`);

    for (let i = 0; i < changes / 2; i++) fake.updatePayment(RECORDS - 1 - i, { status: 'refunded' });
    fake.addPayments(changes / 2);
    progress(
      `${fmt(changes)} payments changed (${fmt(changes / 2)} refunded, ${fmt(changes / 2)} new); incremental sync`,
    );
    const incremental = await timedSync(runtime, ctx, 'incremental sync');
    const written =
      (incremental.run.counts.payments?.added ?? 0) + (incremental.run.counts.payments?.updated ?? 0);
    const read = fake.requests.length;

    const rate = (RECORDS / full.ms) * 1000;
    const growth = (full.rssPeak - full.rssBefore) / 1024 / 1024;
    const ratio = incremental.ms / full.ms;
    const out: string[] = [];
    out.push(
      'AxonBOS connectors bench: the sync engine against a local Razorpay fake (100 a page, skip paging)',
    );
    out.push(`database     ${database.describe}`);
    out.push(`machine      ${machine()}`);
    out.push('');
    out.push(
      ...table(
        [18, 10, 10, 12, 10, 10, 12, 12],
        [
          ['sync', 'records', 'pages', 'seconds', 'rec/s', 'written', 'RSS before', 'RSS peak'],
          ...(
            [
              ['full', full],
              ['incremental', incremental],
            ] as const
          ).map(([name, m]) => {
            const c: Partial<StreamCounts> = m.run.counts.payments ?? {};
            return [
              name,
              fmt(name === 'full' ? RECORDS : (c.added ?? 0) + (c.updated ?? 0)),
              fmt(c.pages ?? 0),
              fmt(m.ms / 1000, 2),
              name === 'full' ? fmt(rate) : '–',
              fmt((c.added ?? 0) + (c.updated ?? 0)),
              mb(m.rssBefore),
              mb(m.rssPeak),
            ];
          }),
        ],
      ),
    );
    out.push(
      `requests to the fake in all: ${fmt(read)}; changed records: ${fmt(changes)}, rows the incremental sync wrote: ${fmt(written)}`,
    );
    out.push('');
    out.push(`targets (${database.kind === 'postgres' ? 'real Postgres' : 'PGlite'})`);
    out.push(
      `  full sync ≥ ${fmt(TARGET_RATE)} records/s: ${fmt(rate)}, ${verdict(rate >= TARGET_RATE, database.kind)}`,
    );
    out.push(
      `  incremental ≤ ${TARGET_INCREMENTAL * 100}% of the full sync's time: ${(ratio * 100).toFixed(1)}%, ${verdict(ratio <= TARGET_INCREMENTAL, database.kind)}`,
    );
    out.push(
      `  RSS growth during the full sync < ${TARGET_GROWTH_MB} MB: ${growth.toFixed(1)} MB, ${verdict(growth < TARGET_GROWTH_MB, database.kind)}`,
    );
    out.push(
      `  the incremental sync wrote only the changed rows: ${written === changes ? 'yes' : `NO (${written} of ${changes})`}`,
    );
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await cleanups.run();
  }
}

runBench(kit, main);
