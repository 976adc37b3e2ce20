import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSmsOtpSender } from '../../channels/sms/http-sms-sender.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createOtpService } from '../../src/domain/auth/otp.ts';
import { startTestApi, TEST_CODE, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// Real-looking numbers that are not AUTH_TEST_PHONES, so codes go through the sender.
const phone = (n: number) => `+9198450${String(n).padStart(5, '0')}`;

describeEachDb('auth: phone OTP', (get, kind) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(get().db);
  });
  afterAll(() => api.close());

  const send = (p: string) => api.request('POST', '/api/v1/auth/otp/send', { body: { phone: p } });
  const verify = (p: string, otp: string) =>
    api.request('POST', '/api/v1/auth/otp/verify', { body: { phone: p, otp } });
  // Moves a phone's codes into the past, so tests need not wait out the 30 s cool-down.
  const age = (p: string, seconds: number) =>
    get().db.query(
      `UPDATE otp_codes SET created_at = created_at - make_interval(secs => $2) WHERE phone = $1`,
      [p, seconds],
    );

  it('refuses a phone that is not E.164 with a clear 400', async () => {
    for (const bad of ['9845012345', '+91 98450 12345', '+0123456789', 'abc', '']) {
      const res = await send(bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.message).toMatch(/E\.164/);
    }
  });

  it('sends a 6-digit code, stores only its hash, and signs an unknown phone up as owner', async () => {
    const p = phone(1);
    const res = await send(p);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ sent: true, expires_in: 600, resend_after: 30 });
    const code = api.sentCodes.get(p);
    expect(code).toMatch(/^\d{6}$/);
    const [stored] = await get().db.query<{ code_hash: string }>(
      'SELECT code_hash FROM otp_codes WHERE phone = $1',
      [p],
    );
    expect(stored?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.code_hash).not.toContain(code);

    const ok = await verify(p, code as string);
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ token_type: 'bearer', expires_in: 86400 });
    expect(ok.body.data.access_token.split('.')).toHaveLength(3);

    const me = await api.request('GET', '/api/v1/me', { token: ok.body.data.access_token });
    expect(me.body.data).toMatchObject({
      phone: p,
      role: 'owner',
      plan: 'self_service',
      timezone: 'Asia/Kolkata',
    });
    const [tenant] = await get().db.query<{ plan: string }>('SELECT plan FROM tenants WHERE id = $1', [
      me.body.data.tenant_id,
    ]);
    expect(tenant?.plan).toBe('self_service');
  });

  it('a code works once', async () => {
    const p = phone(2);
    await send(p);
    const code = api.sentCodes.get(p) as string;
    expect((await verify(p, code)).status).toBe(200);
    const again = await verify(p, code);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('otp_invalid');
  });

  it('wrong, expired and exhausted codes get distinct codes', async () => {
    const p = phone(3);
    await send(p);
    const code = api.sentCodes.get(p) as string;
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await verify(p, wrong);
    expect(first.status).toBe(401);
    expect(first.body.error.code).toBe('otp_invalid');
    for (let i = 0; i < 3; i++) expect((await verify(p, wrong)).body.error.code).toBe('otp_invalid');
    const fifth = await verify(p, wrong);
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('otp_attempts_exceeded');
    // Even the right code is refused once the attempts are spent.
    expect((await verify(p, code)).body.error.code).toBe('otp_attempts_exceeded');

    const q = phone(4);
    await send(q);
    await get().db.query("UPDATE otp_codes SET expires_at = now() - interval '1 second' WHERE phone = $1", [
      q,
    ]);
    const expired = await verify(q, api.sentCodes.get(q) as string);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('otp_expired');
  });

  it('a phone that never asked for a code gets the same answer as a wrong code', async () => {
    const res = await verify(phone(5), '123456');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('otp_invalid');
  });

  it('enforces the 30 s cool-down and 5 sends per phone per hour', async () => {
    const p = phone(6);
    expect((await send(p)).status).toBe(200);
    const tooSoon = await send(p);
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.error.code).toBe('otp_cooldown');
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) {
      await age(p, 31);
      expect((await send(p)).status).toBe(200);
    }
    await age(p, 31);
    const sixth = await send(p);
    expect(sixth.status).toBe(429);
    expect(sixth.body.error.code).toBe('otp_rate_limited');
    // A newer code retires the older ones.
    const live = await get().db.query('SELECT 1 FROM otp_codes WHERE phone = $1 AND consumed_at IS NULL', [
      p,
    ]);
    expect(live).toHaveLength(1);
  });

  it('enforces 20 sends per IP per hour', async () => {
    await get().db.query("UPDATE otp_codes SET created_at = created_at - interval '2 hours'");
    for (let i = 0; i < 20; i++) expect((await send(phone(100 + i))).status).toBe(200);
    const res = await send(phone(200));
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('otp_rate_limited');
    await get().db.query("UPDATE otp_codes SET created_at = created_at - interval '2 hours'");
  });

  // Clients told apart by X-Forwarded-For, which the app believes from loopback (TRUST_PROXY).
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });
  const sendFrom = (ip: string, p: string) =>
    api.request('POST', '/api/v1/auth/otp/send', { body: { phone: p }, headers: from(ip) });
  const verifyFrom = (ip: string, p: string, otp: string) =>
    api.request('POST', '/api/v1/auth/otp/verify', { body: { phone: p, otp }, headers: from(ip) });
  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

  it("a stranger's sends and wrong codes do not lock the owner out", async () => {
    const p = phone(20);
    const stranger = '203.0.113.7';
    for (let i = 0; i < 5; i++) {
      await age(p, 31);
      expect((await sendFrom(stranger, p)).status).toBe(200);
    }
    await age(p, 31);
    expect((await sendFrom(stranger, p)).body.error.code).toBe('otp_rate_limited');
    // Every code went to the owner's phone; the stranger guesses.
    const code = api.sentCodes.get(p) as string;
    for (let i = 0; i < 4; i++) expect((await verifyFrom(stranger, p, wrongFor(code))).status).toBe(401);
    expect((await verifyFrom(stranger, p, wrongFor(code))).body.error.code).toBe('otp_attempts_exceeded');
    expect((await verifyFrom(stranger, p, code)).body.error.code).toBe('otp_attempts_exceeded');

    expect((await verifyFrom('198.51.100.20', p, code)).status).toBe(200);
  });

  it('a code dies after 10 wrong tries from everyone; a fresh code from a new send signs in', async () => {
    const p = phone(21);
    const owner = '198.51.100.21';
    // The stranger spends their five sends on the number; the owner's own are left.
    for (let i = 0; i < 5; i++) {
      await age(p, 31);
      expect((await sendFrom('203.0.113.8', p)).status).toBe(200);
    }
    const code = api.sentCodes.get(p) as string;
    for (const stranger of ['203.0.113.8', '203.0.113.9']) {
      for (let i = 0; i < 5; i++) await verifyFrom(stranger, p, wrongFor(code));
    }
    expect((await verifyFrom(owner, p, code)).body.error.code).toBe('otp_attempts_exceeded');
    await age(p, 31);
    expect((await sendFrom(owner, p)).status).toBe(200);
    expect((await verifyFrom(owner, p, api.sentCodes.get(p) as string)).status).toBe(200);
  });

  it('a client gets 20 wrong codes an hour, whatever the numbers', async () => {
    const guesser = '203.0.113.10';
    const numbers = [30, 31, 32, 33, 34].map(phone);
    for (const p of numbers) expect((await sendFrom('198.51.100.30', p)).status).toBe(200);
    for (const p of numbers.slice(0, 4)) {
      const code = api.sentCodes.get(p) as string;
      for (let i = 0; i < 5; i++) await verifyFrom(guesser, p, wrongFor(code));
    }
    const last = numbers[4] as string;
    const refused = await verifyFrom(guesser, last, api.sentCodes.get(last) as string);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('otp_rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await verifyFrom('198.51.100.30', last, api.sentCodes.get(last) as string)).status).toBe(200);
  });

  it('an IPv6 /56 is one client: its addresses share the budget of wrong codes', async () => {
    const p = phone(35);
    expect((await sendFrom('198.51.100.35', p)).status).toBe(200);
    const code = api.sentCodes.get(p) as string;
    for (let i = 1; i <= 4; i++) {
      expect((await verifyFrom(`2001:db8:0:${i}::1`, p, wrongFor(code))).body.error.code).toBe('otp_invalid');
    }
    expect((await verifyFrom('2001:db8:0:5::1', p, wrongFor(code))).body.error.code).toBe(
      'otp_attempts_exceeded',
    );
    expect((await verifyFrom('2001:db8:0:6::1', p, code)).body.error.code).toBe('otp_attempts_exceeded');
    expect((await verifyFrom('2001:db8:1:7::1', p, code)).status).toBe(200);
  });

  it('a test number obeys the same limits: wrong codes spend its code, sends cool down', async () => {
    const p = testPhone(50);
    const tester = '198.51.100.50';
    for (let i = 0; i < 4; i++) {
      expect((await verifyFrom(tester, p, '000000')).body.error.code).toBe('otp_invalid');
    }
    expect((await verifyFrom(tester, p, '000000')).body.error.code).toBe('otp_attempts_exceeded');
    expect((await verifyFrom(tester, p, TEST_CODE)).body.error.code).toBe('otp_attempts_exceeded');
    expect((await sendFrom(tester, p)).status).toBe(200);
    expect((await sendFrom(tester, p)).body.error.code).toBe('otp_cooldown');
    expect(api.sentCodes.has(p)).toBe(false);
    expect((await verifyFrom(tester, p, TEST_CODE)).status).toBe(200);
  });

  // Two sessions are needed to hold the sign-up lock while the code is checked: Postgres only.
  it.skipIf(kind === 'pglite')(
    'a test number being added as a member while it signs in lands in that business, once',
    async () => {
      const ownerToken = await api.signIn(testPhone(51));
      const owner = (await api.request('GET', '/api/v1/me', { token: ownerToken })).body.data;
      const p = testPhone(52);
      const holder = new pg.Client({ connectionString: get().url });
      await holder.connect();
      try {
        // As adding a member does: the sign-up lock, then the user row, committed a moment later.
        await holder.query('BEGIN');
        await holder.query("SELECT pg_advisory_xact_lock(hashtext('signup:' || $1))", [p]);
        await holder.query(
          "INSERT INTO users (id, tenant_id, phone, role) VALUES ('usr_joining000000000000000', $1, $2, 'member')",
          [owner.tenant_id, p],
        );
        const signingIn = verifyFrom('198.51.100.52', p, TEST_CODE);
        const waiting = async () => {
          await holder.query('SELECT pg_stat_clear_snapshot()');
          const { rows } = await holder.query(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
          );
          return rows.length > 0;
        };
        while (!(await waiting())) await new Promise<void>((resolve) => setImmediate(resolve));
        await holder.query('COMMIT');
        const res = await signingIn;
        expect(res.status).toBe(200);
        const me = await api.request('GET', '/api/v1/me', { token: res.body.data.access_token });
        expect(me.body.data).toMatchObject({ tenant_id: owner.tenant_id, role: 'member' });
      } finally {
        await holder.end();
      }
    },
  );

  it('logout revokes the token; bad, missing and expired tokens are refused', async () => {
    const token = await api.signIn(testPhone(0));
    expect((await api.request('GET', '/api/v1/tasks', { token })).status).toBe(200);
    const out = await api.request('POST', '/api/v1/auth/logout', { token });
    expect(out.body.data).toEqual({ logged_out: true });
    const after = await api.request('GET', '/api/v1/tasks', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('token_revoked');

    expect((await api.request('GET', '/api/v1/tasks')).body.error.code).toBe('unauthorized');
    expect((await api.request('GET', '/api/v1/tasks', { token: 'not.a.jwt' })).body.error.code).toBe(
      'invalid_token',
    );
    const [secret] = await get().db.query<{ value: string }>(
      "SELECT value FROM app_secrets WHERE name = 'jwt'",
    );
    const expired = await new SignJWT({ tid: 'ten_x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('usr_x')
      .setJti('ses_x')
      .setIssuer('axonbos')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(secret?.value));
    const res = await api.request('GET', '/api/v1/tasks', { token: expired });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('token_expired');
    const forged = await new SignJWT({ tid: 'ten_x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('usr_x')
      .setJti('ses_x')
      .setIssuer('axonbos')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-different-secret-of-enough-length-000'));
    expect((await api.request('GET', '/api/v1/tasks', { token: forged })).body.error.code).toBe(
      'invalid_token',
    );
  });

  it('the audit log is for owners only', async () => {
    const ownerToken = await api.signIn(testPhone(1));
    const me = await api.request('GET', '/api/v1/me', { token: ownerToken });
    await get().db.query(
      "INSERT INTO users (id, tenant_id, phone, role) VALUES ('usr_member0000000000000000', $1, $2, 'member')",
      [me.body.data.tenant_id, testPhone(2)],
    );
    const memberToken = await api.signIn(testPhone(2));
    const denied = await api.request('GET', '/api/v1/audit', { token: memberToken });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    const audit = await api.request('GET', '/api/v1/audit', { token: ownerToken });
    expect(audit.status).toBe(200);
    expect(audit.body.data.entries.map((e: { action: string }) => e.action)).toContain('tenant.signed_up');
  });
});

describeEachDb('auth: sessions kept by several processes', (get) => {
  // Two apps on one database, as two processes would be; b keeps a checked session for a minute, so
  // only the database's word (NOTIFY axon_sessions) can make it forget one in time.
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

  /** Asks until the answer holds: nothing signals across processes but the database, so poll, bounded. */
  async function eventually(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('the other process never caught up');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a logout in one process ends the session in the other, which had kept it', async () => {
    const token = await a.signIn(testPhone(30));
    expect((await b.request('GET', '/api/v1/me', { token })).status).toBe(200);
    expect((await a.request('POST', '/api/v1/auth/logout', { token })).status).toBe(200);
    // The process that logged out refuses at once.
    expect((await a.request('GET', '/api/v1/me', { token })).body.error.code).toBe('token_revoked');
    await eventually(async () => (await b.request('GET', '/api/v1/me', { token })).status === 401);
  });

  it('a change of plan reaches a kept session; a change of zone is seen at once where it was made', async () => {
    const token = await a.signIn(testPhone(31));
    const me = await b.request('GET', '/api/v1/me', { token });
    expect(me.body.data.rate_limit_per_minute).toBe(60);
    await get().db.query("UPDATE tenants SET plan = 'managed' WHERE id = $1", [me.body.data.tenant_id]);
    await eventually(
      async () => (await b.request('GET', '/api/v1/me', { token })).body.data.rate_limit_per_minute === 300,
    );

    expect((await a.request('GET', '/api/v1/my-day', { token })).body.data.timezone).toBe('Asia/Kolkata');
    await a.request('PATCH', '/api/v1/me', { token, body: { timezone: 'Asia/Dubai' } });
    expect((await a.request('GET', '/api/v1/my-day', { token })).body.data.timezone).toBe('Asia/Dubai');
  });
});

describeEachDb('auth: closed sign-up', (get) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(get().db, { ALLOW_SIGNUP: 'false' });
  });
  afterAll(() => api.close());

  it('answers an unknown phone exactly like a known one, delivers nothing, and never signs it in', async () => {
    const p = phone(900);
    const res = await api.request('POST', '/api/v1/auth/otp/send', { body: { phone: p } });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ sent: true, expires_in: 600, resend_after: 30 });
    expect(api.sentCodes.has(p)).toBe(false);
    const verify = await api.request('POST', '/api/v1/auth/otp/verify', {
      body: { phone: p, otp: '123456' },
    });
    expect(verify.body.error.code).toBe('otp_invalid');
    expect(await get().db.query('SELECT 1 FROM users WHERE phone = $1', [p])).toEqual([]);
  });
});

describeEachDb('auth: SMS delivery over HTTP', (get) => {
  let sms: Server;
  let received: { body: string; auth: string | undefined }[];
  let failNext = false;
  let sendVia: (p: string) => Promise<unknown>;
  beforeAll(async () => {
    received = [];
    sms = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ body, auth: req.headers['x-api-key'] as string | undefined });
        res.statusCode = failNext ? 500 : 202;
        res.end();
      });
    });
    await new Promise<void>((r) => sms.listen(0, '127.0.0.1', r));
    const port = (sms.address() as AddressInfo).port;
    const otp = createOtpService(
      get().db,
      httpSmsOtpSender({
        url: `http://127.0.0.1:${port}/sms`,
        template: '{"to":"{phone}","text":"Code {code}"}',
        authHeader: 'X-Api-Key: k1',
      }),
      { pepper: 'p'.repeat(32), allowSignup: true, defaultTimezone: 'Asia/Kolkata', testPhones: new Map() },
    );
    sendVia = (p) => otp.send(p, '10.0.0.1');
  });
  afterAll(async () => {
    await new Promise((r) => sms.close(r));
  });

  it('posts the templated JSON with the auth header', async () => {
    await sendVia(phone(700));
    const last = received.at(-1);
    expect(last?.auth).toBe('k1');
    const body = JSON.parse(last?.body ?? '{}');
    expect(body.to).toBe(phone(700));
    expect(body.text).toMatch(/^Code \d{6}$/);
  });

  it('a gateway failure is a clear otp_delivery_failed and the undelivered code cannot be used', async () => {
    failNext = true;
    await expect(sendVia(phone(701))).rejects.toMatchObject({
      code: 'otp_delivery_failed',
      kind: 'unavailable',
    });
    failNext = false;
    const live = await get().db.query('SELECT 1 FROM otp_codes WHERE phone = $1 AND consumed_at IS NULL', [
      phone(701),
    ]);
    expect(live).toEqual([]);
  });
});

describe('auth settings', () => {
  it('refuses AUTH_TEST_PHONES in production', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        AUTH_TEST_PHONES: '+919019922652:123456',
      }),
    ).toThrow(ConfigError);
  });

  it('refuses a malformed AUTH_TEST_PHONES entry', () => {
    expect(() => loadConfig({ AUTH_TEST_PHONES: '+919019922652:12' })).toThrow(/6-digit/);
  });

  it('accepts the documented example', () => {
    const config = loadConfig({ AUTH_TEST_PHONES: '+919019922652:123456' });
    expect(config.AUTH_TEST_PHONES.get('+919019922652')).toBe('123456');
  });
});
