import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { lockDataDir } from './data-dir-lock.ts';
import { type Db, sentAtOnce, type Tx, tenantPrelude, UNSCOPED_PRELUDE, writeQueue } from './types.ts';

// Dates stay 'YYYY-MM-DD' strings: a calendar date has no time zone to get wrong.
const parsers = { [types.DATE]: (v: string) => v };

const DEFAULT_PGLITE_SHARED_BUFFERS = '16MB';

/**
 * Postgres's memory inside the process. Its defaults suit a server for 100 connections (128 MB of shared
 * buffers); here it is one connection whose files sit in the OS's page cache anyway. WebAssembly memory
 * never shrinks, so what Postgres touches once stays resident: keep shared buffers and index builds small.
 */
const memoryParams = (sharedBuffers: string) => [
  ...PGlite.defaultStartParams,
  '-c',
  `shared_buffers=${sharedBuffers}`,
  '-c',
  'max_connections=10',
  '-c',
  'maintenance_work_mem=16MB',
];

/**
 * Creates a data directory in a short-lived child process. initdb runs a second Postgres and copies the
 * files through memory, peaking far above what the server needs; in the server's own process the allocator
 * and the garbage collector would keep much of that for hours after.
 */
async function createDataDir(dataDir: string, startParams: string[]): Promise<void> {
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const script = `require(${JSON.stringify(pglite)})
    .PGlite.create(process.argv[1], { startParams: JSON.parse(process.argv[2]) })
    .then((pg) => pg.close())`;
  await promisify(execFile)(process.execPath, ['-e', script, dataDir, JSON.stringify(startParams)]);
}

export async function openPglite(
  dataDir: string,
  sharedBuffers = DEFAULT_PGLITE_SHARED_BUFFERS,
): Promise<Db> {
  const inMemory = dataDir === 'memory://' || dataDir.startsWith('memory://');
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  const startParams = memoryParams(sharedBuffers);
  let pg: PGlite;
  try {
    if (!inMemory && !existsSync(join(dataDir, 'PG_VERSION'))) await createDataDir(dataDir, startParams);
    pg = await PGlite.create(inMemory ? undefined : dataDir, {
      extensions: { vector },
      parsers,
      startParams,
    });
  } catch (err) {
    unlock();
    throw err;
  }

  const query = async <R>(sql: string, params?: readonly unknown[]) =>
    (await pg.query<R>(sql, params as unknown[] | undefined)).rows;

  async function inTransaction<T>(prelude: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
    // PGlite is one connection; `transaction` serialises callers, which is what an embedded db needs.
    return pg.transaction(async (tx) => {
      if (prelude) await tx.exec(prelude);
      const query = async <R>(sql: string, params?: readonly unknown[]) =>
        (await tx.query<R>(sql, params as unknown[] | undefined)).rows;
      const writes = writeQueue(query);
      try {
        const result = await fn({
          query,
          exec: async (sql) => {
            await tx.exec(sql);
          },
          queue: writes.queue,
        });
        await writes.settled();
        return result;
      } catch (err) {
        await writes.drained();
        throw err;
      }
    });
  }

  return {
    kind: 'pglite',
    driver: { pglite: pg },
    query,
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: (fn) => inTransaction(null, fn),
    tenant: (tenantId, fn) => inTransaction(tenantPrelude(tenantId), fn),
    // One connection, no round trips to save: only the batch's rule, kept so tests catch a breach.
    tenantBatch: (tenantId, fn) =>
      inTransaction(tenantPrelude(tenantId), (tx) => {
        const batch = sentAtOnce(tx);
        try {
          return fn(batch.tx);
        } finally {
          batch.close();
        }
      }),
    unscoped: (fn) => inTransaction(UNSCOPED_PRELUDE, fn),
    async listen(channel, onNotify) {
      const stop = await pg.listen(channel, () => onNotify());
      return () => stop();
    },
    async close() {
      await pg.close();
      unlock();
    },
  };
}
