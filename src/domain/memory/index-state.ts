import type { Db, Queryable } from '../../db/types.ts';
import { type Embedder, embedChecked, MAX_INDEXED_DIMENSION, vectorLiteral } from './embedder.ts';
import { embeddingText } from './repo.ts';

/**
 * Which embedder a deployment's memories are embedded with, and changing it.
 *
 * Vectors from two embedders do not compare, and pgvector's HNSW index needs one fixed dimension, so a
 * deployment has exactly one embedder at a time, recorded in `memory_embedder`:
 *
 * - First start: the configured embedder is recorded. The migration made `memories.embedding` a
 *   vector(384) for the lexical default; another dimension retypes the (still empty) column and rebuilds
 *   the index, in the same transaction.
 * - Later starts: a different embedder is refused with a message telling the operator to run
 *   `axon memory reembed`, which re-embeds every memory into a staging column `embedding_next` of the new
 *   dimension, in batches that each commit (a crash resumes where it stopped), builds the HNSW index on
 *   it, then swaps it in and records the new embedder in one short transaction. Processes still running
 *   the old embedder keep working until the swap; rows they add or change meanwhile are caught up under a
 *   table lock at the swap.
 */

// Any constant works; it only has to be the same in every process (migrate.ts uses 727_001).
const EMBEDDER_LOCK = 727_003;

export const VECTOR_INDEX = 'memories_embedding';
const STAGING_INDEX = 'memories_embedding_next';

export class EmbedderMismatchError extends Error {
  override name = 'EmbedderMismatchError';
}

interface EmbedderRow {
  embedder: string;
  dimension: number;
  reembed_target: string | null;
  reembed_dimension: number | null;
}

export interface EmbedderState {
  /** The embedder the stored vectors come from; null before the first start. */
  recorded: { id: string; dimension: number } | null;
  /** A re-embedding begun and not finished. */
  reembedding: { id: string; dimension: number; done: number } | null;
  memories: number;
}

const describe = (id: string, dimension: number) => `${id} (${dimension} dimensions)`;

function checkDimension(embedder: Embedder): void {
  if (!Number.isInteger(embedder.dimension) || embedder.dimension < 1) {
    throw new EmbedderMismatchError(`The embedder ${embedder.id} reports no valid dimension.`);
  }
  if (embedder.dimension > MAX_INDEXED_DIMENSION) {
    throw new EmbedderMismatchError(
      `The embedder ${describe(embedder.id, embedder.dimension)} makes vectors longer than pgvector's HNSW ` +
        `index takes (${MAX_INDEXED_DIMENSION}). Set EMBEDDINGS_DIMENSIONS to ${MAX_INDEXED_DIMENSION} or fewer ` +
        '(models such as text-embedding-3 shorten their vectors on request).',
    );
  }
}

async function readRow(tx: Queryable): Promise<EmbedderRow | undefined> {
  const [row] = await tx.query<EmbedderRow>(
    'SELECT embedder, dimension, reembed_target, reembed_dimension FROM memory_embedder',
  );
  return row;
}

/** Drops and re-creates the HNSW index on a column: the index needs the column's dimension. */
async function rebuildIndex(tx: Queryable, column: string, name: string): Promise<void> {
  await tx.exec(`DROP INDEX IF EXISTS ${name}`);
  await tx.exec(`CREATE INDEX ${name} ON memories USING hnsw (${column} vector_cosine_ops)`);
}

/**
 * Records the embedder at first start, accepts the recorded one, and refuses any other with a message
 * saying what to do. Safe when several processes start together.
 */
export async function ensureEmbedder(db: Db, embedder: Embedder): Promise<void> {
  checkDimension(embedder);
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [EMBEDDER_LOCK]);
    const row = await readRow(tx);
    if (row) {
      if (row.embedder === embedder.id && row.dimension === embedder.dimension) return;
      const inProgress =
        row.reembed_target === embedder.id
          ? ' A re-embedding to it was started and has not finished; run the same command to finish it.'
          : '';
      throw new EmbedderMismatchError(
        `This database's memories are embedded with ${describe(row.embedder, row.dimension)}, but this process ` +
          `is configured for ${describe(embedder.id, embedder.dimension)}. Vectors from different embedders ` +
          'do not compare, so AxonBOS will not start like this. Run `axon memory reembed` with the new ' +
          'settings to re-embed every memory (it shows progress and resumes after a crash), or configure ' +
          `the embedder the database was built with.${inProgress}`,
      );
    }
    const [{ n } = { n: 0 }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM memories');
    if (n > 0) {
      throw new EmbedderMismatchError(
        `This database holds ${n} memories but no record of the embedder that made them. Run ` +
          '`axon memory reembed` to re-embed them with the configured embedder.',
      );
    }
    if ((await columnDimension(tx, 'embedding')) !== embedder.dimension) {
      await tx.exec(`DROP INDEX IF EXISTS ${VECTOR_INDEX}`);
      await tx.exec(`ALTER TABLE memories ALTER COLUMN embedding TYPE vector(${embedder.dimension})`);
      await rebuildIndex(tx, 'embedding', VECTOR_INDEX);
    }
    await tx.query('INSERT INTO memory_embedder (embedder, dimension) VALUES ($1, $2)', [
      embedder.id,
      embedder.dimension,
    ]);
  });
}

/** The declared dimension of a vector column (its typmod), or null when it has none or does not exist. */
async function columnDimension(tx: Queryable, column: string): Promise<number | null> {
  const [row] = await tx.query<{ dim: number | null }>(
    `SELECT nullif(atttypmod, -1) AS dim FROM pg_attribute
     WHERE attrelid = 'memories'::regclass AND attname = $1 AND NOT attisdropped`,
    [column],
  );
  return row ? row.dim : null;
}

export async function embedderState(db: Db): Promise<EmbedderState> {
  return db.transaction(async (tx) => {
    const row = await readRow(tx);
    const [{ n } = { n: 0 }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM memories');
    let reembedding: EmbedderState['reembedding'] = null;
    if (row?.reembed_target && row.reembed_dimension && (await columnDimension(tx, 'embedding_next'))) {
      const [{ done } = { done: 0 }] = await tx.query<{ done: number }>(
        'SELECT count(*)::int AS done FROM memories WHERE embedding_next IS NOT NULL AND embedding_next_key = content_key',
      );
      reembedding = { id: row.reembed_target, dimension: row.reembed_dimension, done };
    }
    return {
      recorded: row ? { id: row.embedder, dimension: row.dimension } : null,
      reembedding,
      memories: n,
    };
  });
}

export interface ReembedProgress {
  phase: 'embedding' | 'indexing' | 'swapping' | 'done';
  done: number;
  total: number;
}

export interface ReembedResult {
  from: { id: string; dimension: number } | null;
  to: { id: string; dimension: number };
  reembedded: number;
  resumed: boolean;
  /** Nothing to do: the database already uses this embedder. */
  alreadyCurrent: boolean;
}

interface PendingRow {
  id: string;
  content: string;
  subject: string | null;
  content_key: string;
}

/** Rows whose staged vector is missing or was computed from content that has changed since. */
const STALE = 'embedding_next IS NULL OR embedding_next_key IS DISTINCT FROM content_key';

async function embedRows(embedder: Embedder, rows: PendingRow[]): Promise<string[]> {
  const vectors = await embedChecked(
    embedder,
    rows.map((r) => embeddingText(r.content, r.subject)),
  );
  return vectors.map(vectorLiteral);
}

/** Stores staged vectors where the content is still what was embedded; a row changed meanwhile stays stale. */
async function stage(tx: Queryable, rows: PendingRow[], vectors: string[]): Promise<number> {
  if (rows.length === 0) return 0;
  const updated = await tx.query<{ id: string }>(
    `UPDATE memories m SET embedding_next = v.embedding::vector, embedding_next_key = v.content_key
     FROM unnest($1::text[], $2::text[], $3::text[]) AS v(id, content_key, embedding)
     WHERE m.id = v.id AND m.content_key = v.content_key
     RETURNING m.id`,
    [rows.map((r) => r.id), rows.map((r) => r.content_key), vectors],
  );
  return updated.length;
}

/**
 * Re-embeds every memory with `embedder` and makes it the deployment's embedder. Resumable: each batch
 * commits, and a run after a crash carries on with the rows not yet done (or starts over when the target
 * changed). Runs as the schema owner, across all tenants.
 */
export async function reembed(
  db: Db,
  embedder: Embedder,
  opts: { batchSize?: number; onProgress?: (p: ReembedProgress) => void } = {},
): Promise<ReembedResult> {
  checkDimension(embedder);
  const batchSize = opts.batchSize ?? 256;
  const report = opts.onProgress ?? (() => {});
  const to = { id: embedder.id, dimension: embedder.dimension };

  // 1. Start, resume or restart, and say how much is left.
  const start = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [EMBEDDER_LOCK]);
    const row = await readRow(tx);
    const from = row ? { id: row.embedder, dimension: row.dimension } : null;
    const staged = await columnDimension(tx, 'embedding_next');
    if (row && row.embedder === to.id && row.dimension === to.dimension && !row.reembed_target) {
      return { from, resumed: false, alreadyCurrent: true };
    }
    const resumed =
      row?.reembed_target === to.id && row.reembed_dimension === to.dimension && staged === to.dimension;
    if (!resumed) {
      await tx.exec(`DROP INDEX IF EXISTS ${STAGING_INDEX}`);
      await tx.exec('ALTER TABLE memories DROP COLUMN IF EXISTS embedding_next');
      await tx.exec('ALTER TABLE memories DROP COLUMN IF EXISTS embedding_next_key');
      await tx.exec(`ALTER TABLE memories ADD COLUMN embedding_next vector(${to.dimension})`);
      await tx.exec('ALTER TABLE memories ADD COLUMN embedding_next_key text');
      if (row) {
        await tx.query(
          'UPDATE memory_embedder SET reembed_target = $1, reembed_dimension = $2, updated_at = now()',
          [to.id, to.dimension],
        );
      } else {
        // No embedder recorded (a database restored without it): the target becomes the record at the swap.
        await tx.query(
          `INSERT INTO memory_embedder (embedder, dimension, reembed_target, reembed_dimension)
           VALUES ('unknown', (SELECT coalesce(nullif(atttypmod, -1), 1) FROM pg_attribute
             WHERE attrelid = 'memories'::regclass AND attname = 'embedding'), $1, $2)`,
          [to.id, to.dimension],
        );
      }
    }
    return { from, resumed, alreadyCurrent: false };
  });
  if (start.alreadyCurrent) {
    report({ phase: 'done', done: 0, total: 0 });
    return { from: start.from, to, reembedded: 0, resumed: false, alreadyCurrent: true };
  }

  const count = async () =>
    (
      await db.query<{ total: number; done: number }>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE NOT (${STALE}))::int AS done FROM memories`,
      )
    )[0] ?? { total: 0, done: 0 };

  // 2. Batches, each in its own transaction. Keyset order by id, so a batch never re-reads what it skipped.
  let { total, done } = await count();
  let reembedded = 0;
  report({ phase: 'embedding', done, total });
  let after = '';
  for (;;) {
    const batch = await db.query<PendingRow>(
      `SELECT id, content, subject, content_key FROM memories WHERE (${STALE}) AND id > $1 ORDER BY id LIMIT $2`,
      [after, batchSize],
    );
    if (batch.length === 0) break;
    after = (batch.at(-1) as PendingRow).id;
    const vectors = await embedRows(embedder, batch);
    const n = await db.transaction((tx) => stage(tx, batch, vectors));
    reembedded += n;
    done += n;
    report({ phase: 'embedding', done, total: Math.max(total, done) });
  }

  // 3. The index on the staged vectors, built before the swap so the swap itself is short.
  report({ phase: 'indexing', done, total });
  await db.transaction(async (tx) => {
    await tx.exec(
      `CREATE INDEX IF NOT EXISTS ${STAGING_INDEX} ON memories USING hnsw (embedding_next vector_cosine_ops)`,
    );
  });

  // 4. The swap: writers wait while rows added or changed since are caught up, then the columns trade places.
  report({ phase: 'swapping', done, total });
  await db.transaction(async (tx) => {
    await tx.exec('LOCK TABLE memories IN SHARE ROW EXCLUSIVE MODE');
    for (;;) {
      const stale = await tx.query<PendingRow>(
        `SELECT id, content, subject, content_key FROM memories WHERE ${STALE} ORDER BY id LIMIT $1`,
        [batchSize],
      );
      if (stale.length === 0) break;
      reembedded += await stage(tx, stale, await embedRows(embedder, stale));
    }
    await tx.exec(`DROP INDEX IF EXISTS ${VECTOR_INDEX}`);
    await tx.exec('ALTER TABLE memories DROP COLUMN embedding');
    await tx.exec('ALTER TABLE memories DROP COLUMN embedding_next_key');
    await tx.exec('ALTER TABLE memories RENAME COLUMN embedding_next TO embedding');
    await tx.exec('ALTER TABLE memories ALTER COLUMN embedding SET NOT NULL');
    await tx.exec(`ALTER INDEX ${STAGING_INDEX} RENAME TO ${VECTOR_INDEX}`);
    await tx.query(
      `UPDATE memory_embedder SET embedder = $1, dimension = $2, reembed_target = NULL, reembed_dimension = NULL,
         updated_at = now()`,
      [to.id, to.dimension],
    );
  });
  // After the swap there is no staging column to count by: every row is embedded.
  const [final] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM memories');
  total = final?.n ?? 0;
  report({ phase: 'done', done: total, total });
  return { from: start.from, to, reembedded, resumed: start.resumed, alreadyCurrent: false };
}
