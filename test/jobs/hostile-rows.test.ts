import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db, Queryable } from '../../src/db/types.ts';
import { updateCompliance } from '../../src/domain/compliance/service.ts';
import type { Notifier } from '../../src/domain/notifier.ts';
import { createTask } from '../../src/domain/tasks/service.ts';
import { ensureOwner, type Principal } from '../../src/domain/tenants.ts';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler.ts';
import { actingAs } from '../support/business.ts';
import { describeEachDb } from '../support/db.ts';
import { type CapturingLogger, capturingLogger } from '../support/logger.ts';
import { type CapturingNotifier, capturingNotifier } from '../support/notifier.ts';

// Junk written straight into the tables, past any check at write time (the replica role skips triggers),
// must cost only its own row: every other reminder, briefing and alert still goes out, and each failure
// is logged with what it was.

/** Writes as a restore or a bug would: user triggers (write-time validation) do not fire. */
const rawly = (db: Db, fn: (tx: Queryable) => Promise<unknown>) =>
  db.transaction(async (tx) => {
    await tx.query('SET LOCAL session_replication_role = replica');
    await fn(tx);
  });

describeEachDb('scheduled work with hostile rows', (get) => {
  // Three days before GSTR-3B's 20 May, after 9 am in India: briefings, alerts and reminders all due.
  const now = new Date('2031-05-17T10:00:00+05:30');
  // Due already by the real clock too, which is the one pg-boss runs jobs by.
  const remindAt = new Date(Date.now() - 30_000).toISOString();
  let notifier: CapturingNotifier;
  let log: CapturingLogger;
  let scheduler: Scheduler;
  const good: Principal[] = [];
  const hostile: Record<string, Principal> = {};
  /** A user whose channel fails every send. */
  let unreachable: Principal;

  beforeAll(async () => {
    const { db } = get();
    for (const phone of ['+919800000401', '+919800000402']) {
      const p = await ensureOwner(db, phone, 'Asia/Kolkata');
      good.push(p);
      await updateCompliance(db, actingAs(p), { filings: ['gstr3b'] }, now);
      await createTask(
        db,
        actingAs(p),
        { title: `Call the bank ${phone}`, priority: 'high', remind_at: remindAt },
        'api',
      );
    }
    const phones = {
      pacificNew: '+919800000411',
      junkTenantZone: '+919800000412',
      emptyZone: '+919800000413',
      midnightBriefing: '+919800000414',
      hugeAlertDays: '+919800000415',
      unreachable: '+919800000416',
    };
    for (const [name, phone] of Object.entries(phones)) {
      hostile[name] = await ensureOwner(db, phone, 'Asia/Kolkata');
    }
    unreachable = hostile.unreachable as Principal;
    for (const name of ['junkTenantZone', 'hugeAlertDays'] as const) {
      await updateCompliance(db, actingAs(hostile[name] as Principal), { filings: ['gstr3b'] }, now);
    }
    // Reminders of users whose zone is junk still reach them; the unreachable one's fails on its own.
    for (const name of ['pacificNew', 'junkTenantZone', 'unreachable'] as const) {
      await createTask(
        db,
        actingAs(hostile[name] as Principal),
        { title: `Reminder of ${name}`, priority: 'medium', remind_at: remindAt },
        'api',
      );
    }
    const id = (name: string) => (hostile[name] as Principal).userId;
    const tenant = (name: string) => (hostile[name] as Principal).tenantId;
    await rawly(db, async (tx) => {
      // Node knows this zone; Postgres does not.
      await tx.query("UPDATE users SET timezone = 'US/Pacific-New' WHERE id = $1", [id('pacificNew')]);
      // No zone of its own, and the business's is junk.
      await tx.query('UPDATE users SET timezone = NULL WHERE id = $1', [id('junkTenantZone')]);
      await tx.query("UPDATE tenants SET timezone = 'Mars/Olympus_Mons' WHERE id = $1", [
        tenant('junkTenantZone'),
      ]);
      await tx.query("UPDATE users SET timezone = '' WHERE id = $1", [id('emptyZone')]);
      await tx.query("UPDATE users SET briefing_time = '24:00' WHERE id = $1", [id('midnightBriefing')]);
      await tx.query("UPDATE compliance_settings SET alert_days = '{2147483647}' WHERE tenant_id = $1", [
        tenant('hugeAlertDays'),
      ]);
      // A reminder that can never be due, and one from before time began.
      for (const [suffix, due] of [
        ['never', 'infinity'],
        ['always', '-infinity'],
      ]) {
        await tx.query(
          `INSERT INTO reminders (id, tenant_id, kind, entity_id, user_id, title, due_at)
           VALUES ($1, $2, 'task', $3, $4, 'Junk', $5)`,
          [`rem_junk_${suffix}`, good[0]?.tenantId, `tsk_junk_${suffix}`, good[0]?.userId, due],
        );
      }
    });
    notifier = capturingNotifier();
    const failing: Notifier = {
      async notify(n) {
        if (n.userId === unreachable.userId) throw new Error('channel down');
        return notifier.notify(n);
      },
    };
    log = capturingLogger();
    scheduler = await startScheduler(
      { db, notifier: failing, logger: log.logger, clock: () => now },
      { clock: false },
    );
  });
  afterAll(async () => {
    await scheduler?.stop();
  });

  const sentTo = (userId: string, prefix: string) =>
    notifier.sent.filter((n) => n.userId === userId && n.dedupKey.startsWith(prefix));

  it('opens every other user’s briefing and logs the ones whose zone the database does not know', async () => {
    const before = notifier.sent.length;
    // Every user whose zone is known: the good ones, and two whose trouble lies elsewhere.
    const known = [...good, hostile.hugeAlertDays, unreachable] as Principal[];
    expect(await scheduler.queueBriefings()).toBe(known.length);
    await notifier.waitFor(before + known.length - 1);
    for (const p of known.slice(0, -1)) expect(sentTo(p.userId, 'briefing:')).toHaveLength(1);
    for (const name of ['pacificNew', 'junkTenantZone', 'emptyZone', 'midnightBriefing']) {
      expect(sentTo((hostile[name] as Principal).userId, 'briefing:')).toEqual([]);
    }
    for (const name of ['pacificNew', 'junkTenantZone', 'emptyZone']) {
      expect(log.problemsMentioning((hostile[name] as Principal).userId)).not.toEqual([]);
    }
    await expect.poll(() => log.problemsMentioning(unreachable.userId).length).toBeGreaterThan(0);
  });

  it('alerts every other business and logs the one whose settings cannot be read', async () => {
    expect(await scheduler.sendComplianceAlerts()).toBe(good.length);
    for (const p of good) expect(sentTo(p.userId, 'compliance:')).toHaveLength(1);
    expect(log.problemsMentioning((hostile.hugeAlertDays as Principal).tenantId)).not.toEqual([]);
    expect(log.problemsMentioning((hostile.junkTenantZone as Principal).tenantId)).not.toEqual([]);
  });

  it('fires every due reminder, junk zones included, and logs the one that could not be sent', async () => {
    const before = notifier.sent.length;
    await scheduler.queueReminders();
    const expected = [...good, hostile.pacificNew, hostile.junkTenantZone] as Principal[];
    await notifier.waitFor(before + expected.length);
    for (const p of expected) expect(sentTo(p.userId, 'reminder:')).toHaveLength(1);
    const [junk] = await get().db.query<{ status: string }>(
      "SELECT status FROM reminders WHERE id = 'rem_junk_always'",
    );
    expect(junk?.status).toBe('pending');
    const [failed] = await get().db.query<{ id: string }>('SELECT id FROM reminders WHERE user_id = $1', [
      unreachable.userId,
    ]);
    await expect.poll(() => log.problemsMentioning(failed?.id ?? '?').length).toBeGreaterThan(0);
  });

  it('redelivers past a row that fails, in every sweep', async () => {
    const { db } = get();
    const [a, b] = good as [Principal, Principal];
    await rawly(db, async (tx) => {
      // Stale and undelivered; the hostile rows are the oldest, so a sweep that stops at them sends nothing.
      await tx.query("UPDATE reminders SET delivered_at = NULL, updated_at = now() - interval '10 minutes'");
      await tx.query("UPDATE reminders SET updated_at = now() - interval '1 hour' WHERE user_id = $1", [
        unreachable.userId,
      ]);
      await tx.query(
        `INSERT INTO briefings (tenant_id, user_id, local_date, due_at, status, sent_at)
         VALUES ($1, $2, '2031-05-16', now(), 'sent', now() - interval '1 hour')`,
        [hostile.junkTenantZone?.tenantId, hostile.junkTenantZone?.userId],
      );
      await tx.query(
        "UPDATE briefings SET delivered_at = NULL, sent_at = now() - interval '10 minutes' WHERE user_id = ANY($1)",
        [[a.userId, b.userId]],
      );
      await tx.query(
        `INSERT INTO compliance_alerts (tenant_id, filing, due_date, days_before, text, attempted_at)
         VALUES ($1, 'gstr3b', '2031-05-20', 3, 'Heads-up', now() - interval '1 hour')`,
        [unreachable.tenantId],
      );
      await tx.query(
        "UPDATE compliance_alerts SET delivered_at = NULL, attempted_at = now() - interval '10 minutes' WHERE tenant_id = ANY($1)",
        [[a.tenantId, b.tenantId]],
      );
    });
    const before = notifier.sent.length;
    await scheduler.redeliver();
    const again = notifier.sent.slice(before);
    for (const p of [a, b]) {
      for (const kind of ['reminder:', 'briefing:', 'compliance:']) {
        expect(again.filter((n) => n.userId === p.userId && n.dedupKey.startsWith(kind))).toHaveLength(1);
      }
    }
    expect(log.problemsMentioning(unreachable.userId).length).toBeGreaterThan(0);
  });
});
