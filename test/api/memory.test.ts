import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

describeEachDb('memory API', (get) => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi(get().db, { RATE_LIMIT_SELF_SERVICE: '1000' });
    token = await api.signIn(testPhone(30));
  });
  afterAll(() => api.close());

  const remember = (body: unknown, as = token) => api.request('POST', '/api/v1/memory', { token: as, body });
  const search = (qs: string, as = token) => api.request('GET', `/api/v1/memory/search?${qs}`, { token: as });

  it('POST remembers and answers 201 with what the write did', async () => {
    const res = await remember({ content: "Ramesh's number is 98450 12345" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      success: true,
      error: null,
      data: { outcome: 'created', kind: 'contact', subject: 'Ramesh', source: 'api', supersedes: null },
    });
    expect(res.body.data.id).toMatch(/^mem_/);

    const again = await remember({ content: "ramesh's number is 98450 12345." });
    expect(again.body.data).toMatchObject({ id: res.body.data.id, outcome: 'unchanged' });

    const changed = await remember({ content: "Ramesh's number is now 98450 99999" });
    expect(changed.body.data).toMatchObject({ outcome: 'superseded', supersedes: res.body.data.id });

    const told = await remember({
      content: 'Prefers calls in the evening',
      kind: 'preference',
      subject: 'Ramesh',
    });
    expect(told.body.data).toMatchObject({ kind: 'preference', subject: 'Ramesh', outcome: 'created' });
  });

  it('GET /memory/search returns content, kind, subject, score and source of each hit, best first', async () => {
    await remember({ content: 'ABC Traders always pays late' });
    const res = await search(`q=${encodeURIComponent("Ramesh's number")}&limit=5`);
    expect(res.status).toBe(200);
    expect(res.body.data.query).toBe("Ramesh's number");
    const [top] = res.body.data.memories;
    expect(top).toMatchObject({
      content: "Ramesh's number is now 98450 99999",
      kind: 'contact',
      subject: 'Ramesh',
      source: 'api',
      conversation_id: null,
      turn_id: null,
    });
    expect(typeof top.score).toBe('number');
    expect(top).not.toHaveProperty('matched_words');
    const contents = res.body.data.memories.map((m: { content: string }) => m.content);
    expect(contents).not.toContain("Ramesh's number is 98450 12345");

    const patterns = await search('q=pays&kind=pattern');
    expect(patterns.body.data.memories.map((m: { kind: string }) => m.kind)).toEqual(['pattern']);
    const one = await search('q=Ramesh&limit=1');
    expect(one.body.data.memories).toHaveLength(1);
  });

  it('GET /memory lists newest first with page, total and limit', async () => {
    const page1 = await api.request('GET', '/api/v1/memory?limit=2', { token });
    expect(page1.status).toBe(200);
    expect(page1.body.meta).toMatchObject({ page: 1, total: 3, limit: 2 });
    expect(page1.body.data.memories).toHaveLength(2);
    expect(page1.body.data.memories[0].content).toBe('ABC Traders always pays late');
    const page2 = await api.request('GET', '/api/v1/memory?limit=2&page=2', { token });
    expect(page2.body.data.memories).toHaveLength(1);
    const all = await api.request('GET', '/api/v1/memory?include_superseded=true&kind=contact', { token });
    expect(all.body.meta.total).toBe(2);
    expect(
      all.body.data.memories.find((m: { superseded_by: string | null }) => m.superseded_by),
    ).toBeTruthy();
  });

  it('DELETE forgets: gone from search, list and get; the audit says so without the content', async () => {
    const m = await remember({ content: "Suresh's email is suresh@example.in" });
    const id = m.body.data.id;
    const del = await api.request('DELETE', `/api/v1/memory/${id}`, { token });
    expect(del.status).toBe(200);
    expect(del.body.data).toEqual({ id, forgotten: true, versions_removed: 1 });
    const found = await search('q=Suresh%20email');
    expect(found.body.data.memories.map((h: { id: string }) => h.id)).not.toContain(id);
    const list = await api.request('GET', '/api/v1/memory?limit=100&include_superseded=true', { token });
    expect(list.body.data.memories.map((h: { id: string }) => h.id)).not.toContain(id);
    expect((await api.request('GET', `/api/v1/memory/${id}`, { token })).status).toBe(404);
    const again = await api.request('DELETE', `/api/v1/memory/${id}`, { token });
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('memory_not_found');

    const audit = await api.request('GET', `/api/v1/audit?entity=memory&entity_id=${id}`, { token });
    expect(audit.body.data.entries.map((e: { action: string }) => e.action)).toEqual([
      'memory.forgotten',
      'memory.created',
    ]);
    expect(JSON.stringify(audit.body.data)).not.toMatch(/suresh|example\.in/i);
  });

  it("another business cannot see, search or forget this user's memories", async () => {
    const other = await api.signIn(testPhone(31));
    const mine = await api.request('GET', '/api/v1/memory', { token });
    const id = mine.body.data.memories[0].id;
    expect((await search('q=Ramesh', other)).body.data.memories).toEqual([]);
    expect((await api.request('GET', '/api/v1/memory', { token: other })).body.meta.total).toBe(0);
    expect((await api.request('GET', `/api/v1/memory/${id}`, { token: other })).status).toBe(404);
    expect((await api.request('DELETE', `/api/v1/memory/${id}`, { token: other })).status).toBe(404);
    expect((await api.request('GET', `/api/v1/memory/${id}`, { token })).status).toBe(200);
  });

  it('bad input to every memory route is a clear 4xx envelope', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/v1/memory', {}, 400, 'validation_error'],
      ['POST', '/api/v1/memory', { content: '   ' }, 400, 'validation_error'],
      ['POST', '/api/v1/memory', { content: 'x'.repeat(1001) }, 400, 'validation_error'],
      ['POST', '/api/v1/memory', { content: 'ok', kind: 'secret' }, 400, 'validation_error'],
      ['POST', '/api/v1/memory', { content: 'ok', tenant_id: 'ten_x' }, 400, 'validation_error'],
      ['POST', '/api/v1/memory', { content: 'a\u0000b' }, 400, 'validation_error'],
      ['POST', '/api/v1/memory', { content: 42 }, 400, 'validation_error'],
      ['POST', '/api/v1/memory', { content: '...' }, 400, 'empty_memory'],
      ['GET', '/api/v1/memory?limit=0', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/memory?kind=secret', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/memory?include_superseded=maybe', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/memory/search', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/memory/search?q=', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/memory/search?q=x&limit=51', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/memory/search?q=x&limit=abc', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/memory/search?q=x&kind=nope', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/memory/search?q=x&tenant=1', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/memory/search?q=a&q=b', undefined, 400, 'validation_error'],
      ['GET', '/api/v1/memory/not-an-id', undefined, 400, 'validation_error'],
      ['DELETE', '/api/v1/memory/task_01jq2n3v4w5x6y7z8a9b0c', undefined, 400, 'validation_error'],
      ['DELETE', '/api/v1/memory/mem_01jq2n3v4w5x6y7z8a9b0c', undefined, 404, 'memory_not_found'],
      ['PATCH', '/api/v1/memory/mem_01jq2n3v4w5x6y7z8a9b0c', { content: 'x' }, 405, 'method_not_allowed'],
      ['POST', '/api/v1/memory/search', { q: 'x' }, 405, 'method_not_allowed'],
      ['DELETE', '/api/v1/memory/search', undefined, 405, 'method_not_allowed'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await api.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
      expect([method, path, res.status, res.body.error?.code]).toEqual([method, path, status, code]);
      expect(res.body).toMatchObject({ success: false, data: null });
      expect(res.body.error.message.length).toBeGreaterThan(5);
    }
    const raw = await api.request('POST', '/api/v1/memory', {
      token,
      raw: '{"content":',
      headers: { 'content-type': 'application/json' },
    });
    expect(raw.status).toBe(400);
    const anonymous = await api.request('GET', '/api/v1/memory/search?q=x');
    expect(anonymous.status).toBe(401);
  });
});
