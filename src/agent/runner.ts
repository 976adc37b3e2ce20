import { performance } from 'node:perf_hooks';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import type { Db, Queryable } from '../db/types.ts';
import type { Ctx, Via } from '../domain/context.ts';
import type { Action, ConversationChannel } from '../domain/conversations/schema.ts';
import { openConversation, recordTurn } from '../domain/conversations/store.ts';
import { DomainError } from '../domain/errors.ts';
import type { Principal } from '../domain/tenants.ts';
import { localDate } from '../domain/time.ts';
import type { Logger } from '../log.ts';
import { createAgentLoop } from './agent-loop.ts';
import { formatTime, weekdayFormat } from './format.ts';
import { type Prompts, renderPrompt } from './prompts.ts';
import { createToolbox, type TurnContext } from './tools/index.ts';
import {
  extractForTurn,
  finishRecall,
  learnFromTurn,
  prepareRecall,
  renderMemories,
  type TurnMemory,
} from './turn-memory.ts';

export interface TurnRequest {
  principal: Principal;
  channel: ConversationChannel;
  message: string;
  conversationId?: string | undefined;
  requestId?: string | undefined;
  /** The API key the turn was asked with: what the agent does is audited under it. */
  apiKeyId?: string | undefined;
}

export interface TurnResult {
  reply: string;
  conversation_id: string;
  turn_id: string;
  actions: Action[];
  error: string | null;
}

export interface RunnerDeps {
  db: Db;
  model: BaseChatModel;
  modelName: string;
  prompts: Prompts;
  historyTurns: number;
  turnTimeoutMs: number;
  /** Long-term memory: recalled into each turn, learned from after it. Off when absent. */
  memory?: TurnMemory | undefined;
  logger?: Logger | undefined;
  clock?: () => Date;
  /** A connector's name from its id, for where an answer's numbers come from. */
  connectorName?: ((id: string) => string) | undefined;
}

const PROVIDER_DOWN =
  "Sorry, I can't think clearly right now — my AI service isn't answering. Your message is saved; please try again in a minute.";

const CHANNEL_VIA: Record<ConversationChannel, Via> = {
  api: 'api',
  whatsapp: 'whatsapp',
  telegram: 'telegram',
  console: 'console',
};

const textOf = (m: BaseMessage): string => (typeof m.content === 'string' ? m.content : m.text);

/** Pairs each tool call of the turn with its result. */
function actionsOf(messages: BaseMessage[]): Action[] {
  const results = new Map<string, unknown>();
  for (const m of messages) {
    if (ToolMessage.isInstance(m)) {
      const text = textOf(m);
      try {
        results.set(m.tool_call_id, JSON.parse(text));
      } catch {
        results.set(m.tool_call_id, text);
      }
    }
  }
  return messages.flatMap((m) =>
    AIMessage.isInstance(m)
      ? (m.tool_calls ?? []).map((tc) => ({
          tool: tc.name,
          args: tc.args,
          result: results.get(tc.id ?? '') ?? null,
        }))
      : [],
  );
}

function usageOf(messages: BaseMessage[]): { input: number; output: number } {
  let input = 0;
  let output = 0;
  for (const m of messages) {
    if (AIMessage.isInstance(m) && m.usage_metadata) {
      input += m.usage_metadata.input_tokens;
      output += m.usage_metadata.output_tokens;
    }
  }
  return { input, output };
}

/**
 * One turn of the Digital Employee: history and relevant memories in, agent loop (model ↔ tools), turn
 * recorded, memories learned from the message, reply out. The turn is recorded even when the model provider
 * fails, with what the tools had already done.
 */
export function createTurnRunner(deps: RunnerDeps) {
  const toolbox = createToolbox({
    db: deps.db,
    memory: deps.memory?.service,
    logger: deps.logger,
    connectorName: deps.connectorName,
  });
  const runAgentLoop = createAgentLoop(deps.model, toolbox.tools, toolbox.run);
  const clock = deps.clock ?? (() => new Date());

  function systemPrompt(p: Principal, now: Date, memories: string): string {
    return renderPrompt(deps.prompts, 'system', {
      memories,
      business_name: p.businessName,
      user_name: p.userName ?? 'the owner',
      user_role: p.role,
      now: `${localDate(now, p.timezone)} ${formatTime(now, p.timezone)}`,
      weekday: weekdayFormat(p.timezone).format(now),
      timezone: p.timezone,
    });
  }

  /**
   * The conversation with its history, and the memories for the message, in one round trip. A memory
   * search that fails costs the turn its memories, never its answer: the conversation is then opened alone.
   */
  async function openTurn(req: TurnRequest, ctx: Ctx) {
    const search = await prepareRecall(deps.memory, ctx, req.message, deps.logger);
    const open = <B>(beside?: (tx: Queryable) => Promise<B>) =>
      openConversation(deps.db, ctx, req.channel, req.conversationId, deps.historyTurns, beside);
    if (search) {
      try {
        const opened = await open(search.send);
        return {
          ...opened,
          recalled: await finishRecall(search, opened.beside ?? null, deps.logger),
          search,
        };
      } catch (err) {
        // The conversation's own refusal (not found) is the turn's; anything else may be the search's.
        if (err instanceof DomainError) throw err;
        deps.logger?.warn(
          { err },
          'opening the turn with its memory search failed; opening it without memories',
        );
      }
    }
    return { ...(await open()), recalled: [], search: undefined };
  }

  return async function runTurn(req: TurnRequest): Promise<TurnResult> {
    const started = performance.now();
    const now = clock();
    const { principal: p } = req;
    const ctx: Ctx = {
      tenantId: p.tenantId,
      userId: p.userId,
      actor: 'agent',
      via: CHANNEL_VIA[req.channel],
      timezone: p.timezone,
      requestId: req.requestId,
      apiKeyId: req.apiKeyId,
    };
    const { conversation, history, recalled, search } = await openTurn(req, ctx);
    // Started once the conversation exists (no model call for a turn refused above), beside the agent loop.
    const extracted = extractForTurn(deps.memory, req.message, deps.logger);
    const input: BaseMessage[] = [
      new SystemMessage(systemPrompt(p, now, renderMemories(recalled, p.timezone))),
      ...history.flatMap((t) => [new HumanMessage(t.user_message), new AIMessage(t.reply)]),
      new HumanMessage(req.message),
    ];

    const produced: BaseMessage[] = [];
    let error: string | null = null;
    // Not AbortSignal.timeout: its timer outlives the turn for the whole timeout, and with it everything
    // the agent loop hung on the signal (thousands of finished turns' state under steady traffic).
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException('the turn took too long', 'TimeoutError')),
      deps.turnTimeoutMs,
    );
    try {
      const context: TurnContext = { ctx, now, conversationId: conversation.id };
      await runAgentLoop(
        input,
        context,
        { signal: timeout.signal, clock: { now, timezone: p.timezone } },
        produced,
      );
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    } finally {
      clearTimeout(timer);
    }

    const actions = actionsOf(produced);
    const final = produced.findLast((m) => AIMessage.isInstance(m) && !(m.tool_calls?.length ?? 0));
    const reply = (!error && final && textOf(final).trim()) || PROVIDER_DOWN;
    const usage = usageOf(produced);
    const turn = await recordTurn(
      deps.db,
      ctx,
      conversation.id,
      {
        userMessage: req.message,
        reply,
        actions,
        model: deps.modelName,
        inputTokens: usage.input,
        outputTokens: usage.output,
        latencyMs: Math.round(performance.now() - started),
        error: error ?? (final ? null : 'the model gave no final answer'),
      },
      search && recalled.length > 0 ? (tx) => search.countRecalled(tx, recalled) : undefined,
    );
    await learnFromTurn(
      deps.memory,
      ctx,
      { extracted, conversationId: conversation.id, turnId: turn.id, actions },
      deps.logger,
    );
    return { reply, conversation_id: conversation.id, turn_id: turn.id, actions, error: turn.error };
  };
}

export type TurnRunner = ReturnType<typeof createTurnRunner>;
