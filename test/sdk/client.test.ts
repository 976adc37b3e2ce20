import { AxonClient, AxonError } from '@axonbos/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { operations } from '../../packages/sdk/src/operations.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';
import { FAST, keyFor, SDK_PHONE, startFlakyProxy } from './support.ts';

// The SDK against the real server over HTTP, authenticated by an API key; failures come from a scripted
// proxy in front of it (or a fetch that throws), so retries are seen as the server sees them.

const UNKNOWN_TASK = 'task_0000000000zzzzzzzzzzzz';

describeEachDb('Node SDK', (get) => {
  let api: TestApi;
  let key: string;
  let readOnlyKey: string;
  let axon: AxonClient;

  beforeAll(async () => {
    api = await startTestApi(get().db);
    key = await keyFor(api, 0, ['*']);
    readOnlyKey = await keyFor(api, 0, ['tasks:read']);
    axon = new AxonClient({ baseUrl: api.url, apiKey: key, ...FAST });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('makes typed calls and resolves to the envelope’s data', async () => {
    const task = await axon.createTask({
      title: 'Call ABC Traders',
      due_date: '2026-03-26',
      priority: 'high',
    });
    expect(task).toMatchObject({ title: 'Call ABC Traders', due_date: '2026-03-26', priority: 'high' });
    expect(task.id).toMatch(/^task_/);
    expect(await axon.getTask(task.id)).toEqual(task);
    const renamed = await axon.updateTask(task.id, { title: 'Call ABC Traders about invoice 1042' });
    expect(renamed.title).toBe('Call ABC Traders about invoice 1042');
    const open = await axon.listTasks({ status: 'open', q: 'invoice 1042' });
    expect(open.tasks.map((t) => t.id)).toEqual([task.id]);
    expect((await axon.completeTask(task.id)).status).toBe('done');
    expect(await axon.deleteTask(task.id)).toMatchObject({ id: task.id });
    const me = await axon.getMe();
    expect(me.phone).toBe(SDK_PHONE(0));
  });

  it('rejects with AxonError carrying the envelope’s status, code, message and request id', async () => {
    const missing = await axon.getTask(UNKNOWN_TASK).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AxonError);
    expect(missing).toMatchObject({ status: 404, code: 'task_not_found', name: 'AxonError' });
    const { requestId, message } = missing as AxonError;
    expect(message).toContain(UNKNOWN_TASK);
    expect(requestId).toMatch(/\S/);

    const invalid = await axon.createTask({ title: 'x', due_date: 'someday' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_error' });
    expect((invalid as AxonError).details).toMatchObject({ issues: expect.any(Array) });

    const readOnly = new AxonClient({ baseUrl: api.url, apiKey: readOnlyKey, ...FAST });
    expect((await readOnly.listTasks()).tasks).toEqual(expect.any(Array));
    const refused = await readOnly.createTask({ title: 'Not allowed' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 403, code: 'insufficient_scope' });
    expect((refused as AxonError).message).toContain('tasks:write');
  });

  it('waits as long as Retry-After says on a 429 (seconds) and a 503 (HTTP date), then succeeds', async () => {
    const proxy = await startFlakyProxy(api.url, (_seen, i) => {
      if (i === 0) return { status: 429, headers: { 'retry-after': '1' } };
      // An HTTP date has whole seconds: two ahead is at least one second from now.
      if (i === 1)
        return { status: 503, headers: { 'retry-after': new Date(Date.now() + 2000).toUTCString() } };
      return 'forward';
    });
    try {
      const client = new AxonClient({ baseUrl: proxy.url, apiKey: key, ...FAST });
      const started = Date.now();
      const { tasks } = await client.listTasks();
      expect(tasks).toEqual(expect.any(Array));
      expect(proxy.seen).toHaveLength(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    } finally {
      await proxy.close();
    }
  });

  it('fails at once when Retry-After is longer than it would wait, or retries are spent', async () => {
    const proxy = await startFlakyProxy(api.url, () => ({ status: 429, headers: { 'retry-after': '3600' } }));
    try {
      const client = new AxonClient({ baseUrl: proxy.url, apiKey: key, ...FAST });
      await expect(client.listTasks()).rejects.toMatchObject({ status: 429, code: 'flaky' });
      expect(proxy.seen).toHaveLength(1);
      const busy = await startFlakyProxy(api.url, () => ({ status: 502 }));
      const twice = new AxonClient({ baseUrl: busy.url, apiKey: key, ...FAST, retries: 2 });
      await expect(twice.getMe()).rejects.toMatchObject({ status: 502, code: 'flaky' });
      expect(busy.seen).toHaveLength(3);
      await busy.close();
    } finally {
      await proxy.close();
    }
  });

  it('retries a POST whose answer was lost with the same Idempotency-Key: created once', async () => {
    const proxy = await startFlakyProxy(api.url, (seen) =>
      seen.method === 'POST' && proxy.seen.filter((s) => s.method === 'POST').length === 1
        ? 'forward-then-503'
        : 'forward',
    );
    try {
      const client = new AxonClient({ baseUrl: proxy.url, apiKey: key, ...FAST });
      const task = await client.createTask({ title: 'Exactly once, despite the gateway' });
      const posts = proxy.seen.filter((s) => s.method === 'POST');
      expect(posts).toHaveLength(2);
      const [first, second] = posts.map((p) => p.headers['idempotency-key']);
      expect(first).toMatch(/^[0-9a-f-]{36}$/);
      expect(second).toBe(first);
      expect(proxy.answers.map((a) => a.replayed)).toEqual([false, true]);
      const { tasks } = await axon.listTasks({ q: 'Exactly once' });
      expect(tasks.map((t) => t.id)).toEqual([task.id]);
    } finally {
      await proxy.close();
    }
  });

  it('never retries a PATCH or DELETE after a 5xx, and retries a GET after a network error', async () => {
    const task = await axon.createTask({ title: 'Patched once' });
    const proxy = await startFlakyProxy(api.url, (seen) =>
      seen.method === 'PATCH' ? 'forward-then-503' : 'forward',
    );
    try {
      const client = new AxonClient({ baseUrl: proxy.url, apiKey: key, ...FAST });
      await expect(client.updateTask(task.id, { notes: 'once' })).rejects.toMatchObject({ status: 503 });
      expect(proxy.seen.filter((s) => s.method === 'PATCH')).toHaveLength(1);
    } finally {
      await proxy.close();
    }

    let calls = 0;
    const dropsFirst: typeof fetch = (input, init) => {
      calls += 1;
      return calls === 1 ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    };
    const client = new AxonClient({ baseUrl: api.url, apiKey: key, ...FAST, fetch: dropsFirst });
    expect((await client.getTask(task.id)).id).toBe(task.id);
    expect(calls).toBe(2);
    calls = 0;
    await expect(client.deleteTask(task.id)).rejects.toMatchObject({ status: 0, code: 'network_error' });
    expect(calls).toBe(1);
  });

  it('walks every page of a list', async () => {
    const made = new Set<string>();
    for (let i = 0; i < 23; i++) made.add((await axon.createTask({ title: `Paged task ${i}` })).id);
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests += 1;
      return fetch(input, init);
    };
    const client = new AxonClient({ baseUrl: api.url, apiKey: key, fetch: counting });
    const walked: string[] = [];
    for await (const task of client.paginate.listTasks({ q: 'Paged task', limit: 10 })) walked.push(task.id);
    expect(walked).toHaveLength(23);
    expect(new Set(walked)).toEqual(made);
    expect(requests).toBe(3);

    const all: string[] = [];
    for await (const task of client.paginate.listTasks({ q: 'Paged task' })) all.push(task.id);
    expect(all).toHaveLength(23);
  });

  it('sign-in ignores the Idempotency-Key (the document declares it on the other POSTs only), other POSTs replay it', async () => {
    const replayable = (Object.keys(operations) as (keyof typeof operations)[]).filter(
      (id) => operations[id].method === 'POST' && operations[id].idempotent,
    );
    expect(replayable).toContain('createTask');
    for (const id of ['sendOtp', 'verifyOtp', 'logout'] as const)
      expect(operations[id].idempotent).toBe(false);
    const opts = { retries: 0 };
    const anonymous = new AxonClient({ baseUrl: api.url, ...opts });
    const phone = SDK_PHONE(1);
    const again = { idempotencyKey: 'same-key-1' };
    await anonymous.sendOtp({ phone }, again);
    // A replay would answer as the first did; the server ran it again and hit its 30-second spacing.
    await expect(anonymous.sendOtp({ phone }, again)).rejects.toMatchObject({ status: 429 });
    const verify = { phone, otp: '123456' };
    const a = await anonymous.verifyOtp(verify, { idempotencyKey: 'same-key-2' });
    const b = await anonymous.verifyOtp(verify, { idempotencyKey: 'same-key-2' });
    expect(b.access_token).not.toBe(a.access_token);
    const signedIn = new AxonClient({ baseUrl: api.url, token: a.access_token, ...opts });
    const task = await signedIn.createTask({ title: 'Replayed' }, { idempotencyKey: 'same-key-3' });
    expect(await signedIn.createTask({ title: 'Replayed' }, { idempotencyKey: 'same-key-3' })).toEqual(task);
    await signedIn.logout({ idempotencyKey: 'same-key-4' });
    await expect(signedIn.logout({ idempotencyKey: 'same-key-4' })).rejects.toMatchObject({
      status: 401,
    });
  });
});
