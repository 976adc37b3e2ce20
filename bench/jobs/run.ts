/**
 * `npm run bench:jobs`: does the Digital Employee act on time? Three sections, printed side by side with
 * their targets (issue 6):
 *  1. reminders (./reminders.ts): lateness p50/p99 of 1,000 reminders due within one minute, created by
 *     createTask with remind_at, fired by the real scheduler (reminder clock at the due time → pg-boss
 *     job → worker), measured from due time to the notifier being called. Target: p99 ≤ 2 s.
 *  2. webhooks (./webhooks.ts, formerly bench/webhooks): commit → first attempt p50/p95/p99 at a steady
 *     pace, and deliveries per second for a burst, to a local receiver. Target: first attempt p95 ≤ 1 s.
 *  3. briefings (./briefings.ts): time to compose and queue 10,000 users' morning briefings, from the
 *     clock's tick to the notifier having been called for each. Target: under 60 s.
 * Runs webhooks first (the relay fans out every unrelayed event, so it gets a database without the other
 * sections' 2,000 events), then reminders, then briefings; prints in the order above.
 *
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database is created there and dropped at the
 * end, Ctrl-C included), else in-memory PGlite. DATABASE_POOL_SIZE (10). BENCH_SECTIONS
 * ("reminders,webhooks,briefings", any subset).
 * Reminders: BENCH_REMINDERS (1000), BENCH_REMINDER_BUSINESSES (100), BENCH_REMINDER_LEAD_S from set-up to
 * the window (20), BENCH_REMINDER_WINDOW_S (60), BENCH_REMINDER_SAME_SECOND_PCT due in the window's first
 * second (50), BENCH_REMINDER_GRACE_S wait after the window (30), BENCH_CREATE_CONCURRENCY (8).
 * Webhooks: BENCH_WEBHOOK_LATENCY_EVENTS (500), BENCH_WEBHOOK_GAP_MS (5), BENCH_WEBHOOK_BURST_EVENTS
 * (5000), BENCH_WEBHOOK_CONCURRENCY relay attempts in flight (32), BENCH_WEBHOOK_TIMEOUT_S per phase (120).
 * Briefings: BENCH_BRIEFING_USERS (10000), BENCH_BRIEFING_TIMEOUT_S (180).
 * Bounded: about 2–3 minutes on Postgres. Only 127.0.0.1 traffic. Prints figures only; it never fails on
 * a target.
 */
import { openDatabase } from '../../src/db/index.ts';
import { createLogger } from '../../src/log.ts';
import { benchKit, cleanupOnExit, freshDatabase, machine, runBench } from '../support.ts';
import { briefingOptions, runBriefingBench } from './briefings.ts';
import { reminderOptions, runReminderBench } from './reminders.ts';
import { runWebhookBench, webhookOptions } from './webhooks.ts';

const kit = benchKit('jobs');
const SECTIONS = ['reminders', 'webhooks', 'briefings'] as const;
type Section = (typeof SECTIONS)[number];

function sectionsEnv(): Set<Section> {
  const raw = process.env.BENCH_SECTIONS || SECTIONS.join(',');
  const picked = raw.split(',').map((s) => s.trim());
  const bad = picked.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (bad.length === 0 && picked.length > 0) return new Set(picked as Section[]);
  process.stderr.write(
    `${kit.label}: BENCH_SECTIONS must be a subset of "${SECTIONS.join(',')}", got "${raw}"\n`,
  );
  process.exit(2);
}

const RUN = sectionsEnv();
const POOL_SIZE = kit.intEnv('DATABASE_POOL_SIZE', 10, 1);
const reminders = reminderOptions(kit);
const webhooks = webhookOptions(kit);
const briefings = briefingOptions(kit);

async function main(): Promise<void> {
  let stopping = false;
  const database = await freshDatabase(kit);
  const cleanups = cleanupOnExit(kit, database, () => {
    stopping = true;
  });
  const isStopping = () => stopping;
  try {
    kit.progress(`opening ${database.describe}`);
    const db = await openDatabase(
      {
        ...database.settings,
        DATABASE_POOL_SIZE: database.kind === 'pglite' ? 1 : POOL_SIZE,
      },
      createLogger('warn'),
    );
    cleanups.add(() => db.close());
    const [version] = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");

    const out = new Map<Section, string[]>();
    if (RUN.has('webhooks') && !stopping) {
      out.set('webhooks', (await runWebhookBench(kit, db, database, webhooks, isStopping)).lines);
    }
    if (RUN.has('reminders') && !stopping) {
      out.set('reminders', (await runReminderBench(kit, db, database, reminders, isStopping)).lines);
    }
    if (RUN.has('briefings') && !stopping) {
      out.set('briefings', (await runBriefingBench(kit, db, database, briefings, isStopping)).lines);
    }
    if (stopping) return;

    const lines = [
      'AxonBOS jobs bench: reminders, webhook deliveries, morning briefings (issue 6)',
      `machine      ${machine()}; one Node process, Postgres ${version?.v ?? '?'} on the same machine; ` +
        `app pool ${database.kind === 'pglite' ? 1 : POOL_SIZE}`,
    ];
    const titles: Record<Section, string> = {
      reminders: `1. reminders: ${reminders.reminders} due within ${reminders.windowS} s (target p99 ≤ 2 s)`,
      webhooks: '2. webhooks: commit → first attempt, and deliveries/s (target p95 ≤ 1 s)',
      briefings: `3. briefings: compose and queue ${briefings.users} users' (target 10,000 in under 60 s)`,
    };
    for (const s of SECTIONS) {
      const section = out.get(s);
      if (!section) continue;
      lines.push('', titles[s], ...section.map((l) => (l === '' ? '' : `   ${l}`)));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    kit.progress('cleaning up');
    await cleanups.run();
  }
}

runBench(kit, main);
