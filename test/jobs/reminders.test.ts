import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ctx } from '../../src/domain/context.ts';
import { createFollowUp } from '../../src/domain/follow-ups/service.ts';
import { undeliveredReminders } from '../../src/domain/reminders/repo.ts';
import { fireReminder } from '../../src/domain/reminders/service.ts';
import { completeTask, createTask, updateTask } from '../../src/domain/tasks/service.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/log.ts';
import { actingAs } from '../support/business.ts';
import { describeEachDb } from '../support/db.ts';
import { type CapturingNotifier, capturingNotifier } from '../support/notifier.ts';

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

describeEachDb('reminders', (get) => {
  let scheduler: Scheduler;
  let notifier: CapturingNotifier;
  let ctx: Ctx;

  beforeAll(async () => {
    const { db } = get();
    const owner = await ensureOwner(db, '+919800000001', 'Asia/Kolkata');
    // This suite is about reminders; the morning briefing has its own.
    await db.query('UPDATE users SET briefing_enabled = false WHERE id = $1', [owner.userId]);
    ctx = actingAs(owner);
    notifier = capturingNotifier();
    scheduler = await startScheduler({ db, notifier, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await scheduler?.stop();
  });

  const firedRow = async (entityId: string) => {
    const [row] = await get().db.query<{
      status: string;
      due_at: Date;
      fired_at: Date | null;
      late: boolean;
    }>('SELECT status, due_at, fired_at, late FROM reminders WHERE entity_id = $1', [entityId]);
    return row;
  };

  it('fires a task reminder once it is due and not before, with a message, an event and an audit entry', async () => {
    const { db } = get();
    const before = notifier.sent.length;
    const task = await createTask(
      db,
      ctx,
      { title: 'Call ABC Traders', priority: 'medium', remind_at: inMs(1500) },
      'api',
    );
    const [message] = (await notifier.waitFor(before + 1)).slice(before);
    expect(message?.text).toMatch(/^⏰ Reminder: Call ABC Traders — \d{1,2}:\d{2} (am|pm)$/);
    expect(message?.userId).toBe(ctx.userId);
    const row = await firedRow(task.id);
    expect(row?.status).toBe('fired');
    expect(row?.fired_at?.getTime()).toBeGreaterThanOrEqual(
      row?.due_at.getTime() ?? Number.POSITIVE_INFINITY,
    );
    const events = await db.query<{ payload: { entity_id: string } }>(
      "SELECT payload FROM events WHERE type = 'reminder.triggered'",
    );
    expect(events.map((e) => e.payload.entity_id)).toContain(task.id);
    const audit = await db.query(
      "SELECT 1 FROM audit_log WHERE action = 'reminder.triggered' AND entity_id = $1 AND via = 'job'",
      [task.id],
    );
    expect(audit).toHaveLength(1);
  });

  it('moves the reminder when remind_at changes: fires at the new time only, once', async () => {
    const { db } = get();
    const task = await createTask(
      db,
      ctx,
      { title: 'Pay rent', priority: 'high', remind_at: inMs(60_000) },
      'api',
    );
    const [first] = await db.query<{ id: string; due_key: string }>(
      'SELECT id, due_at::text AS due_key FROM reminders WHERE entity_id = $1',
      [task.id],
    );
    const before = notifier.sent.length;
    await updateTask(db, ctx, task.id, { remind_at: inMs(1000) });
    const [message] = (await notifier.waitFor(before + 1)).slice(before);
    expect(message?.text).toContain('Pay rent');
    expect((await firedRow(task.id))?.status).toBe('fired');
    // A job for the old time (had one been queued) claims nothing: one message in all.
    expect(
      await fireReminder(db, { reminderId: first?.id ?? '', dueAt: first?.due_key ?? '' }, new Date()),
    ).toBeNull();
    expect(notifier.sent.filter((n) => n.text.includes('Pay rent'))).toHaveLength(1);
  });

  it('cancels the reminder of a completed task', async () => {
    const { db } = get();
    const task = await createTask(
      db,
      ctx,
      { title: 'Send GST docs', priority: 'medium', remind_at: inMs(60_000) },
      'api',
    );
    await completeTask(db, ctx, task.id);
    expect((await firedRow(task.id))?.status).toBe('cancelled');
  });

  it('reminds a follow-up at its due time', async () => {
    const { db } = get();
    const before = notifier.sent.length;
    await createFollowUp(
      db,
      ctx,
      { subject: 'Payment reminder', contact_name: 'Mehta Textiles', due_at: inMs(1000), channel: 'call' },
      'api',
    );
    const [message] = (await notifier.waitFor(before + 1)).slice(before);
    expect(message?.text).toMatch(/^⏰ Follow-up: Payment reminder \(Mehta Textiles\) — /);
  });

  it('fires a reminder missed while down as soon as it runs, marked late', async () => {
    const { db } = get();
    const task = await createTask(
      db,
      ctx,
      { title: 'Renew trade licence', priority: 'medium', remind_at: inMs(60_000) },
      'api',
    );
    // As if the process had been down when it fell due ten minutes ago.
    await db.query("UPDATE reminders SET due_at = now() - interval '10 minutes' WHERE entity_id = $1", [
      task.id,
    ]);
    const before = notifier.sent.length;
    const [message] = (await notifier.waitFor(before + 1)).slice(before);
    expect(message?.text).toMatch(
      /^⏰ Reminder \(sent late, I was offline\): Renew trade licence — was due /,
    );
    expect((await firedRow(task.id))?.late).toBe(true);
  });

  it('hands a fired but undelivered reminder to one redelivery sweep only, however many run at once', async () => {
    const { db } = get();
    const task = await createTask(db, ctx, { title: 'Pay PF dues', priority: 'medium' }, 'api');
    const id = `rem_sweep${task.id.slice(-18)}`;
    // As if a process had claimed it 45 s ago and died before the message went out: stale for these
    // sweeps (30 s), not yet for the running scheduler's own (60 s).
    await db.query(
      `INSERT INTO reminders (id, tenant_id, kind, entity_id, user_id, title, due_at, status, fired_at, updated_at)
       VALUES ($1, $2, 'task', $3, $4, 'Pay PF dues', now() - interval '45 seconds', 'fired',
               now() - interval '45 seconds', now() - interval '45 seconds')`,
      [id, ctx.tenantId, task.id, ctx.userId],
    );
    const takes = await Promise.all([1, 2, 3].map(() => undeliveredReminders(db, 30)));
    expect(takes.flat().filter((r) => r.id === id)).toHaveLength(1);
    // Taken means not stale any more: a sweep right after leaves it alone.
    expect((await undeliveredReminders(db, 30)).map((r) => r.id)).not.toContain(id);
  });
});
