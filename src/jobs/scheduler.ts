import cron, { type ScheduledTask } from 'node-cron';
import type { Job, JobResult, PgBoss } from 'pg-boss';
import type { Db } from '../db/types.ts';
import type { Notifier } from '../domain/notifier.ts';
import type { Prioritizer } from '../domain/priorities.ts';
import type { Logger } from '../log.ts';
import { type BriefingJob, queueDueBriefings, redeliverBriefings, runBriefingJob } from './briefings.ts';
import { redeliverComplianceAlerts, sendComplianceAlerts } from './compliance.ts';
import { createQueues, openJobQueue, QUEUES } from './queue.ts';
import { queueDueReminders, type ReminderJob, redeliverReminders, runReminderJob } from './reminders.ts';

/**
 * The clock and the workers. node-cron ticks (every second for reminders, every minute for briefings and
 * compliance, every half minute for redelivery); each tick turns due rows into pg-boss jobs; pg-boss
 * workers in every process share those jobs. Any number of processes can run this against one Postgres.
 */

export interface SchedulerDeps {
  db: Db;
  notifier: Notifier;
  logger: Logger;
  clock?: () => Date;
  prioritize?: Prioritizer | undefined;
}

export interface SchedulerOptions {
  /** Run the node-cron clock (off in tests that drive the ticks themselves). */
  clock?: boolean;
  /** How often idle workers look for jobs; pg-boss's floor is 0.5 s. */
  pollingIntervalSeconds?: number;
  /** A message not confirmed delivered after this long is sent again (its dedup key keeps it single). */
  redeliverAfterSeconds?: number;
  /**
   * How fast work held by a process that died is taken over: a fetched job expires after
   * `jobExpireSeconds` and pg-boss's supervisor looks every `superviseIntervalSeconds`. Tests shorten them.
   */
  jobExpireSeconds?: number;
  superviseIntervalSeconds?: number;
  /** node-cron expression of the redelivery sweep; every 30 s by default. */
  redeliverCron?: string;
}

/**
 * Workers per process and jobs per fetch. Several workers, so that a burst due in the same second is not
 * fired one batch after another; small batches, so that jobs in flight (workers × batch) stay near the
 * pool's size: a job that waits long for a connection looks, to the redelivery sweep, like one whose
 * process died.
 */
export const WORKERS = {
  reminder: { localConcurrency: 4, batchSize: 5 },
  briefing: { localConcurrency: 4, batchSize: 5 },
} as const;

export interface Scheduler {
  boss: PgBoss;
  /** One tick of each kind, for the clock and for tests with a fake clock. */
  queueReminders(): Promise<number>;
  queueBriefings(): Promise<number>;
  sendComplianceAlerts(): Promise<number>;
  redeliver(): Promise<number>;
  stop(): Promise<void>;
}

export async function startScheduler(deps: SchedulerDeps, opts: SchedulerOptions = {}): Promise<Scheduler> {
  const clock = deps.clock ?? (() => new Date());
  const boss = openJobQueue(deps.db, opts.superviseIntervalSeconds);
  boss.on('error', (err) => deps.logger.error({ err }, 'job queue error'));
  boss.on('warning', (w) => deps.logger.warn({ warning: w }, 'job queue warning'));
  await boss.start();
  await createQueues(boss, opts.jobExpireSeconds);

  const shared = { db: deps.db, boss, notifier: deps.notifier, logger: deps.logger, clock };
  const briefingDeps = { ...shared, prioritize: deps.prioritize };
  const polling = { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5 };
  const redeliverAfter = opts.redeliverAfterSeconds ?? 60;

  // Each job succeeds or fails on its own (a failed one is retried by pg-boss), logged with its ids.
  const eachJob =
    <T extends object>(kind: string, run: (data: T) => Promise<unknown>) =>
    (jobs: Job<T>[]): Promise<JobResult[]> =>
      Promise.all(
        jobs.map((job) =>
          run(job.data).then(
            (): JobResult => ({ id: job.id, status: 'completed' }),
            (err): JobResult => {
              deps.logger.error({ err, job: job.id, data: job.data }, `${kind} job failed; will retry`);
              return { id: job.id, status: 'failed', output: { message: String(err) } };
            },
          ),
        ),
      );
  await boss.work<ReminderJob>(
    QUEUES.reminder,
    { ...polling, ...WORKERS.reminder, burstWhenBatchFull: true, perJobResults: true },
    eachJob<ReminderJob>('reminder', (job) => runReminderJob(shared, job)),
  );
  await boss.work<BriefingJob>(
    QUEUES.briefing,
    { ...polling, ...WORKERS.briefing, burstWhenBatchFull: true, perJobResults: true },
    eachJob<BriefingJob>('briefing', (job) => runBriefingJob(briefingDeps, job)),
  );

  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<unknown>>();
  const scheduler: Scheduler = {
    boss,
    queueReminders: () => queueDueReminders(shared),
    queueBriefings: () => queueDueBriefings(briefingDeps),
    sendComplianceAlerts: () => sendComplianceAlerts(shared),
    async redeliver() {
      // Each sweep on its own: one that fails (its database statement) leaves the others to run.
      const sweeps = {
        reminders: () => redeliverReminders(shared, redeliverAfter),
        briefings: () => redeliverBriefings(briefingDeps, redeliverAfter),
        compliance: () => redeliverComplianceAlerts(shared, redeliverAfter),
      };
      let sent = 0;
      for (const [name, sweep] of Object.entries(sweeps)) {
        sent += await sweep().catch((err) => {
          deps.logger.error({ err, sweep: name }, 'redelivery sweep failed');
          return 0;
        });
      }
      return sent;
    },
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.allSettled(running);
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };

  if (opts.clock !== false) {
    const every = (expression: string, name: string, run: () => Promise<unknown>) => {
      // Ticks in flight are awaited on stop, so none outlives the database it writes to.
      const tick = () => {
        const p = run().catch((err) => deps.logger.error({ err, tick: name }, 'scheduler tick failed'));
        running.add(p);
        return p.finally(() => running.delete(p));
      };
      tasks.push(cron.schedule(expression, tick, { name, noOverlap: true }));
      // Once now as well: a process that was down catches up at start, not a minute later.
      void tick();
    };
    every('* * * * * *', 'reminders', scheduler.queueReminders);
    every('0 * * * * *', 'briefings', scheduler.queueBriefings);
    every('5 * * * * *', 'compliance', scheduler.sendComplianceAlerts);
    every(opts.redeliverCron ?? '*/30 * * * * *', 'redeliver', scheduler.redeliver);
  }
  return scheduler;
}
