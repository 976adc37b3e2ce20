import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ctx } from '../../src/domain/context.ts';
import { createTask } from '../../src/domain/tasks/service.ts';
import { ensureOwner, type Principal } from '../../src/domain/tenants.ts';
import { addDays, localDate } from '../../src/domain/time.ts';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/log.ts';
import { actingAs } from '../support/business.ts';
import { describeEachDb } from '../support/db.ts';
import { type CapturingNotifier, capturingNotifier } from '../support/notifier.ts';

describeEachDb('morning briefing', (get) => {
  let now = new Date();
  const clock = () => now;
  let notifier: CapturingNotifier;
  let scheduler: Scheduler;
  let kolkata: Principal;
  let dubai: Principal;
  // Tomorrow in India: every user here was created before it, so their briefing is owed that day.
  const day = addDays(localDate(new Date(), 'Asia/Kolkata'), 1);
  const start = () =>
    startScheduler({ db: get().db, notifier, logger: createLogger('silent'), clock }, { clock: false });
  const briefingsFor = (userId: string) =>
    notifier.sent.filter((n) => n.userId === userId && n.dedupKey.startsWith('briefing:'));

  beforeAll(async () => {
    const { db } = get();
    kolkata = await ensureOwner(db, '+919800000101', 'Asia/Kolkata');
    dubai = await ensureOwner(db, '+971500000102', 'Asia/Dubai');
    await db.query("UPDATE users SET name = 'Ravi' WHERE id = $1", [kolkata.userId]);
    await db.query("UPDATE users SET briefing_time = '07:30' WHERE id = $1", [dubai.userId]);
    const ctx: Ctx = actingAs(kolkata);
    await createTask(db, ctx, { title: 'Pay GST', priority: 'urgent', due_date: day }, 'api');
    notifier = capturingNotifier();
    scheduler = await start();
  });
  afterAll(async () => {
    await scheduler?.stop();
  });

  it('waits for each user’s local time', async () => {
    now = new Date(`${day}T07:59:00+05:30`);
    expect(await scheduler.queueBriefings()).toBe(0);
  });

  it('goes out at 08:00 in the user’s time zone, written for chat', async () => {
    now = new Date(`${day}T08:00:00+05:30`);
    expect(await scheduler.queueBriefings()).toBe(1);
    await notifier.waitFor(1);
    const [briefing] = briefingsFor(kolkata.userId);
    expect(briefing?.text).toMatch(/^Good morning, Ravi! ☀️ Here is your day, \w{3}, \d{1,2} \w{3}:/);
    expect(briefing?.text).toContain('1. Pay GST — Due today · urgent');
    expect(briefing?.text).not.toContain('late');
  });

  it('is not sent twice the same day, even after a restart', async () => {
    now = new Date(`${day}T08:05:00+05:30`);
    expect(await scheduler.queueBriefings()).toBe(0);
    await scheduler.stop();
    scheduler = await start();
    now = new Date(`${day}T08:50:00+05:30`);
    expect(await scheduler.queueBriefings()).toBe(0);
    expect(briefingsFor(kolkata.userId)).toHaveLength(1);
    const rows = await get().db.query('SELECT 1 FROM briefings WHERE user_id = $1', [kolkata.userId]);
    expect(rows).toHaveLength(1);
  });

  it('follows a user’s own time and zone (07:30 in Dubai)', async () => {
    now = new Date(`${day}T07:29:00+04:00`);
    expect(await scheduler.queueBriefings()).toBe(0);
    now = new Date(`${day}T07:30:00+04:00`);
    expect(await scheduler.queueBriefings()).toBe(1);
    await notifier.waitFor(2);
    expect(briefingsFor(dubai.userId)).toHaveLength(1);
  });

  it('comes the next day again, and not at all when turned off', async () => {
    await get().db.query('UPDATE users SET briefing_enabled = false WHERE id = $1', [dubai.userId]);
    now = new Date(`${addDays(day, 1)}T08:00:00+05:30`);
    expect(await scheduler.queueBriefings()).toBe(1);
    await notifier.waitFor(3);
    expect(briefingsFor(kolkata.userId)).toHaveLength(2);
    expect(briefingsFor(dubai.userId)).toHaveLength(1);
  });

  it('is marked late when the process was down at the time', async () => {
    now = new Date(`${addDays(day, 2)}T11:00:00+05:30`);
    expect(await scheduler.queueBriefings()).toBe(1);
    await notifier.waitFor(4);
    expect(briefingsFor(kolkata.userId)[2]?.text).toContain('A little late today');
  });
});
