import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import {
  analyseStatement,
  type MemoryCandidate,
  type MemoryExtractor,
  offlineExtractor,
} from '../domain/memory/extractor-offline.ts';
import { MAX_CONTENT, MAX_SUBJECT, MemoryKind } from '../domain/memory/schema.ts';
import { type Prompts, renderPrompt } from './prompts.ts';

/**
 * Memory extraction by an LLM, with `prompts/memory-extract.md`: the model reads the owner's message and
 * answers JSON naming the statements worth keeping. Its reading of kind and subject is kept; the rules fill
 * in the slot (Ramesh's "phone") so that dedup and supersede work the same way as offline. When the model
 * fails or answers nonsense, the rule-based extractor runs instead: extraction never fails a turn.
 */

const Extracted = z.object({
  memories: z
    .array(
      z.object({
        content: z.string().min(1).max(MAX_CONTENT),
        kind: MemoryKind.catch('fact'),
        subject: z.string().max(MAX_SUBJECT).nullable().optional(),
      }),
    )
    .max(10),
});

const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((p) => (typeof p === 'string' ? p : ((p as { text?: string }).text ?? ''))).join('')
      : '';

/** The JSON object in a model's answer, tolerating code fences and words around it. */
export function parseExtraction(answer: string): MemoryCandidate[] {
  const start = answer.indexOf('{');
  const end = answer.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('no JSON object in the answer');
  const parsed = Extracted.parse(JSON.parse(answer.slice(start, end + 1)));
  return parsed.memories
    .slice(0, 5)
    .map((m) => analyseStatement(m.content, { kind: m.kind, subject: m.subject ?? null }))
    .filter((c) => c.content.length > 0);
}

export function createLlmMemoryExtractor(deps: {
  model: BaseChatModel;
  prompts: Prompts;
  timeoutMs: number;
  fallback?: MemoryExtractor;
  onFallback?: (err: unknown) => void;
}): MemoryExtractor {
  const system = renderPrompt(deps.prompts, 'memory-extract', {});
  const fallback = deps.fallback ?? offlineExtractor;
  return async (message) => {
    try {
      const answer = await deps.model.invoke([new SystemMessage(system), new HumanMessage(message)], {
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
      return parseExtraction(textOf(answer.content));
    } catch (err) {
      deps.onFallback?.(err);
      return fallback(message);
    }
  };
}
