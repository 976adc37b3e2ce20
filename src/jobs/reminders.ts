import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/types.ts';
import type { Notifier } from '../domain/notifier.ts';
import {
  type FiredReminder,
  lockUnqueued,
  markQueued,
  markReminderDelivered,
  nextUnqueuedDue,
  undeliveredReminders,
} from '../domain/reminders/repo.ts';
import { fireReminder } from '../domain/reminders/service.ts';
import type { Logger } from '../log.ts';
import { reminderText } from './messages.ts';
import { inTransaction, QUEUES } from './queue.ts';
import { eachRow } from './sweep.ts';

export interface ReminderJob {
  reminderId: string;
  /** The exact due instant the job was queued for; a reminder moved since then claims nothing. */
  dueAt: string;
}

export interface ReminderDeps {
  db: Db;
  boss: PgBoss;
  notifier: Notifier;
  logger: Logger;
  clock: () => Date;
  /** Wakes this process's workers once jobs are queued (other processes' wake on pg-boss's NOTIFY). */
  wakeWorkers?: () => void;
}

/** NOTIFYed at commit when a reminder becomes pending at a new time (014_reminders_notify.sql). */
export const REMINDERS_CHANNEL = 'axon_reminders';

const SWEEP_BATCH = 1000;

/**
 * One run of the reminder clock: queues what is due and answers when the next pending reminder falls due,
 * so the clock sleeps until then (or until a NOTIFY says a reminder was written).
 */
export async function reminderClockRun(deps: ReminderDeps): Promise<Date | null> {
  const now = deps.clock();
  while ((await queueDueReminders(deps, now)) === SWEEP_BATCH) {}
  return nextUnqueuedDue(deps.db, now);
}

/**
 * Turns the reminder rows due by now into pg-boss jobs, in the same transaction that marks them queued,
 * and wakes the workers. Overdue rows (the process was down) fire at once, marked late. A batch that
 * fails is queued again one row at a time, so one bad row holds back only itself. Returns how many rows
 * were queued.
 */
export async function queueDueReminders(deps: ReminderDeps, now = deps.clock()): Promise<number> {
  const queued = await queueDue(deps, now);
  if (queued > 0) deps.wakeWorkers?.();
  return queued;
}

async function queueDue(deps: ReminderDeps, horizon: Date): Promise<number> {
  const locked: string[] = [];
  try {
    return await queueBatch(deps, horizon, null, locked);
  } catch (err) {
    if (locked.length <= 1) throw err;
    deps.logger.warn({ err, count: locked.length }, 'reminder batch could not be queued; trying one by one');
    return eachRow(
      locked,
      async (id) => void (await queueBatch(deps, horizon, [id], [])),
      (id, rowErr) => deps.logger.error({ err: rowErr, reminderId: id }, 'reminder could not be queued'),
    );
  }
}

/** Queues the due rows (only `only`, when given) in one transaction; `locked` receives their ids. */
async function queueBatch(
  deps: ReminderDeps,
  horizon: Date,
  only: string[] | null,
  locked: string[],
): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const rows = await lockUnqueued(tx, horizon, SWEEP_BATCH, only);
    locked.push(...rows.map((r) => r.id));
    if (rows.length === 0) return 0;
    await deps.boss.insert(
      QUEUES.reminder,
      // No start time: the job runs at once, so its insert NOTIFYs every process's workers.
      rows.map((r) => ({
        data: { reminderId: r.id, dueAt: r.due_key } satisfies ReminderJob,
        singletonKey: `${r.id}@${r.due_key}`,
      })),
      { db: inTransaction(tx) },
    );
    await markQueued(
      tx,
      rows.map((r) => r.id),
    );
    return rows.length;
  });
}

async function deliver(deps: ReminderDeps, r: FiredReminder, now: Date): Promise<void> {
  const delivery = await deps.notifier.notify({
    tenantId: r.tenant_id,
    userId: r.notify_user_id,
    text: reminderText(r, now),
    dedupKey: `reminder:${r.id}:${r.due_at.toISOString()}`,
  });
  if (delivery.delivered) await markReminderDelivered(deps.db, r.id, delivery.via);
}

/** The pg-boss handler: fire (claim + audit + event), then tell the user. */
export async function runReminderJob(deps: ReminderDeps, job: ReminderJob): Promise<FiredReminder | null> {
  const now = deps.clock();
  const fired = await fireReminder(deps.db, job, now);
  if (!fired) return null;
  try {
    await deliver(deps, fired, now);
  } catch (err) {
    // The reminder counts as fired; the delivery sweep retries the message, which its dedup key keeps single.
    deps.logger.warn(
      { err, reminderId: fired.id, userId: fired.notify_user_id },
      'reminder message not delivered yet',
    );
  }
  return fired;
}

/** Retries messages of reminders that fired but were never confirmed delivered. */
export async function redeliverReminders(deps: ReminderDeps, staleSeconds: number): Promise<number> {
  const rows = await undeliveredReminders(deps.db, staleSeconds);
  return eachRow(
    rows,
    (r) => deliver(deps, r, deps.clock()),
    (r, err) =>
      deps.logger.warn(
        { err, reminderId: r.id, userId: r.notify_user_id },
        'reminder redelivery failed; will retry',
      ),
  );
}
