/**
 * `npm run bench:memory`: long-term memory search at 100k memories on real Postgres + pgvector.
 *
 *  1. load: BENCH_MEMORIES generated memories (bench/memory/corpus.ts: contacts, rates, who pays late,
 *     rents, GST numbers, preferences, in English and Hinglish) across BENCH_TENANTS businesses with
 *     BENCH_USERS_PER_TENANT users each, and then BENCH_HEAVY_MEMORIES more for each of BENCH_HEAVY_USERS
 *     heavy users, each in a business of their own (so the table is bigger, the rest unchanged); read by
 *     the product's own statement analyser and embedded by the real offline embedder
 *     (createLexicalEmbedder), written with multi-row INSERTs; then the HNSW (cosine) and GIN indexes are
 *     built, timed (the load runs without them, as a bulk load should);
 *  2. latency p50/p95 at BENCH_LEVELS concurrent clients (1 and 10) of
 *     - hybrid search: createMemoryService(...).search, tenant-scoped through db.tenant, as the app calls it
 *       (every bench user has fewer memories than exactSearchMax, so this is the exact pass, searchExact);
 *     - vector only, product: searchExact's own statement with no words to match and no boost, so its page
 *       is the vector list the hybrid search fuses;
 *     - vector only, index path: the HNSW query of searchIndexed (the `ann` list, same filters, same
 *       session settings from useIterativeScan), which the product runs for users over exactSearchMax: as
 *       the planner plans it (here it prefers the b-tree and sorts), and with the HNSW index forced;
 *     - heavy users (BENCH_HEAVY_QUERIES questions to them): the service's search, the same with its exact
 *       pass turned off (the index path a user over exactSearchMax gets), and the two vector lists above;
 *     - LangChain: PGVectorStore.similaritySearch(q, 10, {tenant_id, user_id}) from @langchain/community,
 *       on a copy of the same rows in LangChain's own table layout (id uuid, text, metadata jsonb,
 *       embedding vector(384): the same vectors, copied, not re-embedded) with the HNSW index its
 *       createHnswIndex builds (m 16, ef_construction 64: pgvector's defaults, as ours); run as shipped
 *       (default session: hnsw.ef_search 40, no iterative scan), and again with hnsw.iterative_scan on;
 *  3. recall@10 of each vector search against an exact scan of the same tenant- and user-filtered rows
 *     (the same query ordered by a computed distance, which no index can serve; ties at the 10th distance
 *     count as hits);
 *  4. hit@5 on the paraphrase pairs: each query is a differently worded question about one stored memory
 *     ("Ramesh Kumar's number is …" → "how do I call Ramesh Kumar"); a hit is that memory in the top 5.
 * Every timed call includes embedding the query text, as each path does it itself.
 *
 * Needs real Postgres with pgvector ≥ 0.8: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database is
 * created there and dropped at the end, Ctrl-C included). LangChain is a bench-only dependency in
 * bench/memory/package.json; run.ts installs it on first use (`npm ci --prefix bench/memory
 * --legacy-peer-deps`); BENCH_LANGCHAIN=0 skips that part.
 *
 * Knobs: BENCH_MEMORIES (100000), BENCH_TENANTS (100), BENCH_USERS_PER_TENANT (2), BENCH_QUERIES (500),
 * BENCH_LEVELS ("1,10"), BENCH_HEAVY_USERS (4), BENCH_HEAVY_MEMORIES (5000), BENCH_HEAVY_QUERIES (200),
 * BENCH_SEED (42), BENCH_BATCH rows per INSERT (1000), BENCH_MAINTENANCE_WORK_MEM for the index builds
 * ("1GB"; the build is much slower when the graph does not fit), BENCH_EXPLAIN=0 (no query plans),
 * BENCH_SHOW_MISSES=N (print N hybrid misses on stderr), BENCH_LANGCHAIN=0, BENCH_KEEP_DATABASE=1 (leave
 * the database for inspection, not dropped), DATABASE_POOL_SIZE (10). Quick run: BENCH_MEMORIES=10000
 * BENCH_QUERIES=100 BENCH_HEAVY_USERS=1 BENCH_HEAVY_QUERIES=50.
 * Targets, printed beside the figures: p95 under 30 ms at 100k, recall@10 ≥ 0.95, faster than the
 * LangChain store at equal or better recall. Prints figures only; it never fails on a target.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type pg from 'pg';
import { openDatabase } from '../../src/db/index.ts';
import type { Db, Queryable, Tx } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { newId } from '../../src/domain/ids.ts';
import { vectorLiteral } from '../../src/domain/memory/embedder.ts';
import { analyseStatement, contentKey, subjectKey } from '../../src/domain/memory/extractor-offline.ts';
import { ensureEmbedder } from '../../src/domain/memory/index-state.ts';
import { createLexicalEmbedder } from '../../src/domain/memory/lexical-embedder.ts';
import { embeddingText, searchExact, useIterativeScan } from '../../src/domain/memory/repo.ts';
import {
  createMemoryService,
  DEFAULT_MEMORY_SETTINGS,
  keywordsOf,
  RRF_K,
} from '../../src/domain/memory/service.ts';
import { createLogger } from '../../src/log.ts';
import { postgresDatabase } from '../support.ts';
import { type GeneratedMemory, mulberry32, pick, userMemories } from './corpus.ts';

const TARGET_P95_MS = 30;
const TARGET_RECALL = 0.95;
const K = 10;
const HIT_AT = 5;

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= min) return n;
  process.stderr.write(`bench:memory: ${name} must be an integer ≥ ${min}, got ${JSON.stringify(raw)}\n`);
  process.exit(2);
}

function levelsEnv(): number[] {
  const raw = process.env.BENCH_LEVELS || '1,10';
  const levels = raw.split(',').map((s) => Number(s.trim()));
  if (levels.length > 0 && levels.every((n) => Number.isInteger(n) && n >= 1 && n <= 200)) return levels;
  process.stderr.write(`bench:memory: BENCH_LEVELS must be integers 1–200 like "1,10", got "${raw}"\n`);
  process.exit(2);
}

const off = (name: string) => ['0', 'false', 'no'].includes(process.env[name] ?? '');

const MEMORIES = intEnv('BENCH_MEMORIES', 100_000, 1);
const TENANTS = intEnv('BENCH_TENANTS', 100, 1);
const USERS_PER_TENANT = intEnv('BENCH_USERS_PER_TENANT', 2, 1);
const QUERIES = intEnv('BENCH_QUERIES', 500, 1);
const HEAVY_USERS = intEnv('BENCH_HEAVY_USERS', 4, 0);
const HEAVY_MEMORIES = intEnv('BENCH_HEAVY_MEMORIES', 5000, 1);
const HEAVY_QUERIES = intEnv('BENCH_HEAVY_QUERIES', 200, 1);
const LEVELS = levelsEnv();
const SEED = intEnv('BENCH_SEED', 42, 0);
const BATCH = intEnv('BENCH_BATCH', 1000, 1);
const POOL_SIZE = intEnv('DATABASE_POOL_SIZE', 10, 1);
const MAINTENANCE_WORK_MEM = process.env.BENCH_MAINTENANCE_WORK_MEM || '1GB';
const EXPLAIN = !off('BENCH_EXPLAIN');
const LANGCHAIN = !off('BENCH_LANGCHAIN');
const SHOW_MISSES = intEnv('BENCH_SHOW_MISSES', 0, 0);
const KEEP = ['1', 'true', 'yes'].includes(process.env.BENCH_KEEP_DATABASE ?? '');
const WARMUP = Math.min(50, QUERIES);

if (!/^\d+\s*(kB|MB|GB)$/.test(MAINTENANCE_WORK_MEM)) {
  process.stderr.write('bench:memory: BENCH_MAINTENANCE_WORK_MEM must look like "512MB" or "1GB"\n');
  process.exit(2);
}

/** Set on Ctrl-C: the run stops where it is, and its failures from then on are the interruption's. */
let stopping = false;

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const progress = (msg: string) => process.stderr.write(`[bench:memory] ${msg}\n`);

// ---------------------------------------------------------------------------------------------------
// The corpus and the load.

interface BenchUser {
  tenantId: string;
  userId: string;
}

interface BenchQuery {
  user: BenchUser;
  text: string;
  /** The memory the question is about. */
  targetId: string;
  family: string;
}

interface Row {
  id: string;
  user: BenchUser;
  memory: GeneratedMemory;
}

interface Corpus {
  /** Every user, the heavy ones last. */
  users: BenchUser[];
  /** One user in each of BENCH_HEAVY_USERS more businesses, with BENCH_HEAVY_MEMORIES each. */
  heavy: BenchUser[];
  rows: Row[];
  /** Questions to the users of the BENCH_TENANTS businesses. */
  queries: BenchQuery[];
  /** Questions to the heavy users, whose searches read many more rows. */
  heavyQueries: BenchQuery[];
}

function generate(): Corpus {
  const rng = mulberry32(SEED);
  const users: BenchUser[] = [];
  for (let t = 0; t < TENANTS; t++) {
    const tenantId = newId('ten');
    for (let u = 0; u < USERS_PER_TENANT; u++) users.push({ tenantId, userId: newId('usr') });
  }
  const perUser = Math.floor(MEMORIES / users.length);
  const extra = MEMORIES % users.length;
  const byUser = new Map<BenchUser, Row[]>();
  const give = (user: BenchUser, count: number) => {
    byUser.set(
      user,
      userMemories(rng, count).map((memory) => ({ id: newId('mem'), user, memory })),
    );
  };
  users.forEach((user, i) => {
    give(user, perUser + (i < extra ? 1 : 0));
  });
  // Queries spread over a cohort's users round-robin, each about a different memory of that user.
  const taken = new Set<string>();
  const ask = (cohort: BenchUser[], wanted: number): BenchQuery[] => {
    const out: BenchQuery[] = [];
    const available = cohort.reduce((n, u) => n + (byUser.get(u)?.length ?? 0), 0);
    for (let i = 0; cohort.length > 0 && out.length < Math.min(wanted, available); i++) {
      const rows = byUser.get(cohort[i % cohort.length] as BenchUser) as Row[];
      if (rows.length === 0) continue;
      const row = pick(rng, rows);
      if (taken.has(row.id)) continue;
      taken.add(row.id);
      out.push({
        user: row.user,
        text: pick(rng, row.memory.queries),
        targetId: row.id,
        family: row.memory.family,
      });
    }
    return out;
  };
  // The heavy users come after everything else is drawn, so the rest is the same corpus with or without them.
  const queries = ask(users, QUERIES);
  const heavy = Array.from({ length: HEAVY_USERS }, () => ({ tenantId: newId('ten'), userId: newId('usr') }));
  for (const user of heavy) give(user, HEAVY_MEMORIES);
  const heavyQueries = ask(heavy, HEAVY_QUERIES);
  return { users: [...users, ...heavy], heavy, rows: [...byUser.values()].flat(), queries, heavyQueries };
}

const INSERT_SQL = `INSERT INTO memories (id, tenant_id, user_id, content, kind, subject, subject_key, attribute, value,
    content_key, keywords, source, embedding, created_at, updated_at)
  SELECT id, tenant_id, user_id, content, kind, subject, subject_key, attribute, value, content_key, keywords, 'api',
    embedding::vector, created_at, created_at
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
    $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[])
    AS t(id, tenant_id, user_id, content, kind, subject, subject_key, attribute, value, content_key, keywords,
      embedding, created_at)`;

async function insertBatch(
  db: Db,
  embedder: ReturnType<typeof createLexicalEmbedder>,
  rows: Row[],
  now: number,
) {
  const cols: unknown[][] = Array.from({ length: 13 }, () => []);
  const texts: string[] = [];
  for (const r of rows) {
    const c = analyseStatement(r.memory.text);
    const values = [
      r.id,
      r.user.tenantId,
      r.user.userId,
      c.content,
      c.kind,
      c.subject,
      subjectKey(c.subject),
      c.attribute,
      c.value,
      contentKey(c.content),
      keywordsOf(c),
    ];
    values.forEach((v, i) => {
      (cols[i] as unknown[]).push(v);
    });
    (cols[12] as unknown[]).push(new Date(now - r.memory.ageDays * 86_400_000));
    texts.push(embeddingText(c.content, c.subject));
  }
  const vectors = await embedder.embed(texts);
  cols[11] = vectors.map(vectorLiteral);
  await db.query(INSERT_SQL, cols);
}

async function load(db: Db, users: BenchUser[], rows: Row[]) {
  const embedder = createLexicalEmbedder();
  await ensureEmbedder(db, embedder);
  await db.transaction(async (tx) => {
    const tenants = [...new Set(users.map((u) => u.tenantId))];
    await tx.query(
      `INSERT INTO tenants (id, name) SELECT id, 'Bench business ' || n FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n)`,
      [tenants],
    );
    // The first user of each business is its owner.
    const roles = users.map((u, i) =>
      users.findIndex((v) => v.tenantId === u.tenantId) === i ? 'owner' : 'member',
    );
    await tx.query(
      `INSERT INTO users (id, tenant_id, phone, role)
       SELECT id, tenant_id, '+9190' || lpad(n::text, 8, '0'), role
       FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(id, tenant_id, role, n)`,
      [users.map((u) => u.userId), users.map((u) => u.tenantId), roles],
    );
    // A bulk load builds its indexes afterwards; they are rebuilt and timed below.
    await tx.exec('DROP INDEX memories_embedding; DROP INDEX memories_tsv');
  });

  const now = Date.now();
  const started = performance.now();
  const tty = process.stderr.isTTY;
  let done = 0;
  let lastReport = 0;
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < rows.length; i += BATCH) {
    const p: Promise<void> = insertBatch(db, embedder, rows.slice(i, i + BATCH), now).then(() => {
      inFlight.delete(p);
      done += Math.min(BATCH, rows.length - i);
      const pct = Math.floor((100 * done) / rows.length);
      if (tty || pct >= lastReport + 10 || done === rows.length) {
        lastReport = pct - (pct % 10);
        const rate = done / ((performance.now() - started) / 1000);
        const line = `loading memories: ${done.toLocaleString('en-US')} / ${rows.length.toLocaleString('en-US')} (${pct}%), ${rate.toFixed(0)} rows/s`;
        process.stderr.write(
          tty ? `\r[bench:memory] ${line}${done === rows.length ? '\n' : ''}` : `[bench:memory] ${line}\n`,
        );
      }
    });
    inFlight.add(p);
    // Two batches in flight: one being embedded here while Postgres writes the other.
    if (inFlight.size >= 2) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const loadMs = performance.now() - started;

  progress(`building the HNSW index (maintenance_work_mem ${MAINTENANCE_WORK_MEM})`);
  const build = async (sql: string) => {
    const t0 = performance.now();
    await db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
      await tx.exec(sql);
    });
    return performance.now() - t0;
  };
  // The migration's own definitions (003_memory.sql).
  const hnswMs = await build(
    'CREATE INDEX memories_embedding ON memories USING hnsw (embedding vector_cosine_ops)',
  );
  progress('building the full-text (GIN) index');
  const ginMs = await build('CREATE INDEX memories_tsv ON memories USING gin (tsv)');
  await db.exec('VACUUM ANALYZE memories');
  return { loadMs, hnswMs, ginMs, embedder };
}

// ---------------------------------------------------------------------------------------------------
// The searches.

interface Hit {
  id: string;
  distance: number;
}

/** The `ann` list of searchIndexed (src/domain/memory/repo.ts), verbatim; $3 kind, $4 depth. */
const ANN_SQL = `SELECT id, embedding <=> $2::vector AS distance FROM memories
  WHERE user_id = $1 AND superseded_by IS NULL AND ($3::text IS NULL OR kind = $3)
  ORDER BY embedding <=> $2::vector LIMIT $4`;
/** The same rows by exact scan: ordering by a computed distance keeps every index away. */
const EXACT_SQL = `SELECT id, embedding <=> $2::vector AS distance FROM memories
  WHERE user_id = $1 AND superseded_by IS NULL AND ($3::text IS NULL OR kind = $3)
  ORDER BY (embedding <=> $2::vector) + 0, id LIMIT $4`;
/** What searchIn asks of each list for a page of K: max(40, 3 × limit), capped at 200. */
const DEPTH = Math.min(200, Math.max(40, K * 3));
const HYBRID = 'hybrid search (memory service)';
const PRODUCT = 'vector only (product: exact pass)';
const VECTOR = 'vector only (index path, as planned)';
const FORCED = 'vector only (index path, HNSW forced)';
const HEAVY_EXACT = 'exact scan, heavy users, for reference';
const HEAVY_HYBRID = 'hybrid search, heavy users (memory service)';
const HEAVY_INDEXED = 'hybrid search, heavy users, index path';
const HEAVY_VECTOR = 'vector only, heavy users (as planned)';
const HEAVY_FORCED = 'vector only, heavy users (HNSW forced)';

const toHits = (rows: { id: string; distance: number }[]) =>
  rows.map((r) => ({ id: r.id, distance: Number(r.distance) })).sort((a, b) => a.distance - b.distance);

// ---------------------------------------------------------------------------------------------------
// LangChain, loaded from bench/memory/node_modules at run time: CI does not install it, so nothing here
// imports it statically, and these are the few parts of its API the bench uses.

interface LcDocument {
  pageContent: string;
  metadata: Record<string, unknown>;
  id?: string;
}
interface LcEmbeddings {
  embedQuery(text: string): Promise<number[]>;
  embedDocuments(texts: string[]): Promise<number[][]>;
}
interface LcConfig {
  postgresConnectionOptions: pg.PoolConfig;
  tableName: string;
  distanceStrategy?: 'cosine';
  skipInitializationCheck?: boolean;
  dimensions?: number;
}
interface LcStore {
  similaritySearch(query: string, k: number, filter?: Record<string, unknown>): Promise<LcDocument[]>;
  createHnswIndex(config: { dimensions: number; m?: number; efConstruction?: number }): Promise<void>;
  end(): Promise<void>;
}
interface LcModule {
  PGVectorStore: {
    new (embeddings: LcEmbeddings, config: LcConfig): LcStore;
    initialize(embeddings: LcEmbeddings, config: LcConfig): Promise<LcStore>;
  };
}

const LC_PACKAGE = join(BENCH_DIR, 'node_modules', '@langchain', 'community', 'package.json');
const LC_TABLE = 'lc_memories';

/** Installs bench/memory's own dependencies when they are missing; false when that fails. */
function ensureBenchDeps(): boolean {
  if (existsSync(LC_PACKAGE)) return true;
  progress('installing bench-only dependencies: npm ci --prefix bench/memory --legacy-peer-deps');
  const r = spawnSync('npm', ['ci', '--prefix', BENCH_DIR, '--legacy-peer-deps', '--no-audit', '--no-fund'], {
    stdio: ['ignore', 2, 2],
  });
  if (r.status === 0 && existsSync(LC_PACKAGE)) return true;
  progress(`npm ci failed (${r.error?.message ?? `exit ${r.status}`}); skipping the LangChain comparison`);
  return false;
}

async function loadLangChain(): Promise<{ mod: LcModule; version: string } | null> {
  if (!LANGCHAIN || !ensureBenchDeps()) return null;
  const version = (JSON.parse(readFileSync(LC_PACKAGE, 'utf8')) as { version: string }).version;
  // Resolved from this folder, so it finds bench/memory/node_modules; a computed specifier, so tsc does not
  // look for the package (CI never installs it).
  const specifier = pathToFileURL(
    join(BENCH_DIR, 'node_modules', '@langchain', 'community', 'dist', 'vectorstores', 'pgvector.js'),
  ).href;
  const mod = (await import(specifier)) as LcModule;
  return { mod, version };
}

// ---------------------------------------------------------------------------------------------------
// Timing and figures.

interface Timed<R> {
  latencies: number[];
  results: R[];
  wallMs: number;
}

/** Calls `each` for every query once, across `clients` concurrent clients, each taking the next when done. */
async function drive(
  queries: BenchQuery[],
  clients: number,
  each: (q: BenchQuery, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(clients, queries.length) }, async () => {
      for (let i = next++; i < queries.length; i = next++) await each(queries[i] as BenchQuery, i);
    }),
  );
}

/**
 * Runs every query once across `clients` concurrent clients. The warm-up runs at the same concurrency, so
 * every pooled connection the level uses is open and has planned its statements before the clock starts:
 * a long-running server pays that once, not per search.
 */
async function timed<R>(
  queries: BenchQuery[],
  clients: number,
  fn: (q: BenchQuery) => Promise<R>,
): Promise<Timed<R>> {
  // Ten calls a connection: past the five custom plans after which Postgres may settle on a generic one.
  const warmup = Array.from(
    { length: Math.max(WARMUP, 10 * clients) },
    (_, i) => queries[i % queries.length] as BenchQuery,
  );
  await drive(warmup, clients, async (q) => {
    await fn(q);
  });
  const latencies: number[] = new Array(queries.length);
  const results: R[] = new Array(queries.length);
  const started = performance.now();
  await drive(queries, clients, async (q, i) => {
    const t0 = performance.now();
    results[i] = await fn(q);
    latencies[i] = performance.now() - t0;
  });
  return { latencies, results, wallMs: performance.now() - started };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface LatencyLine {
  path: string;
  clients: number;
  p50: number;
  p95: number;
  p99: number;
  qps: number;
}

function latencyLine(path: string, clients: number, t: Timed<unknown>): LatencyLine {
  const s = [...t.latencies].sort((a, b) => a - b);
  return {
    path,
    clients,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    qps: t.latencies.length / (t.wallMs / 1000),
  };
}

/** Exact neighbours: ids within the 10th distance (ties included), and how many the exact top-K holds. */
interface Truth {
  accept: Set<string>;
  size: number;
}

function truthOf(exact: Hit[]): Truth {
  const top = exact.slice(0, K);
  const last = top.at(-1)?.distance ?? Number.POSITIVE_INFINITY;
  return {
    accept: new Set(exact.filter((h) => h.distance <= last + 1e-6).map((h) => h.id)),
    size: top.length,
  };
}

function recallOf(ids: string[], truth: Truth): number {
  if (truth.size === 0) return 1;
  const got = new Set(ids.slice(0, K).filter((id) => truth.accept.has(id)));
  return Math.min(got.size, truth.size) / truth.size;
}

interface Quality {
  recall: number;
  recallMin: number;
  /** Queries whose recall@10 was under the target. */
  below: number;
  /** Queries that got fewer than K results although the user has at least K memories. */
  short: number;
  /** Mean over tenants of the tenant's mean recall, and the worst tenant. */
  worstTenant: number;
  hit: number;
}

function quality(queries: BenchQuery[], truths: Truth[], ids: string[][]): Quality {
  const recalls = queries.map((_, i) => recallOf(ids[i] as string[], truths[i] as Truth));
  const byTenant = new Map<string, number[]>();
  queries.forEach((q, i) => {
    const list = byTenant.get(q.user.tenantId) ?? [];
    list.push(recalls[i] as number);
    byTenant.set(q.user.tenantId, list);
  });
  const tenantMeans = [...byTenant.values()].map((r) => r.reduce((a, b) => a + b, 0) / r.length);
  return {
    recall: recalls.reduce((a, b) => a + b, 0) / recalls.length,
    recallMin: Math.min(...recalls),
    below: recalls.filter((r) => r < TARGET_RECALL).length,
    short: queries.filter((_, i) => (ids[i] as string[]).length < Math.min(K, (truths[i] as Truth).size))
      .length,
    worstTenant: Math.min(...tenantMeans),
    hit: hitAt(queries, ids),
  };
}

function hitAt(queries: BenchQuery[], ids: string[][], n = HIT_AT): number {
  return (
    queries.filter((q, i) => (ids[i] as string[]).slice(0, n).includes(q.targetId)).length / queries.length
  );
}

/** A query plan, node lines only, indented as Postgres prints them. */
async function explain(tx: Queryable, sql: string, params: unknown[]): Promise<string[]> {
  const rows = await tx.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`,
    params,
  );
  // A query vector is 384 numbers: shown as its length.
  return rows.map(
    (r) => `    ${r['QUERY PLAN'].replace(/'\[[-0-9.,e]+\]'/g, (v) => `'[${v.split(',').length} dims]'`)}`,
  );
}

interface HeavyReport {
  hybridHit: number;
  indexedHit: number;
  vector: Quality;
  forced: Quality;
}

interface Captured {
  sql: string;
  params: readonly unknown[] | undefined;
}

/** A Db whose tenant transactions note every statement, so a service call's own SQL can be explained. */
function capturing(db: Db, log: Captured[]): Db {
  const noting = (tx: Tx): Tx => ({
    query: (sql, params, options) => {
      log.push({ sql, params });
      return tx.query(sql, params, options);
    },
    exec: (sql) => {
      log.push({ sql, params: undefined });
      return tx.exec(sql);
    },
    queue: (sql, params, options) => {
      log.push({ sql, params });
      tx.queue(sql, params, options);
    },
  });
  const one = db.tenantBatch;
  return {
    ...db,
    tenant: (tenantId, fn) => db.tenant(tenantId, (tx) => fn(noting(tx))),
    ...(one && { tenantBatch: (tenantId, fn) => one(tenantId, (tx) => fn(noting(tx))) }),
  };
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    process.stderr.write(
      'bench:memory needs real Postgres with pgvector: set BENCH_DATABASE_URL or TEST_DATABASE_URL, e.g.\n' +
        '  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:memory\n',
    );
    process.exit(2);
  }
  const lc = await loadLangChain();

  const database = await postgresDatabase(adminUrl);
  let db: Db | undefined;
  const stores: LcStore[] = [];
  const closePools = () => Promise.allSettled([...stores.map((s) => s.end()), db?.close()]);
  const drop = async () => {
    if (KEEP) {
      progress(`BENCH_KEEP_DATABASE: leaving ${database.name} in place (DROP DATABASE ${database.name})`);
      return;
    }
    await database.drop().catch((err) => progress(`could not drop ${database.name}: ${String(err)}`));
  };
  // At the end: close the pools, then drop. On Ctrl-C: drop first (WITH FORCE ends the sessions, a running
  // index build included), since a pool's end() waits for its busy clients, which may take minutes; the
  // process exits right after, so the pools' dropped connections are not waited for.
  const cleanup = async () => {
    await closePools();
    await drop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; dropping ${database.name}`);
      stopping = true;
      void drop().finally(() => process.exit(130));
    });
  }

  try {
    progress(`fresh database ${database.name}; migrating`);
    db = await openDatabase(
      { DATABASE_URL: database.url, DATA_DIR: '', DATABASE_POOL_SIZE: POOL_SIZE },
      createLogger('warn'),
    );
    const dbc = db;
    const [server] = await dbc.query<{ pg: string; vector: string; sb: string; mst: string }>(
      `SELECT current_setting('server_version') AS pg, (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector,
         current_setting('shared_buffers') AS sb, current_setting('hnsw.max_scan_tuples') AS mst`,
    );

    progress(
      `generating ${MEMORIES.toLocaleString('en-US')} memories for ${TENANTS * USERS_PER_TENANT} users, ` +
        `and ${HEAVY_MEMORIES.toLocaleString('en-US')} each for ${HEAVY_USERS} heavy users`,
    );
    const { users, heavy, rows, queries, heavyQueries } = generate();
    const { loadMs, hnswMs, ginMs, embedder } = await load(dbc, users, rows);
    const [sizes] = await dbc.query<{ heap: string; hnsw: string; gin: string }>(
      `SELECT pg_size_pretty(pg_table_size('memories')) AS heap, pg_size_pretty(pg_relation_size('memories_embedding')) AS hnsw,
         pg_size_pretty(pg_relation_size('memories_tsv')) AS gin`,
    );
    if (stopping) return;

    const service = createMemoryService({ db: dbc, embedder });
    const ctxOf = (u: BenchUser): Ctx => ({
      tenantId: u.tenantId,
      userId: u.userId,
      actor: 'user',
      via: 'api',
      timezone: 'Asia/Kolkata',
    });
    const embedQuery = async (text: string) => vectorLiteral((await embedder.embed([text]))[0] as number[]);

    const hybrid = async (q: BenchQuery) =>
      (await service.search(ctxOf(q.user), { q: q.text, limit: K })).map((h) => h.id);
    // searchExact's statement with no words (so no full-text list), no boost and every row relevant: its page
    // is the vector list that the hybrid search fuses, for users with up to exactSearchMax memories (all here).
    const productVector = async (q: BenchQuery) => {
      const embedding = await embedQuery(q.text);
      const ranking = {
        rrfK: RRF_K,
        minSimilarity: -1,
        now: new Date(),
        recencyBoost: 0,
        recencyDays: 30,
        recallBoost: 0,
        recallsForFullBoost: 10,
      };
      const query = {
        userId: q.user.userId,
        embedding,
        text: '',
        kind: null,
        depth: DEPTH,
        limit: K,
        ranking,
      };
      const hits = await dbc.tenant(q.user.tenantId, (tx) =>
        searchExact(tx, query, DEFAULT_MEMORY_SETTINGS.exactSearchMax),
      );
      if (!hits)
        throw new Error('a bench user has more memories than exactSearchMax: the exact pass declined');
      return hits.map((h) => h.id);
    };
    const vectorOnly = async (q: BenchQuery) => {
      const embedding = await embedQuery(q.text);
      const hits = await dbc.tenant(q.user.tenantId, async (tx) => {
        await useIterativeScan(tx, DEPTH);
        return toHits(await tx.query(ANN_SQL, [q.user.userId, embedding, null, DEPTH]));
      });
      return { ids: hits.slice(0, K).map((h) => h.id), full: hits.length >= DEPTH };
    };
    // The planner may serve the index path's query from a b-tree on (tenant, user) and sort: exact, not HNSW.
    // With sorting disabled for the transaction, only the HNSW index can give the order, so this measures the
    // index itself under the same filters and iterative-scan settings (what a user with many memories gets).
    const hnswForced = async (q: BenchQuery) => {
      const embedding = await embedQuery(q.text);
      const hits = await dbc.tenant(q.user.tenantId, async (tx) => {
        await useIterativeScan(tx, DEPTH);
        await tx.exec('SET LOCAL enable_sort = off');
        return toHits(await tx.query(ANN_SQL, [q.user.userId, embedding, null, DEPTH]));
      });
      return { ids: hits.slice(0, K).map((h) => h.id), full: hits.length >= DEPTH };
    };
    const exact = async (q: BenchQuery) => {
      const embedding = await embedQuery(q.text);
      return dbc.tenant(q.user.tenantId, async (tx) =>
        toHits(await tx.query(EXACT_SQL, [q.user.userId, embedding, null, K * 2])),
      );
    };

    const latency: LatencyLine[] = [];
    progress(`exact scans for ${queries.length} queries (the ground truth)`);
    const exactRun = await timed(queries, 1, exact);
    latency.push(latencyLine('exact scan (no index), for reference', 1, exactRun));
    const truths = exactRun.results.map(truthOf);

    const runPaths = async <R>(
      label: string,
      fn: (q: BenchQuery) => Promise<R>,
      qs: BenchQuery[] = queries,
    ): Promise<R[]> => {
      let first: R[] | undefined;
      for (const clients of LEVELS) {
        progress(`${label}: ${qs.length} queries at ${clients} concurrent client${clients > 1 ? 's' : ''}`);
        const t = await timed(qs, clients, fn);
        latency.push(latencyLine(label, clients, t));
        first ??= t.results;
        if (stopping) break;
      }
      return first ?? [];
    };

    const hybridIds = await runPaths(HYBRID, hybrid);
    if (SHOW_MISSES > 0) {
      // What a miss looks like: the question, the memory it is about, and what came first instead.
      const misses = queries.filter(
        (q, i) => !(hybridIds[i] as string[]).slice(0, HIT_AT).includes(q.targetId),
      );
      for (const q of misses.slice(0, SHOW_MISSES)) {
        const [target] = await dbc.query<{ content: string }>('SELECT content FROM memories WHERE id = $1', [
          q.targetId,
        ]);
        const hits = await service.search(ctxOf(q.user), { q: q.text, limit: K });
        const at = hits.findIndex((h) => h.id === q.targetId);
        progress(
          `miss [${q.family}] "${q.text}" → "${target?.content}" (hybrid rank ${at >= 0 ? at + 1 : '>10'})`,
        );
        for (const h of hits.slice(0, HIT_AT)) {
          progress(
            `    ${fmt(h.score, 4)} sim ${fmt(h.similarity, 2)}${h.matched_words ? ' words' : ''}: ${h.content}`,
          );
        }
      }
    }
    const productIds = await runPaths(PRODUCT, productVector);
    const vectorResults = await runPaths(VECTOR, vectorOnly);
    const vectorIds = vectorResults.map((r) => r.ids);
    const vectorFull = vectorResults.filter((r) => r.full).length;
    const forcedResults = await runPaths(FORCED, hnswForced);
    const forcedIds = forcedResults.map((r) => r.ids);
    const forcedFull = forcedResults.filter((r) => r.full).length;

    // The heavy users: the service's search as they get it, the index path, and that path's vector lists.
    let heavyReport: HeavyReport | undefined;
    if (heavyQueries.length > 0 && !stopping) {
      progress(`exact scans for ${heavyQueries.length} heavy-user queries (the ground truth)`);
      const heavyExact = await timed(heavyQueries, 1, exact);
      latency.push(latencyLine(HEAVY_EXACT, 1, heavyExact));
      const heavyTruths = heavyExact.results.map(truthOf);
      const hybridHeavy = await runPaths(HEAVY_HYBRID, hybrid, heavyQueries);
      // What these users would get above exactSearchMax: the service, its exact pass turned off.
      const indexedService = createMemoryService({ db: dbc, embedder, settings: { exactSearchMax: 0 } });
      const indexedHeavy = await runPaths(
        HEAVY_INDEXED,
        async (q) => (await indexedService.search(ctxOf(q.user), { q: q.text, limit: K })).map((h) => h.id),
        heavyQueries,
      );
      const vectorHeavy = (await runPaths(HEAVY_VECTOR, vectorOnly, heavyQueries)).map((r) => r.ids);
      const forcedHeavy = (await runPaths(HEAVY_FORCED, hnswForced, heavyQueries)).map((r) => r.ids);
      heavyReport = {
        hybridHit: hitAt(heavyQueries, hybridHeavy),
        indexedHit: hitAt(heavyQueries, indexedHeavy),
        vector: quality(heavyQueries, heavyTruths, vectorHeavy),
        forced: quality(heavyQueries, heavyTruths, forcedHeavy),
      };
    }

    // LangChain on a copy of the same rows, in its own table layout.
    let lcReport: string[] = [];
    const lcQuality: { label: string; q: Quality }[] = [];
    const lcPlans: string[] = [];
    if (lc && !stopping) {
      const lcEmbeddings: LcEmbeddings = {
        embedQuery: async (text) => (await embedder.embed([text]))[0] as number[],
        embedDocuments: (texts) => embedder.embed(texts),
      };
      progress(`LangChain ${lc.version}: creating ${LC_TABLE} with PGVectorStore.initialize`);
      const store = await lc.mod.PGVectorStore.initialize(lcEmbeddings, {
        // initialize() holds one pooled client for the store's life: one more, so 10 clients get 10.
        postgresConnectionOptions: {
          connectionString: database.url,
          max: POOL_SIZE + 1,
          options: `-c maintenance_work_mem=${MAINTENANCE_WORK_MEM.replace(/\s+/g, '')}`,
        },
        tableName: LC_TABLE,
        distanceStrategy: 'cosine',
        dimensions: embedder.dimension,
      });
      stores.push(store);
      const t0 = performance.now();
      await dbc.exec(
        `INSERT INTO ${LC_TABLE} (text, metadata, embedding)
         SELECT content, jsonb_build_object('memory_id', id, 'tenant_id', tenant_id, 'user_id', user_id, 'kind', kind,
           'subject', subject), embedding
         FROM memories WHERE superseded_by IS NULL ORDER BY created_at`,
      );
      const copyMs = performance.now() - t0;
      progress('LangChain: createHnswIndex');
      const t1 = performance.now();
      await store.createHnswIndex({ dimensions: embedder.dimension });
      const lcBuildMs = performance.now() - t1;
      await dbc.exec(`VACUUM ANALYZE ${LC_TABLE}`);
      const [lcIndex] = await dbc.query<{ def: string; size: string }>(
        `SELECT indexdef AS def, pg_size_pretty(pg_relation_size(indexname::regclass)) AS size FROM pg_indexes
         WHERE tablename = $1 AND indexdef ILIKE '%hnsw%'`,
        [LC_TABLE],
      );
      lcReport = [
        `  LangChain table ${LC_TABLE}: the live rows copied by INSERT … SELECT in ${secs(copyMs)} (same vectors);`,
        `    its HNSW index by store.createHnswIndex in ${secs(lcBuildMs)}, ${lcIndex?.size ?? '?'}: ${lcIndex?.def ?? 'MISSING (createHnswIndex logs and swallows errors)'}`,
      ];
      const iterative = new lc.mod.PGVectorStore(lcEmbeddings, {
        postgresConnectionOptions: {
          connectionString: database.url,
          max: POOL_SIZE,
          options: '-c hnsw.iterative_scan=strict_order',
        },
        tableName: LC_TABLE,
        distanceStrategy: 'cosine',
        skipInitializationCheck: true,
      });
      stores.push(iterative);
      const filterOf = (q: BenchQuery) => ({ tenant_id: q.user.tenantId, user_id: q.user.userId });
      const lcSearch = (s: LcStore) => async (q: BenchQuery) =>
        (await s.similaritySearch(q.text, K, filterOf(q))).map((d) => String(d.metadata.memory_id));
      const variants: [string, LcStore][] = [
        ['LangChain PGVectorStore, as shipped', store],
        ['LangChain PGVectorStore + iterative scan', iterative],
      ];
      for (const [label, s] of variants) {
        if (stopping) break;
        const ids = await runPaths(label, lcSearch(s));
        lcQuality.push({ label, q: quality(queries, truths, ids) });
      }
      if (EXPLAIN && queries[0]) {
        const q = queries[0];
        const vec = `[${(await lcEmbeddings.embedQuery(q.text)).join(',')}]`;
        // searchPostgres's statement, as @langchain/community builds it for this filter.
        const lcSql = `SELECT *, "embedding" <=> $1 as "_distance" FROM ${LC_TABLE}
          WHERE metadata->>'tenant_id' = $3 AND metadata->>'user_id' = $4 ORDER BY "_distance" ASC LIMIT $2`;
        const params = [vec, K, q.user.tenantId, q.user.userId];
        lcPlans.push('  LangChain similaritySearch, as shipped:');
        lcPlans.push(...(await dbc.transaction((tx) => explain(tx, lcSql, params))));
        lcPlans.push('  LangChain similaritySearch + hnsw.iterative_scan = strict_order:');
        lcPlans.push(
          ...(await dbc.transaction(async (tx) => {
            await tx.exec('SET LOCAL hnsw.iterative_scan = strict_order');
            return explain(tx, lcSql, params);
          })),
        );
      }
    }

    const plans: string[] = [];
    if (EXPLAIN && queries[0]) {
      const q = queries[0];
      const embedding = await embedQuery(q.text);
      plans.push(`query plans for one query, "${q.text}" (EXPLAIN ANALYZE, BUFFERS):`);
      plans.push(`  ${VECTOR} (ef_search ${DEPTH}, iterative relaxed_order):`);
      plans.push(
        ...(await dbc.tenant(q.user.tenantId, async (tx) => {
          await useIterativeScan(tx, DEPTH);
          return explain(tx, ANN_SQL, [q.user.userId, embedding, null, DEPTH]);
        })),
      );
      plans.push(`  ${FORCED} (enable_sort off, otherwise the same):`);
      plans.push(
        ...(await dbc.tenant(q.user.tenantId, async (tx) => {
          await useIterativeScan(tx, DEPTH);
          await tx.exec('SET LOCAL enable_sort = off');
          return explain(tx, ANN_SQL, [q.user.userId, embedding, null, DEPTH]);
        })),
      );
      // The service's own statements for this search, captured, then run again under EXPLAIN.
      const log: Captured[] = [];
      await createMemoryService({ db: capturing(dbc, log), embedder }).search(ctxOf(q.user), {
        q: q.text,
        limit: K,
      });
      plans.push(
        `  ${HYBRID}, its statements: ${log.map((c) => c.sql.replace(/\s+/g, ' ').slice(0, 60)).join(' | ')}`,
      );
      plans.push(
        '  its search statement (searchExact; planned here for these parameters, where the product prepares it):',
      );
      plans.push(
        ...(await dbc.tenant(q.user.tenantId, async (tx) => {
          for (const c of log) {
            if (c.params === undefined) await tx.exec(c.sql);
          }
          // The search is the one statement with parameters (settings, if any, have none).
          const main = log.find((c) => c.params !== undefined);
          return main ? explain(tx, main.sql, [...(main.params ?? [])]) : ['    (not found)'];
        })),
      );
      plans.push('  exact scan (ground truth):');
      plans.push(
        ...(await dbc.tenant(q.user.tenantId, (tx) =>
          explain(tx, EXACT_SQL, [q.user.userId, embedding, null, K * 2]),
        )),
      );
      plans.push(...lcPlans);
    }

    // ---- figures ----
    const ours = quality(queries, truths, productIds);
    const planned = quality(queries, truths, vectorIds);
    const forced = quality(queries, truths, forcedIds);
    const hybridHit = hitAt(queries, hybridIds);
    const perFamily = new Map<string, { n: number; hit: number }>();
    queries.forEach((q, i) => {
      const f = perFamily.get(q.family) ?? { n: 0, hit: 0 };
      f.n++;
      if ((hybridIds[i] as string[]).slice(0, HIT_AT).includes(q.targetId)) f.hit++;
      perFamily.set(q.family, f);
    });
    const families = [...perFamily]
      .sort((a, b) => a[1].hit / a[1].n - b[1].hit / b[1].n)
      .map(([name, f]) => `${name} ${fmt(f.hit / f.n, 2)} (${f.n})`);
    const mrrOf = (ids: string[][]) =>
      queries.reduce((sum, q, i) => {
        const r = (ids[i] as string[]).indexOf(q.targetId);
        return sum + (r >= 0 ? 1 / (r + 1) : 0);
      }, 0) / queries.length;
    const mrr = mrrOf(hybridIds);

    const perUser = Math.round(MEMORIES / (users.length - heavy.length));
    const total = (MEMORIES + heavy.length * HEAVY_MEMORIES).toLocaleString('en-US');
    const lines: string[] = [
      `bench:memory — Postgres ${server?.pg}, pgvector ${server?.vector}, shared_buffers ${server?.sb}, fresh database ${database.name} (${KEEP ? 'kept: BENCH_KEEP_DATABASE' : 'dropped at the end'})`,
      `  ${MEMORIES.toLocaleString('en-US')} memories, ${TENANTS} tenants × ${USERS_PER_TENANT} users (~${perUser} memories per user), ` +
        `${queries.length} paraphrase queries, seed ${SEED}, pool ${POOL_SIZE}, embedder ${embedder.id} (${embedder.dimension} dims), ` +
        `exact pass for users with up to ${DEFAULT_MEMORY_SETTINGS.exactSearchMax} memories; ` +
        `and ${heavy.length} heavy users, one in each of ${heavy.length} more businesses, with ${HEAVY_MEMORIES.toLocaleString('en-US')} each ` +
        `(${heavyQueries.length} queries; ${total} rows in all), ` +
        (HEAVY_MEMORIES > DEFAULT_MEMORY_SETTINGS.exactSearchMax
          ? 'over exactSearchMax, so they take the index path'
          : 'under exactSearchMax, so they take the exact pass (the index path measured beside it)') +
        (lc ? `, @langchain/community ${lc.version}` : ', LangChain skipped'),
      '',
      'load and indexes',
      `  load: ${secs(loadMs)} (${fmt(rows.length / (loadMs / 1000), 0)} memories/s, analysed + embedded + INSERTed in batches of ${BATCH}, no vector/text index)`,
      `  HNSW build (m 16, ef_construction 64, cosine; maintenance_work_mem ${MAINTENANCE_WORK_MEM}): ${secs(hnswMs)}, ${sizes?.hnsw}`,
      `  GIN (tsv) build: ${secs(ginMs)}, ${sizes?.gin}; table ${sizes?.heap}`,
      ...lcReport,
      '',
      `latency, ms (each call embeds its query; ${queries.length} queries per row after a warm-up of ` +
        `max(${WARMUP}, 10 per client) at the row's concurrency, so every pooled connection has planned its statements)`,
      `  ${'path'.padEnd(44)} ${'clients'.padStart(7)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'q/s'.padStart(7)}`,
      ...latency.map(
        (l) =>
          `  ${l.path.padEnd(44)} ${String(l.clients).padStart(7)} ${fmt(l.p50).padStart(7)} ${fmt(l.p95).padStart(7)} ${fmt(l.p99).padStart(7)} ${fmt(l.qps, 0).padStart(7)}`,
      ),
      '',
      `recall@${K} against the exact scan, per tenant- and user-filtered query`,
      `  ${'path'.padEnd(44)} ${'mean'.padStart(6)} ${'min'.padStart(6)} ${'<0.95'.padStart(6)} ${'short'.padStart(6)} ${'worst tenant'.padStart(13)} ${`hit@${HIT_AT}`.padStart(6)}`,
      ...[
        { label: PRODUCT, q: ours },
        { label: VECTOR, q: planned },
        { label: FORCED, q: forced },
        ...lcQuality,
        ...(heavyReport
          ? [
              { label: HEAVY_VECTOR, q: heavyReport.vector },
              { label: HEAVY_FORCED, q: heavyReport.forced },
            ]
          : []),
      ].map(
        ({ label, q }) =>
          `  ${label.padEnd(44)} ${fmt(q.recall, 3).padStart(6)} ${fmt(q.recallMin, 2).padStart(6)} ${String(q.below).padStart(6)} ${String(q.short).padStart(6)} ${fmt(q.worstTenant, 3).padStart(13)} ${fmt(q.hit, 3).padStart(6)}`,
      ),
      `  (short: fewer than ${K} results although the user has ≥ ${K} memories; lists that filled all ${DEPTH}: as planned ${vectorFull}/${queries.length}, HNSW forced ${forcedFull}/${queries.length}; a short list makes the product fall back to its exact one)`,
      '',
      `hybrid search (HNSW + full text, RRF k=60) on the paraphrase pairs: hit@${HIT_AT} ${fmt(hybridHit, 3)}, hit@1 ${fmt(hitAt(queries, hybridIds, 1), 3)}, MRR@${K} ${fmt(mrr, 3)}`,
      `  vector only (same queries, no full text): hit@${HIT_AT} ${fmt(ours.hit, 3)}, hit@1 ${fmt(hitAt(queries, productIds, 1), 3)}, MRR@${K} ${fmt(mrrOf(productIds), 3)}`,
      `  hybrid hit@${HIT_AT} by family, worst first: ${families.join(', ')}`,
      ...(heavyReport
        ? [
            `  heavy users: hybrid hit@${HIT_AT} ${fmt(heavyReport.hybridHit, 3)} (index path ${fmt(heavyReport.indexedHit, 3)}), vector only ${fmt(heavyReport.vector.hit, 3)}`,
          ]
        : []),
      '',
      'targets',
    ];
    const at = (path: string, clients: number) =>
      latency.find((l) => l.path === path && l.clients === clients);
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const plural = (n: number) => `${n} client${n > 1 ? 's' : ''}`;
    const latencyTargets = (paths: string[]) => {
      for (const clients of LEVELS) {
        for (const path of paths) {
          const l = at(path, clients);
          if (l) {
            lines.push(
              `  p95 < ${TARGET_P95_MS} ms, ${path}, ${plural(clients)}: ${fmt(l.p95)} ms — ${verdict(l.p95 < TARGET_P95_MS)}`,
            );
          }
        }
      }
    };
    const recallTargets = (lists: (readonly [string, Quality])[]) => {
      for (const [label, q] of lists) {
        lines.push(
          `  recall@${K} ≥ ${TARGET_RECALL}, ${label}: ${fmt(q.recall, 3)} — ${verdict(q.recall >= TARGET_RECALL)}`,
        );
      }
    };
    // Whole searches and the vector lists they fuse; the HNSW-forced rows are the index alone, for its recall.
    latencyTargets([HYBRID, PRODUCT, VECTOR]);
    const forcedLight = LEVELS.map((c) => `${fmt(at(FORCED, c)?.p95 ?? Number.NaN)} ms at ${plural(c)}`);
    lines.push(
      `  (${FORCED}: p95 ${forcedLight.join(', ')}; not a path any search takes — HNSW filtered to one user's ` +
        `~${perUser} of ${total} rows, where the product takes the exact pass; shown for the index's recall)`,
    );
    recallTargets([
      [PRODUCT, ours],
      [VECTOR, planned],
      [FORCED, forced],
    ]);
    // Like for like: our vector query against LangChain's (both vector only); hybrid shown beside it.
    for (const { label, q } of lcQuality) {
      for (const clients of LEVELS) {
        const theirs = at(label, clients);
        const mine = at(PRODUCT, clients);
        const pln = at(VECTOR, clients);
        const frc = at(FORCED, clients);
        const hyb = at(HYBRID, clients);
        if (!theirs || !mine || !pln || !frc || !hyb) continue;
        const faster = mine.p95 < theirs.p95 && ours.recall >= q.recall - 1e-9;
        lines.push(
          `  faster than ${label}, ${plural(clients)}, at equal or better recall (${fmt(ours.recall, 3)} vs ${fmt(q.recall, 3)}): ` +
            `p95 ours/LangChain ${fmt(mine.p95 / theirs.p95, 2)} — ${verdict(faster)}`,
          `    (p50 ratio ${fmt(mine.p50 / theirs.p50, 2)}; index path p95 ratio ${fmt(pln.p95 / theirs.p95, 2)} as planned, HNSW forced ${fmt(frc.p95 / theirs.p95, 2)} at recall ${fmt(forced.recall, 3)}; ` +
            `hybrid p95 ratio ${fmt(hyb.p95 / theirs.p95, 2)}, doing vector + full text + fusion)`,
        );
      }
    }
    if (heavyReport) {
      lines.push(
        '',
        `heavy users (${heavy.length} × ${HEAVY_MEMORIES.toLocaleString('en-US')} memories, beyond the ${MEMORIES.toLocaleString('en-US')} ` +
          `across ${TENANTS} businesses), against the same targets`,
      );
      latencyTargets([HEAVY_HYBRID, HEAVY_INDEXED]);
      recallTargets([
        [HEAVY_VECTOR, heavyReport.vector],
        [HEAVY_FORCED, heavyReport.forced],
      ]);
    }
    if (plans.length) lines.push('', ...plans);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    if (!stopping) await cleanup();
  }
}

main().catch((err) => {
  if (stopping) return;
  process.stderr.write(`bench:memory failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
