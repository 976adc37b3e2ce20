import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import type { Db } from './types.ts';

export type { Db, Queryable } from './types.ts';

export interface DbSettings {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
  DATABASE_POOL_SIZE: number;
}

/** Opens real Postgres when DATABASE_URL is set, else embedded PGlite in DATA_DIR, and migrates it. */
export async function openDatabase(settings: DbSettings): Promise<Db> {
  const db = settings.DATABASE_URL
    ? openPostgres(settings.DATABASE_URL, settings.DATABASE_POOL_SIZE)
    : await openPglite(settings.DATA_DIR);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
