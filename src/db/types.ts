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

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** A transaction as the schema owner: for system work (auth, migrations, jobs) that is not tenant data. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** A transaction as the restricted app role with `app.tenant_id` set, so row-level security binds it. */
  tenant<T>(tenantId: string, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a statement as the restricted role with no tenant set (used to prove RLS hides everything). */
  unscoped<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
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
  return `SET LOCAL ROLE ${APP_ROLE}; SELECT set_config('app.tenant_id', '${tenantId}', true)`;
}

export const UNSCOPED_PRELUDE = `SET LOCAL ROLE ${APP_ROLE}`;
