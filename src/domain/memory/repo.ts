import type { Queryable, Tx } from '../../db/types.ts';
import { fetchPage, type Page } from '../pagination.ts';
import { iso } from '../time.ts';
import type { Memory, MemoryHit, MemoryKind, MemoryListQuery, MemorySource } from './schema.ts';

/**
 * SQL for memories and nothing else: dedup, supersede and fusion rules live in the service. Every call runs
 * inside a tenant transaction (row-level security binds the tenant) and names the user explicitly: a
 * user's memories are theirs alone, even within a business.
 */

interface MemoryRow {
  id: string;
  content: string;
  kind: MemoryKind;
  subject: string | null;
  subject_key: string | null;
  attribute: string | null;
  value: string | null;
  content_key: string;
  source: MemorySource;
  conversation_id: string | null;
  turn_id: string | null;
  recall_count: number;
  last_recalled_at: Date | null;
  superseded_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Never `SELECT *`: the embedding is large, and a re-embedding adds staging columns. */
const COLUMN_NAMES = [
  'id',
  'content',
  'kind',
  'subject',
  'subject_key',
  'attribute',
  'value',
  'content_key',
  'source',
  'conversation_id',
  'turn_id',
  'recall_count',
  'last_recalled_at',
  'superseded_by',
  'created_at',
  'updated_at',
];
const COLUMNS = COLUMN_NAMES.join(', ');

export interface StoredMemory extends Memory {
  subject_key: string | null;
  attribute: string | null;
  value: string | null;
  content_key: string;
}

const toStored = (r: MemoryRow): StoredMemory => ({
  id: r.id,
  content: r.content,
  kind: r.kind,
  subject: r.subject,
  source: r.source,
  conversation_id: r.conversation_id,
  turn_id: r.turn_id,
  recall_count: r.recall_count,
  last_recalled_at: iso(r.last_recalled_at),
  superseded_by: r.superseded_by,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  subject_key: r.subject_key,
  attribute: r.attribute,
  value: r.value,
  content_key: r.content_key,
});

/** The public shape, without the comparison keys. */
export const toMemory = (m: StoredMemory): Memory => ({
  id: m.id,
  content: m.content,
  kind: m.kind,
  subject: m.subject,
  source: m.source,
  conversation_id: m.conversation_id,
  turn_id: m.turn_id,
  recall_count: m.recall_count,
  last_recalled_at: m.last_recalled_at,
  superseded_by: m.superseded_by,
  created_at: m.created_at,
  updated_at: m.updated_at,
});

/** The text a memory is embedded from: its content, with the subject when the content does not name it. */
export function embeddingText(content: string, subject: string | null): string {
  return subject && !content.toLowerCase().includes(subject.toLowerCase())
    ? `${subject}: ${content}`
    : content;
}

export interface MemoryFields {
  content: string;
  kind: MemoryKind;
  subject: string | null;
  subjectKey: string | null;
  attribute: string | null;
  value: string | null;
  contentKey: string;
  keywords: string;
  /** pgvector text form, '[…]'. */
  embedding: string;
}

export async function insertMemory(
  tx: Queryable,
  row: MemoryFields & {
    id: string;
    tenantId: string;
    userId: string;
    source: MemorySource;
    conversationId: string | null;
    turnId: string | null;
  },
): Promise<StoredMemory> {
  const [r] = await tx.query<MemoryRow>(
    `INSERT INTO memories (id, tenant_id, user_id, content, kind, subject, subject_key, attribute, value, content_key,
       keywords, source, conversation_id, turn_id, embedding)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::vector) RETURNING ${COLUMNS}`,
    [
      row.id,
      row.tenantId,
      row.userId,
      row.content,
      row.kind,
      row.subject,
      row.subjectKey,
      row.attribute,
      row.value,
      row.contentKey,
      row.keywords,
      row.source,
      row.conversationId,
      row.turnId,
      row.embedding,
    ],
  );
  return toStored(r as MemoryRow);
}

/** Rewrites a memory in place (a near-duplicate restated); it stays the same memory. */
export async function rewriteMemory(tx: Queryable, id: string, f: MemoryFields): Promise<StoredMemory> {
  const [r] = await tx.query<MemoryRow>(
    `UPDATE memories SET content = $2, kind = $3, subject = $4, subject_key = $5, attribute = $6, value = $7,
       content_key = $8, keywords = $9, embedding = $10::vector, updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      id,
      f.content,
      f.kind,
      f.subject,
      f.subjectKey,
      f.attribute,
      f.value,
      f.contentKey,
      f.keywords,
      f.embedding,
    ],
  );
  return toStored(r as MemoryRow);
}

/** Marks a memory as said again: it counts as fresh for the recency boost. */
export async function touchMemory(tx: Queryable, id: string): Promise<StoredMemory> {
  const [r] = await tx.query<MemoryRow>(
    `UPDATE memories SET updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return toStored(r as MemoryRow);
}

export async function markSuperseded(tx: Queryable, oldId: string, newId: string): Promise<void> {
  await tx.query('UPDATE memories SET superseded_by = $2 WHERE id = $1', [oldId, newId]);
}

export async function findMemory(
  tx: Queryable,
  userId: string,
  id: string,
  forUpdate = false,
): Promise<StoredMemory | null> {
  const [r] = await tx.query<MemoryRow>(
    `SELECT ${COLUMNS} FROM memories WHERE id = $1 AND user_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [id, userId],
  );
  return r ? toStored(r) : null;
}

/** Memories with the same words, the live one first. */
export async function findByContentKey(tx: Queryable, userId: string, key: string): Promise<StoredMemory[]> {
  const rows = await tx.query<MemoryRow>(
    `SELECT ${COLUMNS} FROM memories WHERE user_id = $1 AND content_key = $2
     ORDER BY superseded_by IS NULL DESC, updated_at DESC LIMIT 5`,
    [userId, key],
  );
  return rows.map(toStored);
}

/** The live memory filling a slot (Ramesh's phone), if any. */
export async function findSlot(
  tx: Queryable,
  userId: string,
  subjectKey: string | null,
  attribute: string,
): Promise<StoredMemory | null> {
  const [r] = await tx.query<MemoryRow>(
    `SELECT ${COLUMNS} FROM memories
     WHERE user_id = $1 AND subject_key IS NOT DISTINCT FROM $2 AND attribute = $3 AND superseded_by IS NULL
     ORDER BY updated_at DESC LIMIT 1`,
    [userId, subjectKey, attribute],
  );
  return r ? toStored(r) : null;
}

/**
 * The live memories about the same subject closest to a vector, by exact scan: a user's memories about one
 * subject are few, and dedup must not miss one to an approximate index. (Ordering by `1 - distance` keeps
 * the planner off the HNSW index.)
 */
export async function nearestAbout(
  tx: Queryable,
  userId: string,
  subjectKey: string | null,
  embedding: string,
  limit = 5,
): Promise<(StoredMemory & { similarity: number })[]> {
  const rows = await tx.query<MemoryRow & { similarity: number }>(
    `SELECT ${COLUMNS}, 1 - (embedding <=> $3::vector) AS similarity FROM memories
     WHERE user_id = $1 AND subject_key IS NOT DISTINCT FROM $2 AND superseded_by IS NULL
     ORDER BY similarity DESC, id LIMIT $4`,
    [userId, subjectKey, embedding, limit],
  );
  return rows.map((r) => ({ ...toStored(r), similarity: Number(r.similarity) }));
}

/** Deletes a memory and the older versions it superseded; returns how many rows went. */
export async function deleteMemoryChain(tx: Queryable, userId: string, id: string): Promise<number> {
  const rows = await tx.query<{ id: string }>(
    `WITH RECURSIVE chain AS (
       SELECT id FROM memories WHERE id = $1 AND user_id = $2
       UNION ALL
       SELECT m.id FROM memories m JOIN chain c ON m.superseded_by = c.id
     )
     DELETE FROM memories WHERE id IN (SELECT id FROM chain) RETURNING id`,
    [id, userId],
  );
  return rows.length;
}

export async function attachTurn(
  tx: Queryable,
  userId: string,
  ids: string[],
  turnId: string,
): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(
    'UPDATE memories SET turn_id = $3 WHERE user_id = $1 AND id = ANY($2::text[]) AND turn_id IS NULL',
    [userId, ids, turnId],
  );
}

/** Queued: a count for ranking that nobody reads back in the transaction. */
export function markRecalled(tx: Tx, userId: string, ids: string[]): void {
  if (ids.length === 0) return;
  tx.queue(
    `UPDATE memories SET recall_count = recall_count + 1, last_recalled_at = now()
     WHERE user_id = $1 AND id = ANY($2::text[])`,
    [userId, ids],
  );
}

export async function selectMemories(
  tx: Queryable,
  userId: string,
  q: MemoryListQuery,
): Promise<Page<StoredMemory>> {
  const page = await fetchPage<MemoryRow>(tx, {
    from: `(SELECT ${COLUMNS}, user_id FROM memories) AS m`,
    where: 'user_id = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::boolean OR superseded_by IS NULL)',
    order: 'created_at DESC, id DESC',
    params: [userId, q.kind ?? null, q.include_superseded ?? false],
    page: q.page,
    limit: q.limit,
  });
  return { total: page.total, items: page.items.map(toStored) };
}

// ---- hybrid search ----

/** A search hit, as the service returns it. */
export interface ScoredHit extends MemoryHit {
  /** The words of the query matched it (full-text); otherwise only the vectors found it. */
  matched_words: boolean;
}

export interface HitQuery {
  userId: string;
  embedding: string;
  text: string;
  kind: MemoryKind | null;
  /** Length of each list before fusion. */
  depth: number;
  limit: number;
  ranking: Ranking;
}

/** The service's fusion rule, as numbers (see service.ts for what they mean). */
export interface Ranking {
  rrfK: number;
  /** A hit whose words do not match must be at least this similar. */
  minSimilarity: number;
  now: Date;
  recencyBoost: number;
  recencyDays: number;
  recallBoost: number;
  recallsForFullBoost: number;
}

const params = (q: HitQuery) => [
  q.userId,
  q.embedding,
  q.text,
  q.kind,
  q.depth,
  q.limit,
  q.ranking.minSimilarity,
  q.ranking.now,
  q.ranking.rrfK,
  q.ranking.recencyBoost,
  q.ranking.recencyDays,
  q.ranking.recallBoost,
  q.ranking.recallsForFullBoost,
];

/**
 * `query`: the words of the search ($3) as one OR query over the dictionary of `tsv` (`tsq`, NULL when the
 * text has no searchable word) and as one query per word (`terms`), for counting which words a memory has.
 */
const QUERY_WORDS = `query AS MATERIALIZED (
       SELECT array_agg(quoted::tsquery) AS terms, string_agg(quoted, ' | ')::tsquery AS tsq
       FROM (
         SELECT '''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''' AS quoted
         FROM unnest(tsvector_to_array(to_tsvector('english', $3))) AS lexeme
       ) AS words
     )`;

/**
 * `query`'s two columns as scalars computed once (InitPlans), to join to the memories scanned: joined as a
 * row, the generic plan rescans that row for each memory.
 */
const QUERY_SCALARS = '(SELECT (SELECT tsq FROM query) AS tsq, (SELECT terms FROM query) AS terms) AS query';

/** Which of the query's words the memory `m` has, as positions in `terms`. */
const wordsOf = (m: string) =>
  `ARRAY(SELECT i FROM generate_subscripts(query.terms, 1) AS i WHERE ${m}.tsv @@ query.terms[i])`;

/**
 * The full-text list `txt` from `source`'s rows (id, distance, words, and the columns `carry`): the memories
 * whose words match, ranked by how rare each of their words is among the user's `live.n` memories (BM25's
 * idf, ln(1 + (n − df + 0.5) / (df + 0.5))), so a plate or a GSTIN outweighs a word many memories share.
 * n counts every live memory of the user; df the matches among those searched (of one kind, if asked).
 */
const textList = (source: string, carry: string[]) => {
  const cols = ['id', 'distance', ...carry].join(', ');
  return `matches AS (
       SELECT ${cols}, count(*) OVER (PARTITION BY word) AS df
       FROM ${source}, unnest(${source}.words) AS word WHERE ${source}.words IS NOT NULL
     ), txt AS (
       SELECT ${cols}, sum(ln(1 + (live.n - df + 0.5)::float8 / (df + 0.5))) AS rank
       FROM matches, live GROUP BY ${cols}, live.n
       ORDER BY rank DESC, distance, id LIMIT $5
     )`;
};

/**
 * The lists `vec` (id, distance, …) and `txt` (id, distance, rank, …), each already cut to the depth, as
 * ranks side by side, with the columns `carry` that both lists have.
 */
const fused = (carry: string[] = []) => `fused AS MATERIALIZED (
       SELECT id, v.rnk AS vector_rank, t.rnk AS text_rank${carry.map((c) => `, coalesce(v.${c}, t.${c}) AS ${c}`).join('')}
       FROM (SELECT *, row_number() OVER (ORDER BY distance, id) AS rnk FROM vec) v
       FULL JOIN (SELECT *, row_number() OVER (ORDER BY rank DESC, distance, id) AS rnk FROM txt) t USING (id)
     )`;

/**
 * A fused row's score: reciprocal rank fusion, Σ 1/(k + rank), times the recency and recall boost, from the
 * ranks in `f` and the memory's `updated_at` and `recall_count` in `m`. In SQL so that only the page's rows
 * come back.
 */
const score = (f: string, m: string) =>
  `(coalesce(1 / ($9::float8 + ${f}.vector_rank), 0) + coalesce(1 / ($9::float8 + ${f}.text_rank), 0))
   * (1 + $10::float8 * exp(-greatest(0, extract(epoch FROM $8::timestamptz - ${m}.updated_at)) / (86400 * $11::float8))
        + $12::float8 * least(1, ln(1 + ${m}.recall_count) / ln(1 + $13::float8)))`;

/** The columns of a hit from memories `m`, beside matched_words, similarity and score. */
const HIT_COLUMNS =
  'm.id, m.content, m.kind, m.subject, m.source, m.conversation_id, m.turn_id, m.created_at, m.updated_at';

interface HitRow {
  id: string;
  content: string;
  kind: MemoryKind;
  subject: string | null;
  source: MemorySource;
  conversation_id: string | null;
  turn_id: string | null;
  created_at: Date;
  updated_at: Date;
  matched_words: boolean;
  similarity: number;
  score: number;
}

const toHit = (r: HitRow): ScoredHit => ({
  id: r.id,
  content: r.content,
  kind: r.kind,
  subject: r.subject,
  score: Number(r.score),
  similarity: Number(r.similarity),
  source: r.source,
  conversation_id: r.conversation_id,
  turn_id: r.turn_id,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  matched_words: r.matched_words,
});

/**
 * The page of hits by one exact pass over the user's live memories: each row's distance and words read once,
 * both lists cut from that, and only the page's rows read again, by primary key. Exact, so the nearest
 * neighbours are the true ones, and quicker than the indexes for the hundreds or thousands of memories a
 * user has: those are a small share of a shared table, and the HNSW index must step past the other users'
 * rows one by one (slowly, approximately). Prepared: one plan suits every user it serves.
 * - `live` counts the user's live memories in the index first (it stops one after `maxRows`). Over that, the
 *   pass reads none of them and the result is null: that user takes searchIndexed.
 * - `bound`: the depth-th nearest distance among the first few of them (5 × depth), which no row of the true
 *   vector list is farther than; `mine` keeps only rows that near, or whose words match, so what follows
 *   the scan handles a fraction of a big user's rows.
 */
export async function searchExact(tx: Queryable, q: HitQuery, maxRows: number): Promise<ScoredHit[] | null> {
  const rows = await tx.query<Partial<HitRow> & { live: string }>(
    `WITH ${QUERY_WORDS}, live AS MATERIALIZED (
       SELECT count(*) AS n FROM (SELECT FROM memories WHERE user_id = $1 AND superseded_by IS NULL LIMIT $14 + 1) AS rows
     ), bound AS MATERIALIZED (
       SELECT distance AS d FROM (
         SELECT embedding <=> $2::vector AS distance FROM memories
         WHERE user_id = $1 AND superseded_by IS NULL AND ($4::text IS NULL OR kind = $4) LIMIT $5 * 5
       ) AS sample ORDER BY distance OFFSET $5 - 1 LIMIT 1
     ), mine AS MATERIALIZED (
       SELECT m.id, m.embedding <=> $2::vector AS distance, m.updated_at, m.recall_count,
         CASE WHEN m.tsv @@ query.tsq THEN ${wordsOf('m')} END AS words
       FROM memories m, ${QUERY_SCALARS}, (SELECT (SELECT d FROM bound) AS d) AS bound
       WHERE m.user_id = $1 AND m.superseded_by IS NULL AND ($4::text IS NULL OR m.kind = $4)
         AND (SELECT n FROM live) <= $14
         AND (bound.d IS NULL OR m.embedding <=> $2::vector <= bound.d OR m.tsv @@ query.tsq)
     ), vec AS (
       SELECT id, distance, updated_at, recall_count FROM mine ORDER BY distance, id LIMIT $5
     ), ${textList('mine', ['updated_at', 'recall_count'])}, ${fused(['distance', 'updated_at', 'recall_count'])}, page AS (
       SELECT f.id, f.text_rank IS NOT NULL AS matched_words, 1 - f.distance AS similarity,
         ${score('f', 'f')} AS score
       FROM fused f
       WHERE f.text_rank IS NOT NULL OR 1 - f.distance >= $7
       ORDER BY score DESC, id LIMIT $6
     )
     SELECT ${HIT_COLUMNS}, page.matched_words, page.similarity, page.score, live.n AS live
     FROM live LEFT JOIN (page JOIN memories m ON m.id = page.id) ON true
     ORDER BY page.score DESC, page.id`,
    [...params(q), maxRows],
    { prepare: true },
  );
  // `live` always yields its one row, with no hit beside it when there is none or the pass declined.
  if (Number(rows[0]?.live) > maxRows) return null;
  return rows.filter((r): r is HitRow & { live: string } => r.id != null).map(toHit);
}

/**
 * The page of hits through the indexes, for a user with many memories:
 * - `ann`: the HNSW index's nearest neighbours. With pgvector 0.8's iterative scan (set by the caller),
 *   the tenant (row-level security) and user filters apply inside the index scan, which keeps going until
 *   `depth` rows pass them, so a filtered query still fills its list.
 * - `exact`: the same list by exact scan, computed only when `ann` came back short (the scan stops at
 *   `hnsw.max_scan_tuples`).
 * - `txt`: the full-text matches through the GIN index, ranked as the exact pass ranks them (textList).
 * Planned per call, not prepared: whether the HNSW index pays depends on how many rows this user has.
 */
export async function searchIndexed(tx: Queryable, q: HitQuery): Promise<ScoredHit[]> {
  const rows = await tx.query<HitRow>(
    `WITH ${QUERY_WORDS}, ann AS MATERIALIZED (
       SELECT id, embedding <=> $2::vector AS distance FROM memories
       WHERE user_id = $1 AND superseded_by IS NULL AND ($4::text IS NULL OR kind = $4)
       ORDER BY embedding <=> $2::vector LIMIT $5
     ), exact AS MATERIALIZED (
       SELECT id, embedding <=> $2::vector AS distance FROM memories
       WHERE user_id = $1 AND superseded_by IS NULL AND ($4::text IS NULL OR kind = $4)
       ORDER BY (embedding <=> $2::vector) + 0 LIMIT $5
     ), vec AS (
       SELECT id, distance FROM ann WHERE (SELECT count(*) FROM ann) >= $5
       UNION ALL
       SELECT id, distance FROM exact WHERE (SELECT count(*) FROM ann) < $5
     ), live AS MATERIALIZED (
       SELECT count(*) AS n FROM memories WHERE user_id = $1 AND superseded_by IS NULL
     ), said AS MATERIALIZED (
       SELECT m.id, m.embedding <=> $2::vector AS distance, ${wordsOf('m')} AS words
       FROM memories m, ${QUERY_SCALARS}
       WHERE m.tsv @@ query.tsq AND m.user_id = $1 AND m.superseded_by IS NULL AND ($4::text IS NULL OR m.kind = $4)
     ), ${textList('said', [])}, ${fused()}, scored AS (
       SELECT ${HIT_COLUMNS}, f.text_rank IS NOT NULL AS matched_words, 1 - (m.embedding <=> $2::vector) AS similarity,
         ${score('f', 'm')} AS score
       FROM fused f JOIN memories m ON m.id = f.id
     )
     SELECT * FROM scored WHERE matched_words OR similarity >= $7 ORDER BY score DESC, id LIMIT $6`,
    params(q),
  );
  return rows.map(toHit);
}

/**
 * Makes the HNSW index scan iterative for this transaction (pgvector 0.8: keep scanning until enough rows
 * pass the filters; relaxed order, which the ranking re-sorts) and sizes its candidate list. The scan may go
 * on past pgvector's defaults (20,000 tuples, 1 × work_mem), which end it before a selective filter's true
 * nearest rows are seen; `npm run bench:memory` prints recall@10 with the defaults and with these.
 */
export async function useIterativeScan(tx: Queryable, depth: number): Promise<void> {
  const ef = Math.max(40, Math.min(1000, Math.ceil(depth)));
  await tx.exec(
    `SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL hnsw.ef_search = ${ef};
     SET LOCAL hnsw.max_scan_tuples = 50000; SET LOCAL hnsw.scan_mem_multiplier = 4`,
  );
}
