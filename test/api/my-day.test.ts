import { afterAll, beforeAll, expect, it } from 'vitest';
import { addDays, localDate } from '../../src/domain/time.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// GET /my-day, GET/PATCH /compliance and PATCH /me over real HTTP; each test signs in its own phone (40–49).

describeEachDb('my day, compliance and profile API', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(get().db);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('composes the day in the user’s zone, with every section and ranked priorities', async () => {
    const token = await api.signIn(testPhone(40));
    const today = localDate(new Date(), 'Asia/Kolkata');
    const post = (body: unknown) => api.request('POST', '/api/v1/tasks', { token, body });
    await post({ title: 'Old invoice', due_date: addDays(today, -3), priority: 'medium' });
    await post({ title: 'Bank visit', due_date: today, priority: 'low' });
    await post({ title: 'Pay salaries', due_date: today, priority: 'urgent' });
    const res = await api.request('GET', '/api/v1/my-day', { token });
    expect(res.status).toBe(200);
    const day = res.body.data;
    expect(day.date).toBe(today);
    expect(day.timezone).toBe('Asia/Kolkata');
    expect(day.calendar).toEqual([]);
    expect(day.weather).toBeNull();
    expect(day.compliance).toEqual([]);
    expect(day.tasks_due_today.map((t: { title: string }) => t.title).sort()).toEqual([
      'Bank visit',
      'Pay salaries',
    ]);
    expect(day.overdue_tasks.map((t: { title: string }) => t.title)).toEqual(['Old invoice']);
    expect(day.ranked_by).toBe('score');
    expect(day.priorities.map((p: { title: string; reason: string }) => [p.title, p.reason])).toEqual([
      ['Old invoice', 'Overdue by 3 days'],
      ['Pay salaries', 'Due today · urgent'],
      ['Bank visit', 'Due today'],
    ]);
  });

  it('lets the owner opt in to filings, then shows their deadlines in the day', async () => {
    const token = await api.signIn(testPhone(41));
    const before = await api.request('GET', '/api/v1/compliance', { token });
    expect(before.body.data.alert_days).toEqual([3, 1]);
    expect(before.body.data.filings.map((f: { code: string }) => f.code)).toEqual([
      'gstr1',
      'gstr3b',
      'tds_deposit',
      'pf',
      'esi',
      'advance_tax',
      'tds_return',
      'gstr9',
    ]);
    const all = ['gstr1', 'gstr3b', 'tds_deposit', 'pf', 'esi'];
    const res = await api.request('PATCH', '/api/v1/compliance', {
      token,
      body: { filings: all, alert_days: [1, 5] },
    });
    expect(res.status).toBe(200);
    expect(res.body.data.alert_days).toEqual([5, 1]);
    expect(res.body.data.filings.filter((f: { enabled: boolean }) => f.enabled)).toHaveLength(5);
    // Monthly filings on the 7th, 11th, 15th and 20th: two weeks always hold at least one.
    expect(res.body.data.upcoming.length).toBeGreaterThan(0);
    const day = (await api.request('GET', '/api/v1/my-day', { token })).body.data;
    for (const d of day.compliance) expect(d.days_left).toBeLessThanOrEqual(7);
    const bad = await api.request('PATCH', '/api/v1/compliance', { token, body: { filings: ['gstr99'] } });
    expect(bad.status).toBe(400);
  });

  it('lets a user change their briefing time, turn it off, and their zone and name', async () => {
    const token = await api.signIn(testPhone(42));
    const me = await api.request('GET', '/api/v1/me', { token });
    expect(me.body.data).toMatchObject({
      briefing_time: '08:00',
      briefing_enabled: true,
      timezone: 'Asia/Kolkata',
      name: null,
    });
    const res = await api.request('PATCH', '/api/v1/me', {
      token,
      body: { briefing_time: '07:30', name: 'Ravi', timezone: 'Asia/Dubai' },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      briefing_time: '07:30',
      briefing_enabled: true,
      timezone: 'Asia/Dubai',
      name: 'Ravi',
    });
    const off = await api.request('PATCH', '/api/v1/me', { token, body: { briefing_enabled: false } });
    expect(off.body.data).toMatchObject({ briefing_time: '07:30', briefing_enabled: false });
    for (const body of [{ briefing_time: '25:00' }, { timezone: 'Mars/Olympus' }, {}]) {
      expect((await api.request('PATCH', '/api/v1/me', { token, body })).status).toBe(400);
    }
  });

  it('refuses a zone the database does not know with a 400, and the day still composes', async () => {
    const token = await api.signIn(testPhone(43));
    // Node knows US/Pacific-New; Postgres does not.
    const res = await api.request('PATCH', '/api/v1/me', { token, body: { timezone: 'US/Pacific-New' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'validation_error',
      message: expect.stringMatching(/^timezone: US\/Pacific-New is not a time zone/),
      details: { issues: [{ path: 'timezone' }] },
    });
    expect((await api.request('GET', '/api/v1/me', { token })).body.data.timezone).toBe('Asia/Kolkata');
    expect((await api.request('GET', '/api/v1/my-day', { token })).status).toBe(200);
    const due = await api.request('GET', '/api/v1/follow-ups?due_before=2031-01-01', { token });
    expect(due.status).toBe(200);
  });

  it('the database itself refuses to store a zone it does not know, in users and tenants', async () => {
    const token = await api.signIn(testPhone(44));
    const me = (await api.request('GET', '/api/v1/me', { token })).body.data;
    const { db } = get();
    for (const [sql, id] of [
      ["UPDATE users SET timezone = 'US/Pacific-New' WHERE id = $1", me.user_id],
      ["UPDATE users SET timezone = '' WHERE id = $1", me.user_id],
      ["UPDATE tenants SET timezone = 'Mars/Olympus_Mons' WHERE id = $1", me.tenant_id],
      ["INSERT INTO tenants (id, name, timezone) VALUES ($1, 'Junk', 'US/Pacific-New')", 'ten_junkzone'],
    ]) {
      await expect(db.query(sql as string, [id]), sql).rejects.toThrow(/not known to the database/);
    }
    // A zone it knows, and none of one's own (the business's then applies), are fine.
    await db.query("UPDATE users SET timezone = 'Asia/Dubai' WHERE id = $1", [me.user_id]);
    await db.query('UPDATE users SET timezone = NULL WHERE id = $1', [me.user_id]);
  });

  it('will not start with a default zone the database does not know', async () => {
    await expect(startTestApi(get().db, { DEFAULT_TIMEZONE: 'US/Pacific-New' })).rejects.toThrow(
      /DEFAULT_TIMEZONE: the database does not know/,
    );
  });
});
