import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import {
  MAX_PRIORITIES,
  type Prioritizer,
  type PriorityItem,
  scorePriorities,
} from '../domain/priorities.ts';
import { type Prompts, renderPrompt } from './prompts.ts';

/**
 * The day's priorities ranked by the LLM, with `prompts/priorities.md`. The model sees every candidate the
 * transparent score knows (with the score's facts as its reasons) and answers an order and a reason each.
 * It can only reorder: an id it invents is dropped, and what it leaves out follows in score order. An
 * answer with no usable id throws, so the day falls back to the score (and says so in `ranked_by`).
 */

/** How many candidates the model is shown: enough for a busy day, few enough for a short prompt. */
const MAX_CANDIDATES = 30;
const MAX_REASON = 140;

const Ranked = z.object({
  priorities: z.array(z.object({ id: z.string(), reason: z.string().catch('') })).max(50),
});

function parseRanking(answer: string): z.infer<typeof Ranked>['priorities'] {
  const start = answer.indexOf('{');
  const end = answer.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('no JSON object in the answer');
  return Ranked.parse(JSON.parse(answer.slice(start, end + 1))).priorities;
}

/** One line, plain text, bounded: the model's reason is shown to the owner as it is. */
const cleanReason = (reason: string) => reason.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON);

export function createLlmPrioritizer(deps: {
  model: BaseChatModel;
  prompts: Prompts;
  timeoutMs: number;
}): Prioritizer {
  const system = renderPrompt(deps.prompts, 'priorities', {});
  return async (day, now) => {
    const candidates = scorePriorities(day, now, MAX_CANDIDATES);
    if (candidates.length === 0) return [];
    const items = candidates.map((c) => ({ id: c.id, kind: c.kind, title: c.title, facts: c.reason }));
    const answer = await deps.model.invoke(
      [new SystemMessage(system), new HumanMessage(JSON.stringify({ date: day.date, items }))],
      { signal: AbortSignal.timeout(deps.timeoutMs) },
    );
    const byId = new Map(candidates.map((c) => [c.id, c]));
    const ranked: PriorityItem[] = [];
    for (const { id, reason } of parseRanking(answer.text)) {
      const item = byId.get(id);
      if (!item) continue;
      byId.delete(id);
      ranked.push({ ...item, reason: cleanReason(reason) || item.reason });
    }
    if (ranked.length === 0) throw new Error('the model ranked none of the items');
    const ordered = [...ranked, ...byId.values()].slice(0, MAX_PRIORITIES);
    return ordered.map((item, i) => ({ ...item, score: ordered.length - i }));
  };
}
