import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/postgres.ts';
import type { Db } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { createFollowUp } from '../../src/domain/follow-ups/service.ts';
import { createTask, updateTask } from '../../src/domain/tasks/service.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/log.ts';
import { actingAs } from '../support/business.ts';
import { describeEachDb } from '../support/db.ts';
import { type CapturingNotifier, capturingNotifier } from '../support/notifier.ts';

// The scheduler does not poll: with its backstop an hour away, a reminder written elsewhere (another
// process's pool on Postgres; PGlite is one process) still fires at its time, because the write wakes
// the clock (NOTIFY) and the queued job wakes the workers.

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

describeEachDb('reminders written by another process', (get, kind) => {
  let scheduler: Scheduler;
  let notifier: CapturingNotifier;
  let writer: Db;
  let ctx: Ctx;

  beforeAll(async () => {
    const { db, url } = get();
    writer = kind === 'postgres' && url ? openPostgres(url, 2, createLogger('silent')) : db;
    const owner = await ensureOwner(writer, '+919800000501', 'Asia/Kolkata');
    await writer.query('UPDATE users SET briefing_enabled = false WHERE id = $1', [owner.userId]);
    ctx = actingAs(owner);
    notifier = capturingNotifier();
    scheduler = await startScheduler(
      { db, notifier, logger: createLogger('silent') },
      { backstopSeconds: 3600 },
    );
  });
  afterAll(async () => {
    await scheduler?.stop();
    if (writer !== get().db) await writer.close();
  });

  const row = async (entityId: string) => {
    const [r] = await get().db.query<{ due_at: Date; fired_at: Date; late: boolean }>(
      'SELECT due_at, fired_at, late FROM reminders WHERE entity_id = $1',
      [entityId],
    );
    return r;
  };

  it('fires a reminder written after the clock went to sleep, once it is due and not before', async () => {
    const before = notifier.sent.length;
    const task = await createTask(
      writer,
      ctx,
      { title: 'Collect cheque from Gupta ji', priority: 'high', remind_at: inMs(800) },
      'api',
    );
    const [message] = (await notifier.waitFor(before + 1)).slice(before);
    expect(message?.text).toContain('Collect cheque from Gupta ji');
    const r = await row(task.id);
    expect(r?.fired_at.getTime()).toBeGreaterThanOrEqual(r?.due_at.getTime() ?? Number.POSITIVE_INFINITY);
  });

  it('follows a reminder moved earlier elsewhere, and one due at once', async () => {
    const before = notifier.sent.length;
    const task = await createTask(
      writer,
      ctx,
      { title: 'Renew shop licence', priority: 'medium', remind_at: inMs(600_000) },
      'api',
    );
    const moved = inMs(500);
    await updateTask(writer, ctx, task.id, { remind_at: moved });
    await createFollowUp(
      writer,
      ctx,
      { subject: 'Confirm order', contact_name: 'Sharma Traders', due_at: inMs(0), channel: 'call' },
      'api',
    );
    const messages = (await notifier.waitFor(before + 2)).slice(before);
    expect(messages.map((m) => m.text).sort()).toEqual([
      expect.stringContaining('Confirm order (Sharma Traders)'),
      expect.stringContaining('Renew shop licence'),
    ]);
    // It fired for the new time, not before it.
    const r = await row(task.id);
    expect(r?.due_at.toISOString()).toBe(moved);
    expect(r?.fired_at.getTime()).toBeGreaterThanOrEqual(new Date(moved).getTime());
  });
});
