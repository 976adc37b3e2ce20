import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import { createEmptyDatabase } from '../support/db.ts';
import { type CapturingLogger, capturingLogger } from '../support/logger.ts';

// Only real Postgres has connections the server can take away; PGlite runs in-process.
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('Postgres connections the server takes away [postgres]', () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let admin: pg.Client;
  let db: Db;
  let log: CapturingLogger;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    log = capturingLogger();
    db = await openDatabase({ DATABASE_URL: database.url, DATA_DIR: '', DATABASE_POOL_SIZE: 2 }, log.logger);
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
    await admin.end();
    await db.close();
    await database.drop();
  });

  const terminate = (where: string) =>
    admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND ${where}`, [
      database.name,
    ]);
  const saying = (text: string) => (e: Record<string, unknown>) => String(e.msg).includes(text);

  it('an idle connection the server ends is logged, and the next query gets a fresh one', async () => {
    await db.query('SELECT 1');
    const logged = log.next(saying('idle database connection failed'));
    await terminate(`query NOT LIKE 'LISTEN%'`);
    const entry = await logged;
    expect(entry.level).toBe(40);
    expect(JSON.stringify(entry.err)).toContain('terminat');
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('a lost LISTEN is logged and made again, however long the server refuses it', async () => {
    let wake: (() => void) | undefined;
    if (!db.listen) throw new Error('a Postgres database listens');
    const stop = await db.listen('axon_test_wake', () => wake?.());
    const lost = log.next(saying('lost the LISTEN connection'));
    const refused = log.next(saying('could not LISTEN again'));
    await admin.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
    await terminate(`query = 'LISTEN axon_test_wake'`);
    expect((await lost).channel).toBe('axon_test_wake');
    expect((await refused).channel).toBe('axon_test_wake');

    // Once the server takes connections again the listener is back, and hears a NOTIFY.
    const relistened = new Promise<void>((resolve) => {
      wake = resolve;
    });
    await admin.query(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
    await relistened;
    const heard = new Promise<void>((resolve) => {
      wake = resolve;
    });
    await db.exec('NOTIFY axon_test_wake');
    await heard;
    await stop();
    // One loss, one listener made again: no second reconnect loop running beside the first.
    expect(log.entries.filter(saying('lost the LISTEN connection'))).toHaveLength(1);
  });
});
