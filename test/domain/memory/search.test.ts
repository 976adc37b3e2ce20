import { beforeAll, expect, it } from 'vitest';
import { type Db, type Queryable, tenantPrelude } from '../../../src/db/types.ts';
import type { Ctx } from '../../../src/domain/context.ts';
import { vectorLiteral } from '../../../src/domain/memory/embedder.ts';
import { contentKey } from '../../../src/domain/memory/extractor-offline.ts';
import { createLexicalEmbedder, lexicalVector } from '../../../src/domain/memory/lexical-embedder.ts';
import {
  type HitQuery,
  searchExact,
  searchIndexed,
  useIterativeScan,
} from '../../../src/domain/memory/repo.ts';
import type { MemoryKind } from '../../../src/domain/memory/schema.ts';
import { createMemoryService, type MemoryService, RRF_K } from '../../../src/domain/memory/service.ts';
import { describeEachDb } from '../../support/db.ts';
import { people } from '../../support/memory.ts';

// A user's few rows among many other tenants' and colleagues' rows that look just like them: the filters
// must apply inside the HNSW scan (pgvector 0.8 iterative scan), or a page comes back short.
const OTHER_TENANTS = 30;
const ROWS_PER_OTHER = 50;
const COLLEAGUE_ROWS = 200;
const MINE_PER_KIND = 30;
const LIMIT = 20;

async function insertRows(db: Db, ctx: Ctx, kind: MemoryKind, count: number, tag: string): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => {
    const content =
      kind === 'contact'
        ? `Customer ${tag} ${i}'s number is 98${String(i).padStart(3, '0')} 12345`
        : `Customer ${tag} ${i} pays by UPI at the end of the month`;
    return {
      id: `mem_${tag}_${kind}_${i}`,
      content,
      key: contentKey(content),
      embedding: vectorLiteral(lexicalVector(content)),
    };
  });
  await db.query(
    `INSERT INTO memories (id, tenant_id, user_id, content, kind, content_key, source, embedding)
     SELECT r.id, $1, $2, r.content, $3, r.key, 'api', r.embedding::vector
     FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS r(id, content, key, embedding)`,
    [
      ctx.tenantId,
      ctx.userId,
      kind,
      rows.map((r) => r.id),
      rows.map((r) => r.content),
      rows.map((r) => r.key),
      rows.map((r) => r.embedding),
    ],
  );
  return rows.map((r) => r.id);
}

/** A search for searchExact itself: lists 40 deep, a page of 5, no boost. */
const exactQuery = (userId: string, text: string): HitQuery => ({
  userId,
  embedding: vectorLiteral(lexicalVector(text)),
  text,
  kind: null,
  depth: 40,
  limit: 5,
  ranking: {
    rrfK: RRF_K,
    minSimilarity: -1,
    now: new Date(),
    recencyBoost: 0,
    recencyDays: 30,
    recallBoost: 0,
    recallsForFullBoost: 10,
  },
});

describeEachDb('memory search under filters', (get) => {
  let db: Db;
  let memory: MemoryService;
  let me: Ctx;
  const mine = new Set<string>();
  const query = 'customer number';
  const who = people(() => db, 5000);

  beforeAll(async () => {
    db = get().db;
    memory = createMemoryService({ db, embedder: createLexicalEmbedder() });
    me = await who.owner();
    for (let t = 0; t < OTHER_TENANTS; t++) {
      const other = await who.owner();
      await insertRows(db, other, 'contact', ROWS_PER_OTHER, `t${t}`);
    }
    await insertRows(db, await who.member(me), 'contact', COLLEAGUE_ROWS, 'colleague');
    for (const id of await insertRows(db, me, 'contact', MINE_PER_KIND, 'me')) mine.add(id);
    for (const id of await insertRows(db, me, 'fact', MINE_PER_KIND, 'me')) mine.add(id);
    await db.exec('ANALYZE memories');
  }, 120_000);

  // Both ways a search can go: an exact pass over the user's memories (the default, for a user with up to
  // exactSearchMax of them), and the indexes (here forced by a limit of 0, as for a user with more).
  const paths = [
    ['exact pass', () => memory],
    [
      'indexes',
      () => createMemoryService({ db, embedder: createLexicalEmbedder(), settings: { exactSearchMax: 0 } }),
    ],
  ] as const;

  for (const [path, service] of paths) {
    it(`a kind-filtered search returns a full page of only this user’s rows of that kind (${path})`, async () => {
      const hits = await service().search(me, { q: query, limit: LIMIT, kind: 'contact' });
      expect(hits).toHaveLength(LIMIT);
      for (const h of hits) {
        expect(mine.has(h.id)).toBe(true);
        expect(h.kind).toBe('contact');
      }
      const facts = await service().search(me, { q: 'customer pays by UPI', limit: LIMIT, kind: 'fact' });
      expect(facts).toHaveLength(LIMIT);
      expect(facts.every((h) => mine.has(h.id) && h.kind === 'fact')).toBe(true);
    });
  }

  it('both paths rank alike: the same best hit, scores in order, words matched', async () => {
    const q = { q: 'Customer me 7 number', limit: 5 };
    const [exact, indexed] = await Promise.all(paths.map(([, service]) => service().search(me, q)));
    expect(exact?.[0]?.id).toBe('mem_me_contact_7');
    expect(indexed?.[0]?.id).toBe('mem_me_contact_7');
    for (const hits of [exact, indexed]) {
      const scores = (hits ?? []).map((h) => h.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(hits?.[0]?.matched_words).toBe(true);
    }
  });

  // Both searches, called as the service calls them, with the neutral ranking of exactQuery.
  const searches = [
    ['exact pass', (tx: Queryable, q: HitQuery) => searchExact(tx, q, 2000)],
    [
      'indexes',
      async (tx: Queryable, q: HitQuery) => {
        await useIterativeScan(tx, q.depth);
        return searchIndexed(tx, q);
      },
    ],
  ] as const;
  let plates: Ctx | undefined;

  for (const [path, search] of searches) {
    it(`the full-text list keeps the memory with the rare word when more share the common one than it holds (${path})`, async () => {
      if (!plates) {
        plates = await who.owner();
        const rows = Array.from({ length: 100 }, (_, i) => [
          `mem_plate_${i}`,
          `Driver ${i} drives our tempo every day`,
        ]);
        // Last by id, so no tie-break on id can bring it in.
        rows.push(['mem_plate_van', 'Sunita Joshi is at the wheel of van MH12PQ4321']);
        await db.query(
          `INSERT INTO memories (id, tenant_id, user_id, content, kind, content_key, source, embedding)
           SELECT id, $1, $2, c, 'fact', id, 'api', $5::vector FROM unnest($3::text[], $4::text[]) AS r(id, c)`,
          [
            plates.tenantId,
            plates.userId,
            rows.map((r) => r[0]),
            rows.map((r) => r[1]),
            vectorLiteral(lexicalVector('Driver drives our tempo every day')),
          ],
        );
      }
      const owner = plates;
      // Every row has the same vector, so the vector list is 40 of them and leaves the van out: it can only
      // come in through the words. "drives" is in 100 memories, the plate in this one alone.
      const hits = await db.tenant(owner.tenantId, (tx) =>
        search(tx, { ...exactQuery(owner.userId as string, 'who drives MH12PQ4321'), limit: 60 }),
      );
      expect(hits?.find((h) => h.id === 'mem_plate_van')?.matched_words).toBe(true);
    });
  }

  it('the exact pass keeps the true nearest neighbours beyond the rows it samples first', async () => {
    const owner = await who.owner();
    // The pass bounds its distances by the 40th nearest of the first 200 rows (5 × a depth of 40). One row in
    // three is about rice, near the query: some in the sample, the rest after it, each a little different.
    const rows = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? `Supplier ${i} sells basmati rice at 150 a kilo` : `Supplier ${i} sells cement bags`,
    );
    await db.query(
      `INSERT INTO memories (id, tenant_id, user_id, content, kind, content_key, source, embedding)
       SELECT 'mem_bound_' || n, $1, $2, c, 'fact', 'bound_' || n, 'api', e::vector
       FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS r(c, e, n)`,
      [owner.tenantId, owner.userId, rows, rows.map((c) => vectorLiteral(lexicalVector(c)))],
    );
    const embedding = vectorLiteral(lexicalVector('basmati rice 150 supplier'));
    const q = { ...exactQuery(owner.userId as string, ''), embedding, limit: 40 };
    const hits = await db.tenant(owner.tenantId, (tx) => searchExact(tx, q, 2000));
    const truth = await db.tenant(owner.tenantId, (tx) =>
      tx.query<{ id: string }>(
        'SELECT id FROM memories WHERE user_id = $1 ORDER BY (embedding <=> $2::vector) + 0, id LIMIT 40',
        [owner.userId, embedding],
      ),
    );
    expect(hits?.map((h) => h.id)).toEqual(truth.map((r) => r.id));
    const ordinals = truth.map((r) => Number(r.id.replace('mem_bound_', '')));
    expect(ordinals.every((n) => n % 3 === 1)).toBe(true);
    expect(ordinals.some((n) => n > 200)).toBe(true);
  });

  it('the exact pass declines a user with more live memories than its limit, without scanning them', async () => {
    const ask = (maxRows: number) =>
      db.tenant(me.tenantId, (tx) => searchExact(tx, exactQuery(me.userId as string, query), maxRows));
    expect(await ask(2 * MINE_PER_KIND - 1)).toBeNull();
    expect(await ask(2 * MINE_PER_KIND)).toHaveLength(5);

    // The same statement under EXPLAIN ANALYZE: when it declines, the pass over the memories never runs.
    const planOf = (maxRows: number) =>
      db.tenant(me.tenantId, async (tx) => {
        const plan: string[] = [];
        const explaining: Queryable = {
          query: async (sql, params) => {
            const rows = await tx.query<{ 'QUERY PLAN': string }>(
              `EXPLAIN (ANALYZE, COSTS OFF) ${sql}`,
              params,
            );
            plan.push(...rows.map((r) => r['QUERY PLAN']));
            return [];
          },
          exec: (sql) => tx.exec(sql),
        };
        await searchExact(explaining, exactQuery(me.userId as string, query), maxRows);
        const text = plan.join('\n');
        const start = text.indexOf('CTE mine');
        return text.slice(start, text.indexOf('\n  CTE ', start));
      });
    const declined = await planOf(2 * MINE_PER_KIND - 1);
    expect(declined).toMatch(/Scan[^\n]* on memories m\w*[^\n]*\(never executed\)/);
    const ran = await planOf(2 * MINE_PER_KIND);
    expect(ran).toMatch(/Scan[^\n]* on memories m\w* \(actual [^\n]* loops=1\)/);
  });

  /**
   * The nearest-neighbour query alone, as the tenant's role, in a transaction rolled back at the end in which
   * the btree indexes are dropped: with a few rows per user the planner rightly prefers them (an exact
   * scan), so only this way does the HNSW index face the filters on its own.
   */
  async function annScan(iterative: boolean): Promise<{ rows: string[]; plan: string }> {
    let out: { rows: string[]; plan: string } | undefined;
    const rollback = new Error('rollback');
    await db
      .transaction(async (tx) => {
        await tx.exec('DROP INDEX memories_owner, memories_content_key, memories_slot');
        await tx.exec(`${tenantPrelude(me.tenantId)}; SET LOCAL enable_seqscan = off`);
        // As the search sets it up; or pgvector's default, a single pass over ef_search candidates.
        if (iterative) await useIterativeScan(tx, LIMIT);
        else await tx.exec('SET LOCAL hnsw.iterative_scan = off; SET LOCAL hnsw.ef_search = 40');
        const sql = `SELECT id FROM memories WHERE user_id = $1 AND superseded_by IS NULL AND kind = 'contact'
          ORDER BY embedding <=> $2::vector LIMIT ${LIMIT}`;
        const params = [me.userId, vectorLiteral(lexicalVector(query))];
        const plan = await tx.query(`EXPLAIN ${sql}`, params);
        const rows = await tx.query<{ id: string }>(sql, params);
        out = { rows: rows.map((r) => r.id), plan: JSON.stringify(plan) };
        throw rollback;
      })
      .catch((err) => {
        if (err !== rollback) throw err;
      });
    if (!out) throw new Error('the scan did not run');
    return out;
  }

  it('the HNSW scan itself fills the page under the tenant, user and kind filters', async () => {
    const { rows, plan } = await annScan(true);
    expect(plan).toContain('memories_embedding');
    expect(rows).toHaveLength(LIMIT);
    expect(rows.every((id) => mine.has(id))).toBe(true);
  });

  it('without the iterative scan the same index scan comes back short (what the setting fixes)', async () => {
    const { rows, plan } = await annScan(false);
    expect(plan).toContain('memories_embedding');
    expect(rows.length).toBeLessThan(LIMIT);
  });
});
