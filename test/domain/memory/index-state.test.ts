import { beforeAll, expect, it } from 'vitest';
import type { Db } from '../../../src/db/types.ts';
import type { Ctx } from '../../../src/domain/context.ts';
import type { Embedder } from '../../../src/domain/memory/embedder.ts';
import {
  EmbedderMismatchError,
  embedderState,
  ensureEmbedder,
  type ReembedProgress,
  reembed,
} from '../../../src/domain/memory/index-state.ts';
import { createLexicalEmbedder } from '../../../src/domain/memory/lexical-embedder.ts';
import { createMemoryService } from '../../../src/domain/memory/service.ts';
import { describeEachDb } from '../../support/db.ts';
import { people } from '../../support/memory.ts';

/** An embedder that counts the texts it embeds and, when told, fails on a given call (a crash mid-run). */
function counting(inner: Embedder, failOnCall?: number) {
  let calls = 0;
  const texts: string[] = [];
  const embedder: Embedder = {
    id: inner.id,
    dimension: inner.dimension,
    async embed(batch) {
      calls += 1;
      if (calls === failOnCall) throw new Error('the embeddings server went away');
      texts.push(...batch);
      return inner.embed(batch);
    },
  };
  return { embedder, texts };
}

const STATEMENTS = [
  "Ramesh's number is 98450 12345",
  'ABC Traders always pays late',
  'I prefer reminders at 9am',
  'Gupta ji hamesha cash mein dete hain',
  "Suresh's email is suresh@example.in",
  'The shop is closed on Tuesdays',
  'Kumar Textiles gives 2% discount for cash',
  "Anil's number is 98765 43210",
  'Mehta ji files our GST',
  'Sharma Stores never answers calls after 8pm',
];

describeEachDb('embedder record and re-embedding', (get) => {
  let db: Db;
  let ctx: Ctx;
  const small = createLexicalEmbedder(128);
  const standard = createLexicalEmbedder();
  const who = people(() => db, 7000);
  beforeAll(async () => {
    db = get().db;
    ctx = await who.owner();
  });

  const dimensionOfColumn = async () =>
    (
      await db.query<{ dim: number }>(
        "SELECT atttypmod AS dim FROM pg_attribute WHERE attrelid = 'memories'::regclass AND attname = 'embedding'",
      )
    )[0]?.dim;

  it('the first start records the embedder and sizes the column to it; the same one is accepted again', async () => {
    await ensureEmbedder(db, small);
    expect(await dimensionOfColumn()).toBe(128);
    await ensureEmbedder(db, small);
    const service = createMemoryService({ db, embedder: small });
    for (const content of STATEMENTS) await service.remember(ctx, { content, source: 'api' });
    expect(await embedderState(db)).toEqual({
      recorded: { id: small.id, dimension: 128 },
      reembedding: null,
      memories: STATEMENTS.length,
    });
  });

  it('another embedder is refused, with the command that fixes it', async () => {
    const refusal = ensureEmbedder(db, standard);
    await expect(refusal).rejects.toBeInstanceOf(EmbedderMismatchError);
    await expect(refusal).rejects.toThrow(/axon memory reembed/);
  });

  it('a re-embedding interrupted by a crash resumes where it stopped, catching up on writes made meanwhile', async () => {
    // Batches of 3; the second call fails: 3 rows are staged and committed, 7 are not.
    const crashing = counting(standard, 2);
    await expect(reembed(db, crashing.embedder, { batchSize: 3 })).rejects.toThrow(/went away/);
    expect((await embedderState(db)).reembedding).toEqual({ id: standard.id, dimension: 384, done: 3 });

    // Until it finishes, the old embedder keeps serving and the new one is still refused.
    await expect(ensureEmbedder(db, standard)).rejects.toThrow(/has not finished/);
    await ensureEmbedder(db, small);
    const old = createMemoryService({ db, embedder: small });
    const added = await old.remember(ctx, { content: "Priya's number is 99000 11122", source: 'api' });
    expect((await old.search(ctx, { q: 'Priya number', limit: 5 }))[0]?.id).toBe(added.id);

    const resumed = counting(standard);
    const progress: ReembedProgress[] = [];
    const result = await reembed(db, resumed.embedder, { batchSize: 3, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ resumed: true, alreadyCurrent: false, reembedded: 8 });
    // Only the 7 rows not done before and the one added since: nothing embedded twice.
    expect(resumed.texts).toHaveLength(8);
    expect(progress[0]).toEqual({ phase: 'embedding', done: 3, total: 11 });
    expect(progress.at(-1)).toEqual({ phase: 'done', done: 11, total: 11 });
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['indexing', 'swapping']));

    expect(await dimensionOfColumn()).toBe(384);
    await ensureEmbedder(db, standard);
    await expect(ensureEmbedder(db, small)).rejects.toBeInstanceOf(EmbedderMismatchError);
    const current = createMemoryService({ db, embedder: standard });
    expect((await current.search(ctx, { q: "Ramesh's number", limit: 3 }))[0]?.content).toBe(
      "Ramesh's number is 98450 12345",
    );
    expect((await current.search(ctx, { q: 'Priya number', limit: 3 }))[0]?.id).toBe(added.id);
  });

  it('re-embedding with the embedder already in use does nothing', async () => {
    const again = counting(standard);
    expect(await reembed(db, again.embedder)).toMatchObject({ alreadyCurrent: true, reembedded: 0 });
    expect(again.texts).toEqual([]);
  });
});
