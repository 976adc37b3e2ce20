/**
 * bench:jobs, reminders: lateness of reminders all due within one minute, through the real scheduler
 * (the reminder clock, asleep until the next due time → pg-boss jobs, whose NOTIFY wakes the workers →
 * the reminder worker → the notifier). Tasks are created
 * with createTask and remind_at (the domain writes the reminder row in the task's transaction); the
 * scheduler is already running, as in a served process. Lateness: from the stored due time to the moment
 * the notifier is called (a notifier that answers at once). Target: p99 ≤ 2 s.
 *
 * Part of the minute is due in the very same second (as "remind me at 5pm" does to many people at once),
 * the rest spread evenly over the minute.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import type { Notifier } from '../../src/domain/notifier.ts';
import { createTask } from '../../src/domain/tasks/service.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { startScheduler, WORKERS } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/log.ts';
import { type BenchDatabase, type BenchKit, fmt, percentile, table } from '../support.ts';

export const TARGET_LATENESS_P99_MS = 2000;

export interface ReminderOptions {
  reminders: number;
  businesses: number;
  /** Seconds from the end of set-up to the first due time. */
  leadS: number;
  windowS: number;
  /** Share of the reminders due in the window's first second, percent. */
  sameSecondPct: number;
  /** Longest wait after the window's end for stragglers. */
  graceS: number;
  createConcurrency: number;
}

export function reminderOptions(kit: BenchKit): ReminderOptions {
  return {
    reminders: kit.intEnv('BENCH_REMINDERS', 1000, 1),
    businesses: kit.intEnv('BENCH_REMINDER_BUSINESSES', 100, 1),
    leadS: kit.intEnv('BENCH_REMINDER_LEAD_S', 20, 5, 110),
    windowS: kit.intEnv('BENCH_REMINDER_WINDOW_S', 60, 1, 600),
    sameSecondPct: kit.intEnv('BENCH_REMINDER_SAME_SECOND_PCT', 50, 0, 100),
    graceS: kit.intEnv('BENCH_REMINDER_GRACE_S', 30, 1),
    createConcurrency: kit.intEnv('BENCH_CREATE_CONCURRENCY', 8, 1),
  };
}

/** Runs `fn` over `items`, `n` at a time. */
export async function inParallel<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await fn(items[i] as T, i);
    }),
  );
}

interface Fired {
  /** Date.now() when the notifier was called. */
  at: number;
  calls: number;
}

const ms = (n: number) => `${fmt(n, 0)} ms`;

export async function runReminderBench(
  kit: BenchKit,
  db: Db,
  database: BenchDatabase,
  o: ReminderOptions,
  stopping: () => boolean,
): Promise<{ lines: string[]; p99: number }> {
  kit.progress(`reminders: signing up ${o.businesses} businesses (ensureOwner)`);
  const owners: Ctx[] = [];
  for (let i = 0; i < o.businesses; i++) {
    const p = await ensureOwner(db, `+9191${String(10_000_000 + i).slice(-8)}`, 'Asia/Kolkata');
    owners.push({ tenantId: p.tenantId, userId: p.userId, actor: 'user', via: 'api', timezone: p.timezone });
  }
  // This section is about reminders; the briefing section counts its own users' briefings.
  await db.query('UPDATE users SET briefing_enabled = false WHERE id = ANY($1)', [
    owners.map((c) => c.userId),
  ]);

  const fired = new Map<string, Fired>();
  let unexpected = 0;
  let doneResolve: () => void = () => {};
  const allFired = new Promise<void>((resolve) => {
    doneResolve = resolve;
  });
  const notifier: Notifier = {
    async notify(n) {
      const at = Date.now();
      const prior = fired.get(n.dedupKey);
      if (prior) prior.calls++;
      else if (n.dedupKey.startsWith('reminder:')) fired.set(n.dedupKey, { at, calls: 1 });
      else unexpected++;
      if (fired.size >= o.reminders) doneResolve();
      return { via: 'log', delivered: true };
    },
  };
  kit.progress('reminders: starting the scheduler (reminder clock, pg-boss workers), as `serve` does');
  const scheduler = await startScheduler({ db, notifier, logger: createLogger('silent') });
  try {
    const windowStart = Math.ceil((Date.now() + o.leadS * 1000) / 1000) * 1000;
    const sameSecond = Math.round((o.reminders * o.sameSecondPct) / 100);
    const spread = o.reminders - sameSecond;
    const dueAt = (i: number) =>
      i < sameSecond
        ? windowStart
        : windowStart +
          1000 +
          Math.floor(((i - sameSecond) * (o.windowS * 1000 - 1000)) / Math.max(1, spread));
    kit.progress(
      `reminders: creating ${o.reminders} tasks with remind_at (createTask, ${o.createConcurrency} at a time): ` +
        `${sameSecond} due at ${new Date(windowStart).toISOString()}, ${spread} over the next ${o.windowS - 1} s`,
    );
    const createStarted = performance.now();
    const createdAt: number[] = [];
    await inParallel(
      Array.from({ length: o.reminders }, (_, i) => i),
      o.createConcurrency,
      async (i) => {
        if (stopping()) return;
        const ctx = owners[i % owners.length] as Ctx;
        await createTask(
          db,
          ctx,
          { title: `Bench reminder ${i}`, priority: 'medium', remind_at: new Date(dueAt(i)).toISOString() },
          'api',
        );
        createdAt[i] = Date.now();
      },
    );
    const createMs = performance.now() - createStarted;
    const createdLate = createdAt.filter((t, i) => t > dueAt(i)).length;
    kit.progress(
      `reminders: created in ${fmt(createMs / 1000, 1)} s; waiting for the window ` +
        `(${fmt((windowStart - Date.now()) / 1000, 0)} s to the first, ${o.windowS} s long)`,
    );
    const deadline = windowStart + o.windowS * 1000 + o.graceS * 1000;
    while (fired.size < o.reminders && Date.now() < deadline && !stopping()) {
      await Promise.race([allFired, delay(Math.min(1000, Math.max(1, deadline - Date.now())))]);
    }

    // Where the lateness comes from: due → pg-boss hands the job out (started_on) → the notifier is called.
    const rows = await db.query<{ key: string; due: Date; started: Date | null; fired_at: Date | null }>(
      `SELECT 'reminder:' || r.id || ':' AS key, r.due_at AS due, j.started_on AS started, r.fired_at
       FROM reminders r
       JOIN tasks t ON t.id = r.entity_id AND t.title LIKE 'Bench reminder %'
       LEFT JOIN pgboss.job j ON j.name = 'reminder' AND j.data->>'reminderId' = r.id`,
    );
    const samples = rows.map((r) => {
      const f = fired.get(`${r.key}${r.due.toISOString()}`);
      return {
        due: r.due.getTime(),
        late: f ? f.at - r.due.getTime() : Number.NaN,
        toFetch: r.started ? r.started.getTime() - r.due.getTime() : Number.NaN,
        toClaim: r.fired_at && r.started ? r.fired_at.getTime() - r.started.getTime() : Number.NaN,
        toNotify: f && r.fired_at ? f.at - r.fired_at.getTime() : Number.NaN,
        calls: f?.calls ?? 0,
      };
    });
    const firedSamples = samples.filter((s) => Number.isFinite(s.late));
    const late = firedSamples.map((s) => s.late);
    const p99 = percentile(late, 99);
    const group = (name: string, xs: typeof samples) => {
      const l = xs.filter((s) => Number.isFinite(s.late));
      const col = (pick: (s: (typeof samples)[number]) => number, p: number) =>
        ms(percentile(l.map(pick).filter(Number.isFinite), p));
      return [
        name,
        fmt(l.length),
        ms(
          percentile(
            l.map((s) => s.late),
            50,
          ),
        ),
        ms(
          percentile(
            l.map((s) => s.late),
            99,
          ),
        ),
        ms(Math.max(...l.map((s) => s.late))),
        col((s) => s.toFetch, 99),
        col((s) => s.toClaim, 99),
        col((s) => s.toNotify, 99),
      ];
    };
    const sameSecondSamples = samples.filter((s) => s.due === windowStart);
    const spreadSamples = samples.filter((s) => s.due !== windowStart);
    const repeated = samples.filter((s) => s.calls > 1).length;
    const missing = o.reminders - firedSamples.length;
    const lines = [
      `database     ${database.describe}; pg-boss 12 (its own pool of 4), ` +
        `reminder workers ${WORKERS.reminder.localConcurrency} × batch ${WORKERS.reminder.batchSize}, woken by NOTIFY; ` +
        'the reminder clock sleeps until the next due time (a written reminder wakes it) and queues at that time',
      `set-up       ${o.reminders} tasks in ${o.businesses} businesses by createTask with remind_at, ` +
        `${o.createConcurrency} at a time, in ${fmt(createMs / 1000, 1)} s, scheduler already running; ` +
        `${createdLate} created after their due time`,
      `due          ${sameSecond} in the same second, ${spread} spread over the next ${o.windowS - 1} s; ` +
        'lateness = notifier called − stored due_at',
      '',
      ...table(
        [22, 8, 9, 9, 9, 14, 14, 14],
        [
          ['reminders', 'fired', 'p50', 'p99', 'max', 'due→fetch p99', 'fetch→claim', 'claim→notify'],
          group('all', samples),
          group('same second', sameSecondSamples),
          group('spread over the minute', spreadSamples),
        ],
      ),
      'due→fetch: pg-boss job started_on (db clock) − due; fetch→claim: the handler claims the row ' +
        '(fired_at); claim→notify: event + audit commit, then the notifier (p99 of each, separately)',
      `exactly once: ${fmt(firedSamples.length)} of ${fmt(o.reminders)} notified, ${repeated} notified more than once, ` +
        `${missing} never within ${o.graceS} s after the window${unexpected ? `, ${unexpected} other notifications` : ''}`,
      `target: lateness p99 ≤ ${TARGET_LATENESS_P99_MS} ms: ${ms(p99)}, ${p99 <= TARGET_LATENESS_P99_MS && missing === 0 ? 'met' : 'NOT met'}` +
        (database.kind === 'pglite' ? ' (but this is PGlite, not the target setup)' : ''),
    ];
    return { lines, p99 };
  } finally {
    await scheduler.stop();
  }
}
