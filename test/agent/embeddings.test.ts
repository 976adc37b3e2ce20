import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEmbedder, createOpenAiEmbedder } from '../../src/agent/embeddings.ts';
import { loadConfig } from '../../src/config.ts';
import { cosine, EmbedderError } from '../../src/domain/memory/embedder.ts';
import { type FakeEmbeddings, startFakeEmbeddings } from '../fakes/openai-embeddings.ts';

describe('OpenAI-compatible embedder', () => {
  let fake: FakeEmbeddings;
  beforeAll(async () => {
    fake = await startFakeEmbeddings(48);
  });
  afterAll(() => fake.close());
  const options = () => ({ baseUrl: fake.url, apiKey: 'sk-emb', model: 'fake-embed', timeoutMs: 5000 });

  it('learns the dimension from the server when none is set, and keeps inputs in order', async () => {
    fake.requests.length = 0;
    const embedder = await createOpenAiEmbedder(options());
    expect(embedder).toMatchObject({ id: 'openai:fake-embed', dimension: 48 });
    const [a, b, c] = await embedder.embed(['Ramesh number', 'pays late', 'Ramesh number']);
    expect(a).toHaveLength(48);
    expect(cosine(a ?? [], c ?? [])).toBeCloseTo(1, 5);
    expect(cosine(a ?? [], b ?? [])).toBeLessThan(0.9);
    const last = fake.requests.at(-1);
    expect(last?.authorization).toBe('Bearer sk-emb');
    expect(last?.body).toMatchObject({
      model: 'fake-embed',
      input: ['Ramesh number', 'pays late', 'Ramesh number'],
    });
  });

  it('asks for EMBEDDINGS_DIMENSIONS, names it in the id, and splits big inputs into batches', async () => {
    fake.requests.length = 0;
    const embedder = await createOpenAiEmbedder({ ...options(), dimensions: 32, batchSize: 2 });
    expect(embedder).toMatchObject({ id: 'openai:fake-embed@32', dimension: 32 });
    const out = await embedder.embed(['a one', 'b two', 'c three', 'd four', 'e five']);
    expect(out.map((v) => v.length)).toEqual([32, 32, 32, 32, 32]);
    expect(fake.requests.map((r) => (r.body.input as string[]).length)).toEqual([2, 2, 1]);
    expect(fake.requests.every((r) => r.body.dimensions === 32)).toBe(true);
  });

  it('retries a server error, and reports one that persists', async () => {
    const embedder = await createOpenAiEmbedder({ ...options(), dimensions: 16, retries: 1 });
    fake.failNext = { count: 1, status: 503 };
    expect(await embedder.embed(['x'])).toHaveLength(1);
    fake.failNext = { count: 2, status: 500 };
    await expect(embedder.embed(['x'])).rejects.toThrow(/HTTP 500: the fake is failing on purpose/);
    fake.failNext = { count: 1, status: 401 };
    await expect(embedder.embed(['x'])).rejects.toBeInstanceOf(EmbedderError);
    fake.failNext = { count: 0, status: 500 };
  });

  it('chooseEmbedder: lexical by default, the OpenAI-compatible client when configured', async () => {
    const base = { EMBEDDINGS_MODEL: 'fake-embed', OPENAI_TIMEOUT_MS: 5000 };
    expect((await chooseEmbedder({ ...base, EMBEDDINGS_PROVIDER: 'lexical' })).id).toBe('lexical-v1');
    fake.requests.length = 0;
    const chosen = await chooseEmbedder({
      ...base,
      EMBEDDINGS_PROVIDER: 'openai',
      EMBEDDINGS_BASE_URL: fake.url,
      OPENAI_API_KEY: 'sk-chat',
      EMBEDDINGS_DIMENSIONS: 24,
    });
    expect(chosen).toMatchObject({ id: 'openai:fake-embed@24', dimension: 24 });
    await chosen.embed(['x']);
    // Without EMBEDDINGS_API_KEY the chat key is used.
    expect(fake.requests.at(-1)?.authorization).toBe('Bearer sk-chat');
  });
});

describe('memory settings', () => {
  it('default to the offline embedder and the service thresholds', () => {
    expect(loadConfig({})).toMatchObject({
      EMBEDDINGS_PROVIDER: 'lexical',
      MEMORY_DEDUP_SIMILARITY: 0.9,
      MEMORY_SUPERSEDE_SIMILARITY: 0.5,
      MEMORY_MIN_RELEVANCE: 0.3,
      MEMORY_CONTEXT_LIMIT: 5,
    });
  });

  it('refuse what cannot work, naming the setting', () => {
    expect(() => loadConfig({ EMBEDDINGS_PROVIDER: 'openai' })).toThrow(/EMBEDDINGS_PROVIDER: openai needs/);
    expect(() => loadConfig({ EMBEDDINGS_PROVIDER: 'openai', OPENAI_API_KEY: 'sk' })).not.toThrow();
    expect(() => loadConfig({ EMBEDDINGS_DIMENSIONS: '3072' })).toThrow(/EMBEDDINGS_DIMENSIONS/);
    expect(() => loadConfig({ MEMORY_DEDUP_SIMILARITY: '1.5' })).toThrow(/MEMORY_DEDUP_SIMILARITY/);
    expect(() => loadConfig({ MEMORY_DEDUP_SIMILARITY: '0.4' })).toThrow(
      /MEMORY_SUPERSEDE_SIMILARITY: must not be above MEMORY_DEDUP_SIMILARITY/,
    );
  });
});
