import { openPostgres } from '../../src/db/postgres.ts';
import { startScheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/log.ts';

/**
 * One AxonBOS scheduler process for the multi-process tests: real node-cron, real pg-boss, real Postgres.
 * Prints `ready`, then one JSON line per message it sends; stops cleanly on SIGTERM.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
const db = openPostgres(url, 5, logger);
const scheduler = await startScheduler(
  {
    db,
    logger,
    notifier: {
      async notify(n) {
        process.stdout.write(`${JSON.stringify({ pid: process.pid, key: n.dedupKey, at: Date.now() })}\n`);
        return { via: 'log', delivered: true };
      },
    },
  },
  {
    jobExpireSeconds: 3,
    superviseIntervalSeconds: 1,
    // Jobs a killed process held come back by expiry, which wakes no one: survivors look every second.
    backstopSeconds: 1,
    // Long enough that a healthy but slow delivery under a loaded CI is never taken for a dead one.
    redeliverAfterSeconds: 10,
    redeliverCron: '* * * * * *',
  },
);
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  scheduler
    .stop()
    .then(() => db.close())
    .then(() => process.exit(0));
});
