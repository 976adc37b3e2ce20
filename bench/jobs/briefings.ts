/**
 * bench:jobs, briefings: the morning rush. N users (10,000) all due at 08:00 in Asia/Kolkata; one tick of
 * the briefing clock (queueDueBriefings, what node-cron runs each minute) opens their rows and queues a
 * pg-boss job each, in one transaction; the briefing workers claim, compose my-day (src/domain/my-day.ts),
 * write the text and hand it to the notifier. Measures the tick, and the time from the tick's start to the
 * notifier having been called for every user. Target: 10,000 in under 60 s.
 *
 * The clock is the scheduler's own clock hook, set to 08:00:30 tomorrow (India) and running at real speed
 * from there, so every user is due at once; node-cron is off and the one tick is called directly.
 * Users, tasks and follow-ups are seeded by bulk SQL (no audit rows): the seed is not what is measured.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Db, Queryable, QueryOptions, Tx } from '../../src/db/types.ts';
import { newId } from '../../src/domain/ids.ts';
import type { Notifier } from '../../src/domain/notifier.ts';
import { addDays, localDate } from '../../src/domain/time.ts';
import { startScheduler, WORKERS } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/log.ts';
import { type BenchDatabase, type BenchKit, fmt, percentile } from '../support.ts';

export const TARGET_BRIEFINGS = 10_000;
export const TARGET_BRIEFINGS_S = 60;

export interface BriefingOptions {
  users: number;
  timeoutS: number;
}

export function briefingOptions(kit: BenchKit): BriefingOptions {
  return {
    users: kit.intEnv('BENCH_BRIEFING_USERS', TARGET_BRIEFINGS, 1),
    timeoutS: kit.intEnv('BENCH_BRIEFING_TIMEOUT_S', 180, 1),
  };
}

const SEED_BATCH = 2000;

/** One owner per business (the common case), each with a day worth a briefing: 2 tasks and a follow-up due. */
async function seed(db: Db, users: number, day: string): Promise<void> {
  // Only the seeded users are owed a briefing: the other sections' users are left out of the count.
  await db.query('UPDATE users SET briefing_enabled = false');
  for (let from = 0; from < users; from += SEED_BATCH) {
    const n = Math.min(SEED_BATCH, users - from);
    const idx = Array.from({ length: n }, (_, i) => from + i);
    const tenants = idx.map(() => newId('ten'));
    const userIds = idx.map(() => newId('usr'));
    const phones = idx.map((i) => `+9192${String(10_000_000 + i).slice(-8)}`);
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO tenants (id, name, timezone)
         SELECT t, 'Bench business ' || n, 'Asia/Kolkata' FROM unnest($1::text[]) WITH ORDINALITY AS x(t, n)`,
        [tenants],
      );
      await tx.query(
        `INSERT INTO users (id, tenant_id, phone, role, name)
         SELECT u, t, p, 'owner', 'Owner ' || n
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS x(u, t, p, n)`,
        [userIds, tenants, phones],
      );
      // Per user: one task due today (urgent), one overdue (high), one next week (low), one follow-up today.
      const taskIds = idx.flatMap(() => [newId('task'), newId('task'), newId('task')]);
      const rep = <T>(xs: T[]) => xs.flatMap((x) => [x, x, x]);
      await tx.query(
        `INSERT INTO tasks (id, tenant_id, title, due_date, priority, status, source, created_by)
         SELECT id, t, (ARRAY['Pay GST for March', 'Call ABC Traders about the invoice', 'Order stock'])[k],
                $4::date + (ARRAY[0, -3, 7])[k], (ARRAY['urgent', 'high', 'low'])[k], 'open', 'api', u
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS x(id, t, u, n),
              LATERAL (SELECT ((n - 1) % 3 + 1)::int AS k) kk`,
        [taskIds, rep(tenants), rep(userIds), day],
      );
      await tx.query(
        `INSERT INTO follow_ups (id, tenant_id, contact_name, subject, due_at, channel, status, source, created_by)
         SELECT id, t, 'Mehta Textiles', 'Payment reminder', ($4::date + time '11:00') AT TIME ZONE 'Asia/Kolkata',
                'call', 'pending', 'api', u
         FROM unnest($1::text[], $2::text[], $3::text[]) AS x(id, t, u)`,
        [idx.map(() => newId('fu')), tenants, userIds, day],
      );
    });
  }
  await db.exec('ANALYZE tenants; ANALYZE users; ANALYZE tasks; ANALYZE follow_ups; ANALYZE briefings');
}

interface DbCounts {
  transactions: number;
  statements: number;
  /** Summed over transactions: from asking for one to its callback running (pool wait + BEGIN and prelude). */
  openMs: number;
  /** Summed: inside the callbacks (the statements, and waiting for the event loop between them). */
  insideMs: number;
  /** Summed: from the callback's end to COMMIT answered. */
  commitMs: number;
}

const newCounts = (): DbCounts => ({ transactions: 0, statements: 0, openMs: 0, insideMs: 0, commitMs: 0 });

/** The app's Db, counting what the briefing work asks of it (pg-boss's own pool is not counted). */
function counting(db: Db, counts: () => DbCounts): Db {
  const wrap = (q: Queryable): Queryable => ({
    query: <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
      counts().statements++;
      return q.query<R>(sql, params, options);
    },
    exec: (sql) => {
      counts().statements++;
      return q.exec(sql);
    },
  });
  const wrapTx = (q: Tx): Tx => ({
    ...wrap(q),
    queue: (sql, params, options) => {
      counts().statements++;
      q.queue(sql, params, options);
    },
  });
  const tx =
    (open: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>) =>
    async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
      const c = counts();
      c.transactions++;
      const asked = performance.now();
      let began = asked;
      let ended = asked;
      try {
        return await open(async (q) => {
          began = performance.now();
          try {
            return await fn(wrapTx(q));
          } finally {
            ended = performance.now();
          }
        });
      } finally {
        const done = performance.now();
        c.openMs += began - asked;
        c.insideMs += ended - began;
        c.commitMs += done - ended;
      }
    };
  const one = db.tenantBatch;
  return {
    kind: db.kind,
    driver: db.driver,
    ...wrap(db),
    transaction: (fn) => tx((f) => db.transaction(f))(fn),
    tenant: (tenantId, fn) => tx((f) => db.tenant(tenantId, f))(fn),
    ...(one && { tenantBatch: (tenantId, fn) => tx((f) => one(tenantId, f))(fn) }),
    unscoped: (fn) => tx((f) => db.unscoped(f))(fn),
    close: () => db.close(),
  };
}

export async function runBriefingBench(
  kit: BenchKit,
  db: Db,
  database: BenchDatabase,
  o: BriefingOptions,
  stopping: () => boolean,
): Promise<{ lines: string[]; seconds: number }> {
  // Tomorrow in India: every seeded user exists before 08:00 that day, so each is owed a briefing.
  const day = addDays(localDate(new Date(), 'Asia/Kolkata'), 1);
  kit.progress(
    `briefings: seeding ${fmt(o.users)} users by bulk SQL (a business each, 3 tasks + 1 follow-up)`,
  );
  const seedStarted = performance.now();
  await seed(db, o.users, day);
  kit.progress(`briefings: seeded in ${fmt((performance.now() - seedStarted) / 1000, 1)} s`);

  const notified = new Map<string, number>();
  let repeats = 0;
  const notifier: Notifier = {
    async notify(n) {
      if (notified.has(n.dedupKey)) repeats++;
      else notified.set(n.dedupKey, performance.now());
      return { via: 'log', delivered: true };
    },
  };
  const base = new Date(`${day}T08:00:30+05:30`).getTime();
  const realStart = Date.now();
  const clock = () => new Date(base + (Date.now() - realStart));
  let counts = newCounts();
  const scheduler = await startScheduler(
    { db: counting(db, () => counts), notifier, logger: createLogger('silent'), clock },
    { clock: false },
  );
  try {
    kit.progress(`briefings: one tick of the briefing clock at ${clock().toISOString()} (08:00:30 in India)`);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const queued = await scheduler.queueBriefings();
    const tickMs = performance.now() - started;
    counts = newCounts();
    kit.progress(
      `briefings: ${fmt(queued)} opened and queued in ${fmt(tickMs)} ms; waiting for the notifier`,
    );
    const deadline = started + o.timeoutS * 1000;
    let lastReport = started;
    while (notified.size < queued && performance.now() < deadline && !stopping()) {
      await delay(100);
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        kit.progress(
          `briefings: ${fmt(notified.size)} of ${fmt(queued)} after ${fmt((lastReport - started) / 1000)} s`,
        );
      }
    }
    const times = [...notified.values()].map((t) => t - started);
    const lastMs = Math.max(...times);
    const cpu = process.cpuUsage(cpuBefore);
    const wallS = (notified.size < queued ? performance.now() - started : lastMs) / 1000;
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const rate = notified.size / wallS;
    const seconds = notified.size < queued ? Number.POSITIVE_INFINITY : lastMs / 1000;
    const projected = (TARGET_BRIEFINGS / rate).toFixed(0);
    const [rows] = await db.query<{ sent: number; texts: number; late: number }>(
      `SELECT count(*) FILTER (WHERE delivered_at IS NOT NULL)::int AS sent,
              count(*) FILTER (WHERE text IS NOT NULL)::int AS texts, count(*) FILTER (WHERE late)::int AS late
       FROM briefings WHERE local_date = $1`,
      [day],
    );
    const per = (x: number) => fmt(x / Math.max(1, notified.size), 2);
    const met = seconds < TARGET_BRIEFINGS_S && queued >= TARGET_BRIEFINGS;
    const lines = [
      `database     ${database.describe}; pg-boss 12 (its own pool of 4), briefing workers ` +
        `${WORKERS.briefing.localConcurrency} × batch ${WORKERS.briefing.batchSize}, woken when the tick queues; ` +
        'composeMyDay = 3 list queries + compliance in one tenant transaction',
      `users        ${fmt(o.users)}, one business each, all due 08:00 Asia/Kolkata on ${day}; each has a task due ` +
        'today, one overdue, one next week, and a follow-up due today',
      `tick         queueDueBriefings: ${fmt(queued)} briefing rows opened + ${fmt(queued)} pg-boss jobs inserted, ` +
        `one transaction, in ${fmt(tickMs)} ms`,
      `compose+send ${fmt(notified.size)} of ${fmt(queued)} handed to the notifier ` +
        `${notified.size < queued ? `by the ${o.timeoutS} s time-out (INCOMPLETE)` : `after ${fmt(lastMs / 1000, 1)} s`} ` +
        `from the tick's start: ${fmt(rate, 0)} briefings/s; first ${fmt(Math.min(...times) / 1000, 2)} s, ` +
        `half ${fmt(percentile(times, 50) / 1000, 1)} s` +
        (repeats ? `; ${repeats} notified twice` : '; none twice'),
      `rows         delivered ${fmt(rows?.sent ?? 0)}, with text ${fmt(rows?.texts ?? 0)}, marked late ${fmt(rows?.late ?? 0)}`,
      `db           per briefing, after the tick: ${per(counts.transactions)} transactions, ${per(counts.statements)} ` +
        `statements (+ BEGIN/prelude and COMMIT each); summed ms per briefing: ${per(counts.openMs)} waiting for a ` +
        `pooled connection + BEGIN, ${per(counts.insideMs)} inside, ${per(counts.commitMs)} COMMIT ` +
        '(transactions overlap, so these exceed wall time per briefing)',
      `process      CPU ${fmt(cpuS, 1)} s over ${fmt(wallS, 1)} s wall (${fmt((100 * cpuS) / wallS, 0)}% of one core) in ` +
        'this Node process; the rest is Postgres (same machine) and waiting',
      `target: ${fmt(TARGET_BRIEFINGS)} briefings in under ${TARGET_BRIEFINGS_S} s: ` +
        (o.users === TARGET_BRIEFINGS
          ? `${fmt(seconds, 1)} s, `
          : `not run at ${fmt(TARGET_BRIEFINGS)} (BENCH_BRIEFING_USERS); at this rate ~${projected} s, `) +
        (met ? 'met' : 'NOT met') +
        (database.kind === 'pglite' ? ' (but this is PGlite, not the target setup)' : ''),
    ];
    return { lines, seconds };
  } finally {
    await scheduler.stop();
  }
}
