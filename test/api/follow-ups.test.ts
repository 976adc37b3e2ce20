import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectError, signedIn, startTestApi, type TestApi } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// Behaviour of /api/v1/follow-ups over real HTTP. Every test signs in its own phone (30–49), so each gets
// a fresh business inside the suite's shared database.

interface FollowUp {
  id: string;
  contact_name: string;
  contact_phone: string | null;
  subject: string;
  due_at: string;
  channel: 'call' | 'whatsapp' | 'email' | 'visit';
  status: 'pending' | 'done' | 'snoozed' | 'cancelled';
  overdue: boolean;
  notes: string | null;
  outcome: string | null;
  task_id: string | null;
  source: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

const FU_ID = /^fu_[0-9a-z]{22}$/;
const UNKNOWN_FU = 'fu_0000000000zzzzzzzzzzzz';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

describeEachDb('follow-ups API', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    // Rate limits have their own suite; these tests make many requests per business.
    api = await startTestApi(get().db, { RATE_LIMIT_SELF_SERVICE: '1000', RATE_LIMIT_ANONYMOUS: '1000' });
  });
  afterAll(async () => {
    await api?.close();
  });

  /** A signed-in business with helpers for its follow-ups. */
  async function business(n: number) {
    const who = await signedIn(api, n);
    const { call } = who;
    const b = {
      ...who,
      async create(body: Record<string, unknown>): Promise<FollowUp> {
        const res = await call<FollowUp>('POST', '/follow-ups', {
          contact_name: 'Ramesh (ABC Traders)',
          subject: 'Payment for invoice 1042',
          due_at: fromNow(DAY),
          ...body,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body.data;
      },
      async task(title: string): Promise<string> {
        const res = await call<{ id: string }>('POST', '/tasks', { title });
        expect(res.status).toBe(201);
        return res.body.data.id;
      },
      list: (query = '') => call<{ follow_ups: FollowUp[] }>('GET', `/follow-ups${query ? `?${query}` : ''}`),
      async subjects(query: string): Promise<string[]> {
        const res = await b.list(query);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.data.follow_ups.map((f) => f.subject);
      },
    };
    return b;
  }

  it('creates a follow-up with defaults, and gets it back', async () => {
    const b = await business(30);
    const dueAt = fromNow(2 * DAY);
    const res = await b.call<FollowUp>('POST', '/follow-ups', {
      contact_name: '  Ramesh  ',
      subject: ' Payment for invoice 1042 ',
      due_at: dueAt,
    });
    expect(res.status).toBe(201);
    expect(res.body.success).toBe(true);
    const fu = res.body.data;
    expect(fu.id).toMatch(FU_ID);
    expect(fu).toMatchObject({
      contact_name: 'Ramesh',
      contact_phone: null,
      subject: 'Payment for invoice 1042',
      due_at: dueAt,
      channel: 'call',
      status: 'pending',
      overdue: false,
      notes: null,
      outcome: null,
      task_id: null,
      source: 'api',
      completed_at: null,
    });
    const got = await b.call<FollowUp>('GET', `/follow-ups/${fu.id}`);
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual(fu);

    const full = await b.create({
      channel: 'whatsapp',
      notes: 'Ask for UPI',
      contact_phone: '+919845012345',
      due_at: '2030-01-15T10:00:00+05:30',
    });
    expect(full).toMatchObject({
      channel: 'whatsapp',
      notes: 'Ask for UPI',
      contact_phone: '+919845012345',
      due_at: '2030-01-15T04:30:00.000Z',
    });

    const list = await b.list();
    expect(list.body.meta).toMatchObject({ page: 1, limit: 20, total: 2 });
    expect(list.body.data.follow_ups.map((f) => f.id)).toEqual([fu.id, full.id]);
  });

  it('normalises Indian phone formats to E.164', async () => {
    const b = await business(31);
    const cases: [string, string][] = [
      ['98450 12345', '+919845012345'],
      ['9845012345', '+919845012345'],
      ['098450-12345', '+919845012345'],
      ['+91 98450 12345', '+919845012345'],
      ['+91-98450-12345', '+919845012345'],
      ['919845012345', '+919845012345'],
      ['(98450) 12345', '+919845012345'],
      ['  6123456789 ', '+916123456789'],
      ['+1 415 555 0100', '+14155550100'],
    ];
    for (const [raw, e164] of cases) {
      const fu = await b.create({ contact_phone: raw });
      expect(fu.contact_phone, raw).toBe(e164);
    }
    const patched = await b.create({});
    const res = await b.call<FollowUp>('PATCH', `/follow-ups/${patched.id}`, {
      contact_phone: '070221 23456',
    });
    expect(res.body.data.contact_phone).toBe('+917022123456');
  });

  it('refuses bad phones and other bad input with 400, unknown ids with 404', async () => {
    const b = await business(32);
    const base = { contact_name: 'Ramesh', subject: 'Payment', due_at: fromNow(DAY) };
    for (const phone of ['12345', 'call me', '1234567', '98450 1234', '+91', '', '+0919845012345', 42]) {
      const res = await b.call('POST', '/follow-ups', { ...base, contact_phone: phone });
      expectError(res, 400, 'validation_error');
      expect(JSON.stringify(res.body.error?.details), String(phone)).toContain('contact_phone');
    }
    const invalid: unknown[] = [
      { ...base, colour: 'red' },
      { ...base, status: 'done' },
      { ...base, overdue: true },
      { ...base, outcome: 'paid' },
      { contact_name: 'Ramesh', subject: 'Payment' },
      { ...base, contact_name: '  ' },
      { ...base, subject: '' },
      { ...base, due_at: '2026-03-26' },
      { ...base, due_at: 'tomorrow' },
      { ...base, channel: 'sms' },
      { ...base, task_id: 'task_1' },
      { ...base, task_id: 'fu_0000000000zzzzzzzzzzzz' },
    ];
    for (const body of invalid)
      expectError(await b.call('POST', '/follow-ups', body), 400, 'validation_error');
    expect((await b.list()).body.meta.total).toBe(0);

    const fu = await b.create({});
    for (const body of [
      {},
      { colour: 'red' },
      { status: 'done' },
      { status: 'snoozed' },
      { contact_phone: '123' },
      { due_at: null },
      { channel: 'fax' },
    ]) {
      expectError(await b.call('PATCH', `/follow-ups/${fu.id}`, body), 400, 'validation_error');
    }

    for (const id of ['nope', 'fu_123', 'task_0000000000zzzzzzzzzzzz', 'FU_0000000000ZZZZZZZZZZZZ']) {
      const path = `/follow-ups/${encodeURIComponent(id)}`;
      expectError(await b.call('GET', path), 400, 'validation_error');
      expectError(await b.call('PATCH', path, { subject: 'x' }), 400, 'validation_error');
      expectError(await b.call('DELETE', path), 400, 'validation_error');
      expectError(await b.call('POST', `${path}/snooze`, {}), 400, 'validation_error');
      expectError(await b.call('POST', `${path}/done`, {}), 400, 'validation_error');
    }
    const missing = await b.call('GET', `/follow-ups/${UNKNOWN_FU}`);
    expectError(missing, 404, 'follow_up_not_found');
    expect(missing.body.error?.details).toEqual({ id: UNKNOWN_FU });
    expectError(
      await b.call('PATCH', `/follow-ups/${UNKNOWN_FU}`, { subject: 'x' }),
      404,
      'follow_up_not_found',
    );
    expectError(await b.call('DELETE', `/follow-ups/${UNKNOWN_FU}`), 404, 'follow_up_not_found');
    expectError(await b.call('POST', `/follow-ups/${UNKNOWN_FU}/snooze`, {}), 404, 'follow_up_not_found');
    expectError(await b.call('POST', `/follow-ups/${UNKNOWN_FU}/done`, {}), 404, 'follow_up_not_found');

    expect((await b.call<FollowUp>('GET', `/follow-ups/${fu.id}`)).body.data).toEqual(fu);
  });

  it('derives overdue from the due time and status, and filters on it', async () => {
    const b = await business(33);
    const late = await b.create({ subject: 'late', due_at: fromNow(-2 * HOUR) });
    const upcoming = await b.create({ subject: 'upcoming', due_at: fromNow(2 * HOUR) });
    const lateDone = await b.create({ subject: 'late but done', due_at: fromNow(-3 * HOUR) });
    const lateCancelled = await b.create({ subject: 'late but cancelled', due_at: fromNow(-4 * HOUR) });
    expect(late.overdue).toBe(true);
    expect(upcoming.overdue).toBe(false);
    expect(lateDone.overdue).toBe(true);

    const done = await b.call<FollowUp>('POST', `/follow-ups/${lateDone.id}/done`, {});
    expect(done.body.data).toMatchObject({ status: 'done', overdue: false });
    const cancelled = await b.call<FollowUp>('PATCH', `/follow-ups/${lateCancelled.id}`, {
      status: 'cancelled',
    });
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', overdue: false });

    expect(await b.subjects('overdue=true')).toEqual(['late']);
    expect(await b.subjects('overdue=false')).toEqual(['late but cancelled', 'late but done', 'upcoming']);
    expect((await b.call<FollowUp>('GET', `/follow-ups/${late.id}`)).body.data.overdue).toBe(true);

    // Moving the due time into the future clears it; a snoozed follow-up past its time is overdue again.
    const moved = await b.call<FollowUp>('PATCH', `/follow-ups/${late.id}`, { due_at: fromNow(HOUR) });
    expect(moved.body.data.overdue).toBe(false);
    const snoozedIntoPast = await b.call<FollowUp>('POST', `/follow-ups/${upcoming.id}/snooze`, {
      until: fromNow(-HOUR),
    });
    expectError(snoozedIntoPast, 400, 'invalid_snooze');
    await b.call<FollowUp>('POST', `/follow-ups/${upcoming.id}/snooze`, { minutes: 5 });
    // Time passes: the snooze runs out.
    await get().db.query("UPDATE follow_ups SET due_at = now() - interval '1 hour' WHERE id = $1", [
      upcoming.id,
    ]);
    expect((await b.call<FollowUp>('GET', `/follow-ups/${upcoming.id}`)).body.data).toMatchObject({
      status: 'snoozed',
      overdue: true,
    });
    expect(await b.subjects('overdue=true')).toEqual(['upcoming']);

    for (const bad of ['overdue=yes', 'overdue=1', 'overdue=']) {
      expectError(await b.list(bad), 400, 'validation_error');
    }
  });

  it('snoozes for 60 minutes by default, for given minutes, or until a time', async () => {
    const b = await business(34);
    const fu = await b.create({ due_at: fromNow(-HOUR) });
    expect(fu.overdue).toBe(true);

    const before = Date.now();
    const res = await b.call<FollowUp>('POST', `/follow-ups/${fu.id}/snooze`);
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: fu.id, status: 'snoozed', overdue: false });
    const due = Date.parse(res.body.data.due_at);
    // Within the request's span, give or take clock granularity.
    expect(due).toBeGreaterThanOrEqual(before + HOUR - 1000);
    expect(due).toBeLessThanOrEqual(after + HOUR + 1000);

    const before15 = Date.now();
    const fifteen = await b.call<FollowUp>('POST', `/follow-ups/${fu.id}/snooze`, { minutes: 15 });
    const after15 = Date.now();
    const due15 = Date.parse(fifteen.body.data.due_at);
    expect(due15).toBeGreaterThanOrEqual(before15 + 15 * 60_000 - 1000);
    expect(due15).toBeLessThanOrEqual(after15 + 15 * 60_000 + 1000);

    const until = await b.call<FollowUp>('POST', `/follow-ups/${fu.id}/snooze`, {
      until: '2030-06-01T09:00:00+05:30',
    });
    expect(until.body.data).toMatchObject({ status: 'snoozed', due_at: '2030-06-01T03:30:00.000Z' });
    expect(await b.subjects('status=snoozed')).toEqual([fu.subject]);
    expect(await b.subjects('status=pending')).toEqual([]);

    for (const body of [
      { until: '2030-06-01T09:00:00Z', minutes: 30 },
      { minutes: 0 },
      { minutes: -5 },
      { minutes: 1.5 },
      { minutes: '30' },
      { minutes: 525_601 },
      { until: '2030-06-01' },
      { until: null },
      { for: 30 },
    ]) {
      expectError(await b.call('POST', `/follow-ups/${fu.id}/snooze`, body), 400, 'validation_error');
    }
    expect((await b.call<FollowUp>('GET', `/follow-ups/${fu.id}`)).body.data).toEqual(until.body.data);

    // A closed follow-up cannot be snoozed.
    await b.call('POST', `/follow-ups/${fu.id}/done`, { outcome: 'Paid' });
    const closed = await b.call('POST', `/follow-ups/${fu.id}/snooze`, { minutes: 10 });
    expectError(closed, 409, 'follow_up_closed');
    const cancelled = await b.create({});
    await b.call('PATCH', `/follow-ups/${cancelled.id}`, { status: 'cancelled' });
    expectError(await b.call('POST', `/follow-ups/${cancelled.id}/snooze`), 409, 'follow_up_closed');
    const stillDone = await b.call<FollowUp>('GET', `/follow-ups/${fu.id}`);
    expect(stillDone.body.data).toMatchObject({ status: 'done', due_at: '2030-06-01T03:30:00.000Z' });
  });

  it('marks done with an outcome; reopening clears completed_at; a cancelled one cannot be done', async () => {
    const b = await business(35);
    const fu = await b.create({});
    const done = await b.call<FollowUp>('POST', `/follow-ups/${fu.id}/done`, {
      outcome: 'Paid ₹42,000 by UPI',
    });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ status: 'done', outcome: 'Paid ₹42,000 by UPI', overdue: false });
    expect(done.body.data.completed_at).not.toBeNull();

    const bare = await b.create({ subject: 'No outcome' });
    const bareDone = await b.call<FollowUp>('POST', `/follow-ups/${bare.id}/done`);
    expect(bareDone.status).toBe(200);
    expect(bareDone.body.data).toMatchObject({ status: 'done', outcome: null });

    expectError(await b.call('POST', `/follow-ups/${fu.id}/done`, { outcome: 42 }), 400, 'validation_error');
    expectError(await b.call('POST', `/follow-ups/${fu.id}/done`, { note: 'x' }), 400, 'validation_error');

    const reopened = await b.call<FollowUp>('PATCH', `/follow-ups/${fu.id}`, { status: 'pending' });
    expect(reopened.body.data).toMatchObject({
      status: 'pending',
      completed_at: null,
      outcome: 'Paid ₹42,000 by UPI',
    });

    const snoozed = await b.create({ subject: 'Snoozed first' });
    await b.call('POST', `/follow-ups/${snoozed.id}/snooze`, { minutes: 30 });
    const doneFromSnooze = await b.call<FollowUp>('POST', `/follow-ups/${snoozed.id}/done`, {
      outcome: 'Spoke',
    });
    expect(doneFromSnooze.body.data).toMatchObject({ status: 'done', outcome: 'Spoke' });

    const cancelled = await b.create({ subject: 'Cancelled' });
    await b.call('PATCH', `/follow-ups/${cancelled.id}`, { status: 'cancelled' });
    expectError(
      await b.call('POST', `/follow-ups/${cancelled.id}/done`, { outcome: 'x' }),
      409,
      'follow_up_closed',
    );
    const still = await b.call<FollowUp>('GET', `/follow-ups/${cancelled.id}`);
    expect(still.body.data).toMatchObject({ status: 'cancelled', outcome: null, completed_at: null });
    expect((await b.subjects('status=done')).sort()).toEqual(['No outcome', 'Snoozed first']);
  });

  it('completes once under concurrent requests; again with no new outcome changes nothing, with one it records it', async () => {
    const b = await business(36);
    const fu = await b.create({ subject: 'Raced' });
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => b.call<FollowUp>('POST', `/follow-ups/${fu.id}/done`)),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(new Set(replies.map((r) => r.body.data.completed_at)).size).toBe(1);
    expect((await b.audit(fu.id)).map((e) => e.action)).toEqual(['follow_up.completed', 'follow_up.created']);

    const again = await b.call<FollowUp>('POST', `/follow-ups/${fu.id}/done`);
    expect(again.body.data).toEqual(replies[0]?.body.data);
    const withOutcome = await b.call<FollowUp>('POST', `/follow-ups/${fu.id}/done`, {
      outcome: 'Paid in cash',
    });
    expect(withOutcome.body.data).toMatchObject({
      status: 'done',
      outcome: 'Paid in cash',
      completed_at: replies[0]?.body.data.completed_at,
    });
    const sameOutcome = await b.call<FollowUp>('POST', `/follow-ups/${fu.id}/done`, {
      outcome: 'Paid in cash',
    });
    expect(sameOutcome.body.data).toEqual(withOutcome.body.data);
    const audit = await b.audit(fu.id);
    expect(audit.map((e) => e.action)).toEqual([
      'follow_up.completed',
      'follow_up.completed',
      'follow_up.created',
    ]);
    expect(audit[0]?.before).toMatchObject({ status: 'done', outcome: null });
  });

  it('PATCH changes only the named fields', async () => {
    const b = await business(36);
    const fu = await b.create({ contact_phone: '9845012345', notes: 'first note', channel: 'visit' });
    const res = await b.call<FollowUp>('PATCH', `/follow-ups/${fu.id}`, { subject: ' New subject ' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      ...fu,
      subject: 'New subject',
      updated_at: res.body.data.updated_at,
    });
    const more = await b.call<FollowUp>('PATCH', `/follow-ups/${fu.id}`, {
      channel: 'email',
      notes: null,
      contact_phone: null,
      outcome: 'Left a message',
      due_at: '2031-01-01T00:00:00Z',
    });
    expect(more.body.data).toMatchObject({
      contact_name: fu.contact_name,
      subject: 'New subject',
      channel: 'email',
      notes: null,
      contact_phone: null,
      outcome: 'Left a message',
      due_at: '2031-01-01T00:00:00.000Z',
      status: 'pending',
    });
    const taskId = await b.task('Collect payment');
    const linked = await b.call<FollowUp>('PATCH', `/follow-ups/${fu.id}`, { task_id: taskId });
    expect(linked.body.data.task_id).toBe(taskId);
    const unlinked = await b.call<FollowUp>('PATCH', `/follow-ups/${fu.id}`, { task_id: null });
    expect(unlinked.body.data.task_id).toBeNull();
    expect((await b.call<FollowUp>('GET', `/follow-ups/${fu.id}`)).body.data).toEqual(unlinked.body.data);
  });

  it('DELETE removes the follow-up', async () => {
    const b = await business(37);
    const keep = await b.create({ subject: 'keep' });
    const gone = await b.create({ subject: 'gone' });
    const res = await b.call<{ id: string; deleted: boolean }>('DELETE', `/follow-ups/${gone.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: gone.id, deleted: true });
    expectError(await b.call('GET', `/follow-ups/${gone.id}`), 404, 'follow_up_not_found');
    expectError(await b.call('DELETE', `/follow-ups/${gone.id}`), 404, 'follow_up_not_found');
    expectError(await b.call('POST', `/follow-ups/${gone.id}/done`, {}), 404, 'follow_up_not_found');
    const list = await b.list();
    expect(list.body.data.follow_ups.map((f) => f.id)).toEqual([keep.id]);
    expect(list.body.meta.total).toBe(1);
  });

  it('filters by status, channel, q, and due_before/due_after as dates (Asia/Kolkata days) or times', async () => {
    const b = await business(38);
    // 23:30 IST on 26 March, 00:30 IST on 27 March, 10:00 IST on 28 March.
    const a = await b.create({
      subject: 'A',
      due_at: '2026-03-26T18:00:00Z',
      channel: 'call',
      contact_name: 'Sharma & Sons',
    });
    await b.create({
      subject: 'B',
      due_at: '2026-03-26T19:00:00Z',
      channel: 'whatsapp',
      notes: 'Ask about 10% discount',
    });
    const c = await b.create({
      subject: 'C',
      due_at: '2026-03-28T04:30:00Z',
      channel: 'whatsapp',
      contact_name: 'Priya_K',
    });
    await b.call('POST', `/follow-ups/${a.id}/done`, {});
    // Snoozing needs a future time; C is snoozed to its own (past) due time directly, to test the filters.
    await get().db.query("UPDATE follow_ups SET status = 'snoozed' WHERE id = $1", [c.id]);

    expect(await b.subjects('status=pending')).toEqual(['B']);
    expect(await b.subjects('status=done')).toEqual(['A']);
    expect(await b.subjects('status=snoozed')).toEqual(['C']);
    expect(await b.subjects('status=cancelled')).toEqual([]);
    expect(await b.subjects('status=open')).toEqual(['B', 'C']);
    expect(await b.subjects('channel=whatsapp')).toEqual(['B', 'C']);
    expect(await b.subjects('channel=call')).toEqual(['A']);
    expect(await b.subjects('channel=visit')).toEqual([]);
    expect(await b.subjects('channel=whatsapp&status=pending')).toEqual(['B']);

    // A bare date is the whole of that day in Asia/Kolkata.
    expect(await b.subjects('due_before=2026-03-26')).toEqual(['A']);
    expect(await b.subjects('due_after=2026-03-27')).toEqual(['B', 'C']);
    expect(await b.subjects('due_after=2026-03-27&due_before=2026-03-27')).toEqual(['B']);
    expect(await b.subjects('due_after=2026-03-26&due_before=2026-03-28')).toEqual(['A', 'B', 'C']);
    expect(await b.subjects('due_after=2026-03-29')).toEqual([]);
    // A time is exact: before is strict, after is inclusive.
    const q = (s: string) => encodeURIComponent(s);
    expect(await b.subjects(`due_before=${q('2026-03-26T19:00:00Z')}`)).toEqual(['A']);
    expect(await b.subjects(`due_before=${q('2026-03-26T19:00:01Z')}`)).toEqual(['A', 'B']);
    expect(await b.subjects(`due_after=${q('2026-03-26T19:00:00Z')}`)).toEqual(['B', 'C']);
    expect(await b.subjects(`due_before=${q('2026-03-27T00:30:00+05:30')}`)).toEqual(['A']);
    expect(await b.subjects(`due_after=${q('2026-03-27T00:00:00+05:30')}&due_before=2026-03-27`)).toEqual([
      'B',
    ]);

    expect(await b.subjects(`q=${q('sharma')}`)).toEqual(['A']);
    expect(await b.subjects(`q=${q('10%')}`)).toEqual(['B']);
    expect(await b.subjects(`q=${q('%')}`)).toEqual(['B']);
    expect(await b.subjects(`q=${q('_')}`)).toEqual(['C']);
    expect(await b.subjects(`q=${q('payment for')}`)).toEqual([]);
    expect(await b.subjects(`q=${q('RAMESH')}`)).toEqual(['B']);

    expect(await b.subjects('sort=-due_at')).toEqual(['C', 'B', 'A']);
    expect(await b.subjects('sort=created_at')).toEqual(['A', 'B', 'C']);
    expect(await b.subjects('sort=-created_at')).toEqual(['C', 'B', 'A']);

    const page = await b.list('limit=2&page=2');
    expect(page.body.data.follow_ups.map((f) => f.subject)).toEqual(['C']);
    expect(page.body.meta).toMatchObject({ page: 2, limit: 2, total: 3 });
    const past = await b.list('limit=2&page=3');
    expect(past.body.data.follow_ups).toEqual([]);
    expect(past.body.meta).toMatchObject({ page: 3, limit: 2, total: 3 });

    for (const bad of [
      'status=closed',
      'channel=sms',
      'due_before=26-03-2026',
      'due_after=2026-03-27T10:00',
      'sort=subject',
      'limit=101',
      'page=0',
      'colour=red',
    ]) {
      expectError(await b.list(bad), 400, 'validation_error');
    }
  });

  it('links only to tasks of the same business', async () => {
    const a = await business(39);
    const b = await business(40);
    const aTask = await a.task("A's task");
    const bTask = await b.task("B's task");

    const linked = await b.create({ task_id: bTask });
    expect(linked.task_id).toBe(bTask);

    const base = { contact_name: 'Ramesh', subject: 'Payment', due_at: fromNow(DAY) };
    expectError(await b.call('POST', '/follow-ups', { ...base, task_id: aTask }), 400, 'invalid_task');
    expectError(
      await b.call('POST', '/follow-ups', { ...base, task_id: 'task_0000000000zzzzzzzzzzzz' }),
      400,
      'invalid_task',
    );
    expectError(await b.call('PATCH', `/follow-ups/${linked.id}`, { task_id: aTask }), 400, 'invalid_task');
    expect((await b.call<FollowUp>('GET', `/follow-ups/${linked.id}`)).body.data.task_id).toBe(bTask);
    expect((await b.list()).body.meta.total).toBe(1);

    // Deleting the linked task unlinks the follow-up rather than deleting it.
    expect((await b.call('DELETE', `/tasks/${bTask}`)).status).toBe(200);
    const unlinked = await b.call<FollowUp>('GET', `/follow-ups/${linked.id}`);
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.data.task_id).toBeNull();
  });

  it("keeps each business's follow-ups to itself", async () => {
    const a = await business(41);
    const b = await business(42);
    const secret = await a.create({
      contact_name: 'Secret supplier',
      subject: 'A only',
      due_at: fromNow(-HOUR),
    });
    await b.create({ subject: "B's own" });

    expectError(await b.call('GET', `/follow-ups/${secret.id}`), 404, 'follow_up_not_found');
    expectError(
      await b.call('PATCH', `/follow-ups/${secret.id}`, { subject: 'hijacked' }),
      404,
      'follow_up_not_found',
    );
    expectError(
      await b.call('PATCH', `/follow-ups/${secret.id}`, { status: 'cancelled' }),
      404,
      'follow_up_not_found',
    );
    expectError(
      await b.call('POST', `/follow-ups/${secret.id}/snooze`, { minutes: 5 }),
      404,
      'follow_up_not_found',
    );
    expectError(
      await b.call('POST', `/follow-ups/${secret.id}/done`, { outcome: 'x' }),
      404,
      'follow_up_not_found',
    );
    expectError(await b.call('DELETE', `/follow-ups/${secret.id}`), 404, 'follow_up_not_found');

    for (const query of ['', 'overdue=true', 'q=secret', 'status=pending', 'channel=call', 'limit=100']) {
      const res = await b.list(query);
      expect(res.body.data.follow_ups.map((f) => f.id)).not.toContain(secret.id);
    }
    const bAll = await b.list();
    expect(bAll.body.data.follow_ups.map((f) => f.subject)).toEqual(["B's own"]);
    expect(bAll.body.meta.total).toBe(1);

    expect((await a.call<FollowUp>('GET', `/follow-ups/${secret.id}`)).body.data).toEqual(secret);
    expect(await b.audit(secret.id)).toEqual([]);
    expect((await a.audit(secret.id)).map((e) => e.action)).toEqual(['follow_up.created']);
  });

  it('audits every mutation with before, after, request id, via and actor', async () => {
    const b = await business(43);
    const rid = (s: string) => ({ 'X-Request-Id': `fu-audit-${s}` });
    const created = await b.call<FollowUp>(
      'POST',
      '/follow-ups',
      { contact_name: 'Ramesh', subject: 'Audited', due_at: '2030-01-01T10:00:00Z' },
      rid('create'),
    );
    expect(created.status).toBe(201);
    const fu = created.body.data;
    const updated = await b.call<FollowUp>(
      'PATCH',
      `/follow-ups/${fu.id}`,
      { channel: 'visit' },
      rid('update'),
    );
    const snoozed = await b.call<FollowUp>(
      'POST',
      `/follow-ups/${fu.id}/snooze`,
      { minutes: 30 },
      rid('snooze'),
    );
    const done = await b.call<FollowUp>(
      'POST',
      `/follow-ups/${fu.id}/done`,
      { outcome: 'Paid' },
      rid('done'),
    );
    expect(done.status).toBe(200);
    expect((await b.call('DELETE', `/follow-ups/${fu.id}`, undefined, rid('delete'))).status).toBe(200);

    const entries = await b.audit(fu.id);
    expect(entries.map((e) => [e.action, e.request_id])).toEqual([
      ['follow_up.deleted', 'fu-audit-delete'],
      ['follow_up.completed', 'fu-audit-done'],
      ['follow_up.snoozed', 'fu-audit-snooze'],
      ['follow_up.updated', 'fu-audit-update'],
      ['follow_up.created', 'fu-audit-create'],
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({
        entity: 'follow_up',
        entity_id: fu.id,
        via: 'api',
        actor_type: 'user',
        actor_id: b.userId,
      });
    }
    const [del, complete, snooze, update, create] = entries;
    expect(create?.before).toBeNull();
    expect(create?.after).toEqual(fu);
    expect(update?.before).toEqual(fu);
    expect(update?.after).toEqual(updated.body.data);
    expect(snooze?.before).toEqual(updated.body.data);
    expect(snooze?.after).toEqual(snoozed.body.data);
    expect(complete?.before).toEqual(snoozed.body.data);
    expect(complete?.after).toEqual(done.body.data);
    expect(del?.before).toEqual(done.body.data);
    expect(del?.after).toBeNull();

    // Refused changes leave no trace.
    const other = await b.create({ subject: 'Other' });
    await b.call('PATCH', `/follow-ups/${other.id}`, { status: 'cancelled' });
    await b.call('POST', `/follow-ups/${other.id}/snooze`, {});
    await b.call('POST', `/follow-ups/${other.id}/done`, {});
    await b.call('PATCH', `/follow-ups/${other.id}`, { contact_phone: 'nope' });
    expect((await b.audit(other.id)).map((e) => e.action)).toEqual([
      'follow_up.updated',
      'follow_up.created',
    ]);
  });
});
