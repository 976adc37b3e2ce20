import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// Idempotency-Key over real HTTP: a key means exactly once, crash or not, and nothing kept for replays
// carries a secret.

describeEachDb('Idempotency-Key', (get, kind) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(get().db, { WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (token: string, path: string, body: unknown, key: string) =>
    api.request('POST', `/api/v1${path}`, { token, body, headers: { 'Idempotency-Key': key } });
  const tasksTitled = async (title: string) =>
    get().db.query<{ id: string }>('SELECT id FROM tasks WHERE title = $1', [title]);

  it('a write whose answer could not be kept is undone, so the retry writes it once', async () => {
    const token = await api.signIn(testPhone(1));
    const { db } = get();
    // The step that keeps the answer fails, as a crash right after the write would leave it.
    await db.exec(`
      CREATE FUNCTION test_lose_answer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the process died before the answer was kept'; END $$;
      CREATE TRIGGER test_lose_answer BEFORE UPDATE OF status_code ON idempotency_keys
        FOR EACH ROW EXECUTE FUNCTION test_lose_answer();`);
    const body = { title: 'Renew the shop licence' };
    const lost = await post(token, '/tasks', body, 'crash-1');
    await db.exec('DROP TRIGGER test_lose_answer ON idempotency_keys; DROP FUNCTION test_lose_answer();');
    expect(lost.status).toBe(500);
    // The retry comes after a claim left open would count as abandoned.
    await db.query("UPDATE idempotency_keys SET created_at = created_at - interval '2 minutes'");

    const retry = await post(token, '/tasks', body, 'crash-1');
    expect(retry.status).toBe(201);
    const again = await post(token, '/tasks', body, 'crash-1');
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.data.id).toBe(retry.body.data.id);
    expect(await tasksTitled(body.title)).toEqual([{ id: retry.body.data.id }]);
  });

  // Two sessions are needed to hold the first request inside its write: Postgres only.
  it.skipIf(kind === 'pglite')(
    'the same key sent again while the first is still writing waits for it and gets its answer',
    async () => {
      const token = await api.signIn(testPhone(2));
      const body = { title: 'Pay the warehouse rent' };
      const holder = new pg.Client({ connectionString: get().url });
      await holder.connect();
      const waiting = async () => {
        // Inside a transaction the activity view is a snapshot taken once: look afresh each time.
        await holder.query('SELECT pg_stat_clear_snapshot()');
        const [row] = (
          await holder.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
          )
        ).rows;
        return row.n as number;
      };
      const until = async (done: () => Promise<boolean>) => {
        while (!(await done())) await new Promise<void>((resolve) => setImmediate(resolve));
      };
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE tasks IN EXCLUSIVE MODE');
        const first = post(token, '/tasks', body, 'while-writing');
        await until(async () => (await waiting()) >= 1);
        let secondDone = false;
        const second = post(token, '/tasks', body, 'while-writing').finally(() => {
          secondDone = true;
        });
        await until(async () => secondDone || (await waiting()) >= 2);
        await holder.query('COMMIT');
        const [a, b] = await Promise.all([first, second]);
        expect([a.status, b.status]).toEqual([201, 201]);
        expect(b.body.data.id).toBe(a.body.data.id);
        expect(await tasksTitled(body.title)).toHaveLength(1);
      } finally {
        await holder.end();
      }
    },
  );

  it('a sign-in is not replayed: the same key with a used code is refused', async () => {
    const phone = '+919845099001';
    expect((await api.request('POST', '/api/v1/auth/otp/send', { body: { phone } })).status).toBe(200);
    const body = { phone, otp: api.sentCodes.get(phone) };
    const headers = { 'Idempotency-Key': 'sign-in-once' };
    const first = await api.request('POST', '/api/v1/auth/otp/verify', { body, headers });
    expect(first.status).toBe(200);
    const replay = await api.request('POST', '/api/v1/auth/otp/verify', { body, headers });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('otp_invalid');
    expect(JSON.stringify(replay.body)).not.toContain(first.body.data.access_token);
  });

  it('a replayed webhook create or rotation returns the endpoint without its secret; none is kept', async () => {
    const token = await api.signIn(testPhone(3));
    const body = { url: 'http://127.0.0.1:9/hooks', events: ['task.created'] };
    const made = await post(token, '/webhooks', body, 'hook-1');
    expect(made.status).toBe(201);
    expect(made.body.data.secret).toMatch(/^whsec_/);
    const replay = await post(token, '/webhooks', body, 'hook-1');
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const { secret: _shownOnce, ...endpoint } = made.body.data;
    expect(replay.body.data).toEqual(endpoint);

    const rotate = `/webhooks/${endpoint.id}/rotate-secret`;
    const rotated = await post(token, rotate, undefined, 'rotate-1');
    expect(rotated.body.data.secret).toMatch(/^whsec_/);
    const rotatedAgain = await post(token, rotate, undefined, 'rotate-1');
    expect(rotatedAgain.headers.get('idempotent-replayed')).toBe('true');
    expect(rotatedAgain.body.data).not.toHaveProperty('secret');

    const kept = await get().db.query<{ response: string }>('SELECT response::text FROM idempotency_keys');
    expect(kept.length).toBeGreaterThan(0);
    for (const { response } of kept) {
      expect(response).not.toMatch(/whsec_|access_token/);
    }
  });
});
