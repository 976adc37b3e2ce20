import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// API keys over the real app: made by an owner and shown once, calling as the business within their
// scopes (as Authorization: Bearer or X-API-Key), named in the audit log, refused at once when revoked.

describeEachDb('API keys', (get) => {
  let api: TestApi;
  let owner: string;

  const asOwner = (method: string, path: string, body?: unknown) =>
    api.request(method, `/api/v1${path}`, { token: owner, ...(body === undefined ? {} : { body }) });
  const withKey = (
    key: string,
    method: string,
    path: string,
    body?: unknown,
    header: 'bearer' | 'x-api-key' = 'bearer',
  ) =>
    api.request(method, `/api/v1${path}`, {
      ...(header === 'bearer' ? { token: key } : { headers: { 'x-api-key': key } }),
      ...(body === undefined ? {} : { body }),
    });
  const newKey = async (scopes: string[], extra: Record<string, unknown> = {}) => {
    const res = await asOwner('POST', '/api-keys', { name: 'Billing server', scopes, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data as { id: string; key: string; prefix: string; last4: string };
  };

  beforeAll(async () => {
    api = await startTestApi(get().db);
    owner = await api.signIn(testPhone(81));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('makes a key shown once, then lists it by its prefix and last four only', async () => {
    const made = await newKey(['tasks:*']);
    expect(made.key).toMatch(/^axk_test_[a-z0-9]{10}[A-Za-z0-9_-]{32}$/);
    expect(made.key.startsWith(made.prefix)).toBe(true);
    expect(made.key.endsWith(made.last4)).toBe(true);
    const listed = await asOwner('GET', '/api-keys');
    const found = listed.body.data.api_keys.find((k: { id: string }) => k.id === made.id);
    expect(found).toMatchObject({
      prefix: made.prefix,
      last4: made.last4,
      scopes: ['tasks:*'],
      revoked_at: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain(made.key);
  });

  it('calls as the business within its scopes, either header, and the audit log names the key', async () => {
    const { id, key } = await newKey(['tasks:*']);
    const created = await withKey(key, 'POST', '/tasks', { title: 'Send GST data to CA' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const listed = await withKey(key, 'GET', '/tasks', undefined, 'x-api-key');
    expect(listed.status).toBe(200);
    expect(listed.body.data.tasks.map((t: { title: string }) => t.title)).toContain('Send GST data to CA');
    const audit = await asOwner('GET', `/audit?entity=task&entity_id=${created.body.data.id}`);
    expect(audit.body.data.entries[0]).toMatchObject({ actor_type: 'api_key', actor_id: id, via: 'api' });
    const me = await withKey(key, 'GET', '/me');
    expect(me.status).toBe(200);
  });

  it('names the key in the audit log for what the Digital Employee does when asked by chat with it', async () => {
    const { id, key } = await newKey(['chat']);
    const turn = await withKey(key, 'POST', '/chat', {
      message: 'remind me to file GSTR-3B tomorrow at 11am',
    });
    expect(turn.status, JSON.stringify(turn.body)).toBe(200);
    const actions = turn.body.data.actions as { tool: string; result: { task?: { id: string } } }[];
    const taskId = actions.find((a) => a.tool === 'create_task')?.result.task?.id;
    expect(taskId, JSON.stringify(actions)).toBeTruthy();
    const audit = await asOwner('GET', `/audit?entity=task&entity_id=${taskId}`);
    expect(audit.body.data.entries[0]).toMatchObject({ actor_type: 'api_key', actor_id: id, via: 'api' });
  });

  it('refuses what is outside its scopes, naming the scope, and what only a person may do', async () => {
    const { key } = await newKey(['tasks:read']);
    const write = await withKey(key, 'POST', '/tasks', { title: 'x' });
    expect(write.status).toBe(403);
    expect(write.body.error).toMatchObject({
      code: 'insufficient_scope',
      message: 'This API key lacks the scope tasks:write.',
    });
    const followUps = await withKey(key, 'GET', '/follow-ups');
    expect(followUps.body.error.message).toBe('This API key lacks the scope follow-ups:read.');
    const statement = await api.request('POST', '/api/v1/connectors/bank-statement/import', {
      token: key,
      raw: 'Date,Narration,Amount\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(statement.body.error.code).toBe('insufficient_scope');
    const all = await newKey(['*']);
    for (const [method, path] of [
      ['GET', '/api-keys'],
      ['POST', '/api-keys'],
      ['GET', '/members'],
      ['GET', '/audit'],
    ] as const) {
      const res = await withKey(
        all.key,
        method,
        path,
        method === 'POST' ? { name: 'x', scopes: ['*'] } : undefined,
      );
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('insufficient_scope');
    }
  });

  it('stops a revoked, an expired and a tampered key at once', async () => {
    const { id, key } = await newKey(['*']);
    expect((await withKey(key, 'GET', '/tasks')).status).toBe(200);
    const tampered = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    expect((await withKey(tampered, 'GET', '/tasks')).body.error.code).toBe('invalid_api_key');
    expect((await asOwner('DELETE', `/api-keys/${id}`)).body.data.revoked_at).not.toBeNull();
    const revoked = await withKey(key, 'GET', '/tasks');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('invalid_api_key');
    const short = await newKey(['*'], { expires_at: new Date(Date.now() + 60_000).toISOString() });
    await get().db.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [
      short.id,
    ]);
    expect((await withKey(short.key, 'GET', '/tasks')).status).toBe(401);
    const past = await asOwner('POST', '/api-keys', {
      name: 'x',
      scopes: ['*'],
      expires_at: '2020-01-01T00:00:00Z',
    });
    expect(past.body.error.code).toBe('expiry_in_past');
  });

  it('keeps when a key was last used, and lets only owners manage keys', async () => {
    const { id, key } = await newKey(['tasks:read']);
    await withKey(key, 'GET', '/tasks');
    const listed = await asOwner('GET', '/api-keys');
    expect(listed.body.data.api_keys.find((k: { id: string }) => k.id === id).last_used_at).not.toBeNull();
    const member = await asOwner('POST', '/members', { phone: testPhone(82), name: 'Ravi' });
    expect(member.status, JSON.stringify(member.body)).toBe(201);
    const memberToken = await api.signIn(testPhone(82));
    const refused = await api.request('POST', '/api/v1/api-keys', {
      token: memberToken,
      body: { name: 'x', scopes: ['*'] },
    });
    expect(refused.status).toBe(403);
  });

  it('declares both schemes, and the scope each operation needs, in the OpenAPI document', async () => {
    const doc = (await api.request('GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'bearerAuth']);
    expect(doc.paths['/api/v1/tasks'].post.security).toEqual([
      { bearerAuth: [] },
      { apiKey: ['tasks:write'] },
    ]);
    expect(doc.paths['/api/v1/api-keys'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/api/v1/auth/otp/verify'].post.security).toEqual([]);
  });
});
