import type { Logger } from 'pino';
import { migrate } from './migrate.ts';
import { openPostgres } from './postgres.ts';
import type { Db } from './types.ts';

export type { Db, Queryable } from './types.ts';

export interface DbSettings {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
  DATABASE_POOL_SIZE: number;
  /** PGlite's shared_buffers (Postgres units, e.g. 16MB). */
  PGLITE_SHARED_BUFFERS?: string | undefined;
}

/**
 * Opens real Postgres when DATABASE_URL is set, else embedded PGlite in DATA_DIR, and migrates it. The
 * logger hears what goes wrong between queries (a dropped idle connection, a lost LISTEN).
 */
export async function openDatabase(settings: DbSettings, logger: Logger): Promise<Db> {
  const db = settings.DATABASE_URL
    ? openPostgres(settings.DATABASE_URL, settings.DATABASE_POOL_SIZE, logger)
    : // Loaded only for the embedded database: a Postgres deployment does not pay for PGlite.
      await (await import('./pglite.ts')).openPglite(settings.DATA_DIR, settings.PGLITE_SHARED_BUFFERS);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
