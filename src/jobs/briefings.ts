import type { PgBoss } from 'pg-boss';
import type { Db } from '../db/types.ts';
import {
  type BriefingRow,
  claimBriefing,
  markBriefingDelivered,
  openDueBriefings,
  storeBriefingText,
  undeliveredBriefings,
} from '../domain/briefings/repo.ts';
import type { Ctx } from '../domain/context.ts';
import { composeMyDay } from '../domain/my-day.ts';
import type { Notifier } from '../domain/notifier.ts';
import type { Prioritizer } from '../domain/priorities.ts';
import type { Logger } from '../log.ts';
import { briefingText } from './messages.ts';
import { inTransaction, QUEUES } from './queue.ts';
import { eachRow, MAX_LOGGED_IDS } from './sweep.ts';

export interface BriefingJob {
  briefingId: string;
}

export interface BriefingDeps {
  db: Db;
  boss: PgBoss;
  notifier: Notifier;
  logger: Logger;
  clock: () => Date;
  prioritize?: Prioritizer | undefined;
  /** Wakes this process's workers once jobs are queued (other processes' wake on pg-boss's NOTIFY). */
  wakeWorkers?: () => void;
}

/** A briefing composed more than this after the user's chosen time says it is late. */
const LATE_AFTER_MS = 15 * 60_000;

/**
 * Opens today's briefing for every user whose time has come and queues a job for each, in one
 * transaction: the row and its job exist together or not at all. Returns how many were opened.
 */
export async function queueDueBriefings(deps: BriefingDeps): Promise<number> {
  const now = deps.clock();
  const { opened, unknownZone } = await deps.db.transaction(async (tx) => {
    const due = await openDueBriefings(tx, now);
    if (due.opened.length > 0) {
      await deps.boss.insert(
        QUEUES.briefing,
        due.opened.map((b) => ({ data: { briefingId: b.id } satisfies BriefingJob })),
        { db: inTransaction(tx) },
      );
    }
    return due;
  });
  if (opened.length > 0) deps.wakeWorkers?.();
  if (unknownZone.length > 0) {
    deps.logger.warn(
      { users: unknownZone.slice(0, MAX_LOGGED_IDS), count: unknownZone.length },
      'briefings skipped: the database does not know these users’ time zone',
    );
  }
  return opened.length;
}

async function composeAndDeliver(deps: BriefingDeps, b: BriefingRow, now: Date): Promise<void> {
  if (!b.timezone) throw new Error('the database does not know the user’s time zone');
  const ctx: Ctx & { userId: string } = {
    tenantId: b.tenant_id,
    userId: b.user_id,
    actor: 'system',
    via: 'job',
    timezone: b.timezone,
  };
  const day = await composeMyDay(deps.db, ctx, now, deps.prioritize);
  const late = now.getTime() - b.due_at.getTime() > LATE_AFTER_MS;
  const text = briefingText(day, b.name, now, late);
  // Kept before sending, so that a redelivery sends the very same text.
  await storeBriefingText(deps.db, b.id, text, late);
  await send(deps, b, text);
}

async function send(deps: BriefingDeps, b: BriefingRow, text: string): Promise<void> {
  const delivery = await deps.notifier.notify({
    tenantId: b.tenant_id,
    userId: b.user_id,
    text,
    dedupKey: `briefing:${b.user_id}:${b.local_date}`,
  });
  if (delivery.delivered) await markBriefingDelivered(deps.db, b.id, delivery.via);
}

/** The pg-boss handler: claim the day's row (once, across processes), compose, send. */
export async function runBriefingJob(deps: BriefingDeps, job: BriefingJob): Promise<boolean> {
  const b = await claimBriefing(deps.db, job.briefingId);
  if (!b) return false;
  try {
    await composeAndDeliver(deps, b, deps.clock());
  } catch (err) {
    deps.logger.warn({ err, briefingId: b.id, userId: b.user_id }, 'briefing not delivered yet');
  }
  return true;
}

/** Sends briefings that were claimed but never confirmed delivered, composing any left without text. */
export async function redeliverBriefings(deps: BriefingDeps, staleSeconds: number): Promise<number> {
  const rows = await undeliveredBriefings(deps.db, staleSeconds);
  return eachRow(
    rows,
    (b) => (b.text ? send(deps, b, b.text) : composeAndDeliver(deps, b, deps.clock())),
    (b, err) =>
      deps.logger.warn(
        { err, briefingId: b.id, userId: b.user_id },
        'briefing redelivery failed; will retry',
      ),
  );
}
