/**
 * `npm run bench:api`: how much of a bare Express route's throughput does `GET /api/v1/tasks?limit=20`
 * keep, with auth, rate limiting, RLS, validation and the envelope on? Both routes run the same list
 * query on the same database in the same run. Target: ours ≥ 85% of bare on real Postgres.
 *
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database is created there and dropped at the
 * end), else in-memory PGlite. Load: BENCH_CONNECTIONS (10), BENCH_DURATION s per run (10), BENCH_WARMUP s
 * (3), BENCH_ROUNDS (1; more alternate the routes' order, for noisy machines), BENCH_WORKERS autocannon
 * worker threads (1; 0 runs the load generator on the servers' own event loop), BENCH_LADDER=1 (adds
 * routes between bare and ours to split the gap), DATABASE_POOL_SIZE (10).
 * Prints figures only; it never fails on the target.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import autocannon, { type Result } from 'autocannon';
import express from 'express';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import type { Db, QueryOptions, Tx } from '../../src/db/types.ts';
import { createTokenService } from '../../src/domain/auth/tokens.ts';
import { newId } from '../../src/domain/ids.ts';
import { selectTasks } from '../../src/domain/tasks/repo.ts';
import { TaskListQuery } from '../../src/domain/tasks/schema.ts';
import { createLogger } from '../../src/log.ts';
import { closeServer, createRuntime } from '../../src/main.ts';
import { benchKit, cleanupOnExit, fmt, freshDatabase, mean, median, runBench, table } from '../support.ts';

const TASKS = 1000;
const PHONE = '+919000009001';
const CODE = '123456';
const HIGH_LIMIT = 1_000_000_000;
const TARGET = 0.85;

const kit = benchKit('api');
const { progress } = kit;

const DURATION = kit.intEnv('BENCH_DURATION', 10, 1);
const CONNECTIONS = kit.intEnv('BENCH_CONNECTIONS', 10, 1);
const WARMUP = kit.intEnv('BENCH_WARMUP', 3, 0);
const WORKERS = kit.intEnv('BENCH_WORKERS', 1, 0);
const ROUNDS = kit.intEnv('BENCH_ROUNDS', 1, 1);
const LADDER = kit.flagEnv('BENCH_LADDER', false);
const POOL_SIZE = kit.intEnv('DATABASE_POOL_SIZE', 10, 1);

// ---------------------------------------------------------------------------------------------------
// A counting wrapper around the Db both apps use: round trips and wall time spent waiting on the db.

interface DbStats {
  /**
   * Round trips: each query, plus BEGIN+prelude and COMMIT for every transaction; a batch tenant
   * transaction (`tenantBatch`) pipelines BEGIN, its statements and COMMIT, so it counts once.
   */
  roundTrips: number;
  /** Wall time inside outermost db calls (a whole transaction counts once, pool waits included). */
  dbMs: number;
  /** Part of dbMs spent in tenant transactions. */
  tenantMs: number;
}

const newStats = (): DbStats => ({ roundTrips: 0, dbMs: 0, tenantMs: 0 });

function instrument(db: Db, stats: () => DbStats): Db {
  const inner = (q: Tx): Tx => ({
    query: <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
      stats().roundTrips++;
      return q.query<R>(sql, params, options);
    },
    exec: (sql) => {
      stats().roundTrips++;
      return q.exec(sql);
    },
    // A queued write leaves with the next statement or the COMMIT: no round trip of its own.
    queue: (sql, params, options) => q.queue(sql, params, options),
  });
  async function timed<T>(fn: () => Promise<T>, tenant = false): Promise<T> {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      const ms = performance.now() - started;
      stats().dbMs += ms;
      if (tenant) stats().tenantMs += ms;
    }
  }
  const tx =
    (open: (fn: (tx: Tx) => Promise<unknown>) => Promise<unknown>, tenant = false) =>
    <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
      stats().roundTrips += 2; // `BEGIN; prelude` in one, COMMIT in another
      return timed(() => open((t) => fn(inner(t))) as Promise<T>, tenant);
    };
  const one = db.tenantBatch;
  return {
    kind: db.kind,
    driver: db.driver,
    query: <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
      stats().roundTrips++;
      return timed(() => db.query<R>(sql, params, options));
    },
    exec: (sql) => {
      stats().roundTrips++;
      return timed(() => db.exec(sql));
    },
    transaction: (fn) => tx((f) => db.transaction(f))(fn),
    tenant: (tenantId, fn) => tx((f) => db.tenant(tenantId, f), true)(fn),
    ...(one && {
      tenantBatch: <T>(tenantId: string, fn: (tx: Tx) => Promise<T>) => {
        stats().roundTrips++;
        return timed(() => one(tenantId, fn), true);
      },
    }),
    unscoped: (fn) => tx((f) => db.unscoped(f))(fn),
    close: () => db.close(),
  };
}

// ---------------------------------------------------------------------------------------------------

const listen = async (app: express.Express): Promise<{ server: Server; url: string }> => {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

/** The exact SQL and parameters `selectTasks` (via `fetchPage`) sends for a query, recorded, not retyped. */
async function recordListQuery(db: Db, tenantId: string, query: TaskListQuery) {
  const sent: { sql: string; params: unknown[] }[] = [];
  await db.tenant(tenantId, (tx) =>
    selectTasks(
      {
        query: <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
          sent.push({ sql, params: [...(params ?? [])] });
          return tx.query<R>(sql, params, options);
        },
        exec: (sql) => tx.exec(sql),
      },
      query,
    ),
  );
  if (sent.length !== 1 || !sent[0]) throw new Error(`expected one list query, saw ${sent.length}`);
  return sent[0];
}

async function seedTasks(db: Db, tenantId: string, userId: string): Promise<void> {
  const ids = Array.from({ length: TASKS }, () => newId('task'));
  await db.tenant(tenantId, (tx) =>
    tx.query(
      `INSERT INTO tasks (id, tenant_id, title, notes, due_date, priority, status, source, created_by,
                          created_at, updated_at, completed_at)
       SELECT t.id, $2, 'Bench task ' || t.n || ': follow up with supplier',
              CASE WHEN t.n % 3 = 0 THEN 'Ask about invoice #' || (1000 + t.n) || ' and the GST credit note' END,
              current_date + (t.n % 60)::int - 30,
              (ARRAY['low', 'medium', 'high', 'urgent'])[t.n % 4 + 1],
              CASE WHEN t.n % 5 = 0 THEN 'done' ELSE 'open' END,
              'api', $3,
              now() - make_interval(mins => t.n::int), now() - make_interval(mins => t.n::int),
              CASE WHEN t.n % 5 = 0 THEN now() END
       FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)`,
      [ids, tenantId, userId],
    ),
  );
  await db.exec('ANALYZE tasks');
}

interface Target {
  key: string;
  path: string;
  what: string;
  url: string;
  headers: Record<string, string>;
}

interface Run {
  result: Result;
  stats: DbStats;
}

async function load(url: string, headers: Record<string, string>, duration: number): Promise<Result> {
  return autocannon({
    url,
    headers,
    connections: CONNECTIONS,
    duration,
    ...(WORKERS > 0 ? { workers: WORKERS } : {}),
  });
}

const sum = (runs: Run[], pick: (r: Run) => number) => runs.reduce((a, r) => a + pick(r), 0);

async function main(): Promise<void> {
  const database = await freshDatabase(kit);
  let stats = newStats();
  const cleanups = cleanupOnExit(kit, database);
  const cleanup = () => cleanups.run();

  try {
    progress(`opening ${database.describe}`);
    const jwtSecret = randomBytes(32).toString('hex');
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      ...database.settings,
      DATABASE_POOL_SIZE: String(POOL_SIZE),
      JWT_SECRET: jwtSecret,
      AUTH_TEST_PHONES: `${PHONE}:${CODE}`,
      RATE_LIMIT_SELF_SERVICE: String(HIGH_LIMIT),
      RATE_LIMIT_MANAGED: String(HIGH_LIMIT),
      RATE_LIMIT_ENTERPRISE: String(HIGH_LIMIT),
      RATE_LIMIT_ANONYMOUS: String(HIGH_LIMIT),
    });
    const rawDb = await openDatabase(config, createLogger('warn'));
    cleanups.add(() => rawDb.close());
    // Both apps share this one database handle (one pool), wrapped only to count round trips.
    const db = instrument(rawDb, () => stats);
    const [version] = await rawDb.query<{ v: string }>("SELECT current_setting('server_version') AS v");

    // Ours: the real app from the composition root.
    const runtime = await createRuntime(config, { db });
    cleanups.add(() => runtime.close());
    const ours = await listen(runtime.app);
    cleanups.add(() => closeServer(ours.server));

    progress(`signing in as ${PHONE} (AUTH_TEST_PHONES)`);
    const verify = await fetch(`${ours.url}/api/v1/auth/otp/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: PHONE, otp: CODE }),
    });
    const signedIn = (await verify.json()) as { data?: { access_token?: string } };
    const token = signedIn.data?.access_token;
    if (verify.status !== 200 || !token) throw new Error(`sign-in failed: ${JSON.stringify(signedIn)}`);
    const [user] = await rawDb.query<{ id: string; tenant_id: string }>(
      'SELECT id, tenant_id FROM users WHERE phone = $1',
      [PHONE],
    );
    if (!user) throw new Error('signed-in user not found');

    progress(
      `seeding ${TASKS} tasks with one bulk INSERT … SELECT FROM unnest (inside the tenant transaction)`,
    );
    const seedStarted = performance.now();
    await seedTasks(rawDb, user.tenant_id, user.id);
    progress(`seeded in ${fmt(performance.now() - seedStarted)} ms`);

    // Bare: the same SQL and parameters, one plain pool query, rows as JSON.
    const listQuery = TaskListQuery.parse({ limit: '20' });
    const { sql, params } = await recordListQuery(rawDb, user.tenant_id, listQuery);
    const bareApp = express();
    bareApp.get('/tasks', async (_req, res) => {
      res.json(await db.query(sql, params));
    });
    // The ladder (BENCH_LADDER=1): bare plus one cost of ours at a time, to show where the gap comes from.
    bareApp.get('/tasks-rls', async (_req, res) => {
      res.json(await db.tenant(user.tenant_id, (tx) => tx.query(sql, params)));
    });
    const tokens = createTokenService(db, jwtSecret, { sessionCacheMs: config.AUTH_SESSION_CACHE_MS });
    bareApp.get('/tasks-auth-rls', async (req, res) => {
      const session = await tokens.authenticate(req.get('authorization')?.slice('Bearer '.length) ?? '');
      res.json(await db.tenant(session.tenantId, (tx) => tx.query(sql, params)));
    });
    const bare = await listen(bareApp);
    cleanups.add(() => closeServer(bare.server));

    const auth = { authorization: `Bearer ${token}` };
    const targets: Target[] = [
      {
        key: 'ours',
        path: '/api/v1/tasks?limit=20',
        what: 'the real app: request id, logger, metrics, auth, rate limit, zod, RLS transaction, envelope',
        url: `${ours.url}/api/v1/tasks?limit=20`,
        headers: auth,
      },
      {
        key: 'bare',
        path: '/tasks',
        what: 'plain Express 5, one pool query (no auth, no RLS, no envelope), rows as JSON',
        url: `${bare.url}/tasks`,
        headers: {},
      },
    ];
    if (LADDER) {
      targets.push(
        {
          key: '+rls',
          path: '/tasks-rls',
          what: 'bare, but the query runs in db.tenant (BEGIN+SET LOCAL ROLE+set_config, query, COMMIT)',
          url: `${bare.url}/tasks-rls`,
          headers: {},
        },
        {
          key: '+auth',
          path: '/tasks-auth-rls',
          what: '+rls, plus the token service authenticate (JWT verify + session query)',
          url: `${bare.url}/tasks-auth-rls`,
          headers: auth,
        },
      );
    }

    // Every route answers, with the same page of the 1,000 tasks, before anything is timed.
    let expected: string | undefined;
    for (const t of targets) {
      const res = await fetch(t.url, { headers: t.headers });
      const body = (await res.json()) as
        | { data: { tasks: { id: string }[] }; meta: { total: number } }
        | { id: string; page_total: number }[];
      const [ids, total] = Array.isArray(body)
        ? [body.map((r) => r.id).join(), body[0]?.page_total]
        : [body.data.tasks.map((r) => r.id).join(), body.meta.total];
      expected ??= ids;
      if (res.status !== 200 || ids !== expected || total !== TASKS) {
        throw new Error(`${t.key} (${t.path}) did not answer 200 with the expected page of ${TASKS} tasks`);
      }
    }

    if (WARMUP > 0) {
      progress(`warming up: ${WARMUP} s on each route`);
      for (const t of targets) await load(t.url, t.headers, WARMUP);
    }

    const runs = new Map<string, Run[]>(targets.map((t) => [t.key, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate the order, so a drift in the machine's load does not favour one route.
      const order = round % 2 === 1 ? targets : [...targets].reverse();
      for (const t of order) {
        progress(`round ${round}/${ROUNDS}: ${t.key} ${t.path}, ${CONNECTIONS} connections × ${DURATION} s`);
        stats = newStats();
        const result = await load(t.url, t.headers, DURATION);
        // Requests still in flight when autocannon stops finish here, in this run's figures.
        await new Promise((resolve) => setTimeout(resolve, 500));
        runs.get(t.key)?.push({ result, stats });
      }
    }
    stats = newStats();

    // ---- the report --------------------------------------------------------------------------------
    const rps = (key: string) => mean((runs.get(key) ?? []).map((r) => r.result.requests.average));
    const ratio = rps('ours') / rps('bare');
    const out: string[] = [];
    out.push(`AxonBOS API bench: GET /api/v1/tasks?limit=20 (default sort), ${fmt(TASKS)} tasks, auth on`);
    out.push(`database     ${database.describe}; server ${version?.v ?? '?'}; pool size ${POOL_SIZE}`);
    out.push(
      `seed         ${TASKS} tasks by one bulk SQL INSERT (not createTask, so no audit rows), then ANALYZE`,
    );
    out.push(
      `rate limits  RATE_LIMIT_* raised to ${fmt(HIGH_LIMIT)}/min: this measures the route, not the 429 path`,
    );
    out.push(
      `load         autocannon ${CONNECTIONS} connections × ${DURATION} s per route per round, ${ROUNDS} round(s) ` +
        `in alternating order, after ${WARMUP} s warm-up each; ` +
        (WORKERS > 0
          ? `${WORKERS} worker thread(s), off the servers' event loop`
          : "on the servers' event loop"),
    );
    for (const t of targets) out.push(`${t.key.padEnd(12)} ${t.path}: ${t.what}`);
    out.push(`same SQL     ${sql.replace(/\s+/g, ' ')}`);
    out.push(`             params ${JSON.stringify(params)}`);
    out.push('');
    const widths = [6, 10, 8, 8, 9, 9, 9, 8];
    out.push(
      ...table(widths, [
        ['route', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', '2xx', 'non-2xx', 'errors'],
        ...targets.map((t) => {
          const rs = runs.get(t.key) ?? [];
          return [
            t.key,
            fmt(rps(t.key), 1),
            fmt(median(rs.map((r) => r.result.latency.p50)), 1),
            fmt(median(rs.map((r) => r.result.latency.p99)), 1),
            fmt(mean(rs.map((r) => r.result.latency.average)), 2),
            fmt(sum(rs, (r) => r.result['2xx'])),
            fmt(sum(rs, (r) => r.result.non2xx)),
            fmt(sum(rs, (r) => r.result.errors + r.result.timeouts)),
          ];
        }),
      ]),
    );
    if (ROUNDS > 1) {
      out.push("(req/s and mean: means over rounds; p50, p99: medians of the rounds' percentiles)");
      const perRound = (runs.get('ours') ?? []).map(
        (o, i) => o.result.requests.average / (runs.get('bare')?.[i]?.result.requests.average ?? Number.NaN),
      );
      out.push(`ratio per round: ${perRound.map((r) => `${(r * 100).toFixed(1)}%`).join(', ')}`);
    }
    out.push('');
    out.push(
      `ratio ours/bare throughput: ${(ratio * 100).toFixed(1)}%  (target ≥ ${TARGET * 100}% on real Postgres: ` +
        `${ratio >= TARGET ? 'met' : 'NOT met'}${rawDb.kind === 'pglite' ? '; but this is PGlite, not the target' : ''})`,
    );
    const failed = targets.filter((t) =>
      (runs.get(t.key) ?? []).some((r) => r.result.non2xx + r.result.errors + r.result.timeouts > 0),
    );
    if (failed.length === 0) out.push('every response of every run was 2xx');
    for (const t of failed) {
      for (const r of runs.get(t.key) ?? []) {
        out.push(
          `WARNING ${t.key}: status codes ${JSON.stringify(r.result.statusCodeStats)}, ` +
            `errors ${r.result.errors}, timeouts ${r.result.timeouts}`,
        );
      }
    }
    out.push('');
    out.push('where the time goes, per completed request');
    out.push(
      ...table(
        [6, 9, 8, 10, 9, 9],
        [
          ['route', 'db trips', 'db ms', 'rls tx ms', 'mean ms', 'other ms'],
          ...targets.map((t) => {
            const rs = runs.get(t.key) ?? [];
            const n = Math.max(
              1,
              sum(rs, (r) => r.result.requests.total),
            );
            const dbMs = sum(rs, (r) => r.stats.dbMs) / n;
            const latency = mean(rs.map((r) => r.result.latency.average));
            return [
              t.key,
              fmt(sum(rs, (r) => r.stats.roundTrips) / n, 2),
              fmt(dbMs, 2),
              fmt(sum(rs, (r) => r.stats.tenantMs) / n, 2),
              fmt(latency, 2),
              fmt(Math.max(0, latency - dbMs), 2),
            ];
          }),
        ],
      ),
    );
    out.push(
      'db trips: round trips (a tenant transaction is BEGIN+prelude, its queries, COMMIT; a batch one is 1);',
    );
    out.push('db ms: wall time awaiting the db, pool waits included; rls tx ms: the part inside db.tenant;');
    out.push('other ms: mean latency minus db ms (Node work and event-loop queueing)');
    if (!LADDER) out.push('BENCH_LADDER=1 adds routes between bare and ours (+rls, +auth) to split the gap');
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    progress('cleaning up');
    await cleanup();
  }
}

runBench(kit, main);
