import type { Queryable } from '../../db/types.ts';
import { fetchPage, type Page } from '../pagination.ts';
import { iso } from '../time.ts';
import type { Memory, MemoryKind, MemoryListQuery, MemorySource } from './schema.ts';

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
const M_COLUMNS = COLUMN_NAMES.map((c) => `m.${c}`).join(', ');

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

export async function markRecalled(tx: Queryable, userId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(
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

export interface Candidate extends StoredMemory {
  /** 1-based rank in the vector list, or null when only the text search found it. */
  vector_rank: number | null;
  /** 1-based rank in the full-text list, or null when the words did not match. */
  text_rank: number | null;
  similarity: number;
}

export interface CandidateQuery {
  userId: string;
  embedding: string;
  text: string;
  kind: MemoryKind | null;
  /** Length of each list before fusion. */
  depth: number;
}

/**
 * Both candidate lists and the rows they name, in one statement:
 * - `ann`: the HNSW index's nearest neighbours. With pgvector 0.8's iterative scan (set by the caller),
 *   the tenant (row-level security) and user filters apply inside the index scan, which keeps going until
 *   `depth` rows pass them, so a filtered query still fills its list.
 * - `exact`: the same list by exact scan, computed only when `ann` came back short (the scan stops at
 *   `hnsw.max_scan_tuples`; or the user has fewer rows than `depth`, and then this scan is cheap).
 * - `txt`: full-text matches, any word of the query, best ts_rank_cd first.
 */
export async function selectCandidates(tx: Queryable, q: CandidateQuery): Promise<Candidate[]> {
  const rows = await tx.query<
    MemoryRow & { vector_rank: string | null; text_rank: string | null; similarity: number }
  >(
    `WITH ann AS MATERIALIZED (
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
     ), query AS (
       SELECT memory_tsquery($3) AS tsq
     ), txt AS MATERIALIZED (
       SELECT m.id, ts_rank_cd(m.tsv, query.tsq) AS rank FROM memories m, query
       WHERE query.tsq IS NOT NULL AND m.tsv @@ query.tsq AND m.user_id = $1 AND m.superseded_by IS NULL
         AND ($4::text IS NULL OR m.kind = $4)
       ORDER BY rank DESC, m.id LIMIT $5
     ), fused AS (
       SELECT id, v.rnk AS vector_rank, t.rnk AS text_rank
       FROM (SELECT id, row_number() OVER (ORDER BY distance, id) AS rnk FROM vec) v
       FULL JOIN (SELECT id, row_number() OVER (ORDER BY rank DESC, id) AS rnk FROM txt) t USING (id)
     )
     SELECT ${M_COLUMNS}, f.vector_rank, f.text_rank,
       1 - (m.embedding <=> $2::vector) AS similarity
     FROM fused f JOIN memories m ON m.id = f.id AND m.user_id = $1`,
    [q.userId, q.embedding, q.text, q.kind, q.depth],
  );
  return rows.map((r) => ({
    ...toStored(r),
    vector_rank: r.vector_rank === null ? null : Number(r.vector_rank),
    text_rank: r.text_rank === null ? null : Number(r.text_rank),
    similarity: Number(r.similarity),
  }));
}

/**
 * Makes the HNSW index scan iterative for this transaction (pgvector 0.8: keep scanning until enough rows
 * pass the filters; relaxed order, which the ranking re-sorts) and sizes its candidate list.
 */
export async function useIterativeScan(tx: Queryable, depth: number): Promise<void> {
  const ef = Math.max(40, Math.min(1000, Math.ceil(depth)));
  await tx.exec(`SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL hnsw.ef_search = ${ef}`);
}
