import type { BaseMessage } from '@langchain/core/messages';

/** What a turn uses of LangChain's agent: its stream of steps. */
export interface StreamingAgent {
  stream(
    input: { messages: BaseMessage[] },
    options: { context: object; streamMode: 'updates'; recursionLimit: number; signal: AbortSignal },
  ): Promise<AsyncIterable<unknown>>;
}

/** Model ↔ tool steps a turn may take before it is cut off. */
const RECURSION_LIMIT = 12;

/**
 * The agent loop as every turn runs it (and as `bench:chat` runs the framework alone): streamed step by step
 * into `produced`, so what the tools did is kept when a later step fails or the turn times out.
 */
export async function runAgentLoop(
  agent: StreamingAgent,
  messages: BaseMessage[],
  context: object,
  signal: AbortSignal,
  produced: BaseMessage[],
): Promise<void> {
  const stream = await agent.stream(
    { messages },
    { context, streamMode: 'updates', recursionLimit: RECURSION_LIMIT, signal },
  );
  for await (const update of stream) {
    for (const node of Object.values(update as Record<string, { messages?: BaseMessage[] } | undefined>)) {
      if (node?.messages) produced.push(...node.messages);
    }
  }
}
