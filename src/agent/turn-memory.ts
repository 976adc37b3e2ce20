import type { Ctx } from '../domain/context.ts';
import type { Action } from '../domain/conversations/schema.ts';
import type { MemoryCandidate, MemoryExtractor } from '../domain/memory/extractor-offline.ts';
import type { MemoryWrite } from '../domain/memory/schema.ts';
import type { MemoryService, ScoredHit } from '../domain/memory/service.ts';
import { localDate } from '../domain/time.ts';
import type { Logger } from '../log.ts';

/**
 * Long-term memory around one turn: before it, the user's most relevant memories for the message go into
 * the system prompt; after it, what the message says worth keeping is extracted and written through the
 * memory service (dedup and supersede there), linked to the conversation and the turn. Neither step may fail
 * a turn: a broken embedder or extractor costs the turn its memory, never its answer.
 */

export interface TurnMemory {
  service: MemoryService;
  /** The LLM extractor when a real model is configured, else the rule-based one. */
  extractor: MemoryExtractor;
  /** How many memories go into each turn's context (MEMORY_CONTEXT_LIMIT). */
  contextLimit: number;
}

const NONE = '(nothing relevant remembered)';

/**
 * The memories as one JSON object per line: quoting keeps a memory's text from reading as prompt text,
 * and escaping < and > keeps it from closing the <memories> block it sits in.
 */
export function renderMemories(hits: readonly ScoredHit[], timezone: string): string {
  if (hits.length === 0) return NONE;
  return hits
    .map((h) =>
      JSON.stringify({
        content: h.content,
        kind: h.kind,
        subject: h.subject,
        remembered_on: localDate(new Date(h.updated_at), timezone),
      }).replace(/[<>]/g, (c) => (c === '<' ? '\\u003c' : '\\u003e')),
    )
    .join('\n');
}

/** A turn's memory search, ready to go out beside the conversation's reads (`MemoryService.prepareRecall`). */
export type RecallSearch = NonNullable<Awaited<ReturnType<MemoryService['prepareRecall']>>>;

/** The turn's memory search with the message embedded; none when memory is off or the embedder fails. */
export async function prepareRecall(
  memory: TurnMemory | undefined,
  ctx: Ctx,
  message: string,
  logger?: Logger,
): Promise<RecallSearch | undefined> {
  if (!memory || memory.contextLimit === 0) return undefined;
  try {
    return await memory.service.prepareRecall(ctx, message, memory.contextLimit);
  } catch (err) {
    logger?.warn({ err }, 'memory recall failed; the turn goes on without memories');
    return undefined;
  }
}

/** The hits of a search sent with the conversation's reads (null: declined, done through the indexes). */
export async function finishRecall(
  search: RecallSearch,
  found: ScoredHit[] | null,
  logger?: Logger,
): Promise<ScoredHit[]> {
  try {
    return await search.finish(found);
  } catch (err) {
    logger?.warn({ err }, 'memory recall failed; the turn goes on without memories');
    return [];
  }
}

/** Ids of the memories the agent's `remember` tool wrote during the turn. */
const rememberedBy = (actions: readonly Action[]): string[] =>
  actions.flatMap((a) => {
    const r = a.result as { ok?: boolean; memory?: { id?: unknown } } | null;
    return a.tool === 'remember' && r?.ok && typeof r.memory?.id === 'string' ? [r.memory.id] : [];
  });

/**
 * Reads the message for what is worth keeping. Started with the turn, so a model-backed extractor runs
 * beside the agent's own model call instead of after it; never rejects (a failure keeps nothing).
 */
export function extractForTurn(
  memory: TurnMemory | undefined,
  message: string,
  logger?: Logger,
): Promise<MemoryCandidate[]> {
  if (!memory) return Promise.resolve([]);
  return memory.extractor(message).catch((err) => {
    logger?.warn({ err }, 'memory extraction failed; the turn is kept without it');
    return [];
  });
}

/**
 * Stores what was extracted from the user's message and links the tool-written memories to the turn.
 * Writing the same words again is `unchanged`, so a replayed conversation adds nothing.
 */
export async function learnFromTurn(
  memory: TurnMemory | undefined,
  ctx: Ctx,
  turn: {
    extracted: Promise<MemoryCandidate[]>;
    conversationId: string;
    turnId: string;
    actions: readonly Action[];
  },
  logger?: Logger,
): Promise<MemoryWrite[]> {
  if (!memory) return [];
  try {
    await memory.service.attachTurn(ctx, rememberedBy(turn.actions), turn.turnId);
    return await memory.service.storeCandidates(ctx, await turn.extracted, {
      source: 'conversation',
      conversationId: turn.conversationId,
      turnId: turn.turnId,
    });
  } catch (err) {
    logger?.warn({ err, turn_id: turn.turnId }, 'storing memories failed; the turn is kept without them');
    return [];
  }
}
