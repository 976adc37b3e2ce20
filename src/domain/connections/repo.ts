import type { Queryable } from '../../db/types.ts';
import { newId } from '../ids.ts';

/** Connections, the cursors of their streams and their sync runs: rows only, inside the caller's transaction. */

export type ConnectionStatus = 'connected' | 'syncing' | 'error' | 'disconnected';

export interface ConnectionRow {
  id: string;
  tenant_id: string;
  connector: string;
  status: ConnectionStatus;
  config: Record<string, unknown>;
  key_version: number;
  wrapped_key: string;
  credentials: string;
  webhook_token: string;
  /** SHA-256 of the bridge's token (bridged connectors), hex. */
  bridge_token_hash: string | null;
  frequency_minutes: number;
  next_sync_at: Date | null;
  last_synced_at: Date | null;
  error: string | null;
  disconnected_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted';
export type RunTrigger = 'connect' | 'schedule' | 'manual' | 'bridge';

export interface StreamCounts {
  added: number;
  updated: number;
  deleted: number;
  rejected: number;
  pages: number;
}

export interface RunRow {
  id: string;
  tenant_id: string;
  connection_id: string;
  status: RunStatus;
  trigger: RunTrigger;
  streams: string[] | null;
  reset: boolean;
  counts: Record<string, StreamCounts>;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  heartbeat_at: Date | null;
  finished_at: Date | null;
}

export interface StreamState {
  cursor: Record<string, unknown> | null;
  pass: string | null;
}

export async function getConnection(tx: Queryable, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await tx.query<ConnectionRow>('SELECT * FROM connections WHERE id = $1', [id]);
  return row;
}

/** A run waiting or running for the connection, else a new queued one: never two at once. */
export async function queueRun(
  tx: Queryable,
  c: { tenantId: string; connectionId: string },
  trigger: RunTrigger,
  options: { streams?: string[] | undefined; reset?: boolean | undefined } = {},
): Promise<{ run: RunRow; queued: boolean }> {
  const [created] = await tx.query<RunRow>(
    `INSERT INTO sync_runs (id, tenant_id, connection_id, status, trigger, streams, reset)
     VALUES ($1, $2, $3, 'queued', $4, $5, $6)
     ON CONFLICT (connection_id) WHERE status IN ('queued', 'running') DO NOTHING
     RETURNING *`,
    [newId('run'), c.tenantId, c.connectionId, trigger, options.streams ?? null, options.reset ?? false],
  );
  if (created) return { run: created, queued: true };
  const [active] = await tx.query<RunRow>(
    "SELECT * FROM sync_runs WHERE connection_id = $1 AND status IN ('queued', 'running')",
    [c.connectionId],
  );
  if (!active) throw new Error('a sync run was neither queued nor found active');
  return { run: active, queued: false };
}

/** Takes a queued run to running; undefined when another worker has it or it ended. */
export async function startRun(tx: Queryable, runId: string): Promise<RunRow | undefined> {
  const [run] = await tx.query<RunRow>(
    `UPDATE sync_runs SET status = 'running', started_at = now(), heartbeat_at = now()
     WHERE id = $1 AND status = 'queued' RETURNING *`,
    [runId],
  );
  return run;
}

export async function streamStates(tx: Queryable, connectionId: string): Promise<Map<string, StreamState>> {
  const rows = await tx.query<{ stream: string } & StreamState>(
    'SELECT stream, cursor, pass FROM connection_streams WHERE connection_id = $1',
    [connectionId],
  );
  return new Map(rows.map((r) => [r.stream, { cursor: r.cursor, pass: r.pass }]));
}

/** After a page: where the stream has read to, and the run's counts for it (its heartbeat too). */
export async function savePage(
  tx: Queryable,
  run: { id: string; tenantId: string; connectionId: string },
  stream: string,
  state: StreamState,
  delta: StreamCounts,
): Promise<void> {
  await tx.query(
    `WITH saved AS (
       INSERT INTO connection_streams (connection_id, tenant_id, stream, cursor, pass) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (connection_id, stream) DO UPDATE SET cursor = excluded.cursor, pass = excluded.pass
     )
     UPDATE sync_runs SET heartbeat_at = now(), counts = jsonb_set(counts, ARRAY[$3::text], (
       SELECT jsonb_object_agg(k, coalesce((counts -> $3 ->> k)::int, 0) + (($7::jsonb) ->> k)::int)
       FROM jsonb_object_keys($7::jsonb) AS k))
     WHERE id = $6`,
    [run.connectionId, run.tenantId, stream, state.cursor, state.pass, run.id, JSON.stringify(delta)],
  );
}

export async function finishRun(tx: Queryable, runId: string, status: RunStatus, error: string | null) {
  await tx.query(
    `UPDATE sync_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1 AND status = 'running'`,
    [runId, status, error],
  );
}

export async function setConnectionStatus(
  tx: Queryable,
  connectionId: string,
  change: { status: ConnectionStatus; error?: string | null; synced?: boolean; nextSyncInMinutes?: number },
  /** Only from this status: a run ending does not undo the owner disconnecting meanwhile. */
  from?: ConnectionStatus,
): Promise<ConnectionRow | undefined> {
  const [row] = await tx.query<ConnectionRow>(
    `UPDATE connections SET status = $2, error = $3, updated_at = now(),
       last_synced_at = CASE WHEN $4 THEN now() ELSE last_synced_at END,
       next_sync_at = CASE WHEN $5::int IS NULL THEN next_sync_at ELSE now() + make_interval(mins => $5::int) END,
       disconnected_at = CASE $2 WHEN 'disconnected' THEN coalesce(disconnected_at, now())
                                   WHEN 'connected' THEN NULL ELSE disconnected_at END
     WHERE id = $1 AND ($6::text IS NULL OR status = $6) RETURNING *`,
    [
      connectionId,
      change.status,
      change.error ?? null,
      change.synced ?? false,
      change.nextSyncInMinutes ?? null,
      from ?? null,
    ],
  );
  return row;
}

export interface NewConnection {
  id: string;
  tenantId: string;
  connector: string;
  config: Record<string, unknown>;
  sealed: { keyVersion: number; wrappedKey: string; ciphertext: string };
  webhookToken: string;
  frequencyMinutes: number;
  /** False for a connection whose records are pushed (a bridge, files): the server never reads it. */
  scheduled?: boolean;
}

export async function insertConnection(tx: Queryable, c: NewConnection): Promise<ConnectionRow> {
  const [row] = await tx.query<ConnectionRow>(
    `INSERT INTO connections (id, tenant_id, connector, status, config, key_version, wrapped_key, credentials,
                              webhook_token, frequency_minutes, next_sync_at)
     VALUES ($1, $2, $3, 'connected', $4, $5, $6, $7, $8, $9,
             CASE WHEN $10 THEN now() + make_interval(mins => $9::int) END)
     RETURNING *`,
    [
      c.id,
      c.tenantId,
      c.connector,
      c.config,
      c.sealed.keyVersion,
      c.sealed.wrappedKey,
      c.sealed.ciphertext,
      c.webhookToken,
      c.frequencyMinutes,
      c.scheduled ?? true,
    ],
  );
  if (!row) throw new Error('connection not stored');
  return row;
}
