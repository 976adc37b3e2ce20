import type { Queryable } from '../db/types.ts';
import type { ObjectName } from '../domain/business/objects.ts';
import {
  linkParties,
  markUnseenDeleted,
  refreshStatistics,
  type Source,
  settleOutstanding,
  upsertRecords,
} from '../domain/business/records.ts';
import { announceSettled, markHistoryAnnounced, settles } from '../domain/business/settled.ts';
import {
  type ConnectionRow,
  finishRun,
  getConnection,
  type RunRow,
  type StreamCounts,
  type StreamState,
  savePage,
  setConnectionStatus,
  startRun,
  streamStates,
} from '../domain/connections/repo.ts';
import { emitEvent } from '../domain/events.ts';
import { ConnectorAuthError } from './errors.ts';
import { type ConnectorRuntime, type CredentialStore, contextFor } from './runtime.ts';
import type { Connector, ConnectorContext, StreamPage, StreamSpec } from './types.ts';
import { type Binding, sealedOf } from './vault.ts';

/**
 * One sync run of one connection. Each stream is read page by page; a page's records, the stream's cursor
 * after them and the run's counts commit in one tenant transaction, so a crash or restart resumes after the
 * last page saved and never loses or doubles a record. Memory holds one page at a time. A full stream that
 * tracks deletes marks what it did not see only after reading to its end (never after a failed or cut-short
 * read). Refused credentials disconnect the connection (announced once per incident); anything else is an
 * error to retry at the next run. Nothing is deleted when a connection breaks.
 */

/** Above this, a misfit record's reason is logged as a count only. */
const LOGGED_REJECTS = 5;
/** A failed connection is tried again sooner than its frequency, but not at once. */
const RETRY_AFTER_MINUTES = 5;
/**
 * A run that added this many rows to a table has its statistics refreshed as it ends, as after any bulk
 * load: until autovacuum catches up, the planner would take the table for the near-empty one it was.
 */
const BULK_ROWS = 5000;

/**
 * The vendor's next page is asked for while this one is being stored: a sync waits on the vendor or the
 * database, not on both in turn. At most two pages are in memory.
 */
async function* prefetched<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const pages = source[Symbol.asyncIterator]();
  let next = pages.next();
  try {
    for (;;) {
      const page = await next;
      if (page.done) return;
      next = pages.next();
      // Its failure is met when it is awaited, after this page is stored.
      next.catch(() => {});
      yield page.value;
    }
  } finally {
    await pages.return?.();
  }
}

const readRun = async (tx: Queryable, id: string) =>
  (await tx.query<RunRow>('SELECT * FROM sync_runs WHERE id = $1', [id]))[0];

const zero = (): StreamCounts => ({ added: 0, updated: 0, deleted: 0, rejected: 0, pages: 0 });

/** What a caller watching a run is told: after each page is saved. */
export interface SyncWatch {
  signal?: AbortSignal;
  onPage?: (stream: string, page: StreamCounts) => void;
}

export async function runSync(
  runtime: ConnectorRuntime,
  runId: string,
  watch: SyncWatch = {},
): Promise<RunRow | undefined> {
  const { db } = runtime;
  // Which business the run is for: the one read made before its tenant is known, so as the owner role.
  const [owner] = await db.query<{ tenant_id: string; timezone: string }>(
    `SELECT r.tenant_id, coalesce(axon_zone(t.timezone), 'Asia/Kolkata') AS timezone
       FROM sync_runs r JOIN tenants t ON t.id = r.tenant_id WHERE r.id = $1`,
    [runId],
  );
  if (!owner) return undefined;
  const tenantId = owner.tenant_id;
  const begun = await db.tenant(tenantId, async (tx) => {
    const run = await startRun(tx, runId);
    const connection = run && (await getConnection(tx, run.connection_id));
    if (!run || !connection) return undefined;
    const reader = runtime.connector(connection.connector);
    const settings = reader?.manifest.config.safeParse(connection.config);
    if (reader && settings?.success && reader.pushed?.(settings.data)) {
      // Its records come from its bridge or as files: there is nothing here to read.
      await finishRun(
        tx,
        run.id,
        'failed',
        `${reader.manifest.name} sends its records itself; nothing to read`,
      );
      return { ended: await readRun(tx, run.id) };
    }
    if (connection.status === 'disconnected') {
      // Its credentials were refused or forgotten: nothing to read with until the owner reconnects.
      await finishRun(tx, run.id, 'failed', 'the connection is disconnected; reconnect it first');
      return { ended: await readRun(tx, run.id) };
    }
    await setConnectionStatus(tx, connection.id, { status: 'syncing', error: connection.error });
    return { run, connection };
  });
  if (!begun || 'ended' in begun) return begun?.ended;
  const { run, connection } = begun;
  const connector = runtime.connector(connection.connector);
  const source: Source = { connectionId: connection.id, tenantId, connector: connection.connector };

  let failure: unknown;
  try {
    if (!connector) throw new Error(`no connector ${connection.connector} in this version`);
    const credentials = connector.manifest.credentials.parse(
      runtime.vault.open({ tenantId, connectionId: connection.id }, sealedOf(connection)),
    );
    const ctx = contextFor(runtime, connector, {
      config: connector.manifest.config.parse(connection.config),
      credentials,
      timezone: owner.timezone,
      store: credentialStore(runtime, connector, { tenantId, connectionId: connection.id }),
      ...(watch.signal && { signal: watch.signal }),
    });
    const states = run.reset
      ? new Map<string, StreamState>()
      : await db.tenant(tenantId, (tx) => streamStates(tx, connection.id));
    // History, not news: a connection's first sync announces nothing it finds settled.
    const announce = connection.last_synced_at !== null;
    const wanted = connector.manifest.streams.filter((s) => !run.streams || run.streams.includes(s.name));
    const added = new Map<ObjectName, number>();
    for (const stream of wanted) {
      const count = await readStream(runtime, {
        run,
        source,
        connector,
        ctx,
        stream,
        state: states.get(stream.name),
        announce,
        onPage: watch.onPage,
      });
      added.set(stream.object, (added.get(stream.object) ?? 0) + count);
    }
    await wrapUp(runtime, connection, added);
  } catch (err) {
    failure = err;
  }
  return settle(runtime, run, connection, failure);
}

/**
 * After every stream was read: fresh statistics for a table a bulk load filled, parties linked to what
 * names them, and a first sync's history marked as announced.
 */
export async function wrapUp(
  runtime: ConnectorRuntime,
  connection: ConnectionRow,
  added: ReadonlyMap<ObjectName, number>,
): Promise<void> {
  const loaded = [...added].flatMap(([object, count]) => (count >= BULK_ROWS ? [object] : []));
  if (loaded.length > 0) await runtime.db.transaction((tx) => refreshStatistics(tx, loaded));
  await runtime.db.tenant(connection.tenant_id, async (tx) => {
    await linkParties(tx, connection.id, connection.last_synced_at);
    if (connection.last_synced_at === null) await markHistoryAnnounced(tx, connection.id);
  });
}

/**
 * Refreshed credentials, sealed back into the connection so every process reuses them. The advisory lock
 * (per connection, held to the transaction's end) keeps two processes from refreshing at once; whoever
 * waited reads what the other stored and uses it while it is fresh.
 */
export function credentialStore(
  runtime: ConnectorRuntime,
  connector: Connector,
  binding: Binding,
): CredentialStore {
  return {
    refresh: (current, mint) =>
      runtime.db.tenant(binding.tenantId, async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('connector credentials'), hashtext($1))", [
          binding.connectionId,
        ]);
        const [row] = await tx.query<Pick<ConnectionRow, 'key_version' | 'wrapped_key' | 'credentials'>>(
          'SELECT key_version, wrapped_key, credentials FROM connections WHERE id = $1',
          [binding.connectionId],
        );
        if (!row) throw new Error('the connection is gone');
        const stored = runtime.vault.open(binding, sealedOf(row));
        const refreshedElsewhere = JSON.stringify(stored) !== JSON.stringify(current);
        if (refreshedElsewhere && !connector.stale?.(stored, runtime.now())) return stored;
        const fresh = await mint(stored);
        const sealed = runtime.vault.seal(binding, fresh);
        await tx.query(
          'UPDATE connections SET key_version = $2, wrapped_key = $3, credentials = $4, updated_at = now() WHERE id = $1',
          [binding.connectionId, sealed.keyVersion, sealed.wrappedKey, sealed.ciphertext],
        );
        return fresh;
      }),
  };
}

interface StreamRead {
  run: RunRow;
  source: Source;
  connector: Connector;
  ctx: ConnectorContext;
  stream: StreamSpec;
  state: StreamState | undefined;
  announce: boolean;
  onPage: SyncWatch['onPage'];
}

/** A full read keeps the run that began it across a resume, so what it saw before the crash still counts. */
export const passOf = (stream: StreamSpec, state: StreamState | undefined, runId: string) =>
  stream.mode === 'full' ? (state?.pass ?? runId) : null;

/** Reads a stream to its end or its failure; resolves to the records it added. */
async function readStream(runtime: ConnectorRuntime, r: StreamRead): Promise<number> {
  const { run, source, stream } = r;
  const target: PageTarget = {
    run,
    source,
    stream,
    pass: passOf(stream, r.state, run.id),
    announce: r.announce,
  };
  let added = 0;
  let last: StreamPage | undefined;
  for await (const page of prefetched(r.connector.read(r.ctx, stream.name, r.state?.cursor ?? null))) {
    last = page;
    const saved = await storePage(runtime, target, page);
    added += saved.added;
    r.onPage?.(stream.name, saved);
  }
  if (stream.mode === 'full') await endPass(runtime, target, last);
  return added;
}

/**
 * A full stream read to its end: the next run starts again from the beginning (or what the pass carried
 * over), and what this pass missed is gone, unless it saw only changes or the vendor said nothing changed.
 */
export async function endPass(runtime: ConnectorRuntime, t: PageTarget, last: StreamPage | undefined) {
  const { source, stream, pass } = t;
  const runRef = { id: t.run.id, tenantId: source.tenantId, connectionId: source.connectionId };
  await runtime.db.tenant(source.tenantId, async (tx) => {
    const deleted =
      stream.tracksDeletes && pass && !last?.unchanged && !last?.changesOnly
        ? await markUnseenDeleted(tx, source.connectionId, stream.object, pass)
        : 0;
    await savePage(
      tx,
      runRef,
      stream.name,
      { cursor: last?.carry ?? null, pass: null },
      { ...zero(), deleted },
    );
  });
}

/** Where a page goes: the run, the connection's stream, and whether what it settles is news. */
export interface PageTarget {
  run: Pick<RunRow, 'id'>;
  source: Source;
  stream: StreamSpec;
  /** A full stream's pass (deletes are tracked by it); null for incremental ones. */
  pass: string | null;
  announce: boolean;
}

/**
 * One page, its stream's cursor after it and the run's counts, in one tenant transaction: a restart
 * resumes after the last page stored, never losing or doubling a record.
 */
export async function storePage(
  runtime: ConnectorRuntime,
  t: PageTarget,
  page: StreamPage,
): Promise<StreamCounts> {
  const { source, stream, pass } = t;
  const runRef = { id: t.run.id, tenantId: source.tenantId, connectionId: source.connectionId };
  return runtime.db.tenant(source.tenantId, async (tx) => {
    const written = await upsertRecords(
      tx,
      source,
      stream.object,
      page.records,
      pass && stream.tracksDeletes ? { seenRun: pass } : {},
    );
    if (t.announce && settles(stream.object)) {
      await announceSettled(
        tx,
        source,
        stream.object,
        written.changes.map((c) => c.id),
      );
    }
    if (page.outstanding && stream.object === 'invoices') {
      await settleOutstanding(tx, source.connectionId, page.outstanding);
    }
    const delta = zero();
    delta.pages = 1;
    delta.rejected = written.rejected.length;
    for (const c of written.changes) delta[c.change]++;
    await savePage(tx, runRef, stream.name, { cursor: page.cursor, pass }, delta);
    for (const rejected of written.rejected.slice(0, LOGGED_REJECTS)) {
      runtime.logger.warn(
        { connector: source.connector, stream: stream.name, ...rejected },
        'record set aside',
      );
    }
    return delta;
  });
}

/** A run's end: the connection connected again, or in error (refused credentials: disconnected, once). */
export async function settle(
  runtime: ConnectorRuntime,
  run: RunRow,
  connection: ConnectionRow,
  failure: unknown,
): Promise<RunRow | undefined> {
  const { db, logger } = runtime;
  const tenantId = connection.tenant_id;
  // A pushed connection (a bridge) is never scheduled: its run ending sets no next one.
  const next = (minutes: number) => (connection.next_sync_at === null ? undefined : minutes);
  if (failure === undefined) {
    return db.tenant(tenantId, async (tx) => {
      await setConnectionStatus(
        tx,
        connection.id,
        { status: 'connected', synced: true, nextSyncInMinutes: next(connection.frequency_minutes) },
        'syncing',
      );
      await finishRun(tx, run.id, 'succeeded', null);
      return readRun(tx, run.id);
    });
  }
  const refused = failure instanceof ConnectorAuthError;
  const message = failure instanceof Error ? failure.message : String(failure);
  logger.warn(
    { connector: connection.connector, connectionId: connection.id, runId: run.id, err: failure },
    'sync failed',
  );
  return db.tenant(tenantId, async (tx) => {
    const before = await getConnection(tx, connection.id);
    const after = await setConnectionStatus(
      tx,
      connection.id,
      {
        status: refused ? 'disconnected' : 'error',
        error: message,
        nextSyncInMinutes: next(
          refused
            ? connection.frequency_minutes
            : Math.min(RETRY_AFTER_MINUTES, connection.frequency_minutes),
        ),
      },
      'syncing',
    );
    // Once per incident: a connection already disconnected before this run says nothing new.
    if (refused && after && before?.disconnected_at === null) {
      emitEvent(tx, tenantId, 'connector.disconnected', {
        connector: connection.connector,
        connection_id: connection.id,
        reason: message,
      });
    }
    await finishRun(tx, run.id, 'failed', message);
    return readRun(tx, run.id);
  });
}
