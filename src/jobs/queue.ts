import { fromPglite, type Db as JobDb, PgBoss } from 'pg-boss';
import type { Db, Queryable } from '../db/types.ts';

/**
 * pg-boss over the app's own database: the embedded PGlite instance through pg-boss's adapter, or a small
 * pool of its own on Postgres. Its tables live in the `pgboss` schema beside ours.
 */
export function openJobQueue(db: Db, superviseIntervalSeconds = 60): PgBoss {
  const common = {
    // pg-boss's own cron is off (node-cron is the clock); its supervisor finds jobs whose worker died.
    schedule: false,
    migrate: true,
    superviseIntervalSeconds,
    monitorIntervalSeconds: superviseIntervalSeconds,
    // A job inserted in any process wakes the workers of every process (LISTEN/NOTIFY), so idle workers
    // need not poll often. Its listener holds one connection on Postgres; PGlite's is in-process.
    useListenNotify: true,
    notifyHeartbeatIntervalMs: 30_000,
    // Nothing here uses flows or reads the instance registry: their timers would only cost idle CPU.
    flowIntervalSeconds: 3600,
    registerInstance: false,
  } as const;
  const boss =
    'pglite' in db.driver
      ? new PgBoss({ ...common, db: fromPglite(db.driver.pglite), backend: 'pglite' })
      : new PgBoss({ ...common, connectionString: db.driver.url, max: 4, application_name: 'axonbos-jobs' });
  return boss;
}

/**
 * Lets pg-boss write its jobs inside one of our transactions, so a row and the job that acts on it commit
 * together or not at all. Only for owner transactions: the tenant role cannot see pg-boss's schema.
 */
export const inTransaction = (tx: Queryable): JobDb => ({
  executeSql: async (text, values) => ({ rows: await tx.query(text, values) }),
});

export const QUEUES = {
  reminder: 'reminder',
  briefing: 'briefing',
  connectorSync: 'connector-sync',
} as const;

/** `expireInSeconds`: how long a fetched job may run before pg-boss hands it to another worker. */
export async function createQueues(boss: PgBoss, expireInSeconds = 120): Promise<void> {
  // A failed attempt retries with backoff; the row-level claim keeps retries from repeating a message.
  // `notify`: a job that can run at once NOTIFYs at commit, waking the workers of every process.
  const options = {
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds,
    notify: true,
  };
  // `short`: one queued job per singleton key, so two sweeps racing for a reminder queue it once.
  await boss.createQueue(QUEUES.reminder, { ...options, policy: 'short' });
  await boss.createQueue(QUEUES.briefing, options);
  // A sync reads a vendor at its rate: it may run long; its own heartbeat, not the job's expiry, tells when
  // its worker stopped. A failed run is not retried by the queue: the connection's next run goes on from it.
  const syncOptions = { ...options, retryLimit: 0, expireInSeconds: 6 * 3600 };
  await boss.createQueue(QUEUES.connectorSync, syncOptions);
  // createQueue leaves a queue that exists as it was; a deployment from before these options gets them here.
  for (const name of [QUEUES.reminder, QUEUES.briefing]) await boss.updateQueue(name, options);
  await boss.updateQueue(QUEUES.connectorSync, syncOptions);
}
