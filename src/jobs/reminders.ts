import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/types.ts';
import type { Notifier } from '../domain/notifier.ts';
import {
  type FiredReminder,
  lockUnqueued,
  markQueued,
  markReminderDelivered,
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
}

/** Queue this far ahead, so a reminder's job is waiting in pg-boss when it falls due. */
const LOOKAHEAD_MS = 120_000;
const SWEEP_BATCH = 1000;

/**
 * Turns pending reminder rows into deferred pg-boss jobs, in the same transaction that marks them queued.
 * Overdue rows (the process was down) are queued to run at once and fire marked late. A batch that fails
 * is queued again one row at a time, so one bad row holds back only itself. Returns how many were queued.
 */
export async function queueDueReminders(deps: ReminderDeps): Promise<number> {
  const horizon = new Date(deps.clock().getTime() + LOOKAHEAD_MS);
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
      rows.map((r) => ({
        data: { reminderId: r.id, dueAt: r.due_key } satisfies ReminderJob,
        startAfter: r.due_at,
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
