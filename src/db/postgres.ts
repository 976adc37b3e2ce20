import pg from 'pg';
import { type Db, type Queryable, tenantPrelude, UNSCOPED_PRELUDE } from './types.ts';

// Dates stay 'YYYY-MM-DD' strings, as on PGlite.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export function openPostgres(url: string, poolSize: number): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});

  const asQueryable = (client: pg.PoolClient): Queryable => ({
    query: async <R>(sql: string, params?: readonly unknown[]) =>
      (await client.query(sql, params as unknown[] | undefined)).rows as R[],
    exec: async (sql) => {
      await client.query(sql);
    },
  });

  async function inTransaction<T>(prelude: string | null, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query(prelude ? `BEGIN; ${prelude}` : 'BEGIN');
      const result = await fn(asQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  return {
    kind: 'postgres',
    query: async <R>(sql: string, params?: readonly unknown[]) =>
      (await pool.query(sql, params as unknown[] | undefined)).rows as R[],
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: (fn) => inTransaction(null, fn),
    tenant: (tenantId, fn) => inTransaction(tenantPrelude(tenantId), fn),
    unscoped: (fn) => inTransaction(UNSCOPED_PRELUDE, fn),
    close: () => pool.end(),
  };
}
