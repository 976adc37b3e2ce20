import type { PgBoss } from 'pg-boss';
import { renderWeekChart } from '../agent/charts.ts';
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
import { type WeekInBusiness, weekInBusiness } from '../domain/insights/week.ts';
import { composeMyDay } from '../domain/my-day.ts';
import type { Notifier } from '../domain/notifier.ts';
import type { Prioritizer } from '../domain/priorities.ts';
import type { Logger } from '../log.ts';
import { briefingText, WEEK_MARK } from './messages.ts';
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

function contextOf(b: BriefingRow): Ctx & { userId: string } {
  if (!b.timezone) throw new Error('the database does not know the user’s time zone');
  return { tenantId: b.tenant_id, userId: b.user_id, actor: 'system', via: 'job', timezone: b.timezone };
}

const isMonday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() === 1;

interface WeekSection {
  week: WeekInBusiness;
  chart?: Buffer;
}

/**
 * On a Monday, last week's sales and cash in with their chart. The business section never stands in the
 * way of the day: if it fails, the briefing goes without it (or without the chart) and the log says why.
 */
async function weekSection(deps: BriefingDeps, b: BriefingRow, now: Date): Promise<WeekSection | null> {
  if (!isMonday(b.local_date)) return null;
  let week: WeekInBusiness | null;
  try {
    week = await weekInBusiness(deps.db, contextOf(b), b.local_date, now);
  } catch (err) {
    deps.logger.warn({ err, briefingId: b.id }, 'briefing sent without last week’s business');
    return null;
  }
  if (!week) return null;
  if (week.sales.records + week.cashIn.records === 0) return { week };
  try {
    return { week, chart: await renderWeekChart(week) };
  } catch (err) {
    deps.logger.warn({ err, briefingId: b.id }, 'briefing sent without last week’s chart');
    return { week };
  }
}

async function composeAndDeliver(deps: BriefingDeps, b: BriefingRow, now: Date): Promise<void> {
  const ctx = contextOf(b);
  const day = await composeMyDay(deps.db, ctx, now, deps.prioritize);
  const section = await weekSection(deps, b, now);
  const late = now.getTime() - b.due_at.getTime() > LATE_AFTER_MS;
  const text = briefingText(day, b.name, now, late, section?.week);
  // Kept before sending, so that a redelivery sends the very same text.
  await storeBriefingText(deps.db, b.id, text, late);
  await send(deps, b, text, section?.chart);
}

async function send(deps: BriefingDeps, b: BriefingRow, text: string, chart?: Buffer): Promise<void> {
  const delivery = await deps.notifier.notify({
    tenantId: b.tenant_id,
    userId: b.user_id,
    text,
    image: chart,
    dedupKey: `briefing:${b.user_id}:${b.local_date}`,
  });
  if (delivery.delivered) await markBriefingDelivered(deps.db, b.id, delivery.via);
}

/** A stored briefing sent again, with its chart drawn again when its text carries last week. */
async function resend(deps: BriefingDeps, b: BriefingRow, text: string): Promise<void> {
  const section = text.includes(WEEK_MARK) ? await weekSection(deps, b, deps.clock()) : null;
  await send(deps, b, text, section?.chart);
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
    (b) => (b.text ? resend(deps, b, b.text) : composeAndDeliver(deps, b, deps.clock())),
    (b, err) =>
      deps.logger.warn(
        { err, briefingId: b.id, userId: b.user_id },
        'briefing redelivery failed; will retry',
      ),
  );
}
