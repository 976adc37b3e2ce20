import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import pg from 'pg';
import type { Logger } from 'pino';
import {
  type Db,
  type QueryOptions,
  sentAtOnce,
  type Tx,
  tenantPrelude,
  together,
  UNSCOPED_PRELUDE,
  writeQueue,
} from './types.ts';

// Dates stay 'YYYY-MM-DD' strings, as on PGlite.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

const statementNames = new Map<string, string>();

/**
 * COMMIT in a transaction a failed statement aborted only rolls back, and says so: a caller that caught
 * that failure and went on must not take its other writes as kept.
 */
function assertCommitted(commit: pg.QueryResult | undefined): void {
  if (commit?.command === 'ROLLBACK')
    throw new Error('the transaction was rolled back: one of its statements failed');
}

/** `prepare` names the statement by its text's hash: one text, one statement per connection, planned once. */
function statement(sql: string, params: readonly unknown[] | undefined, options: QueryOptions | undefined) {
  const values = params as unknown[] | undefined;
  if (!options?.prepare) return { text: sql, values };
  let name = statementNames.get(sql);
  if (!name) {
    name = `axon_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return { name, text: sql, values };
}

/**
 * Holds the connection's writes until the end of this tick, so a transaction's BEGIN and the statements sent
 * with it leave in one write: fewer system calls on both sides. pg corks each statement itself; its socket
 * is `connection.stream`, and a client whose socket cannot cork simply writes as before.
 */
function batchWritesThisTick(client: pg.PoolClient): void {
  const socket = (client as unknown as { connection?: { stream?: Partial<Socket> } }).connection?.stream;
  // Already held this tick: pg's own cork is released before it returns, so only ours is left.
  if (!socket?.cork || !socket.uncork || socket.writableCorked) return;
  socket.cork();
  process.nextTick(() => socket.uncork?.());
}

export function openPostgres(url: string, poolSize: number, logger: Logger): Db {
  // Pipelined: a transaction's BEGIN and prelude go out with its first statement, not a round trip ahead.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, pipeline: true });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (err) => logger.warn({ err }, 'an idle database connection failed; the pool replaces it'));

  /** Sends a statement on `client`; those sent in the same tick leave in one write. */
  const sender = (client: pg.PoolClient) => (q: string | pg.QueryConfig) => {
    batchWritesThisTick(client);
    return client.query(q);
  };

  async function inTransaction<T>(prelude: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    const send = sender(client);
    const begun = send(prelude ? `BEGIN; ${prelude}` : 'BEGIN');
    // A transaction that fails before it queries still rolls back below; its start's error is not news.
    begun.catch(() => {});
    const writes = writeQueue((sql, params, options) => send(statement(sql, params, options)));
    let commit: Promise<pg.QueryResult> | undefined;
    try {
      const result = await fn({
        // A result is handed over only once the transaction's start has succeeded too, so nothing read
        // outside the tenant's binding can reach the caller.
        query: async <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
          const [, rows] = await Promise.all([begun, send(statement(sql, params, options))]);
          return rows.rows as R[];
        },
        exec: async (sql) => {
          await Promise.all([begun, send(sql)]);
        },
        queue: writes.queue,
      });
      // COMMIT leaves now, with the writes still queued: a failure among them leaves the transaction
      // aborted, and COMMIT then only rolls back.
      commit = send('COMMIT');
      const [, , committed] = await together(begun, writes.settled(), commit);
      assertCommitted(committed);
      return result;
    } catch (err) {
      if (!commit) {
        await writes.drained();
        await client.query('ROLLBACK').catch(() => {});
      }
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * BEGIN with the prelude, the statements `fn` sends as it is called, and COMMIT, sent back to back. A
   * failed statement leaves the transaction aborted, and its COMMIT then only rolls back; rows are handed
   * over once every statement and the COMMIT have succeeded.
   */
  async function inBatch<T>(prelude: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    const sent: Promise<pg.QueryResult>[] = [];
    const send = (q: string | pg.QueryConfig) => {
      const p = client.query(q);
      // Each is waited for below; a failure that lands before then is not an unhandled rejection.
      p.catch(() => {});
      sent.push(p);
      return p;
    };
    let sealBatch = () => {};
    const sealed = new Promise<void>((resolve) => {
      sealBatch = resolve;
    });
    // Waits for the end of the batch too: a result is never handed over before its COMMIT has succeeded.
    const settled = async () => {
      await sealed;
      assertCommitted((await Promise.all(sent)).at(-1));
    };
    batchWritesThisTick(client);
    send(`BEGIN; ${prelude}`);
    const batch = sentAtOnce({
      query: async <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
        const result = send(statement(sql, params, options));
        await settled();
        return (await result).rows as R[];
      },
      exec: async (sql) => {
        send(sql);
        await settled();
      },
      queue: (sql, params, options) => {
        send(statement(sql, params, options));
      },
    });
    let running: Promise<T>;
    let failedAtOnce = false;
    try {
      running = fn(batch.tx);
    } catch (err) {
      failedAtOnce = true;
      running = Promise.reject(err);
    }
    batch.close();
    send(failedAtOnce ? 'ROLLBACK' : 'COMMIT');
    sealBatch();
    try {
      const value = await running;
      await settled();
      return value;
    } catch (err) {
      // Once its COMMIT is out the transaction ends on its own, committed or not.
      await Promise.allSettled(sent);
      throw err;
    } finally {
      client.release();
    }
  }

  return {
    kind: 'postgres',
    driver: { url },
    query: async <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) =>
      (await pool.query(statement(sql, params, options))).rows as R[],
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: (fn) => inTransaction(null, fn),
    tenant: (tenantId, fn) => inTransaction(tenantPrelude(tenantId), fn),
    tenantBatch: (tenantId, fn) => inBatch(tenantPrelude(tenantId), fn),
    unscoped: (fn) => inTransaction(UNSCOPED_PRELUDE, fn),
    listen: (channel, onNotify) => listenOn(url, channel, onNotify, logger),
    close: () => pool.end(),
  };
}

const RELISTEN_DELAY_MS = 1000;

/**
 * LISTEN needs a connection of its own for as long as it listens, so it gets one outside the pool. A lost
 * connection is re-made, every RELISTEN_DELAY_MS until the server takes it again; notifications sent
 * meanwhile are missed, which listeners cover by polling.
 */
async function listenOn(
  url: string,
  channel: string,
  onNotify: () => void,
  logger: Logger,
): Promise<() => Promise<void>> {
  if (!/^[a-z_]{1,63}$/.test(channel)) throw new Error(`invalid channel: ${channel}`);
  let client: pg.Client | undefined;
  let stopped = false;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (n) => n.channel === channel && onNotify());
    // Until it listens, a failure is connect()'s to report; after, the connection is lost and made again.
    let live = false;
    const lost = (err?: Error) => {
      if (!live) return;
      live = false;
      client = undefined;
      if (err) next.end().catch(() => {});
      if (stopped) return;
      logger.warn({ err, channel }, 'lost the LISTEN connection; listening again');
      relisten();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (err) {
      next.end().catch(() => {});
      throw err;
    }
    if (stopped) {
      await next.end();
      return;
    }
    live = true;
    client = next;
    // Whatever was announced while no one listened is picked up now.
    onNotify();
  };
  const relisten = () => {
    setTimeout(() => {
      if (stopped) return;
      connect().catch((err) => {
        logger.warn({ err, channel }, 'could not LISTEN again; trying again');
        relisten();
      });
    }, RELISTEN_DELAY_MS).unref();
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end();
  };
}
