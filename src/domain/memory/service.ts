import { type Db, inTenant, type Queryable, type Tx } from '../../db/types.ts';
import { appendAudit } from '../audit.ts';
import type { Ctx } from '../context.ts';
import { DomainError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Page } from '../pagination.ts';
import { type Embedder, embedChecked, vectorLiteral } from './embedder.ts';
import {
  analyseStatement,
  contentKey,
  type MemoryCandidate,
  numbersOf,
  shapeKey,
  signalsChange,
  subjectKey,
} from './extractor-offline.ts';
import { lexicalTokens } from './lexical-embedder.ts';
import {
  attachTurn,
  deleteMemoryChain,
  embeddingText,
  findByContentKey,
  findMemory,
  findSlot,
  insertMemory,
  type MemoryFields,
  markRecalled,
  markSuperseded,
  nearestAbout,
  type Ranking,
  rewriteMemory,
  type ScoredHit,
  type StoredMemory,
  searchExact,
  searchIndexed,
  selectMemories,
  toMemory,
  touchMemory,
  useIterativeScan,
} from './repo.ts';
import type {
  Memory,
  MemoryKind,
  MemoryListQuery,
  MemorySource,
  MemoryWrite,
  WriteOutcome,
} from './schema.ts';

/**
 * The rules of long-term memory.
 *
 * Writing ("remember"): a statement is read (kind, subject, slot), embedded outside any transaction, then
 * compared with what this user already has, under a per-user lock so two writes cannot both miss each other:
 * 1. the same words as any memory, live or superseded → nothing new (`unchanged`); this is what makes
 *    replaying a conversation add nothing;
 * 2. the same slot (Ramesh's phone): the same value reworded → `updated` in place; another value →
 *    `superseded`: the new memory replaces the old, which is kept for audit and never recalled again;
 * 3. a near-duplicate about the same subject (cosine ≥ MEMORY_DEDUP_SIMILARITY, or the same words with
 *    other numbers) → `updated` in place, unless its numbers differ ("due on the 20th" → "the 25th"),
 *    which is a correction → `superseded`;
 * 4. a statement that signals a change ("now", "no longer", "ab se") about the same subject and similar
 *    enough (≥ MEMORY_SUPERSEDE_SIMILARITY) → `superseded`;
 * 5. otherwise a new memory (`created`).
 *
 * Reading ("search"): hybrid retrieval. The nearest neighbours (by an exact pass over a user's memories, or
 * the HNSW index for a user with more than `exactSearchMax`) and the full-text matches are fused by
 * reciprocal rank, score = Σ 1/(60 + rank), then given a mild boost for being recent and often recalled
 * (at most +5% each), enough to order near-ties, never to lift a weak match over a strong one.
 *
 * Forgetting deletes the memory and the versions it superseded; the audit log records that it happened
 * (the id and kind), never the content.
 */

export interface MemorySettings {
  /** Cosine similarity from which a statement about the same subject is the same memory restated. */
  dedupSimilarity: number;
  /** Cosine similarity from which a statement signalling a change replaces a memory about the same subject. */
  supersedeSimilarity: number;
  /** A search hit is relevant when its words match the query or its similarity reaches this. */
  minRelevance: number;
  /**
   * Up to this many live memories, a user's search is one exact pass over them; above it, the indexes (the
   * planner's choice of HNSW or b-tree). For a user with a small share of a shared table the indexes are
   * slower and approximate, since the scan steps past the other users' rows; `npm run bench:memory` prints
   * both paths' times and recall.
   */
  exactSearchMax: number;
}

export const DEFAULT_MEMORY_SETTINGS: MemorySettings = {
  dedupSimilarity: 0.9,
  supersedeSimilarity: 0.5,
  minRelevance: 0.3,
  exactSearchMax: 10000,
};

/** Reciprocal-rank fusion's k: the usual 60, which flattens the difference between neighbouring ranks. */
export const RRF_K = 60;
// The boost, applied in the search's SQL (repo.ts): × (1 + 0.05·e^(−age in days / 30) + 0.05·min(1, ln(1 +
// recalls) / ln(1 + 10))), so a fresh memory and one recalled 10 times each gain at most 5%.
const RECENCY_BOOST = 0.05;
const RECENCY_DAYS = 30;
const RECALL_BOOST = 0.05;
const RECALLS_FOR_FULL_BOOST = 10;

export interface RememberInput {
  content: string;
  kind?: MemoryKind | undefined;
  subject?: string | null | undefined;
  source: MemorySource;
  conversationId?: string | null | undefined;
  turnId?: string | null | undefined;
}

export interface SearchInput {
  q: string;
  limit: number;
  kind?: MemoryKind | undefined;
}

export type { ScoredHit };

export interface Forgotten {
  id: string;
  /** This memory and the older versions it had replaced. */
  versions_removed: number;
}

export type Resolution = { found: Memory } | { notFound: true } | { ambiguous: Memory[] };

function userOf(ctx: Ctx): string {
  if (!ctx.userId) {
    throw new DomainError('invalid', 'user_required', 'Memory belongs to a user; this call has none.');
  }
  return ctx.userId;
}

/** Extra search words: a phone's digits as one run (with and without the country code), the slot's name. */
export function keywordsOf(c: MemoryCandidate): string {
  const words: string[] = [];
  if (c.attribute === 'phone' && c.value) {
    const digits = c.value.replace(/\D/g, '');
    words.push(digits, digits.startsWith('91') && digits.length === 12 ? digits.slice(2) : '');
    words.push('phone number mobile contact');
  } else if (c.attribute === 'email') words.push('email mail');
  else if (c.attribute?.startsWith('pref:')) words.push(c.attribute.slice(5));
  return words.filter(Boolean).join(' ');
}

const audited = (m: StoredMemory, outcome: WriteOutcome, supersedes: string | null = null) => ({
  id: m.id,
  kind: m.kind,
  source: m.source,
  outcome,
  ...(supersedes ? { supersedes } : {}),
});

export function createMemoryService(deps: {
  db: Db;
  embedder: Embedder;
  settings?: Partial<MemorySettings>;
  clock?: () => Date;
}) {
  const { db, embedder } = deps;
  const settings = { ...DEFAULT_MEMORY_SETTINGS, ...deps.settings };
  const clock = deps.clock ?? (() => new Date());

  const embedOne = async (text: string) =>
    vectorLiteral((await embedChecked(embedder, [text]))[0] as number[]);

  async function write(ctx: Ctx, c: MemoryCandidate, input: RememberInput): Promise<MemoryWrite> {
    const userId = userOf(ctx);
    const fields: MemoryFields = {
      content: c.content,
      kind: c.kind,
      subject: c.subject,
      subjectKey: subjectKey(c.subject),
      attribute: c.attribute,
      value: c.value,
      contentKey: contentKey(c.content),
      keywords: keywordsOf(c),
      embedding: await embedOne(embeddingText(c.content, c.subject)),
    };

    return db.tenant(ctx.tenantId, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`memory:${ctx.tenantId}:${userId}`]);
      const done = async (m: StoredMemory, outcome: WriteOutcome, supersedes: string | null = null) => {
        if (outcome !== 'unchanged') {
          appendAudit(tx, ctx, {
            action: `memory.${outcome}`,
            entity: 'memory',
            entityId: m.id,
            after: audited(m, outcome, supersedes),
          });
        }
        return { ...toMemory(m), outcome, supersedes };
      };
      const supersede = async (old: StoredMemory) => {
        const created = await insert(tx, ctx, userId, fields, input);
        await markSuperseded(tx, old.id, created.id);
        return done(created, 'superseded', old.id);
      };

      // 1. Said before, in these words.
      const [same] = await findByContentKey(tx, userId, fields.contentKey);
      if (same) return done(same.superseded_by ? same : await touchMemory(tx, same.id), 'unchanged');

      // 2. The same slot.
      if (fields.attribute) {
        const slot = await findSlot(tx, userId, fields.subjectKey, fields.attribute);
        if (slot) {
          if (fields.value !== null && slot.value === fields.value) {
            return done(await rewriteMemory(tx, slot.id, fields), 'updated');
          }
          return supersede(slot);
        }
      }

      // 3 and 4. Close to a memory about the same subject.
      const [best] = await nearestAbout(tx, userId, fields.subjectKey, fields.embedding, 1);
      const sameShape = best !== undefined && shapeKey(best.content) === shapeKey(fields.content);
      if (best && (best.similarity >= settings.dedupSimilarity || sameShape)) {
        if (numbersOf(best.content) === numbersOf(fields.content)) {
          return done(await rewriteMemory(tx, best.id, fields), 'updated');
        }
        return supersede(best);
      }
      if (
        best &&
        fields.subjectKey &&
        signalsChange(fields.content) &&
        best.similarity >= settings.supersedeSimilarity
      ) {
        return supersede(best);
      }

      // 5. Something new.
      return done(await insert(tx, ctx, userId, fields, input), 'created');
    });
  }

  function insert(tx: Queryable, ctx: Ctx, userId: string, fields: MemoryFields, input: RememberInput) {
    return insertMemory(tx, {
      ...fields,
      id: newId('mem'),
      tenantId: ctx.tenantId,
      userId,
      source: input.source,
      conversationId: input.conversationId ?? null,
      turnId: input.turnId ?? null,
    });
  }

  /** The search for `q`: each of its lists deeper than the page, so fusion has something to fuse. */
  function hitQuery(userId: string, q: SearchInput, embedding: string) {
    const depth = Math.min(200, Math.max(40, q.limit * 3));
    const ranking: Ranking = {
      rrfK: RRF_K,
      // Relevant: the words of the query match, or the meaning is close enough (MEMORY_MIN_RELEVANCE);
      // nearest neighbours alone may be nothing alike.
      minSimilarity: settings.minRelevance,
      now: clock(),
      recencyBoost: RECENCY_BOOST,
      recencyDays: RECENCY_DAYS,
      recallBoost: RECALL_BOOST,
      recallsForFullBoost: RECALLS_FOR_FULL_BOOST,
    };
    return { userId, embedding, text: q.q, kind: q.kind ?? null, depth, limit: q.limit, ranking };
  }

  /** The search through the indexes, in a transaction of its own, for a user the exact pass declines. */
  function searchThroughIndexes(ctx: Ctx, query: ReturnType<typeof hitQuery>) {
    return db.tenant(ctx.tenantId, async (tx) => {
      await useIterativeScan(tx, query.depth);
      return searchIndexed(tx, query);
    });
  }

  /**
   * Most users take the exact pass, one statement in one round trip. It declines for a user with more
   * memories than `exactSearchMax`, whose search then goes through the indexes.
   */
  async function searchIn(ctx: Ctx, userId: string, q: SearchInput, embedding: string) {
    const query = hitQuery(userId, q, embedding);
    const hits = await inTenant(db, ctx.tenantId, (tx) => searchExact(tx, query, settings.exactSearchMax));
    return hits ?? searchThroughIndexes(ctx, query);
  }

  const service = {
    embedder,
    settings,

    /** Stores one statement (from the API or the agent's `remember` tool), reading what the caller left out. */
    async remember(ctx: Ctx, input: RememberInput): Promise<MemoryWrite> {
      const c = analyseStatement(input.content, { kind: input.kind, subject: input.subject });
      if (!c.content) throw new DomainError('invalid', 'empty_memory', 'There is nothing to remember.');
      return write(ctx, c, input);
    },

    /** Stores statements an extractor found in a chat message, in order. */
    async storeCandidates(
      ctx: Ctx,
      candidates: MemoryCandidate[],
      source: Omit<RememberInput, 'content' | 'kind' | 'subject'>,
    ): Promise<MemoryWrite[]> {
      const out: MemoryWrite[] = [];
      for (const c of candidates)
        if (c.content) out.push(await write(ctx, c, { content: c.content, ...source }));
      return out;
    },

    async get(ctx: Ctx, id: string): Promise<Memory> {
      const userId = userOf(ctx);
      const m = await db.tenant(ctx.tenantId, (tx) => findMemory(tx, userId, id));
      if (!m) throw notFound('memory', id);
      return toMemory(m);
    },

    async list(ctx: Ctx, q: MemoryListQuery): Promise<Page<Memory>> {
      const userId = userOf(ctx);
      const page = await inTenant(db, ctx.tenantId, (tx) => selectMemories(tx, userId, q));
      return { total: page.total, items: page.items.map(toMemory) };
    },

    /** Hybrid search over the user's live memories; only relevant hits, best first. */
    async search(ctx: Ctx, q: SearchInput): Promise<ScoredHit[]> {
      const userId = userOf(ctx);
      const embedding = await embedOne(q.q);
      return searchIn(ctx, userId, q, embedding);
    },

    /** What the agent should have in mind for a message: the search's top hits, counted as recalled. */
    async recall(ctx: Ctx, text: string, limit: number, kind?: MemoryKind): Promise<ScoredHit[]> {
      const search = await service.prepareRecall(ctx, text, limit, kind);
      if (!search) return [];
      const hits = await search.finish(await inTenant(db, ctx.tenantId, search.send));
      // A count for ranking, not a record: it need not share the search's transaction.
      if (hits.length > 0) await inTenant(db, ctx.tenantId, async (tx) => search.countRecalled(tx, hits));
      return hits;
    },

    /**
     * `recall` in parts, so a turn can send its search beside its other first reads, one round trip for
     * all: the message is embedded now, outside any transaction; `send` puts the exact search in the
     * caller's transaction, `finish` turns what it found into the hits (through the indexes, in a
     * transaction of its own, when the exact pass declined), and `countRecalled` queues the recall count
     * in a later transaction of the caller's. Undefined when there is nothing to search for.
     */
    async prepareRecall(ctx: Ctx, text: string, limit: number, kind?: MemoryKind) {
      const userId = userOf(ctx);
      if (limit < 1 || !text.trim()) return undefined;
      const query = hitQuery(userId, { q: text, limit, kind }, await embedOne(text));
      return {
        send: (tx: Queryable) => searchExact(tx, query, settings.exactSearchMax),
        finish: async (found: ScoredHit[] | null) => found ?? searchThroughIndexes(ctx, query),
        countRecalled: (tx: Tx, hits: readonly ScoredHit[]) =>
          markRecalled(
            tx,
            userId,
            hits.map((h) => h.id),
          ),
      };
    },

    /**
     * The one live memory a person means by some words ("Ramesh's number"): the hit that contains all of
     * them, or the only hit whose words match at all; several candidates are ambiguous.
     */
    async resolve(ctx: Ctx, words: string): Promise<Resolution> {
      const hits = (await service.search(ctx, { q: words, limit: 5 })).filter((h) => h.matched_words);
      if (hits.length === 0) return { notFound: true };
      const wanted = lexicalTokens(words).filter((w) => w.length > 1);
      const full = hits.filter((h) => {
        const have = new Set(lexicalTokens(`${h.subject ?? ''} ${h.content}`));
        return wanted.every((w) => have.has(w));
      });
      const pick = full.length > 0 ? full : hits;
      if (pick.length === 1) return { found: await service.get(ctx, (pick[0] as ScoredHit).id) };
      return { ambiguous: await Promise.all(pick.map((h) => service.get(ctx, h.id))) };
    },

    async forget(ctx: Ctx, id: string): Promise<Forgotten> {
      const userId = userOf(ctx);
      return db.tenant(ctx.tenantId, async (tx) => {
        const m = await findMemory(tx, userId, id, true);
        if (!m) throw notFound('memory', id);
        const removed = await deleteMemoryChain(tx, userId, id);
        // That it happened and what kind of thing it was; never the content.
        appendAudit(tx, ctx, {
          action: 'memory.forgotten',
          entity: 'memory',
          entityId: id,
          before: { id, kind: m.kind, source: m.source, versions_removed: removed },
        });
        return { id, versions_removed: removed };
      });
    },

    /** Links memories the agent's tools stored during a turn to that turn, once it is recorded. */
    async attachTurn(ctx: Ctx, ids: string[], turnId: string): Promise<void> {
      const userId = userOf(ctx);
      if (ids.length) await db.tenant(ctx.tenantId, (tx) => attachTurn(tx, userId, ids, turnId));
    },
  };
  return service;
}

export type MemoryService = ReturnType<typeof createMemoryService>;
