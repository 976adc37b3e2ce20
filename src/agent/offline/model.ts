import { randomUUID } from 'node:crypto';
import { BaseChatModel, type BaseChatModelCallOptions } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { ToolName, ToolResult } from '../tools/index.ts';
import { type Clock, wallClock } from '../turn-clock.ts';
import { parseBusinessQuestion } from './insights.ts';
import { nthReading, parseUtterance, type Reading } from './parse.ts';
import {
  askPeriod,
  GREETING,
  HELP,
  NO_TASK_MENTIONED,
  NOT_UNDERSTOOD,
  OUTSIDE_CATALOGUE,
  replyFor,
  SETBACK_NOTED,
} from './replies.ts';

/**
 * The model that runs with no API key: a LangChain chat model that turns the owner's message into tool
 * calls with a rule-based parser, then words the tool results. Because it speaks tool calls, the same
 * agent loop, tools and storage run with it as with a real LLM.
 */

const textOf = (m: BaseMessage | undefined): string =>
  typeof m?.content === 'string' ? m.content : (m?.text ?? '');

const answer = (text: string): ChatResult => ({ generations: [{ text, message: new AIMessage(text) }] });

const call = (name: ToolName, args: Record<string, unknown>): ChatResult => {
  const message = new AIMessage({
    content: '',
    tool_calls: [{ id: `call_${randomUUID()}`, name, args, type: 'tool_call' }],
  });
  return { generations: [{ text: '', message }] };
};

/** The turn's clock comes with each call (see agent-loop.ts); a call without one reads the wall clock. */
export interface OfflineCallOptions extends BaseChatModelCallOptions {
  clock?: Clock;
}

export class OfflineChatModel extends BaseChatModel<OfflineCallOptions> {
  static override lc_name() {
    return 'OfflineChatModel';
  }

  override _llmType(): string {
    return 'axon-offline';
  }

  // The parser already knows the tool contract (tools/index.ts); binding only has to keep the agent happy.
  override bindTools(): this {
    return this;
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const clock = options.clock ?? wallClock();
    const last = messages.at(-1);
    if (last && ToolMessage.isInstance(last)) {
      // every call so far found no open record: the message's next reading (parse.ts, `tries`), each call
      // having been one reading; when a message not understood has none left, it was not understood
      const missed = missedSoFar(messages);
      const intent = missed ? parseUtterance(missed.said, clock) : undefined;
      const tries = intent?.kind === 'tool' || intent?.kind === 'unknown' ? intent.tries : undefined;
      const next = (missed && nthReading(tries, missed.calls)) ?? queryForParty(messages, clock);
      if (next) return call(next.tool, next.args);
      return answer(intent?.kind === 'unknown' ? NOT_UNDERSTOOD : this.summarise(messages, clock));
    }

    const intent = parseUtterance(textOf(last), clock);
    if (intent.kind === 'help') return answer(HELP);
    if (intent.kind === 'greeting') return answer(GREETING);
    if (intent.kind === 'setback') return answer(SETBACK_NOTED);
    if (intent.kind === 'business_question') {
      const q = parseBusinessQuestion(textOf(last), clock);
      if (q.kind === 'outside') return answer(OUTSIDE_CATALOGUE);
      if (q.kind === 'ask_period') return answer(askPeriod(q.said));
      return q.party ? call('find_party', { name: q.party }) : call('query_business_data', q.call);
    }
    const first =
      intent.kind === 'tool' || intent.kind === 'unknown' ? nthReading(intent.tries, 0) : undefined;
    return first ? call(first.tool, first.args) : answer(NOT_UNDERSTOOD);
  }

  /** Words the results of the tool calls made since the last human message. */
  private summarise(messages: BaseMessage[], clock: Clock): string {
    const lastCall = messages.findLastIndex(
      (m) => AIMessage.isInstance(m) && (m.tool_calls?.length ?? 0) > 0,
    );
    const call = messages[lastCall] as AIMessage;
    const lines = (call.tool_calls ?? []).map((tc) => {
      const result = messages
        .slice(lastCall + 1)
        .find((m) => ToolMessage.isInstance(m) && m.tool_call_id === tc.id);
      try {
        const r = JSON.parse(textOf(result)) as ToolResult;
        if (!r.ok && r.error === 'not_found' && tc.args.match === 'mentioned') return NO_TASK_MENTIONED;
        return replyFor(tc.name as ToolName, r, clock);
      } catch {
        return 'Sorry, something went wrong while doing that. Please try again.';
      }
    });
    return lines.join('\n\n');
  }
}

/**
 * The message of this turn and how many calls were made for it, when every one found no open record (a
 * message not understood hears so, not that no task matched words never meant as a name); else null.
 */
function missedSoFar(messages: BaseMessage[]): { said: string; calls: number } | null {
  const asked = messages.findLastIndex((m) => HumanMessage.isInstance(m));
  const turn = messages.slice(asked + 1);
  const calls = turn.flatMap((m) => (AIMessage.isInstance(m) ? (m.tool_calls ?? []) : []));
  if (calls.length === 0 || !calls.every((tc) => foundNothing(turn, tc.id))) return null;
  return { said: textOf(messages[asked]), calls: calls.length };
}

function foundNothing(turn: BaseMessage[], callId: string | undefined): boolean {
  const result = turn.find((m) => ToolMessage.isInstance(m) && m.tool_call_id === callId);
  try {
    const r = JSON.parse(textOf(result)) as ToolResult;
    return !r.ok && r.error === 'not_found';
  } catch {
    return false;
  }
}

/**
 * The metric call a business question asked about a party, once find_party has named exactly one: the
 * question is read again and the party's id added to it.
 */
function queryForParty(messages: BaseMessage[], clock: Clock): Reading | null {
  const asked = messages.findLast((m) => HumanMessage.isInstance(m));
  const found = messages.at(-1);
  const lastCall = messages.findLast((m) => AIMessage.isInstance(m) && (m.tool_calls?.length ?? 0) > 0) as
    | AIMessage
    | undefined;
  if (lastCall?.tool_calls?.[0]?.name !== 'find_party') return null;
  try {
    const r = JSON.parse(textOf(found)) as ToolResult;
    if (!r.ok || !('party' in r) || !r.party) return null;
    const q = parseBusinessQuestion(textOf(asked), clock);
    if (q.kind !== 'metric') return null;
    return {
      tool: 'query_business_data',
      args: { ...q.call, filters: { ...q.call.filters, party_id: r.party.id } },
    };
  } catch {
    return null;
  }
}
