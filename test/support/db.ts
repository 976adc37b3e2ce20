import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import { createLogger } from '../../src/log.ts';

export type DbKind = 'pglite' | 'postgres';

/** PGlite always; real Postgres too when TEST_DATABASE_URL is set (CI sets it). */
export const dbKinds: DbKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  db: Db;
  url?: string;
  close(): Promise<void>;
}

/** A new, empty Postgres database (not opened, not migrated) on TEST_DATABASE_URL's server. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `axon_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

/** A fresh, migrated database: in-memory PGlite, or a new Postgres database dropped on close. */
export async function createTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'pglite') {
    const db = await openDatabase({ DATA_DIR: 'memory://', DATABASE_POOL_SIZE: 1 }, createLogger('silent'));
    return { db, close: () => db.close() };
  }
  const database = await createEmptyDatabase();
  const db = await openDatabase(
    { DATABASE_URL: database.url, DATA_DIR: '', DATABASE_POOL_SIZE: 10 },
    createLogger('silent'),
  );
  return {
    db,
    url: database.url,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}

/** Runs a suite once per database kind, with a fresh database that the suite's tests share. */
export function describeEachDb(title: string, suite: (get: () => TestDb, kind: DbKind) => void): void {
  for (const kind of dbKinds) {
    describe(`${title} [${kind}]`, () => {
      let testDb: TestDb | undefined;
      beforeAll(async () => {
        testDb = await createTestDb(kind);
      });
      afterAll(async () => {
        await testDb?.close();
      });
      suite(() => {
        if (!testDb) throw new Error('test database not ready');
        return testDb;
      }, kind);
    });
  }
}
