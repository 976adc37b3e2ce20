/**
 * `npm run bench:connectors`: the sync engine at volume, against local fakes that page as the vendors do,
 * into one fresh business: BENCH_RECORDS (100,000) Razorpay payments (100 a page, skip paging, 200 days of
 * them) and as many Zoho Books invoices (200 a page, page/per_page paging, with 1,000 contacts). For each:
 * a full sync (records per second, the process's RSS sampled through it: it must not grow with the count),
 * then 1% of the records change (half changed, half new) and an incremental sync runs: its time beside the
 * full one's, and the rows it wrote (only the changed ones).
 *
 * Targets (real Postgres): ≥ 5,000 records/s full; incremental ≤ 5% of the full sync's time; RSS growth
 * during a full sync < 100 MB. Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database,
 * dropped at the end), else in-memory PGlite. Only 127.0.0.1 traffic. Prints figures; never fails on a target.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.ts';
import { type ConnectorRuntime, createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { createConnectorService } from '../../src/connectors/service.ts';
import { runSync } from '../../src/connectors/sync-engine.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../src/connectors/vault.ts';
import { openDatabase } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import type { RunRow, StreamCounts } from '../../src/domain/connections/repo.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { createLogger } from '../../src/log.ts';
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
import { spawnVendor, type VendorId, type VendorProcess } from './vendors.ts';

const kit = benchKit('connectors');
const { progress } = kit;
const RECORDS = kit.intEnv('BENCH_RECORDS', 100_000, 1000);
const TARGET_RATE = 5000;
const TARGET_INCREMENTAL = 0.05;
const TARGET_GROWTH_MB = 100;

interface Measured {
  run: RunRow;
  ms: number;
  rssBefore: number;
  rssPeak: number;
}

/** A vendor whose records are synced: the stream counted, and the unit it is counted in. */
interface Source {
  connector: VendorId;
  stream: string;
  unit: string;
}

const SOURCES: Source[] = [
  { connector: 'razorpay', stream: 'payments', unit: 'payments' },
  { connector: 'zoho-books', stream: 'invoices', unit: 'invoices' },
];

/** One sync run, timed, with the process's RSS sampled every 50 ms through it and progress on stderr. */
async function timedSync(
  runtime: ConnectorRuntime,
  ctx: Ctx,
  source: Source,
  label: string,
): Promise<Measured> {
  const service = createConnectorService(runtime);
  const { run } = await service.requestSync(ctx, source.connector, {});
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let records = 0;
  let shown = 0;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const done = await runSync(runtime, run.id, {
    onPage: (stream, page) => {
      if (stream !== source.stream) return;
      records += page.added + page.updated;
      if (records - shown >= 5000) {
        shown = records;
        process.stderr.write(`\r[${kit.label}] ${label}: ${fmt(records)} ${source.unit} saved`);
      }
    },
  }).finally(() => clearInterval(sampler));
  const ms = performance.now() - started;
  process.stderr.write('\n');
  if (done?.status !== 'succeeded') throw new Error(`${label} ${done?.status}: ${done?.error}`);
  return { run: done, ms, rssBefore, rssPeak: Math.max(rssPeak, process.memoryUsage().rss) };
}

interface Outcome {
  source: Source;
  full: Measured;
  incremental: Measured;
  changed: number;
}

async function measure(
  runtime: ConnectorRuntime,
  ctx: Ctx,
  db: Db,
  source: Source,
  vendor: VendorProcess,
): Promise<Outcome> {
  const service = createConnectorService(runtime);
  const connected = await service.connect(ctx, source.connector, vendor.connect);
  // The connect run is the first (history) sync: measured as the full sync.
  await db.tenant(ctx.tenantId, (tx) =>
    tx.query("UPDATE sync_runs SET status = 'failed' WHERE id = $1", [connected.run.id]),
  );
  progress(`${source.connector}: full sync`);
  const full = await timedSync(runtime, ctx, source, `${source.connector} full sync`);
  const added = full.run.counts[source.stream]?.added ?? 0;
  if (added !== RECORDS) throw new Error(`the ${source.connector} full sync added ${added} of ${RECORDS}`);
  const changed = await vendor.change();
  progress(`${source.connector}: ${fmt(changed)} ${source.unit} changed; incremental sync`);
  const incremental = await timedSync(runtime, ctx, source, `${source.connector} incremental sync`);
  return { source, full, incremental, changed };
}

const written = (m: Measured, stream: string) => {
  const c: Partial<StreamCounts> = m.run.counts[stream] ?? {};
  return (c.added ?? 0) + (c.updated ?? 0);
};
const allWritten = (m: Measured) => Object.keys(m.run.counts).reduce((n, s) => n + written(m, s), 0);

async function main(): Promise<void> {
  const database = await freshDatabase(kit);
  const cleanups = cleanupOnExit(kit, database);
  try {
    const logger = createLogger('silent');
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...database.settings });
    const db = await openDatabase(config, logger);
    cleanups.add(() => db.close());
    const vault = createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] });
    const owner = await ensureOwner(db, '+919811100001', 'Asia/Kolkata');
    const ctx: Ctx = {
      tenantId: owner.tenantId,
      userId: owner.userId,
      actor: 'user',
      via: 'api',
      timezone: 'Asia/Kolkata',
    };
    const outcomes: Outcome[] = [];
    for (const source of SOURCES) {
      progress(`a fake ${source.connector} with ${fmt(RECORDS)} ${source.unit}, in a process of its own`);
      const vendor = await spawnVendor(source.connector, RECORDS);
      cleanups.add(() => vendor.close());
      const runtime = createConnectorRuntime({
        db,
        vault,
        logger,
        baseUrls: { [source.connector]: vendor.url },
        // The fakes have no limit to respect: the engine's own speed is what is measured.
        rateLimits: { [source.connector]: { perSecond: 1_000_000, burst: 1000 } },
      });
      outcomes.push(await measure(runtime, ctx, db, source, vendor));
      await vendor.close();
    }

    const out: string[] = [];
    out.push(
      'AxonBOS connectors bench: the sync engine against local fakes of Razorpay (100 a page, skip paging) and Zoho Books (200 a page, page paging)',
    );
    out.push(`database     ${database.describe}`);
    out.push(`machine      ${machine()}`);
    out.push('');
    const rows = outcomes.flatMap((o) =>
      (['full', 'incremental'] as const).map((kind) => {
        const m = o[kind];
        const c: Partial<StreamCounts> = m.run.counts[o.source.stream] ?? {};
        return [
          `${o.source.connector} ${kind}`,
          `${fmt(kind === 'full' ? RECORDS : written(m, o.source.stream))} ${o.source.unit}`,
          fmt(c.pages ?? 0),
          fmt(m.ms / 1000, 2),
          kind === 'full' ? fmt((RECORDS / m.ms) * 1000) : '–',
          fmt(allWritten(m)),
          mb(m.rssBefore),
          mb(m.rssPeak),
        ];
      }),
    );
    out.push(
      ...table(
        [26, 18, 8, 10, 10, 10, 12, 12],
        [['sync', 'records', 'pages', 'seconds', 'rec/s', 'rows written', 'RSS before', 'RSS peak'], ...rows],
      ),
    );
    const totalMs = outcomes.reduce((t, o) => t + o.full.ms, 0);
    const totalRate = ((RECORDS * outcomes.length) / totalMs) * 1000;
    out.push(
      `both full syncs: ${fmt(RECORDS * outcomes.length)} records in ${fmt(totalMs / 1000, 2)} s, ${fmt(totalRate)} records/s`,
    );
    out.push('');
    out.push(`targets (${database.kind === 'postgres' ? 'real Postgres' : 'PGlite'})`);
    for (const o of outcomes) {
      const rate = (RECORDS / o.full.ms) * 1000;
      const ratio = o.incremental.ms / o.full.ms;
      const growth = (o.full.rssPeak - o.full.rssBefore) / 1024 / 1024;
      const wrote = allWritten(o.incremental);
      const name = o.source.connector;
      out.push(
        `  ${name}: full sync ≥ ${fmt(TARGET_RATE)} records/s: ${fmt(rate)}, ${verdict(rate >= TARGET_RATE, database.kind)}`,
      );
      out.push(
        `  ${name}: incremental ≤ ${TARGET_INCREMENTAL * 100}% of the full sync's time: ${(ratio * 100).toFixed(1)}%, ${verdict(ratio <= TARGET_INCREMENTAL, database.kind)}`,
      );
      out.push(
        `  ${name}: RSS growth during the full sync < ${TARGET_GROWTH_MB} MB: ${growth.toFixed(1)} MB, ${verdict(growth < TARGET_GROWTH_MB, database.kind)}`,
      );
      out.push(
        `  ${name}: the incremental sync wrote only the changed rows: ${wrote === o.changed ? 'yes' : `NO (${wrote} rows for ${o.changed} changed)`}`,
      );
    }
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await cleanups.run();
  }
}

runBench(kit, main);
