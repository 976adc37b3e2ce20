import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createLogger } from '../../src/log.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

// The served OpenAPI document against Redocly's recommended rules (0 errors, 0 warnings), with a stable,
// unique operationId on every operation: what an SDK generator names its methods by.

const run = promisify(execFile);

describe('the OpenAPI document', () => {
  let api: TestApi;
  let doc: { paths: Record<string, Record<string, { operationId?: string }>>; webhooks: object };
  let dir: string;

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://' });
    api = await startTestApi(await openDatabase(config, createLogger('silent')));
    doc = (await api.request('GET', '/api/v1/openapi.json')).body;
    dir = await mkdtemp(join(tmpdir(), 'axon-openapi-'));
  });
  afterAll(async () => {
    await api?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes Redocly’s recommended rules with no error and no warning', { timeout: 60_000 }, async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc));
    const { stdout } = await run(
      new URL('../../node_modules/.bin/redocly', import.meta.url).pathname,
      ['lint', file, '--format=json', '--extends=recommended'],
      { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const report = JSON.parse(stdout) as {
      totals: { errors: number; warnings: number };
      problems: unknown[];
    };
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('names every operation once', () => {
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['listTasks', 'createTask', 'listFollowUps', 'createApiKey']));
  });
});
