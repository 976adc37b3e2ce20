import type { PGlite } from '@electric-sql/pglite';

export interface QueryOptions {
  /**
   * Plan once per connection and reuse it (a named prepared statement on Postgres; PGlite ignores it): for a
   * hot statement whose planning costs as much as running it. Postgres may then run a generic plan, so use it
   * only where one plan suits every parameter.
   */
  prepare?: boolean;
}

/**
 * For the statements every chat turn runs, whose plans suit every parameter: planning them once per
 * connection is cheaper than on every call. Only with a named column list: a prepared `SELECT *` fails once
 * a migration changes the table under a running process.
 */
export const PREPARED: QueryOptions = { prepare: true };

/** The one small interface every layer above `db` uses; PGlite and pg.Pool both implement it. */
export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A transaction: a `Queryable` that can also queue writes. */
export interface Tx extends Queryable {
  /**
   * Sends a write whose rows nobody reads, without waiting for it: the transaction waits for it before it
   * commits, and its failure fails the transaction. Statements still run in the order they were sent, and
   * on pipelined Postgres the writes a transaction ends with leave with its COMMIT, in one round trip.
   */
  queue(sql: string, params?: readonly unknown[], options?: QueryOptions): void;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** A transaction as the schema owner: for system work (auth, migrations, jobs) that is not tenant data. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A transaction as the restricted app role with `app.tenant_id` set, so row-level security binds it. */
  tenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A tenant transaction of the statements `fn` sends as it is called, before its first await: on Postgres
   * they go out with BEGIN, the prelude and COMMIT, one round trip, and each result is handed over once the
   * COMMIT has succeeded. A statement sent after that is refused, since the transaction has ended by then.
   * The statements commit as they return: what `fn` does after them (a not-found check) cannot undo them, so
   * it suits reads, or writes whose results need no check. Optional so that wrappers may leave it out
   * (`inTenant` then falls back to `tenant`).
   */
  tenantBatch?<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs a statement as the restricted role with no tenant set (used to prove RLS hides everything). */
  unscoped<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` once its transaction commits; resolves to a stop function.
   * Optional so that wrappers (benchmarks' instrumented Db) may leave it out; listeners then poll.
   */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /**
   * What the database runs on, for the jobs layer (pg-boss brings its own SQL): the embedded PGlite
   * instance itself, or the Postgres URL so pg-boss can open its own small pool.
   */
  readonly driver: { pglite: PGlite } | { url: string };
}

export const APP_ROLE = 'axon_app';

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The statements that bind a transaction to a tenant. The id is inlined (after a strict check) so that
 * BEGIN, the role switch and the setting travel in one round trip.
 */
export function tenantPrelude(tenantId: string): string {
  if (!SAFE_ID.test(tenantId)) throw new Error(`invalid tenant id: ${JSON.stringify(tenantId)}`);
  // SET LOCAL, not set_config(): a utility statement skips the planner, on every tenant transaction.
  return `SET LOCAL ROLE ${APP_ROLE}; SET LOCAL app.tenant_id = '${tenantId}'`;
}

export const UNSCOPED_PRELUDE = `SET LOCAL ROLE ${APP_ROLE}`;

/** `db.tenantBatch` where the database has it, else an ordinary tenant transaction. */
export function inTenant<T>(db: Db, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.tenantBatch ? db.tenantBatch(tenantId, fn) : db.tenant(tenantId, fn);
}

/**
 * Guards a batch transaction (`Db.tenantBatch`): `tx` as it is until `close`, called once the batch has been
 * sent; a statement after that is refused.
 */
export function sentAtOnce(tx: Tx): { tx: Tx; close: () => void } {
  let open = true;
  const late = () =>
    new Error('a statement came after its batch transaction was sent: send them all before the first await');
  return {
    tx: {
      query: (sql, params, options) => (open ? tx.query(sql, params, options) : Promise.reject(late())),
      exec: (sql) => (open ? tx.exec(sql) : Promise.reject(late())),
      queue: (sql, params, options) => {
        if (!open) throw late();
        tx.queue(sql, params, options);
      },
    },
    close: () => {
      open = false;
    },
  };
}

/**
 * The writes queued in a transaction (`Tx.queue`): each is started at once by `send` and kept; `settled`
 * waits for them all and throws the first failure.
 */
export function writeQueue(
  send: (sql: string, params?: readonly unknown[], options?: QueryOptions) => Promise<unknown>,
) {
  const pending: Promise<unknown>[] = [];
  return {
    queue: (sql: string, params?: readonly unknown[], options?: QueryOptions) => {
      const write = send(sql, params, options);
      // Waited for by `settled`; a failure that lands before then is not an unhandled rejection.
      write.catch(() => {});
      pending.push(write);
    },
    settled: () => together(...pending),
    /** Waits for them all without throwing: before a rollback, so none runs after its transaction. */
    drained: () => Promise.allSettled(pending),
  };
}

/**
 * Statements of one transaction that do not depend on each other: on pipelined Postgres they go out
 * together, one round trip. Every one is waited for before the first failure is thrown, so none can run
 * after its transaction has ended.
 */
export async function together<T extends readonly unknown[]>(
  ...statements: { [K in keyof T]: Promise<T[K]> }
): Promise<T> {
  const settled = await Promise.allSettled(statements);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
