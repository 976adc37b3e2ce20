import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createRuntime } from '../src/main.ts';
import { createEmptyDatabase } from './support/db.ts';

// A start that fails after the database opened must close what it opened: the PGlite data dir's lock, the
// pool and the LISTEN connection. Redis that cannot be reached is such a failure (it comes late).

const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';
const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });

describe('createRuntime, when a later step fails', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('fails, releases the PGlite data dir, and the next start on it succeeds', {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axon-runtime-'));
    dirs.push(dir);
    await expect(createRuntime(config({ DATA_DIR: dir, REDIS_URL: UNREACHABLE_REDIS }))).rejects.toThrow(
      /ECONNREFUSED/,
    );
    expect(existsSync(join(dir, 'axon.lock'))).toBe(false);
    const runtime = await createRuntime(config({ DATA_DIR: dir }));
    await runtime.close();
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'fails and leaves no connection open on Postgres',
    { timeout: 60_000 },
    async () => {
      const database = await createEmptyDatabase();
      try {
        await expect(
          createRuntime(config({ DATABASE_URL: database.url, REDIS_URL: UNREACHABLE_REDIS })),
        ).rejects.toThrow(/ECONNREFUSED/);
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        const { rows } = await admin.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
          [database.name],
        );
        await admin.end();
        expect(rows[0]?.n).toBe(0);
      } finally {
        await database.drop();
      }
    },
  );
});
