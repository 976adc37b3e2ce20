import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTestDb, type TestDb } from '../support/db.ts';
import { keyFor } from './support.ts';

// What an integrator installs: `npm pack` of packages/sdk (its prepack builds it), unpacked into a bare
// project's node_modules, imported by plain Node with no TypeScript loader and type-checked by tsc as a
// consumer's code would be. The other SDK tests run its sources; this one runs what ships.

const run = promisify(execFile);
const SDK_DIR = new URL('../../packages/sdk/', import.meta.url).pathname;
const TSC = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
const TYPE_ROOTS = new URL('../../node_modules/@types', import.meta.url).pathname;

/** Node's environment without the test runner's loader, as a consumer's process would have it. */
const plainEnv = (extra: Record<string, string>) => {
  const { NODE_OPTIONS: _, ...env } = process.env;
  return { ...env, ...extra };
};

const CONSUMER_JS = `
import { AxonClient, AxonError, verifyWebhook, WebhookVerificationError } from '@axonbos/sdk';

const axon = new AxonClient({ baseUrl: process.env.BASE_URL, apiKey: process.env.API_KEY, retries: 0 });
const task = await axon.createTask({ title: 'Pack the Surat order', due_date: '2026-03-26' });
const open = [];
for await (const t of axon.paginate.listTasks({ status: 'open' })) open.push(t.id);
let missing = 'resolved';
try {
  await axon.getTask('task_0000000000zzzzzzzzzzzz');
} catch (err) {
  missing = err instanceof AxonError ? err.status + ' ' + err.code : String(err);
}
let forged = 'accepted';
try {
  const now = String(Math.floor(Date.now() / 1000));
  verifyWebhook('{}', { 'webhook-id': 'msg_1', 'webhook-timestamp': now, 'webhook-signature': 'v1,AAAA' },
    'whsec_' + Buffer.from('secret-of-32-bytes-for-the-test!').toString('base64'));
} catch (err) {
  forged = err instanceof WebhookVerificationError ? 'rejected' : String(err);
}
console.log(JSON.stringify({ task, open, missing, forged }));
`;

const CONSUMER_TS = `
import { AxonClient, type Item } from '@axonbos/sdk';

const axon = new AxonClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'axk_live_x' });

export async function openTitles(): Promise<string[]> {
  const titles: string[] = [];
  for await (const task of axon.paginate.listTasks({ status: 'open' })) titles.push(task.title);
  return titles;
}

export const first = (tasks: Item<'listTasks'>[]): string | undefined => tasks[0]?.due_date ?? undefined;

// @ts-expect-error a task needs its title: the shipped types must say so
export const untitled = () => axon.createTask({ due_date: '2026-03-26' });
`;

let testDb: TestDb;
let api: TestApi;
let consumer: string;
let packedFiles: string[];

beforeAll(async () => {
  testDb = await createTestDb('pglite');
  api = await startTestApi(testDb.db);
  consumer = await mkdtemp(join(tmpdir(), 'axon-sdk-consumer-'));
  const { stdout } = await run('npm', ['pack', '--json', '--silent', '--pack-destination', consumer], {
    cwd: SDK_DIR,
    env: plainEnv({}),
  });
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  if (!packed) throw new Error(`npm pack printed nothing: ${stdout}`);
  packedFiles = packed.files.map((f) => f.path);
  const installed = join(consumer, 'node_modules', '@axonbos', 'sdk');
  await mkdir(installed, { recursive: true });
  await run('tar', ['-xzf', join(consumer, packed.filename), '-C', installed, '--strip-components=1']);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ type: 'module', private: true }));
}, 120_000);

afterAll(async () => {
  await api?.close();
  await testDb?.close();
  if (consumer) await rm(consumer, { recursive: true, force: true });
});

it('ships compiled JavaScript and declarations, no TypeScript sources', () => {
  expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts']));
  const sources = packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  expect(sources).toEqual([]);
  expect(packedFiles.filter((f) => !f.startsWith('dist/') && f !== 'package.json')).toEqual([]);
});

it('runs under plain Node against the real server: calls, pages, errors and webhook checks', async () => {
  const key = await keyFor(api, 7, ['tasks:read', 'tasks:write']);
  await writeFile(join(consumer, 'consumer.mjs'), CONSUMER_JS);
  const { stdout } = await run(process.execPath, ['consumer.mjs'], {
    cwd: consumer,
    env: plainEnv({ BASE_URL: api.url, API_KEY: key }),
  });
  const out = JSON.parse(stdout);
  expect(out.task).toMatchObject({ title: 'Pack the Surat order', due_date: '2026-03-26', status: 'open' });
  expect(out.open).toContain(out.task.id);
  expect(out.missing).toBe('404 task_not_found');
  expect(out.forged).toBe('rejected');
});

it('type-checks a consumer’s TypeScript against the shipped declarations, and rejects a wrong call', async () => {
  await writeFile(join(consumer, 'consumer.ts'), CONSUMER_TS);
  const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  const result = await run(
    process.execPath,
    [TSC, ...args, '--target', 'es2022', '--types', 'node', '--typeRoots', TYPE_ROOTS, 'consumer.ts'],
    { cwd: consumer, env: plainEnv({}) },
  ).catch((err: { stdout: string }) => ({ stdout: err.stdout, failed: true }));
  expect(result.stdout).toBe('');
  expect('failed' in result).toBe(false);
});
