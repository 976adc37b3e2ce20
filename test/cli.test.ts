import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryCommand } from '../src/cli.ts';
import { loadConfig } from '../src/config.ts';
import { ensureOwner } from '../src/domain/tenants.ts';
import { createRuntime } from '../src/main.ts';
import { type FakeEmbeddings, startFakeEmbeddings } from './fakes/openai-embeddings.ts';
import { actingAs } from './support/business.ts';
import { createTestDb, dbKinds, type TestDb } from './support/db.ts';

// `axon memory`: a changed embedder stops the start until `axon memory reembed` has run.
for (const kind of dbKinds)
  describe(`axon memory [${kind}]`, () => {
    let fake: FakeEmbeddings;
    let dir: string | undefined;
    let pg: TestDb | undefined;
    let where: Record<string, string>;
    beforeAll(async () => {
      fake = await startFakeEmbeddings();
      if (kind === 'postgres') {
        pg = await createTestDb('postgres');
        where = { DATABASE_URL: pg.url as string };
      } else {
        dir = mkdtempSync(join(tmpdir(), 'axon-cli-'));
        where = { DATA_DIR: dir };
      }
    });
    afterAll(async () => {
      await fake.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
      await pg?.close();
    });

    const config = (env: Record<string, string> = {}) =>
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...where, ...env });
    const run = async (argv: string[], env: Record<string, string> = {}) => {
      const out = new PassThrough();
      let text = '';
      out.on('data', (c) => {
        text += c;
      });
      const code = await memoryCommand(argv, { config: config(env), out });
      return { code, text };
    };

    it(`refuses to start with another embedder, then starts once reembed has run`, {
      timeout: 180_000,
    }, async () => {
      const first = await createRuntime(config());
      const owner = await ensureOwner(first.db, '+919100000801', 'Asia/Kolkata');
      const ctx = actingAs(owner);
      for (const content of [
        "Ramesh's number is 98450 12345",
        'ABC Traders always pays late',
        'I prefer reminders at 9am',
      ]) {
        await first.memory.remember(ctx, { content, source: 'api' });
      }
      await first.close();

      const env = {
        EMBEDDINGS_PROVIDER: 'openai',
        EMBEDDINGS_BASE_URL: fake.url,
        EMBEDDINGS_DIMENSIONS: '64',
      };
      await expect(createRuntime(config(env))).rejects.toThrow(
        /lexical-v1 \(384 dimensions\).*axon memory reembed/s,
      );

      const status = await run(['status'], env);
      expect(status.code).toBe(0);
      expect(status.text).toContain('Memories: 3, embedded with lexical-v1 (384 dimensions).');
      expect(status.text).toContain('Configured embedder: openai:text-embedding-3-small@64 (64 dimensions).');
      expect(status.text).toContain('npx axon memory reembed');

      const done = await run(['reembed'], env);
      expect(done).toEqual({
        code: 0,
        text: expect.stringContaining(
          'Re-embedded 3 memories with openai:text-embedding-3-small@64 (64 dimensions) ✅',
        ),
      });
      expect(done.text).toContain('Embedding: 0 of 3 memories');

      const second = await createRuntime(config(env));
      const hits = await second.memory.search(ctx, { q: "Ramesh's number", limit: 3 });
      expect(hits[0]?.content).toBe("Ramesh's number is 98450 12345");
      await second.close();
      // Now the old embedder is the stranger.
      await expect(createRuntime(config())).rejects.toThrow(/axon memory reembed/);
      expect((await run(['reembed'], env)).text).toContain('Nothing to do');
    });

    it(`explains its usage`, async () => {
      expect(await run([])).toMatchObject({
        code: 0,
        text: expect.stringContaining('axon memory <command>'),
      });
      expect((await run(['bogus'])).code).toBe(2);
    });
  });
