import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/domain/context.ts';
import { createTask } from '../../src/domain/tasks/service.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { actingAs } from '../support/business.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

// Three scheduler processes on one real Postgres over 1,000 reminders; one is killed mid-run.

const REMINDERS = 1000;
const WORKER = new URL('../support/reminder-worker.ts', import.meta.url).pathname;

interface Worker {
  child: ChildProcess;
  sent: { key: string; at: number }[];
  ready: Promise<void>;
  /** Settles once the process has ended and every line it printed has been read. */
  closed: Promise<void>;
}

function startWorker(url: string, onMessage: () => void): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const sent: Worker['sent'] = [];
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (line === 'ready') return resolve();
      sent.push(JSON.parse(line));
      onMessage();
    });
  });
  return { child, sent, ready, closed };
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('reminders across processes [postgres]', () => {
  let testDb: TestDb;
  let workers: Worker[] = [];

  beforeAll(async () => {
    testDb = await createTestDb('postgres');
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.closed));
    await testDb?.close();
  });

  it('fires each of 1,000 reminders exactly once, even when one process is killed mid-run', async () => {
    const { db, url } = testDb;
    if (!url) throw new Error('no url');
    const owner = await ensureOwner(db, '+919800000301', 'Asia/Kolkata');
    await db.query('UPDATE users SET briefing_enabled = false');
    const ctx: Ctx = actingAs(owner);

    let total = 0;
    let killAt: () => void = () => {};
    const halfway = new Promise<void>((resolve) => {
      killAt = resolve;
    });
    workers = [0, 1, 2].map(() =>
      startWorker(url, () => {
        total++;
        if (total === REMINDERS / 4) killAt();
      }),
    );
    await Promise.all(workers.map((w) => w.ready));

    // Spread over about 6 s, starting 2 s from now, created through the real domain service.
    const start = Date.now() + 2000;
    for (let i = 0; i < REMINDERS; i++) {
      const remind_at = new Date(start + Math.floor((i * 6000) / REMINDERS)).toISOString();
      await createTask(db, ctx, { title: `Reminder ${i}`, priority: 'medium', remind_at }, 'api');
    }

    await halfway;
    const victim = workers[0] as Worker;
    victim.child.kill('SIGKILL');
    await victim.closed;

    // Nothing emits across processes, so poll the database with a bounded deadline.
    const deadline = Date.now() + 90_000;
    let delivered = 0;
    while (Date.now() < deadline) {
      const [row] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM reminders WHERE delivered_at IS NOT NULL',
      );
      delivered = row?.n ?? 0;
      if (delivered === REMINDERS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(delivered).toBe(REMINDERS);

    // Fired exactly once: one claim, one audit entry and one event per reminder.
    const [fired] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM reminders WHERE status = 'fired'",
    );
    expect(fired?.n).toBe(REMINDERS);
    const perReminder = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'reminder.triggered' GROUP BY entity_id`,
    );
    expect(perReminder).toHaveLength(REMINDERS);
    expect(perReminder.every((r) => r.n === 1)).toBe(true);
    const [events] = await db.query<{ n: number; distinct: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT payload->>'entity_id')::int AS distinct
       FROM events WHERE type = 'reminder.triggered'`,
    );
    expect(events).toEqual({ n: REMINDERS, distinct: REMINDERS });

    // Stop the survivors first, so that every line they printed has been read.
    for (const w of workers.slice(1)) w.child.kill('SIGTERM');
    await Promise.all(workers.slice(1).map((w) => w.closed));

    // Every reminder reached the user; the survivors never repeated one, and a repeat of the killed
    // process's message can only be one it sent but could not record (its dedup key lets a channel drop it).
    const survivors = workers.slice(1).flatMap((w) => w.sent.map((s) => s.key));
    expect(new Set(survivors).size).toBe(survivors.length);
    const everyone = new Set([...survivors, ...victim.sent.map((s) => s.key)]);
    expect(everyone.size).toBe(REMINDERS);
    const shared = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM reminders WHERE late GROUP BY late',
    );
    // Work the killed process held was taken over; whatever came after its due time is marked late.
    const byWorker = workers.map((w) => w.sent.length);
    expect(byWorker.filter((n) => n > 0).length).toBe(3);
    expect(shared.length).toBeLessThanOrEqual(1);
  }, 180_000);
});
