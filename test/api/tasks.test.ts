import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type AuditEntry,
  type Envelope,
  expectError,
  signedIn,
  startTestApi,
  type TestApi,
} from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// Behaviour of /api/v1/tasks over real HTTP. Every test signs in its own phone (10–29), so each gets a
// fresh business inside the suite's shared database.

interface Task {
  id: string;
  title: string;
  notes: string | null;
  due_date: string | null;
  due_at: string | null;
  priority: 'low' | 'medium' | 'high' | 'urgent';
  status: 'open' | 'done' | 'cancelled';
  remind_at: string | null;
  assignee_id: string | null;
  source: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

const TASK_ID = /^task_[0-9a-z]{22}$/;
const UNKNOWN_TASK = 'task_0000000000zzzzzzzzzzzz';

describeEachDb('tasks API', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    // Rate limits have their own suite; these tests make many requests per business.
    api = await startTestApi(get().db, { RATE_LIMIT_SELF_SERVICE: '1000', RATE_LIMIT_ANONYMOUS: '1000' });
  });
  afterAll(async () => {
    await api?.close();
  });

  /** A signed-in business with helpers for its tasks. */
  async function business(n: number) {
    const who = await signedIn(api, n);
    const { call } = who;
    const b = {
      ...who,
      async create(body: Record<string, unknown>): Promise<Task> {
        const res = await call<Task>('POST', '/tasks', body);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body.data;
      },
      list: (query = '') => call<{ tasks: Task[] }>('GET', `/tasks${query ? `?${query}` : ''}`),
      async titles(query: string): Promise<string[]> {
        const res = await b.list(query);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.data.tasks.map((t) => t.title);
      },
    };
    return b;
  }

  it('creates a task with defaults, and gets it back', async () => {
    const b = await business(10);
    const res = await b.call<Task>('POST', '/tasks', { title: '  Follow up with ABC Traders  ' });
    expect(res.status).toBe(201);
    expect(res.body.success).toBe(true);
    expect(res.body.error).toBeNull();
    const task = res.body.data;
    expect(task.id).toMatch(TASK_ID);
    expect(task).toMatchObject({
      title: 'Follow up with ABC Traders',
      notes: null,
      due_date: null,
      due_at: null,
      priority: 'medium',
      status: 'open',
      remind_at: null,
      assignee_id: null,
      source: 'api',
      completed_at: null,
    });
    expect(Number.isNaN(Date.parse(task.created_at))).toBe(false);
    expect(task.updated_at).toBe(task.created_at);

    const got = await b.call<Task>('GET', `/tasks/${task.id}`);
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual(task);

    const full = await b.create({
      title: 'File GST return',
      notes: 'GSTR-3B for March',
      due_date: '2026-04-20',
      due_at: '2026-04-20T11:00:00+05:30',
      priority: 'urgent',
      remind_at: '2026-04-19T09:00:00+05:30',
    });
    expect(full).toMatchObject({
      title: 'File GST return',
      notes: 'GSTR-3B for March',
      due_date: '2026-04-20',
      due_at: '2026-04-20T05:30:00.000Z',
      priority: 'urgent',
      remind_at: '2026-04-19T03:30:00.000Z',
      status: 'open',
    });
  });

  it("lists tasks in the reference's envelope shape", async () => {
    const b = await business(11);
    await b.create({ title: 'Follow up with ABC Traders', due_date: '2026-03-26', priority: 'high' });
    const res = await b.call<{ tasks: Task[] }>('GET', '/tasks', undefined, {
      'X-Request-Id': 'list-shape-1',
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['data', 'error', 'meta', 'success']);
    expect(res.body.success).toBe(true);
    expect(res.body.error).toBeNull();
    expect(res.body.data.tasks).toHaveLength(1);
    const [item] = res.body.data.tasks;
    expect(item?.id).toMatch(TASK_ID);
    expect(item).toMatchObject({
      title: 'Follow up with ABC Traders',
      due_date: '2026-03-26',
      priority: 'high',
    });
    expect(res.body.meta).toMatchObject({ request_id: 'list-shape-1', page: 1, total: 1, limit: 20 });
    expect(res.headers.get('x-request-id')).toBe('list-shape-1');
    expect(Number.isNaN(Date.parse(res.body.meta.timestamp))).toBe(false);
  });

  it('refuses unknown fields, bad values and malformed ids with 400, unknown ids with 404', async () => {
    const b = await business(12);
    const invalidBodies: unknown[] = [
      { title: 'x', colour: 'red' },
      { title: 'x', status: 'done' },
      { title: 'x', source: 'chat' },
      { title: 'x', id: UNKNOWN_TASK },
      {},
      { title: '   ' },
      { title: 42 },
      { title: 'x'.repeat(501) },
      { title: 'x', priority: 'critical' },
      { title: 'x', due_date: '26-03-2026' },
      { title: 'x', due_date: '2026-02-30' },
      { title: 'x', due_at: '2026-03-26 20:00' },
      { title: 'x', due_at: '2026-03-26T20:00:00' },
      { title: 'x', assignee_id: 'someone' },
      [{ title: 'x' }],
    ];
    for (const body of invalidBodies) {
      const res = await b.call('POST', '/tasks', body);
      expectError(res, 400, 'validation_error');
    }
    const withUnknown = await b.call('POST', '/tasks', { title: 'ok', colour: 'red' });
    expect(JSON.stringify(withUnknown.body.error?.details)).toContain('colour');
    expect((await b.list()).body.meta.total).toBe(0);

    const task = await b.create({ title: 'Real task' });
    for (const body of [{}, { colour: 'red' }, { title: '' }, { status: 'finished' }, { priority: null }]) {
      expectError(await b.call('PATCH', `/tasks/${task.id}`, body), 400, 'validation_error');
    }

    for (const id of [
      'nope',
      'task_123',
      'fu_0000000000zzzzzzzzzzzz',
      `${UNKNOWN_TASK}0`,
      'TASK_0000000000ZZZZZZZZZZZZ',
    ]) {
      const path = `/tasks/${encodeURIComponent(id)}`;
      expectError(await b.call('GET', path), 400, 'validation_error');
      expectError(await b.call('PATCH', path, { title: 'y' }), 400, 'validation_error');
      expectError(await b.call('DELETE', path), 400, 'validation_error');
      expectError(await b.call('POST', `${path}/complete`), 400, 'validation_error');
    }

    const missing = await b.call('GET', `/tasks/${UNKNOWN_TASK}`);
    expectError(missing, 404, 'task_not_found');
    expect(missing.body.error?.details).toEqual({ id: UNKNOWN_TASK });
    expectError(await b.call('PATCH', `/tasks/${UNKNOWN_TASK}`, { title: 'y' }), 404, 'task_not_found');
    expectError(await b.call('DELETE', `/tasks/${UNKNOWN_TASK}`), 404, 'task_not_found');
    expectError(await b.call('POST', `/tasks/${UNKNOWN_TASK}/complete`), 404, 'task_not_found');

    expect((await b.call<Task>('GET', `/tasks/${task.id}`)).body.data).toEqual(task);
  });

  it('needs a bearer token', async () => {
    const res = await api.request<Envelope<null>>('GET', '/api/v1/tasks');
    expectError(res, 401, 'unauthorized');
    const created = await api.request<Envelope<null>>('POST', '/api/v1/tasks', { body: { title: 'x' } });
    expectError(created, 401, 'unauthorized');
  });

  it('PATCH changes only the named fields; done sets completed_at and reopening clears it', async () => {
    const b = await business(13);
    const task = await b.create({
      title: 'Call the CA',
      notes: 'about advance tax',
      due_date: '2026-03-30',
      priority: 'low',
    });

    const patched = await b.call<Task>('PATCH', `/tasks/${task.id}`, { priority: 'high' });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      id: task.id,
      title: 'Call the CA',
      notes: 'about advance tax',
      due_date: '2026-03-30',
      priority: 'high',
      status: 'open',
      completed_at: null,
      created_at: task.created_at,
    });
    expect(Date.parse(patched.body.data.updated_at)).toBeGreaterThanOrEqual(Date.parse(task.updated_at));

    const cleared = await b.call<Task>('PATCH', `/tasks/${task.id}`, {
      notes: null,
      due_date: null,
      title: ' Call CA ',
    });
    expect(cleared.body.data).toMatchObject({
      title: 'Call CA',
      notes: null,
      due_date: null,
      priority: 'high',
    });

    const done = await b.call<Task>('PATCH', `/tasks/${task.id}`, { status: 'done' });
    expect(done.status).toBe(200);
    expect(done.body.data.status).toBe('done');
    const completedAt = done.body.data.completed_at;
    expect(completedAt).not.toBeNull();
    expect(Number.isNaN(Date.parse(completedAt ?? ''))).toBe(false);

    // Editing a done task keeps its completion time.
    const renamed = await b.call<Task>('PATCH', `/tasks/${task.id}`, { title: 'Called the CA' });
    expect(renamed.body.data).toMatchObject({ status: 'done', completed_at: completedAt });

    const reopened = await b.call<Task>('PATCH', `/tasks/${task.id}`, { status: 'open' });
    expect(reopened.body.data).toMatchObject({ status: 'open', completed_at: null, title: 'Called the CA' });

    const cancelled = await b.call<Task>('PATCH', `/tasks/${task.id}`, { status: 'cancelled' });
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', completed_at: null });

    expect((await b.call<Task>('GET', `/tasks/${task.id}`)).body.data).toEqual(cancelled.body.data);
  });

  it('DELETE removes the task', async () => {
    const b = await business(14);
    const keep = await b.create({ title: 'Keep me' });
    const gone = await b.create({ title: 'Delete me' });
    const res = await b.call<{ id: string; deleted: boolean }>('DELETE', `/tasks/${gone.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: gone.id, deleted: true });
    expectError(await b.call('GET', `/tasks/${gone.id}`), 404, 'task_not_found');
    expectError(await b.call('DELETE', `/tasks/${gone.id}`), 404, 'task_not_found');
    const list = await b.list();
    expect(list.body.data.tasks.map((t) => t.id)).toEqual([keep.id]);
    expect(list.body.meta.total).toBe(1);
  });

  it('POST /complete marks done, is idempotent on done, and refuses a cancelled task with 409', async () => {
    const b = await business(15);
    const task = await b.create({ title: 'Send quotation' });
    const first = await b.call<Task>('POST', `/tasks/${task.id}/complete`);
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ id: task.id, status: 'done' });
    expect(first.body.data.completed_at).not.toBeNull();

    const again = await b.call<Task>('POST', `/tasks/${task.id}/complete`);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    const completions = (await b.audit(task.id)).filter((e) => e.action === 'task.completed');
    expect(completions).toHaveLength(1);

    const cancelled = await b.create({ title: 'Never mind' });
    await b.call('PATCH', `/tasks/${cancelled.id}`, { status: 'cancelled' });
    const refused = await b.call('POST', `/tasks/${cancelled.id}/complete`);
    expectError(refused, 409, 'task_cancelled');
    const after = await b.call<Task>('GET', `/tasks/${cancelled.id}`);
    expect(after.body.data).toMatchObject({ status: 'cancelled', completed_at: null });

    // Reopened, it can be completed.
    await b.call('PATCH', `/tasks/${cancelled.id}`, { status: 'open' });
    const completed = await b.call<Task>('POST', `/tasks/${cancelled.id}/complete`);
    expect(completed.status).toBe(200);
    expect(completed.body.data.status).toBe('done');
  });

  it('derives due_date from due_at in Asia/Kolkata', async () => {
    const b = await business(16);
    const late = await b.create({ title: 'Late evening UTC', due_at: '2026-03-26T20:00:00Z' });
    expect(late).toMatchObject({ due_at: '2026-03-26T20:00:00.000Z', due_date: '2026-03-27' });
    const beforeMidnight = await b.create({
      title: 'Just before IST midnight',
      due_at: '2026-03-26T18:29:59Z',
    });
    expect(beforeMidnight.due_date).toBe('2026-03-26');
    const atMidnight = await b.create({ title: 'IST midnight', due_at: '2026-03-26T18:30:00Z' });
    expect(atMidnight.due_date).toBe('2026-03-27');
    const withOffset = await b.create({ title: 'Offset', due_at: '2026-03-27T00:15:00+05:30' });
    expect(withOffset).toMatchObject({ due_at: '2026-03-26T18:45:00.000Z', due_date: '2026-03-27' });
    // A date given alongside is kept as given.
    const both = await b.create({ title: 'Both', due_at: '2026-03-26T20:00:00Z', due_date: '2026-03-26' });
    expect(both.due_date).toBe('2026-03-26');

    // Moving the time moves the date; naming both keeps the named date.
    const moved = await b.call<Task>('PATCH', `/tasks/${late.id}`, { due_at: '2026-04-01T04:00:00Z' });
    expect(moved.body.data).toMatchObject({ due_at: '2026-04-01T04:00:00.000Z', due_date: '2026-04-01' });
    const movedLate = await b.call<Task>('PATCH', `/tasks/${late.id}`, { due_at: '2026-04-01T19:00:00Z' });
    expect(movedLate.body.data.due_date).toBe('2026-04-02');
    const named = await b.call<Task>('PATCH', `/tasks/${late.id}`, {
      due_at: '2026-04-05T20:00:00Z',
      due_date: '2026-04-05',
    });
    expect(named.body.data).toMatchObject({ due_at: '2026-04-05T20:00:00.000Z', due_date: '2026-04-05' });

    // The derived date is what the date filters see.
    expect(await b.titles('due_before=2026-03-26&sort=created_at')).toEqual([
      'Just before IST midnight',
      'Both',
    ]);
    expect(await b.titles('due_after=2026-03-27&due_before=2026-03-27&sort=created_at')).toEqual([
      'IST midnight',
      'Offset',
    ]);
  });

  it('filters by status, priority, due_before and due_after', async () => {
    const b = await business(17);
    const a = await b.create({ title: 'A', priority: 'high', due_date: '2026-03-01' });
    const c = await b.create({ title: 'C', priority: 'low', due_date: '2026-03-10' });
    await b.create({ title: 'D', priority: 'high', due_date: '2026-03-20' });
    await b.create({ title: 'E', priority: 'urgent' });
    await b.call('POST', `/tasks/${a.id}/complete`);
    await b.call('PATCH', `/tasks/${c.id}`, { status: 'cancelled' });

    const sorted = (xs: string[]) => [...xs].sort();
    expect(sorted(await b.titles('status=open'))).toEqual(['D', 'E']);
    expect(await b.titles('status=done')).toEqual(['A']);
    expect(await b.titles('status=cancelled')).toEqual(['C']);
    expect(sorted(await b.titles('priority=high'))).toEqual(['A', 'D']);
    expect(await b.titles('priority=medium')).toEqual([]);
    expect(await b.titles('priority=high&status=open')).toEqual(['D']);
    // Bounds are inclusive; a task with no date matches no date bound.
    expect(sorted(await b.titles('due_before=2026-03-10'))).toEqual(['A', 'C']);
    expect(sorted(await b.titles('due_after=2026-03-10'))).toEqual(['C', 'D']);
    expect(await b.titles('due_after=2026-03-02&due_before=2026-03-19')).toEqual(['C']);
    expect(await b.titles('due_after=2026-03-21')).toEqual([]);
    const filtered = await b.list('priority=high');
    expect(filtered.body.meta.total).toBe(2);

    for (const bad of [
      'status=pending',
      'priority=critical',
      'due_before=2026-13-01',
      'due_after=yesterday',
      'due_before=2026-03-10T00:00:00Z',
      'colour=red',
      'status=open&status=done',
    ]) {
      expectError(await b.list(bad), 400, 'validation_error');
    }
  });

  it('searches title and notes with q, taking % and _ literally', async () => {
    const b = await business(18);
    await b.create({ title: 'Collect 50% advance from Sharma', notes: null });
    await b.create({ title: 'Collect 500 rupees', notes: 'cash' });
    await b.create({ title: 'Rename file_v2', notes: null });
    await b.create({ title: 'Rename fileXv2', notes: null });
    await b.create({ title: 'Order stock', notes: 'Ask SHARMA about the 50% discount' });
    await b.create({ title: 'Path C:\\tally\\data', notes: null });

    const search = async (q: string) => (await b.titles(`q=${encodeURIComponent(q)}`)).sort();
    expect(await search('sharma')).toEqual(['Collect 50% advance from Sharma', 'Order stock']);
    expect(await search('50%')).toEqual(['Collect 50% advance from Sharma', 'Order stock']);
    expect(await search('%')).toEqual(['Collect 50% advance from Sharma', 'Order stock']);
    expect(await search('file_v2')).toEqual(['Rename file_v2']);
    expect(await search('_')).toEqual(['Rename file_v2']);
    expect(await search('\\tally')).toEqual(['Path C:\\tally\\data']);
    expect(await search('CASH')).toEqual(['Collect 500 rupees']);
    expect(await search('  stock  ')).toEqual(['Order stock']);
    expect(await search('nothing like this')).toEqual([]);
    const all = await b.list('q=');
    expect(all.body.meta.total).toBe(6);
    expectError(await b.list(`q=${'x'.repeat(201)}`), 400, 'validation_error');
  });

  it('sorts by every documented key', async () => {
    const b = await business(19);
    const made: Task[] = [];
    for (const [title, priority, due_date] of [
      ['t1', 'medium', '2026-05-03'],
      ['t2', 'urgent', null],
      ['t3', 'low', '2026-05-01'],
      ['t4', 'high', '2026-05-02'],
    ] as const) {
      made.push(await b.create({ title, priority, ...(due_date ? { due_date } : {}) }));
    }
    // Touch t1 last, so updated_at differs from creation order.
    const t1 = made[0];
    if (!t1) throw new Error('no task');
    await b.call('PATCH', `/tasks/${t1.id}`, { notes: 'touched' });

    expect(await b.titles('')).toEqual(['t4', 't3', 't2', 't1']);
    expect(await b.titles('sort=-created_at')).toEqual(['t4', 't3', 't2', 't1']);
    expect(await b.titles('sort=created_at')).toEqual(['t1', 't2', 't3', 't4']);
    expect(await b.titles('sort=due_date')).toEqual(['t3', 't4', 't1', 't2']);
    expect(await b.titles('sort=-due_date')).toEqual(['t1', 't4', 't3', 't2']);
    expect(await b.titles('sort=priority')).toEqual(['t3', 't1', 't4', 't2']);
    expect(await b.titles('sort=-priority')).toEqual(['t2', 't4', 't1', 't3']);
    expect(await b.titles('sort=updated_at')).toEqual(['t2', 't3', 't4', 't1']);
    expect(await b.titles('sort=-updated_at')).toEqual(['t1', 't4', 't3', 't2']);
    expectError(await b.list('sort=title'), 400, 'validation_error');
  });

  it('paginates with page, limit and total', async () => {
    const b = await business(20);
    const ids: string[] = [];
    for (let i = 1; i <= 23; i++) ids.push((await b.create({ title: `Task ${i}` })).id);

    const seen: string[] = [];
    for (const [page, size] of [
      [1, 10],
      [2, 10],
      [3, 3],
    ] as const) {
      const res = await b.list(`sort=created_at&limit=10&page=${page}`);
      expect(res.status).toBe(200);
      expect(res.body.meta).toMatchObject({ page, limit: 10, total: 23 });
      expect(res.body.data.tasks).toHaveLength(size);
      seen.push(...res.body.data.tasks.map((t) => t.id));
    }
    expect(seen).toEqual(ids);

    const defaults = await b.list();
    expect(defaults.body.meta).toMatchObject({ page: 1, limit: 20, total: 23 });
    expect(defaults.body.data.tasks).toHaveLength(20);

    const past = await b.list('limit=10&page=4');
    expect(past.status).toBe(200);
    expect(past.body.data.tasks).toEqual([]);
    expect(past.body.meta).toMatchObject({ page: 4, limit: 10, total: 23 });
    const farPast = await b.list('status=open&page=50');
    expect(farPast.body.data.tasks).toEqual([]);
    expect(farPast.body.meta).toMatchObject({ page: 50, limit: 20, total: 23 });

    const max = await b.list('limit=100');
    expect(max.body.data.tasks).toHaveLength(23);
    expect(max.body.meta.limit).toBe(100);

    for (const bad of ['limit=101', 'limit=0', 'limit=-1', 'limit=ten', 'limit=2.5', 'page=0', 'page=abc']) {
      expectError(await b.list(bad), 400, 'validation_error');
    }
  });

  it('assigns only to users of the same business', async () => {
    const owner = await business(21);
    const other = await business(22);
    const mine = await owner.create({ title: 'Mine', assignee_id: owner.userId });
    expect(mine.assignee_id).toBe(owner.userId);

    const foreign = await owner.call('POST', '/tasks', { title: 'Theirs', assignee_id: other.userId });
    expectError(foreign, 400, 'invalid_assignee');
    const nobody = await owner.call('POST', '/tasks', {
      title: 'Nobody',
      assignee_id: 'usr_0000000000zzzzzzzzzzzz',
    });
    expectError(nobody, 400, 'invalid_assignee');
    expect((await owner.list()).body.meta.total).toBe(1);

    const patched = await owner.call('PATCH', `/tasks/${mine.id}`, { assignee_id: other.userId });
    expectError(patched, 400, 'invalid_assignee');
    expect((await owner.call<Task>('GET', `/tasks/${mine.id}`)).body.data.assignee_id).toBe(owner.userId);

    const unassigned = await owner.call<Task>('PATCH', `/tasks/${mine.id}`, { assignee_id: null });
    expect(unassigned.body.data.assignee_id).toBeNull();
  });

  it("keeps each business's tasks to itself", async () => {
    const a = await business(23);
    const b = await business(24);
    const secret = await a.create({ title: 'A secret task', notes: 'for A only', priority: 'urgent' });
    await b.create({ title: "B's own task" });

    expectError(await b.call('GET', `/tasks/${secret.id}`), 404, 'task_not_found');
    expectError(await b.call('PATCH', `/tasks/${secret.id}`, { title: 'hijacked' }), 404, 'task_not_found');
    expectError(await b.call('PATCH', `/tasks/${secret.id}`, { status: 'done' }), 404, 'task_not_found');
    expectError(await b.call('POST', `/tasks/${secret.id}/complete`), 404, 'task_not_found');
    expectError(await b.call('DELETE', `/tasks/${secret.id}`), 404, 'task_not_found');

    for (const query of ['', 'q=secret', 'priority=urgent', 'limit=100', 'status=open']) {
      const res = await b.list(query);
      expect(res.body.data.tasks.map((t) => t.id)).not.toContain(secret.id);
    }
    const bAll = await b.list();
    expect(bAll.body.data.tasks.map((t) => t.title)).toEqual(["B's own task"]);
    expect(bAll.body.meta.total).toBe(1);

    // A's task is untouched, and B's audit log holds nothing about it.
    expect((await a.call<Task>('GET', `/tasks/${secret.id}`)).body.data).toEqual(secret);
    expect(await b.audit(secret.id)).toEqual([]);
    expect((await a.audit(secret.id)).map((e) => e.action)).toEqual(['task.created']);
  });

  it('audits every mutation with before, after, request id, via and actor', async () => {
    const b = await business(25);
    const rid = (s: string) => ({ 'X-Request-Id': `tasks-audit-${s}` });
    const created = await b.call<Task>(
      'POST',
      '/tasks',
      { title: 'Audited', priority: 'low' },
      rid('create'),
    );
    expect(created.status).toBe(201);
    const task = created.body.data;
    const updated = await b.call<Task>('PATCH', `/tasks/${task.id}`, { priority: 'high' }, rid('update'));
    const completed = await b.call<Task>('POST', `/tasks/${task.id}/complete`, undefined, rid('complete'));
    const reopened = await b.call<Task>('PATCH', `/tasks/${task.id}`, { status: 'open' }, rid('reopen'));
    const patchedDone = await b.call<Task>(
      'PATCH',
      `/tasks/${task.id}`,
      { status: 'done' },
      rid('patch-done'),
    );
    expect(await b.call('DELETE', `/tasks/${task.id}`, undefined, rid('delete'))).toMatchObject({
      status: 200,
    });

    const entries = await b.audit(task.id);
    // Newest first.
    expect(entries.map((e) => [e.action, e.request_id])).toEqual([
      ['task.deleted', 'tasks-audit-delete'],
      ['task.completed', 'tasks-audit-patch-done'],
      ['task.updated', 'tasks-audit-reopen'],
      ['task.completed', 'tasks-audit-complete'],
      ['task.updated', 'tasks-audit-update'],
      ['task.created', 'tasks-audit-create'],
    ]);
    for (const e of entries) {
      expect(e).toMatchObject({
        entity: 'task',
        entity_id: task.id,
        via: 'api',
        actor_type: 'user',
        actor_id: b.userId,
      });
    }
    const [del, done2, reopen, done1, update, create] = entries;
    expect(create?.before).toBeNull();
    expect(create?.after).toEqual(task);
    expect(update?.before).toEqual(task);
    expect(update?.after).toEqual(updated.body.data);
    expect(done1?.before).toMatchObject({ status: 'open', priority: 'high' });
    expect(done1?.after).toEqual(completed.body.data);
    expect(reopen?.after).toEqual(reopened.body.data);
    expect(done2?.after).toEqual(patchedDone.body.data);
    expect(del?.before).toEqual(patchedDone.body.data);
    expect(del?.after).toBeNull();

    // Refused changes (a bad value, completing a cancelled task) leave no entry.
    const other = await b.create({ title: 'Untouched' });
    await b.call('PATCH', `/tasks/${other.id}`, { priority: 'nope' });
    await b.call('PATCH', `/tasks/${other.id}`, { status: 'cancelled' });
    await b.call('POST', `/tasks/${other.id}/complete`);
    expect((await b.audit(other.id)).map((e) => e.action)).toEqual(['task.updated', 'task.created']);

    // An unusable X-Request-Id is replaced, and the audit records the id the response carried.
    const renamed = await b.call<Task>(
      'PATCH',
      `/tasks/${other.id}`,
      { title: 'Renamed' },
      { 'X-Request-Id': 'bad id!' },
    );
    const served = renamed.headers.get('x-request-id');
    expect(served).not.toBe('bad id!');
    expect(renamed.body.meta.request_id).toBe(served);
    expect((await b.audit(other.id))[0]).toMatchObject({ action: 'task.updated', request_id: served });

    const byAction = await b.call<{ entries: AuditEntry[] }>('GET', '/audit?action=task.deleted');
    expect(byAction.body.data.entries.map((e) => e.entity_id)).toEqual([task.id]);
  });

  it('completes exactly once under concurrent requests, and never completes a task being cancelled', async () => {
    const b = await business(27);
    const task = await b.create({ title: 'Raced' });
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => b.call<Task>('POST', `/tasks/${task.id}/complete`)),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(replies.map((r) => r.body.data.completed_at)).size).toBe(1);
    expect((await b.audit(task.id)).map((e) => e.action)).toEqual(['task.completed', 'task.created']);

    for (let round = 0; round < 4; round++) {
      const raced = await b.create({ title: `Cancel race ${round}` });
      const [complete, cancel] = await Promise.all([
        b.call<Task>('POST', `/tasks/${raced.id}/complete`),
        b.call<Task>('PATCH', `/tasks/${raced.id}`, { status: 'cancelled' }),
      ]);
      expect(cancel.status).toBe(200);
      // Either the completion came first and the cancel followed it, or the cancel came first and won.
      if (complete.status !== 200) expectError(complete, 409, 'task_cancelled');
      expect((await b.call<Task>('GET', `/tasks/${raced.id}`)).body.data.status).toBe('cancelled');
      const fromCancelled = (await b.audit(raced.id)).filter(
        (e) => e.action === 'task.completed' && e.before?.status === 'cancelled',
      );
      expect(fromCancelled).toEqual([]);
    }
  });

  it('replays a create sent twice with the same Idempotency-Key', async () => {
    const b = await business(26);
    const key = { 'Idempotency-Key': 'create-once-26' };
    const first = await b.call<Task>('POST', '/tasks', { title: 'Only once' }, key);
    const second = await b.call<Task>('POST', '/tasks', { title: 'Only once' }, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.data.id).toBe(first.body.data.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await b.list()).body.meta.total).toBe(1);
    expectError(
      await b.call('POST', '/tasks', { title: 'Something else' }, key),
      409,
      'idempotency_key_reused',
    );
  });
});
