import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import type { StructuredToolParams } from '@langchain/core/tools';
import type { Clock } from './turn-clock.ts';

/** Model calls a turn may make: a model that keeps asking for tools is cut off after this many. */
export const MAX_MODEL_CALLS = 6;

/** Runs one tool call for a turn and answers what the model is told (JSON); it never throws. */
export type ToolRunner<C> = (name: string, args: unknown, context: C) => Promise<string>;

/**
 * What every model call of a turn is given: the turn's signal, and its clock for a model that reads it.
 * Passed as call options, not through async context: Node 20's AsyncLocalStorage taxes every promise.
 */
export interface ModelCall {
  signal: AbortSignal;
  clock?: Clock;
}

export type AgentLoop<C> = (
  messages: BaseMessage[],
  context: C,
  call: ModelCall,
  produced: BaseMessage[],
) => Promise<void>;

export class AgentStepLimitError extends Error {
  override name = 'AgentStepLimitError';
}

/**
 * The agent loop every turn runs: the model, then every tool it asked for (side by side), then the model
 * again, until it answers without a tool call. Each message lands in `produced` as soon as it exists, so
 * what the tools did is kept when a later step fails or the turn is cut off.
 *
 * Why not LangChain's `createAgent`: its LangGraph graph (channels, checkpoints, a run tree per node) was
 * most of a turn's CPU, for features a turn never uses (no checkpointer, interrupts or middleware);
 * `bench:chat` still drives it alone, as the reference. The model and its tool binding stay LangChain's.
 */
export function createAgentLoop<C>(
  model: BaseChatModel,
  tools: StructuredToolParams[],
  runTool: ToolRunner<C>,
): AgentLoop<C> {
  if (!model.bindTools) throw new Error(`${model._llmType()} cannot call tools`);
  const bound = model.bindTools(tools);
  return async (messages, context, call, produced) => {
    const { signal } = call;
    const conversation = [...messages];
    const add = (...m: BaseMessage[]) => {
      conversation.push(...m);
      produced.push(...m);
    };
    for (let calls = 0; calls < MAX_MODEL_CALLS; calls++) {
      // A provider's client cut off by the signal says only that it was aborted: the turn's reason is why.
      const reply = await bound.invoke(conversation, call).catch((err: unknown) => {
        throw signal.aborted ? signal.reason : err;
      });
      add(reply);
      const calls = AIMessage.isInstance(reply) ? (reply.tool_calls ?? []) : [];
      if (calls.length === 0) return;
      add(
        ...(await Promise.all(
          calls.map(
            async (c) =>
              new ToolMessage({
                name: c.name,
                tool_call_id: c.id ?? '',
                content: await runTool(c.name, c.args, context),
              }),
          ),
        )),
      );
      // The tools' work is kept above; a turn cut off meanwhile asks the model nothing more.
      signal.throwIfAborted();
    }
    throw new AgentStepLimitError(`the model asked for tools ${MAX_MODEL_CALLS} times without answering`);
  };
}
