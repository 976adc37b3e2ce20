/**
 * `npm run bench:connectors`: the sync engine at volume, against local fakes that page as the vendors do,
 * into one fresh business: BENCH_RECORDS (100,000) Razorpay payments (100 a page, skip paging, 200 days of
 * them), as many Zoho Books invoices (200 a page, page/per_page paging, with 1,000 contacts), and a Tally day
 * book of BENCH_TALLY_VOUCHERS (50,000) vouchers over its XML port (sales, purchases, receipts, payments
 * against bills; windows of 1,000 AlterIDs). For each:
 * a full sync (records per second, the process's RSS sampled through it: it must not grow with the count),
 * then 1% of the records change (half changed, half new) and an incremental sync runs: its time beside the
 * full one's, and the rows it wrote (only the changed ones).
 *
 * Then a bank statement of BENCH_STATEMENT_LINES (100,000) lines in HDFC's CSV layout is imported (lines per
 * second, RSS flat) and imported again (all already there), and with all of that in the business, plus a
 * calendar and a forecast, my-day is composed BENCH_MYDAY_CALLS (200) times one after another: p50/p95;
 * and, apart, the first call after an invoice changes (5 times), which groups every open invoice again.
 *
 * Targets (real Postgres): ≥ 5,000 records/s full; incremental ≤ 5% of the full sync's time; RSS growth
 * during a full sync < 100 MB; the statement ≥ 5,000 lines/s with RSS growth < 100 MB; my-day p95 ≤ 50 ms. Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database,
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
import { upsertRecords } from '../../src/domain/business/records.ts';
import type { RunRow, StreamCounts } from '../../src/domain/connections/repo.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { newId } from '../../src/domain/ids.ts';
import { composeMyDay } from '../../src/domain/my-day.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { localDate } from '../../src/domain/time.ts';
import { createLogger } from '../../src/log.ts';
import {
  benchKit,
  cleanupOnExit,
  fmt,
  freshDatabase,
  machine,
  mb,
  percentile,
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
const STATEMENT_LINES = kit.intEnv('BENCH_STATEMENT_LINES', 100_000, 1000);
const TALLY_VOUCHERS = kit.intEnv('BENCH_TALLY_VOUCHERS', 50_000, 1000);
const MYDAY_CALLS = kit.intEnv('BENCH_MYDAY_CALLS', 200, 10);
const MYDAY_FIRST_CALLS = 5;
const TARGET_MYDAY_P95_MS = 50;

interface Measured {
  run: RunRow;
  ms: number;
  rssBefore: number;
  rssPeak: number;
  /** CPU this process (the sync) used, and the fake vendor's process in the same time, on the same cores. */
  cpuSeconds: number;
  vendorCpuSeconds: number;
}

/** A vendor whose records are synced: how many, the streams they arrive on, and the unit they are counted in. */
interface Source {
  connector: VendorId;
  records: number;
  streams: string[];
  unit: string;
}

const SOURCES: Source[] = [
  { connector: 'razorpay', records: RECORDS, streams: ['payments'], unit: 'payments' },
  { connector: 'zoho-books', records: RECORDS, streams: ['invoices'], unit: 'invoices' },
  { connector: 'tally', records: TALLY_VOUCHERS, streams: ['invoices', 'payments'], unit: 'vouchers' },
];

/** `work` timed, with the process's RSS sampled every 50 ms through it. */
async function sampled<T>(
  work: () => Promise<T>,
): Promise<{ value: T; ms: number; rssBefore: number; rssPeak: number }> {
  // As before a sync: what the work before left for the collector is not this work's growth.
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  try {
    const value = await work();
    return {
      value,
      ms: performance.now() - started,
      rssBefore,
      rssPeak: Math.max(rssPeak, process.memoryUsage().rss),
    };
  } finally {
    clearInterval(timer);
  }
}

/** An HDFC-layout statement of `lines` lines over the last 200 days: UPI, NEFT and cheque lines. */
function statementOf(lines: number): Buffer {
  const rows = ['Date,Narration,Chq./Ref.No.,Value Dt,Withdrawal Amt.,Deposit Amt.,Closing Balance'];
  let balance = 50_00_000_00;
  const start = Date.now() - 200 * 86_400_000;
  for (let i = 0; i < lines; i++) {
    const day = new Date(start + Math.floor((i / lines) * 200) * 86_400_000);
    const date = `${String(day.getUTCDate()).padStart(2, '0')}/${String(day.getUTCMonth() + 1).padStart(2, '0')}/${String(day.getUTCFullYear()).slice(2)}`;
    const paise = 100_00 + ((i * 7919) % 5_00_000_00);
    const credit = i % 3 !== 0;
    balance += credit ? paise : -paise;
    const rupees = (p: number) => (p / 100).toFixed(2);
    const narration = credit
      ? `UPI-CUSTOMER ${i % 997}-${String(600000000000 + i)}-PAYMENT`
      : `NEFT DR-SUPPLIER ${i % 211}-HDFCN5${String(i).padStart(16, '0')}`;
    rows.push(
      `${date},${narration},${String(i).padStart(10, '0')},${date},${credit ? '' : rupees(paise)},${credit ? rupees(paise) : ''},${rupees(balance)}`,
    );
  }
  return Buffer.from(rows.join('\n'));
}

/** One sync run, timed, with the process's RSS sampled every 50 ms through it and progress on stderr. */
async function timedSync(
  runtime: ConnectorRuntime,
  ctx: Ctx,
  source: Source,
  vendor: VendorProcess,
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
  const vendorCpuBefore = await vendor.cpuSeconds();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const done = await runSync(runtime, run.id, {
    onPage: (stream, page) => {
      if (!source.streams.includes(stream)) return;
      records += page.added + page.updated;
      if (records - shown >= 5000) {
        shown = records;
        process.stderr.write(`\r[${kit.label}] ${label}: ${fmt(records)} ${source.unit} saved`);
      }
    },
  }).finally(() => clearInterval(sampler));
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const vendorCpu = (await vendor.cpuSeconds()) - vendorCpuBefore;
  process.stderr.write('\n');
  if (done?.status !== 'succeeded') throw new Error(`${label} ${done?.status}: ${done?.error}`);
  return {
    run: done,
    ms,
    rssBefore,
    rssPeak: Math.max(rssPeak, process.memoryUsage().rss),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    vendorCpuSeconds: vendorCpu,
  };
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
    tx.query("UPDATE sync_runs SET status = 'failed' WHERE id = $1", [connected.run?.id]),
  );
  progress(`${source.connector}: full sync`);
  const full = await timedSync(runtime, ctx, source, vendor, `${source.connector} full sync`);
  const added = source.streams.reduce((n, s) => n + (full.run.counts[s]?.added ?? 0), 0);
  if (added !== source.records) {
    throw new Error(`the ${source.connector} full sync added ${added} of ${source.records}`);
  }
  const changed = await vendor.change();
  progress(`${source.connector}: ${fmt(changed)} ${source.unit} changed; incremental sync`);
  const incremental = await timedSync(runtime, ctx, source, vendor, `${source.connector} incremental sync`);
  return { source, full, incremental, changed };
}

const written = (m: Measured, stream: string) => {
  const c: Partial<StreamCounts> = m.run.counts[stream] ?? {};
  return (c.added ?? 0) + (c.updated ?? 0);
};
const counted = (m: Measured, source: Source, field: 'pages') =>
  source.streams.reduce((n, s) => n + (m.run.counts[s]?.[field] ?? 0), 0);
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
      progress(
        `a fake ${source.connector} with ${fmt(source.records)} ${source.unit}, in a process of its own`,
      );
      const vendor = await spawnVendor(source.connector, source.records);
      cleanups.add(() => vendor.close());
      const runtime = createConnectorRuntime({
        db,
        vault,
        logger,
        baseUrls: { [source.connector]: vendor.url },
        // The fakes have no limit to respect: the engine's own speed is what is measured.
        rateLimits: { [source.connector]: { perSecond: 1_000_000, burst: 1000 } },
        // Tally's fake listens on 127.0.0.1, as a LAN install's Tally would on a private address.
        allowPrivate: true,
      });
      outcomes.push(await measure(runtime, ctx, db, source, vendor));
      await vendor.close();
    }

    const service = createConnectorService(createConnectorRuntime({ db, vault, logger }));
    const statement = statementOf(STATEMENT_LINES);
    progress(`a bank statement of ${fmt(STATEMENT_LINES)} lines (${mb(statement.length)}): import`);
    const firstImport = await sampled(() =>
      service.importStatement(ctx, statement, (done, total) => {
        if (done % 20_000 === 0 || done === total) progress(`  ${fmt(done)} of ${fmt(total)} lines`);
      }),
    );
    progress('the same statement again');
    const secondImport = await sampled(() => service.importStatement(ctx, statement));

    progress(`my-day with all of it, plus a calendar and a forecast, ${fmt(MYDAY_CALLS)} times`);
    const today = localDate(new Date(), 'Asia/Kolkata');
    const sourceFor = async (connector: string) => {
      const connectionId = newId('con');
      await db.tenant(ctx.tenantId, (tx) =>
        tx.query(
          `INSERT INTO connections (id, tenant_id, connector, status, key_version, wrapped_key, credentials,
                                    webhook_token, frequency_minutes, last_synced_at)
           VALUES ($1, $2, $3, 'connected', 1, 'k', 'c', $4, 15, now())`,
          [connectionId, ctx.tenantId, connector, newId('whk')],
        ),
      );
      return { tenantId: ctx.tenantId, connectionId, connector };
    };
    const calendar = await sourceFor('ics-calendar');
    const weather = await sourceFor('open-meteo');
    await db.tenant(ctx.tenantId, async (tx) => {
      await upsertRecords(
        tx,
        calendar,
        'calendar_events',
        Array.from({ length: 500 }, (_, i) => ({
          external_id: `e${i}`,
          title: `Meeting ${i}`,
          starts_at: new Date(Date.now() + (i - 100) * 3_600_000).toISOString(),
          status: 'confirmed',
          raw: {},
        })),
      );
      await upsertRecords(tx, weather, 'weather_forecasts', [
        {
          external_id: today,
          day: today,
          code: 61,
          summary: 'Light rain',
          temp_max: 31,
          temp_min: 22,
          rain_chance: 70,
          raw: {},
        },
      ]);
    });
    // The first my-day after the invoices change groups them all again (and keeps the answer for the day):
    // timed apart, after a one-invoice write each time, as a sync would make.
    const firstAfterChangeMs: number[] = [];
    for (let i = 0; i < MYDAY_FIRST_CALLS; i++) {
      await db.tenant(ctx.tenantId, (tx) =>
        tx.query('UPDATE invoices SET synced_at = now() WHERE id = (SELECT min(id) FROM invoices)'),
      );
      const started = performance.now();
      await composeMyDay(db, ctx, new Date());
      firstAfterChangeMs.push(performance.now() - started);
    }
    const myDayMs: number[] = [];
    for (let i = 0; i < MYDAY_CALLS; i++) {
      const started = performance.now();
      await composeMyDay(db, ctx, new Date());
      myDayMs.push(performance.now() - started);
    }
    const day = await composeMyDay(db, ctx, new Date());

    const out: string[] = [];
    out.push(
      'AxonBOS connectors bench: the sync engine against local fakes of Razorpay (100 a page, skip paging), Zoho Books (200 a page, page paging) and Tally (XML, 1,000 AlterIDs a request)',
    );
    out.push(`database     ${database.describe}`);
    out.push(`machine      ${machine()}`);
    out.push('');
    const rows = outcomes.flatMap((o) =>
      (['full', 'incremental'] as const).map((kind) => {
        const m = o[kind];
        const records = o.source.streams.reduce((n, s) => n + written(m, s), 0);
        return [
          `${o.source.connector} ${kind}`,
          `${fmt(kind === 'full' ? o.source.records : records)} ${o.source.unit}`,
          fmt(counted(m, o.source, 'pages')),
          fmt(m.ms / 1000, 2),
          kind === 'full' ? fmt((o.source.records / m.ms) * 1000) : '–',
          fmt(allWritten(m)),
          mb(m.rssBefore),
          mb(m.rssPeak),
          fmt(m.cpuSeconds, 2),
          fmt(m.vendorCpuSeconds, 2),
        ];
      }),
    );
    out.push(
      ...table(
        [26, 18, 8, 10, 10, 10, 12, 12, 10, 12],
        [
          [
            'sync',
            'records',
            'pages',
            'seconds',
            'rec/s',
            'rows written',
            'RSS before',
            'RSS peak',
            'our CPU s',
            'vendor CPU s',
          ],
          ...rows,
        ],
      ),
    );
    const totalMs = outcomes.reduce((t, o) => t + o.full.ms, 0);
    const totalRecords = outcomes.reduce((t, o) => t + o.source.records, 0);
    out.push(
      `all full syncs: ${fmt(totalRecords)} records in ${fmt(totalMs / 1000, 2)} s, ${fmt((totalRecords / totalMs) * 1000)} records/s`,
    );
    const statementRate = (STATEMENT_LINES / firstImport.ms) * 1000;
    out.push('');
    out.push(
      ...table(
        [26, 18, 10, 10, 12, 12],
        [
          ['bank statement', 'lines', 'seconds', 'lines/s', 'RSS before', 'RSS peak'],
          ...[
            ['import', firstImport, `${fmt(firstImport.value.added)} new`],
            ['import again', secondImport, `${fmt(secondImport.value.unchanged)} already there`],
          ].map(([name, m, what]) => {
            const r = m as typeof firstImport;
            return [
              name as string,
              what as string,
              fmt(r.ms / 1000, 2),
              fmt((STATEMENT_LINES / r.ms) * 1000),
              mb(r.rssBefore),
              mb(r.rssPeak),
            ];
          }),
        ],
      ),
    );
    const myDayP95 = percentile(myDayMs, 95);
    out.push('');
    out.push(
      `my-day (composeMyDay, the handler of GET /my-day) for this business, today ${today}: ${fmt(MYDAY_CALLS)} calls, p50 ${fmt(percentile(myDayMs, 50), 1)} ms, p95 ${fmt(myDayP95, 1)} ms, max ${fmt(Math.max(...myDayMs), 1)} ms`,
    );
    out.push(
      `  the first call after the invoices change (it groups every open invoice again): ${fmt(MYDAY_FIRST_CALLS)} calls, p50 ${fmt(percentile(firstAfterChangeMs, 50), 1)} ms, max ${fmt(Math.max(...firstAfterChangeMs), 1)} ms`,
    );
    out.push(
      `  it held: ${day.calendar.length} events today, weather ${day.weather ? day.weather.summary : 'none'}, cash ${day.cash ? `in yesterday ₹${fmt(day.cash.received_yesterday / 100)}, ${day.cash.largest_overdue.length} largest overdue` : 'none'}`,
    );
    out.push('');
    out.push(`targets (${database.kind === 'postgres' ? 'real Postgres' : 'PGlite'})`);
    const statementGrowth = (firstImport.rssPeak - firstImport.rssBefore) / 1024 / 1024;
    out.push(
      `  bank statement: import ≥ ${fmt(TARGET_RATE)} lines/s: ${fmt(statementRate)}, ${verdict(statementRate >= TARGET_RATE, database.kind)}`,
    );
    out.push(
      `  bank statement: RSS growth during the import < ${TARGET_GROWTH_MB} MB: ${statementGrowth.toFixed(1)} MB, ${verdict(statementGrowth < TARGET_GROWTH_MB, database.kind)}`,
    );
    out.push(
      `  my-day p95 ≤ ${TARGET_MYDAY_P95_MS} ms: ${fmt(myDayP95, 1)} ms, ${verdict(myDayP95 <= TARGET_MYDAY_P95_MS, database.kind)}`,
    );
    for (const o of outcomes) {
      const rate = (o.source.records / o.full.ms) * 1000;
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
