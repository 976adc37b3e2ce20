import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlinesBetween, thresholdReached } from '../../src/domain/compliance/calendar.ts';
import { updateCompliance } from '../../src/domain/compliance/service.ts';
import { ensureOwner, type Principal } from '../../src/domain/tenants.ts';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/log.ts';
import { actingAs } from '../support/business.ts';
import { describeEachDb } from '../support/db.ts';
import { type CapturingNotifier, capturingNotifier } from '../support/notifier.ts';

describe('India’s compliance calendar', () => {
  const dates = (code: string, from: string, to: string) =>
    deadlinesBetween([code], from, to).map((d) => d.due_date);

  it('keeps the monthly dates, with March’s TDS deposit on 30 April', () => {
    expect(dates('gstr1', '2026-01-01', '2026-03-31')).toEqual(['2026-01-11', '2026-02-11', '2026-03-11']);
    expect(dates('gstr3b', '2026-05-01', '2026-05-31')).toEqual(['2026-05-20']);
    expect(dates('tds_deposit', '2026-03-01', '2026-05-31')).toEqual([
      '2026-03-07',
      '2026-04-30',
      '2026-05-07',
    ]);
    expect(dates('pf', '2026-12-01', '2027-01-31')).toEqual(['2026-12-15', '2027-01-15']);
    expect(dates('esi', '2026-06-01', '2026-06-30')).toEqual(['2026-06-15']);
  });

  it('keeps the quarterly and yearly dates', () => {
    expect(dates('advance_tax', '2026-04-01', '2027-03-31')).toEqual([
      '2026-06-15',
      '2026-09-15',
      '2026-12-15',
      '2027-03-15',
    ]);
    expect(dates('tds_return', '2026-04-01', '2027-03-31')).toEqual([
      '2026-05-31',
      '2026-07-31',
      '2026-10-31',
      '2027-01-31',
    ]);
    expect(dates('gstr9', '2026-01-01', '2026-12-31')).toEqual(['2026-12-31']);
  });

  it('picks the alert threshold reached, including one missed while down', () => {
    expect(thresholdReached('2026-05-16', '2026-05-20', [3, 1])).toBeNull();
    expect(thresholdReached('2026-05-17', '2026-05-20', [3, 1])).toBe(3);
    expect(thresholdReached('2026-05-18', '2026-05-20', [3, 1])).toBe(3);
    expect(thresholdReached('2026-05-19', '2026-05-20', [3, 1])).toBe(1);
    expect(thresholdReached('2026-05-20', '2026-05-20', [3, 1])).toBe(1);
    expect(thresholdReached('2026-05-21', '2026-05-20', [3, 1])).toBeNull();
  });
});

describeEachDb('compliance alerts', (get) => {
  let now = new Date();
  let notifier: CapturingNotifier;
  let scheduler: Scheduler;
  let owner: Principal;
  const alerts = () => notifier.sent.filter((n) => n.dedupKey.startsWith('compliance:'));

  beforeAll(async () => {
    const { db } = get();
    owner = await ensureOwner(db, '+919800000201', 'Asia/Kolkata');
    await updateCompliance(db, actingAs(owner), { filings: ['gstr3b'] }, now);
    notifier = capturingNotifier();
    scheduler = await startScheduler(
      { db, notifier, logger: createLogger('silent'), clock: () => now },
      { clock: false },
    );
  });
  afterAll(async () => {
    await scheduler?.stop();
  });

  it('warns the owner 3 days before, once, after 9 am their time', async () => {
    now = new Date('2031-05-17T08:59:00+05:30');
    expect(await scheduler.sendComplianceAlerts()).toBe(0);
    now = new Date('2031-05-17T09:00:00+05:30');
    expect(await scheduler.sendComplianceAlerts()).toBe(1);
    now = new Date('2031-05-17T15:00:00+05:30');
    expect(await scheduler.sendComplianceAlerts()).toBe(0);
    expect(alerts().map((a) => [a.userId, a.text])).toEqual([
      [
        owner.userId,
        '📅 Heads-up: GSTR-3B is due in 3 days (Tue, 20 May). File it in time to avoid late fees.',
      ],
    ]);
  });

  it('warns again 1 day before, and records a compliance.alert event and audit for each', async () => {
    now = new Date('2031-05-18T10:00:00+05:30');
    expect(await scheduler.sendComplianceAlerts()).toBe(0);
    now = new Date('2031-05-19T10:00:00+05:30');
    expect(await scheduler.sendComplianceAlerts()).toBe(1);
    expect(alerts()[1]?.text).toBe(
      '📅 Heads-up: GSTR-3B is due tomorrow. File it in time to avoid late fees.',
    );
    const events = await get().db.query<{ payload: { due_date: string; alert_days_before: number } }>(
      "SELECT payload FROM events WHERE type = 'compliance.alert' AND tenant_id = $1 ORDER BY created_at",
      [owner.tenantId],
    );
    expect(events.map((e) => [e.payload.due_date, e.payload.alert_days_before])).toEqual([
      ['2031-05-20', 3],
      ['2031-05-20', 1],
    ]);
    const audit = await get().db.query(
      "SELECT 1 FROM audit_log WHERE action = 'compliance.alert' AND tenant_id = $1",
      [owner.tenantId],
    );
    expect(audit).toHaveLength(2);
  });

  it('sends a missed alert late, once, when the process comes back', async () => {
    // Down from before the 3-day mark for June's GSTR-3B; back two days before it.
    now = new Date('2031-06-18T11:00:00+05:30');
    expect(await scheduler.sendComplianceAlerts()).toBe(1);
    expect(await scheduler.sendComplianceAlerts()).toBe(0);
    expect(alerts().at(-1)?.text).toContain('GSTR-3B is due in 2 days');
  });
});
