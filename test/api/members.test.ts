import { afterAll, beforeAll, expect, it } from 'vitest';
import { callAs, expectError, signedIn, startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// The people of a business over real HTTP: owners add and remove members; members sign in with their own
// phone and work on the business's tasks. Each test uses its own owners (test phones 0–29), so its own
// businesses, in the suite's shared database.

interface Member {
  id: string;
  phone: string;
  name: string | null;
  role: 'owner' | 'member';
  created_at: string;
}

/** Real-looking numbers, not AUTH_TEST_PHONES: their codes go through the OTP sender, as a person's would. */
const realPhone = (n: number) => `+9198765${String(n).padStart(5, '0')}`;

describeEachDb('members API', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(get().db, { RATE_LIMIT_SELF_SERVICE: '1000', RATE_LIMIT_ANONYMOUS: '1000' });
  });
  afterAll(async () => {
    await api?.close();
  });

  const call = (token: string, method: string, path: string, body?: unknown) =>
    callAs(api, token)(method, path, body);
  const owner = (n: number) => signedIn(api, n);

  async function add(token: string, body: Record<string, unknown>): Promise<Member> {
    const res = await call(token, 'POST', '/members', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data;
  }

  /** The OTP flow a member goes through: a code sent to their phone, then verified. */
  async function signInWithCode(phone: string): Promise<string> {
    expect((await api.request('POST', '/api/v1/auth/otp/send', { body: { phone } })).status).toBe(200);
    const otp = api.sentCodes.get(phone);
    const res = await api.request('POST', '/api/v1/auth/otp/verify', { body: { phone, otp } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.access_token;
  }

  it('adds a member, who signs in with their own phone into this business and sees its tasks', async () => {
    const o = await owner(0);
    const ravi = await add(o.token, { phone: '98765 00001', name: ' Ravi Kumar ' });
    expect(ravi).toMatchObject({ phone: realPhone(1), name: 'Ravi Kumar', role: 'member' });
    expect(ravi.id).toMatch(/^usr_[0-9a-z]{22}$/);

    const token = await signInWithCode(realPhone(1));
    const me = await call(token, 'GET', '/me');
    expect(me.body.data).toMatchObject({
      user_id: ravi.id,
      tenant_id: o.tenantId,
      role: 'member',
      name: 'Ravi Kumar',
    });

    // The business's tasks and follow-ups are the team's.
    const task = await call(o.token, 'POST', '/tasks', { title: 'File GST returns', assignee_id: ravi.id });
    expect(task.status).toBe(201);
    const seen = await call(token, 'GET', '/tasks');
    expect(seen.body.data.tasks.map((t: { id: string }) => t.id)).toEqual([task.body.data.id]);
    const fu = await call(token, 'POST', '/follow-ups', {
      subject: 'Payment for invoice 1042',
      contact_name: 'Mehta Textiles',
      due_at: '2030-01-02T10:00:00+05:30',
    });
    expect(fu.status).toBe(201);
    const owners = await call(o.token, 'GET', '/follow-ups');
    expect(owners.body.data.follow_ups.map((f: { id: string }) => f.id)).toContain(fu.body.data.id);

    const audit = await call(o.token, 'GET', `/audit?entity_id=${ravi.id}`);
    expect(audit.body.data.entries).toEqual([
      expect.objectContaining({ action: 'member.added', actor_id: o.userId, after: ravi }),
    ]);
  });

  it('keeps member management to owners, and a member keeps away from owner settings', async () => {
    const o = await owner(1);
    await add(o.token, { phone: testPhone(2), name: 'Suresh' });
    const member = await api.signIn(testPhone(2));
    expect((await call(member, 'GET', '/me')).body.data.role).toBe('member');
    expectError(
      await call(member, 'POST', '/members', { phone: testPhone(40), name: 'X' }),
      403,
      'forbidden',
    );
    expectError(await call(member, 'GET', '/members'), 403, 'forbidden');
    expectError(await call(member, 'DELETE', `/members/${o.userId}`), 403, 'forbidden');
    expectError(await call(member, 'GET', '/audit'), 403, 'forbidden');
  });

  it('adds an owner when asked, and lists the team earliest first, a page at a time', async () => {
    const o = await owner(3);
    const partner = await add(o.token, { phone: testPhone(4), name: 'Anita', role: 'owner' });
    expect(partner.role).toBe('owner');
    await add(o.token, { phone: realPhone(5), name: 'Ravi' });
    const page1 = await call(o.token, 'GET', '/members?limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.meta).toMatchObject({ page: 1, limit: 2, total: 3 });
    expect(page1.body.data.members.map((m: Member) => m.id)).toEqual([o.userId, partner.id]);
    const page2 = await call(o.token, 'GET', '/members?limit=2&page=2');
    expect(page2.body.data.members.map((m: Member) => m.name)).toEqual(['Ravi']);
    // The partner is an owner: they can manage the team too.
    const partnerToken = await api.signIn(testPhone(4));
    expect((await call(partnerToken, 'GET', '/members')).body.meta.total).toBe(3);
  });

  it('refuses a bad phone, a duplicate in the team, and a phone of another business without naming it', async () => {
    const o = await owner(5);
    for (const phone of ['12345', 'abc', '+91 12', '']) {
      expectError(await call(o.token, 'POST', '/members', { phone, name: 'X' }), 400, 'validation_error');
    }
    expectError(await call(o.token, 'POST', '/members', { phone: realPhone(6) }), 400, 'validation_error');
    expectError(
      await call(o.token, 'POST', '/members', { phone: realPhone(6), name: 'X', role: 'boss' }),
      400,
      'validation_error',
    );
    await add(o.token, { phone: realPhone(6), name: 'Ravi' });
    expectError(
      await call(o.token, 'POST', '/members', { phone: '+91 98765 00006', name: 'Ravi again' }),
      409,
      'member_exists',
    );
    // The owner's own phone is in the team too.
    expectError(
      await call(o.token, 'POST', '/members', { phone: testPhone(5), name: 'Me' }),
      409,
      'member_exists',
    );

    const other = await owner(6);
    const taken = await call(o.token, 'POST', '/members', { phone: testPhone(6), name: 'Their owner' });
    expectError(taken, 409, 'phone_in_use');
    expect(JSON.stringify(taken.body)).not.toContain(other.tenantId);
    expect(JSON.stringify(taken.body)).not.toContain('My business');
    // Nothing was written for the refused ones.
    expect((await call(o.token, 'GET', '/members')).body.meta.total).toBe(2);
  });

  it('removes a member: their token stops at once, open tasks are unassigned (audited), the phone is free', async () => {
    const o = await owner(7);
    const ravi = await add(o.token, { phone: testPhone(8), name: 'Ravi' });
    const token = await api.signIn(testPhone(8));
    expect((await call(token, 'GET', '/me')).status).toBe(200);
    const open = (await call(o.token, 'POST', '/tasks', { title: 'Pay rent', assignee_id: ravi.id })).body
      .data;
    const done = (await call(o.token, 'POST', '/tasks', { title: 'Old job', assignee_id: ravi.id })).body
      .data;
    await call(o.token, 'POST', `/tasks/${done.id}/complete`);

    const removed = await call(o.token, 'DELETE', `/members/${ravi.id}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.data).toMatchObject({ id: ravi.id, removed: true, unassigned_task_ids: [open.id] });

    expectError(await call(token, 'GET', '/me'), 401, 'token_revoked');
    expect((await call(o.token, 'GET', `/tasks/${open.id}`)).body.data.assignee_id).toBeNull();
    // Finished work keeps who did it.
    expect((await call(o.token, 'GET', `/tasks/${done.id}`)).body.data.assignee_id).toBe(ravi.id);
    const taskAudit = await call(o.token, 'GET', `/audit?entity_id=${open.id}&action=task.updated`);
    expect(taskAudit.body.data.entries).toEqual([
      expect.objectContaining({
        actor_id: o.userId,
        before: expect.objectContaining({ assignee_id: ravi.id }),
        after: expect.objectContaining({ assignee_id: null }),
      }),
    ]);
    const audit = await call(o.token, 'GET', `/audit?entity_id=${ravi.id}&action=member.removed`);
    expect(audit.body.data.entries).toEqual([
      expect.objectContaining({
        before: ravi,
        after: expect.objectContaining({ unassigned_task_ids: [open.id] }),
      }),
    ]);
    expect((await call(o.token, 'GET', '/members')).body.data.members.map((m: Member) => m.id)).toEqual([
      o.userId,
    ]);
    // A removed member cannot be given work, nor removed twice.
    expectError(
      await call(o.token, 'PATCH', `/tasks/${open.id}`, { assignee_id: ravi.id }),
      400,
      'invalid_assignee',
    );
    expectError(await call(o.token, 'DELETE', `/members/${ravi.id}`), 404, 'member_not_found');

    // Their phone is free: signing in now starts a business of their own, with none of the old one's data.
    const fresh = await api.signIn(testPhone(8));
    const freshMe = (await call(fresh, 'GET', '/me')).body.data;
    expect(freshMe).toMatchObject({ role: 'owner' });
    expect(freshMe.tenant_id).not.toBe(o.tenantId);
    expect((await call(fresh, 'GET', '/tasks')).body.data.tasks).toEqual([]);
  });

  it('lets a removed member join another business, and the first owner add them back later', async () => {
    const a = await owner(9);
    const b = await owner(10);
    const first = await add(a.token, { phone: realPhone(11), name: 'Ravi' });
    expectError(
      await call(b.token, 'POST', '/members', { phone: realPhone(11), name: 'Ravi' }),
      409,
      'phone_in_use',
    );
    await call(a.token, 'DELETE', `/members/${first.id}`);
    const atB = await add(b.token, { phone: realPhone(11), name: 'Ravi' });
    const token = await signInWithCode(realPhone(11));
    expect((await call(token, 'GET', '/me')).body.data.tenant_id).toBe(b.tenantId);
    await call(b.token, 'DELETE', `/members/${atB.id}`);
    const back = await add(a.token, { phone: realPhone(11), name: 'Ravi' });
    expect(back.id).not.toBe(first.id);
  });

  it('never leaves a business without an owner', async () => {
    const o = await owner(11);
    expectError(await call(o.token, 'DELETE', `/members/${o.userId}`), 409, 'last_owner');
    expect((await call(o.token, 'GET', '/me')).status).toBe(200);

    // With a second owner, either may leave, but not both.
    const partner = await add(o.token, { phone: testPhone(12), name: 'Anita', role: 'owner' });
    const partnerToken = await api.signIn(testPhone(12));
    const left = await call(o.token, 'DELETE', `/members/${o.userId}`);
    expect(left.status).toBe(200);
    expectError(await call(o.token, 'GET', '/me'), 401, 'token_revoked');
    expectError(await call(partnerToken, 'DELETE', `/members/${partner.id}`), 409, 'last_owner');
  });

  it('answers 404 for a stranger or another business member, and 400 for a malformed id', async () => {
    const o = await owner(13);
    const other = await owner(14);
    expectError(await call(o.token, 'DELETE', `/members/${other.userId}`), 404, 'member_not_found');
    expectError(
      await call(o.token, 'DELETE', '/members/usr_0000000000zzzzzzzzzzzz'),
      404,
      'member_not_found',
    );
    expectError(await call(o.token, 'DELETE', '/members/nobody'), 400, 'validation_error');
    expect((await call(other.token, 'GET', '/me')).status).toBe(200);
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = (await api.request('GET', '/api/v1/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/v1/members'])).toEqual(['post', 'get']);
    expect(Object.keys(doc.paths['/api/v1/members/{id}'])).toEqual(['delete']);
    expect(doc.paths['/api/v1/members'].post.responses).toHaveProperty('409');
    expect(doc.components.schemas.MemberCreate.required).toEqual(['phone', 'name']);
  });
});

describeEachDb('members: removal reaches every process', (get) => {
  // Two apps on one database, as two processes would be; b keeps a checked session for a minute.
  let a: TestApi;
  let b: TestApi;
  beforeAll(async () => {
    a = await startTestApi(get().db);
    b = await startTestApi(get().db, { AUTH_SESSION_CACHE_MS: '60000' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("ends a removed member's session in the other process, which had kept it", async () => {
    const ownerToken = await a.signIn(testPhone(20));
    const added = await a.request('POST', '/api/v1/members', {
      token: ownerToken,
      body: { phone: testPhone(21), name: 'Ravi' },
    });
    const token = await b.signIn(testPhone(21));
    expect((await b.request('GET', '/api/v1/me', { token })).status).toBe(200);
    expect(
      (await a.request('DELETE', `/api/v1/members/${added.body.data.id}`, { token: ownerToken })).status,
    ).toBe(200);
    // Nothing signals across processes but the database (NOTIFY), so ask until it holds, bounded.
    const deadline = Date.now() + 10_000;
    while ((await b.request('GET', '/api/v1/me', { token })).status !== 401) {
      if (Date.now() > deadline) throw new Error('the other process never forgot the session');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
