import type { PgBoss } from 'pg-boss';
import type { ConnectorRuntime } from '../connectors/runtime.ts';
import { runSync } from '../connectors/sync-engine.ts';
import { queueRun, type RunRow } from '../domain/connections/repo.ts';
import type { Notifier } from '../domain/notifier.ts';
import type { Logger } from '../log.ts';
import { connectorDisconnectedText } from './messages.ts';
import { QUEUES } from './queue.ts';
import { eachRow } from './sweep.ts';

/**
 * The connectors' clock: it queues a run for each connection whose time has come, takes over runs whose
 * worker stopped (no heartbeat for a while: the new run resumes from the last saved page), and hands queued
 * runs to the job queue, whose workers run them. It sleeps until the next connection is due, and a run
 * queued anywhere (connect, sync now) wakes it at commit (NOTIFY axon_sync_runs).
 */

export const SYNC_RUNS_CHANNEL = 'axon_sync_runs';

/** A running run with no page saved for this long lost its worker. */
const STALE_SECONDS = 600;
/** A run handed to the queue this long ago and still queued is handed over again. */
const REDISPATCH_SECONDS = 600;
const BATCH = 500;

export interface SyncJob {
  runId: string;
}

export interface ConnectorJobDeps {
  runtime: ConnectorRuntime;
  boss: PgBoss;
  notifier: Notifier;
  logger: Logger;
  /** Wakes this process's sync workers once runs are handed over. */
  wakeWorkers?: () => void;
}

export async function connectorClockRun(deps: ConnectorJobDeps): Promise<Date | null> {
  await interruptStaleRuns(deps);
  await queueDueConnections(deps);
  await dispatchQueuedRuns(deps);
  const [next] = await deps.runtime.db.query<{ at: Date | null }>(
    `SELECT least(
       (SELECT min(next_sync_at) FROM connections WHERE status <> 'disconnected'),
       (SELECT min(heartbeat_at) + make_interval(secs => $1) FROM sync_runs WHERE status = 'running'),
       (SELECT min(dispatched_at) + make_interval(secs => $2) FROM sync_runs WHERE status = 'queued')
     ) AS at`,
    [STALE_SECONDS, REDISPATCH_SECONDS],
  );
  return next?.at ? new Date(next.at) : null;
}

async function interruptStaleRuns(deps: ConnectorJobDeps): Promise<void> {
  const { db } = deps.runtime;
  const stale = await db.query<{ id: string; tenant_id: string; connection_id: string; scheduled: boolean }>(
    `UPDATE sync_runs r SET status = 'interrupted', finished_at = now(),
       error = 'the worker stopped; the next run goes on from the last saved page'
     WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => $1)
     RETURNING id, tenant_id, connection_id,
       (SELECT c.next_sync_at IS NOT NULL FROM connections c WHERE c.id = r.connection_id) AS scheduled`,
    [STALE_SECONDS],
  );
  // A bridge that went quiet starts its own next run when it comes back.
  await eachRow(
    stale.filter((r) => r.scheduled),
    async (r) => {
      await db.tenant(r.tenant_id, (tx) =>
        queueRun(tx, { tenantId: r.tenant_id, connectionId: r.connection_id }, 'schedule'),
      );
    },
    (r, err) => deps.logger.error({ err, runId: r.id }, 'an interrupted sync could not be queued again'),
  );
}

async function queueDueConnections(deps: ConnectorJobDeps): Promise<void> {
  const { db } = deps.runtime;
  for (;;) {
    const due = await db.query<{ id: string; tenant_id: string }>(
      `SELECT id, tenant_id FROM connections
       WHERE status <> 'disconnected' AND next_sync_at <= now() ORDER BY next_sync_at LIMIT $1`,
      [BATCH],
    );
    const failed: string[] = [];
    await eachRow(
      due,
      async (c) => {
        await db.tenant(c.tenant_id, async (tx) => {
          await queueRun(tx, { tenantId: c.tenant_id, connectionId: c.id }, 'schedule');
          await tx.query(
            'UPDATE connections SET next_sync_at = now() + make_interval(mins => frequency_minutes) WHERE id = $1',
            [c.id],
          );
        });
      },
      (c, err) => {
        failed.push(c.id);
        deps.logger.error({ err, connectionId: c.id }, 'a due sync could not be queued; trying again later');
      },
    );
    // One that cannot be queued must not hold the clock on itself.
    if (failed.length > 0) {
      await db.query(
        "UPDATE connections SET next_sync_at = now() + interval '5 minutes' WHERE id = ANY($1)",
        [failed],
      );
    }
    if (due.length < BATCH) return;
  }
}

async function dispatchQueuedRuns(deps: ConnectorJobDeps): Promise<void> {
  const { db } = deps.runtime;
  const queued = await db.query<{ id: string }>(
    `SELECT id FROM sync_runs
     WHERE status = 'queued' AND (dispatched_at IS NULL OR dispatched_at < now() - make_interval(secs => $1))
     ORDER BY created_at LIMIT $2`,
    [REDISPATCH_SECONDS, BATCH],
  );
  const sent = await eachRow(
    queued,
    async (r) => {
      await deps.boss.send(QUEUES.connectorSync, { runId: r.id } satisfies SyncJob, { singletonKey: r.id });
      await db.query('UPDATE sync_runs SET dispatched_at = now() WHERE id = $1', [r.id]);
    },
    (r, err) => deps.logger.error({ err, runId: r.id }, 'a sync run could not be handed to the queue'),
  );
  if (sent > 0) deps.wakeWorkers?.();
}

/** A worker's job: the run, start to end (a run another worker holds, or one that ended, is left alone). */
export async function runSyncJob(deps: ConnectorJobDeps, job: SyncJob): Promise<void> {
  const run = await runSync(deps.runtime, job.runId);
  if (!run) return;
  if (run.status === 'failed') await tellOwnersIfDisconnected(deps, run);
  deps.logger.info({ runId: run.id, status: run.status, counts: run.counts }, 'sync run ended');
}

/** The owners hear it on their channel when this run found the credentials refused (once per incident). */
async function tellOwnersIfDisconnected(deps: ConnectorJobDeps, run: RunRow): Promise<void> {
  const [c] = await deps.runtime.db.query<{ connector: string; disconnected_at: Date }>(
    `SELECT connector, disconnected_at FROM connections
     WHERE id = $1 AND status = 'disconnected' AND disconnected_at >= $2`,
    [run.connection_id, run.started_at],
  );
  if (!c) return;
  const name = deps.runtime.connector(c.connector)?.manifest.name ?? c.connector;
  const owners = await deps.runtime.db.query<{ id: string }>(
    "SELECT id FROM users WHERE tenant_id = $1 AND role = 'owner' AND removed_at IS NULL",
    [run.tenant_id],
  );
  await eachRow(
    owners,
    async (o) => {
      await deps.notifier.notify({
        tenantId: run.tenant_id,
        userId: o.id,
        text: connectorDisconnectedText(name, c.connector),
        dedupKey: `connector-disconnected:${run.connection_id}:${new Date(c.disconnected_at).toISOString()}`,
      });
    },
    (o, err) =>
      deps.logger.error({ err, userId: o.id }, 'an owner could not be told of a disconnected connector'),
  );
}
