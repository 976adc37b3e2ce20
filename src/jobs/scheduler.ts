import cron, { type ScheduledTask } from 'node-cron';
import type { Job, JobResult, PgBoss } from 'pg-boss';
import type { ConnectorRuntime } from '../connectors/runtime.ts';
import type { Db } from '../db/types.ts';
import { ASSIGNMENTS_CHANNEL } from '../domain/members/assignment-notices.ts';
import type { Notifier } from '../domain/notifier.ts';
import type { Prioritizer } from '../domain/priorities.ts';
import type { Logger } from '../log.ts';
import { type Alarm, startAlarm } from './alarm.ts';
import { sendAssignmentNotices } from './assignments.ts';
import { type BriefingJob, queueDueBriefings, redeliverBriefings, runBriefingJob } from './briefings.ts';
import { redeliverComplianceAlerts, sendComplianceAlerts } from './compliance.ts';
import { connectorClockRun, runSyncJob, SYNC_RUNS_CHANNEL, type SyncJob } from './connectors.ts';
import { createQueues, openJobQueue, QUEUES } from './queue.ts';
import {
  queueDueReminders,
  REMINDERS_CHANNEL,
  type ReminderJob,
  redeliverReminders,
  reminderClockRun,
  runReminderJob,
} from './reminders.ts';

/**
 * The clock and the workers. Reminders wake the clock, not the other way round: an alarm sleeps until the
 * next pending reminder falls due and is woken early when one is written (NOTIFY axon_reminders, from any
 * process); at its time it turns the due rows into pg-boss jobs, whose NOTIFY wakes the workers of every
 * process. node-cron ticks each minute for briefings and compliance and every half minute for
 * redelivery. Idle workers and the alarm look on their own only every `backstopSeconds`, in case a
 * wake-up was missed (and for a failed job's retry). Assignment notices need no clock either: each one's
 * commit NOTIFYs the senders. Any number of processes can run this against one Postgres.
 */

export interface SchedulerDeps {
  db: Db;
  notifier: Notifier;
  logger: Logger;
  clock?: () => Date;
  prioritize?: Prioritizer | undefined;
  /** Connector syncs: run by this process's workers when given. */
  connectors?: ConnectorRuntime | undefined;
}

export interface SchedulerOptions {
  /** Run the clock: the reminder alarm and the node-cron ticks (off in tests that drive the ticks). */
  clock?: boolean;
  /**
   * The longest the reminder alarm and idle workers sleep without being woken; a failed job's retry is
   * picked up within it. Tests set it high to show that nothing waits on it.
   */
  backstopSeconds?: number;
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

const DEFAULT_BACKSTOP_SECONDS = 30;

/**
 * Workers per process and jobs per fetch. Several workers, so that a burst due in the same second is not
 * fired one batch after another; small batches, so that jobs in flight (workers × batch) stay near the
 * pool's size: a job that waits long for a connection looks, to the redelivery sweep, like one whose
 * process died.
 */
export const WORKERS = {
  reminder: { localConcurrency: 4, batchSize: 5 },
  briefing: { localConcurrency: 4, batchSize: 5 },
  // A sync holds a connection to its vendor for minutes: two at a time per process, one each.
  connectorSync: { localConcurrency: 2, batchSize: 1 },
} as const;

export interface Scheduler {
  boss: PgBoss;
  /** One tick of each kind, for the clock and for tests with a fake clock. */
  queueReminders(): Promise<number>;
  queueBriefings(): Promise<number>;
  sendComplianceAlerts(): Promise<number>;
  /** Sends pending "X assigned you" notices now; a NOTIFY at each one's commit does it by itself. */
  sendAssignmentNotices(): Promise<number>;
  redeliver(): Promise<number>;
  /** One run of the connectors' clock (queues due syncs, takes over stopped ones, hands them to workers). */
  syncConnectors(): Promise<Date | null>;
  stop(): Promise<void>;
}

export async function startScheduler(deps: SchedulerDeps, opts: SchedulerOptions = {}): Promise<Scheduler> {
  const clock = deps.clock ?? (() => new Date());
  const boss = openJobQueue(deps.db, opts.superviseIntervalSeconds);
  boss.on('error', (err) => deps.logger.error({ err }, 'job queue error'));
  boss.on('warning', (w) => deps.logger.warn({ warning: w }, 'job queue warning'));
  await boss.start();
  await createQueues(boss, opts.jobExpireSeconds);

  const backstop = opts.backstopSeconds ?? DEFAULT_BACKSTOP_SECONDS;
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
  // One `work` per worker, so that each can be woken by its id once this process has queued work for it.
  const workers = async <T extends object>(
    queue: string,
    { localConcurrency, batchSize }: { localConcurrency: number; batchSize: number },
    handler: (jobs: Job<T>[]) => Promise<JobResult[]>,
  ): Promise<() => void> => {
    const ids: string[] = [];
    for (let i = 0; i < localConcurrency; i++) {
      ids.push(
        await boss.work<T>(
          queue,
          {
            pollingIntervalSeconds: backstop,
            notifyPollingIntervalSeconds: backstop,
            batchSize,
            burstWhenBatchFull: true,
            perJobResults: true,
          },
          handler,
        ),
      );
    }
    return () => {
      for (const id of ids) boss.notifyWorker(id);
    };
  };

  // Set once the workers exist; the ticks that queue jobs wake them.
  const wake = { reminder: () => {}, briefing: () => {}, connectorSync: () => {} };
  const shared = {
    db: deps.db,
    boss,
    notifier: deps.notifier,
    logger: deps.logger,
    clock,
    wakeWorkers: () => wake.reminder(),
  };
  const briefingDeps = { ...shared, prioritize: deps.prioritize, wakeWorkers: () => wake.briefing() };
  wake.reminder = await workers<ReminderJob>(
    QUEUES.reminder,
    WORKERS.reminder,
    eachJob<ReminderJob>('reminder', (job) => runReminderJob(shared, job)),
  );
  wake.briefing = await workers<BriefingJob>(
    QUEUES.briefing,
    WORKERS.briefing,
    eachJob<BriefingJob>('briefing', (job) => runBriefingJob(briefingDeps, job)),
  );

  const connectorDeps = deps.connectors && {
    runtime: deps.connectors,
    boss,
    notifier: deps.notifier,
    logger: deps.logger,
    wakeWorkers: () => wake.connectorSync(),
  };
  if (connectorDeps) {
    wake.connectorSync = await workers<SyncJob>(
      QUEUES.connectorSync,
      WORKERS.connectorSync,
      eachJob<SyncJob>('sync', (job) => runSyncJob(connectorDeps, job)),
    );
  }

  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<unknown>>();
  const scheduler: Scheduler = {
    boss,
    queueReminders: () => queueDueReminders(shared),
    queueBriefings: () => queueDueBriefings(briefingDeps),
    sendComplianceAlerts: () => sendComplianceAlerts(shared),
    sendAssignmentNotices: () => sendAssignmentNotices(shared, redeliverAfter),
    async redeliver() {
      // Each sweep on its own: one that fails (its database statement) leaves the others to run.
      const sweeps = {
        reminders: () => redeliverReminders(shared, redeliverAfter),
        briefings: () => redeliverBriefings(briefingDeps, redeliverAfter),
        compliance: () => redeliverComplianceAlerts(shared, redeliverAfter),
        assignments: () => sendAssignmentNotices(shared, redeliverAfter),
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
    syncConnectors: () => (connectorDeps ? connectorClockRun(connectorDeps) : Promise.resolve(null)),
    async stop() {
      await connectorClock?.stop();
      await unlistenSyncRuns?.();
      await reminderClock?.stop();
      await unlistenReminders?.();
      await assignments?.stop();
      await unlistenAssignments?.();
      for (const task of tasks) await task.stop();
      await Promise.allSettled(running);
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };

  let connectorClock: Alarm | undefined;
  let unlistenSyncRuns: (() => Promise<void>) | undefined;
  let reminderClock: Alarm | undefined;
  let unlistenReminders: (() => Promise<void>) | undefined;
  // Assignment notices go out when their commit says so, not on a tick; the redelivery sweep is the fallback.
  let assignments: Alarm | undefined;
  const unlistenAssignments = await deps.db.listen?.(ASSIGNMENTS_CHANNEL, () => assignments?.wake());
  assignments = startAlarm(
    async () => {
      await sendAssignmentNotices(shared, redeliverAfter);
      return null;
    },
    { name: 'assignments', logger: deps.logger, backstopMs: backstop * 1000 },
  );
  if (opts.clock !== false) {
    // Sleeps until the next reminder is due; a reminder written or moved anywhere wakes it at commit.
    // Listening first: its first run then sees every reminder written before it.
    unlistenReminders = await deps.db.listen?.(REMINDERS_CHANNEL, () => reminderClock?.wake());
    reminderClock = startAlarm(() => reminderClockRun(shared), {
      name: 'reminders',
      logger: deps.logger,
      backstopMs: backstop * 1000,
    });
    if (connectorDeps) {
      // Sleeps until the next connection is due; a run queued anywhere wakes it at commit.
      unlistenSyncRuns = await deps.db.listen?.(SYNC_RUNS_CHANNEL, () => connectorClock?.wake());
      connectorClock = startAlarm(() => connectorClockRun(connectorDeps), {
        name: 'connectors',
        logger: deps.logger,
        backstopMs: backstop * 1000,
      });
    }
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
    every('0 * * * * *', 'briefings', scheduler.queueBriefings);
    every('5 * * * * *', 'compliance', scheduler.sendComplianceAlerts);
    every(opts.redeliverCron ?? '*/30 * * * * *', 'redeliver', scheduler.redeliver);
  }
  return scheduler;
}
