/**
 * The reference loops of `bench:chat`, each with a model and a tool that do nothing: LangChain's
 * createAgent (the framework alone), and our agent loop alone (src/agent/agent-loop.ts). They run in a
 * child process of their own: a clean heap, as the framework would have on its own, and LangGraph's
 * process-wide AsyncLocalStorage (which puts a hook on every promise under Node 20) kept out of the
 * process whose turns are measured, since the product never loads it.
 */
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { createAgentLoop } from '../../src/agent/agent-loop.ts';

/** A model that asks for the one tool once, then answers: the agent loop with nothing of ours inside. */
class NoopChatModel extends BaseChatModel {
  private calls = 0;
  _llmType() {
    return 'noop';
  }
  override bindTools(): this {
    return this;
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const message = ToolMessage.isInstance(messages.at(-1))
      ? new AIMessage('done')
      : new AIMessage({ content: '', tool_calls: [{ id: `noop_${this.calls++}`, name: 'noop', args: {} }] });
    return { generations: [{ text: '', message }] };
  }
}

export interface FrameworkRun {
  turns: number;
  turnsPerSecond: number;
  cpuMsPerTurn: number;
}

type Loop = 'createAgent' | 'ours';

interface StreamingAgent {
  stream(
    input: { messages: BaseMessage[] },
    options: { context: object; streamMode: 'updates'; recursionLimit: number; signal: AbortSignal },
  ): Promise<AsyncIterable<Record<string, { messages?: BaseMessage[] } | undefined>>>;
}

/**
 * LangChain's createAgent, loaded by a name the type checker does not follow: LangGraph's typings augment
 * zod's `ZodType` for the whole program, which breaks how the API's zod schemas type-check.
 */
async function loadCreateAgent(): Promise<
  (options: { model: BaseChatModel; tools: unknown[] }) => StreamingAgent
> {
  const name = 'langchain';
  return (await import(name)).createAgent;
}

/**
 * A loop with a model and a tool that do nothing (model → tool → model), driven like a closed-loop level:
 * its own throughput and CPU per turn in this process. `createAgent` is LangChain's agent (a LangGraph graph,
 * streamed by step as turns once ran it): the framework alone. `ours` is the agent loop every turn now runs
 * (src/agent/agent-loop.ts): the floor under any turn of ours.
 */
async function frameworkLoop(
  loop: Loop,
  concurrency: number,
  ms: number,
  historyTurns: number,
  toolWaits: boolean,
  warmup = 300,
): Promise<FrameworkRun> {
  // A tool that waits one I/O turn, as every real tool does (its query), before answering.
  const ioTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const noop = async () => {
    if (toolWaits) await ioTurn();
    return '{}';
  };
  const schema = { name: 'noop', description: 'does nothing', schema: z.object({}) };
  const model = new NoopChatModel({});
  // The input our turns give it: a system prompt, the history, the message.
  const history = Array.from({ length: historyTurns }, (_, i) => [
    new HumanMessage(`message ${i}`),
    new AIMessage(`reply ${i}`),
  ]).flat();
  const input = () => [new SystemMessage('system'), ...history, new HumanMessage('hi')];
  const once = await (async () => {
    if (loop === 'ours') {
      const run = createAgentLoop(model, [schema], noop);
      return () => run(input(), {}, { signal: new AbortController().signal }, []);
    }
    const agent = (await loadCreateAgent())({ model, tools: [tool(noop, schema)] });
    // With a context and a signal to cut it off, streamed by step so each step's messages are kept.
    return async () => {
      const produced: BaseMessage[] = [];
      const stream = await agent.stream(
        { messages: input() },
        { context: {}, streamMode: 'updates', recursionLimit: 12, signal: new AbortController().signal },
      );
      for await (const update of stream) {
        for (const node of Object.values(update)) {
          if (node?.messages) produced.push(...node.messages);
        }
      }
    };
  })();
  for (let i = 0; i < warmup; i++) await once();
  let turns = 0;
  const before = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() - started < ms) {
        await once();
        turns++;
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(before);
  return {
    turns,
    turnsPerSecond: (turns * 1000) / wallMs,
    cpuMsPerTurn: (cpu.user + cpu.system) / 1000 / Math.max(1, turns),
  };
}

export interface ReferenceRuns {
  /** createAgent, its tool answering at once. */
  framework: FrameworkRun;
  /** createAgent, its tool waiting one I/O turn, as a tool's query does. */
  frameworkWaiting: FrameworkRun;
  /** Our agent loop, its tool waiting one I/O turn. */
  ourLoop: FrameworkRun;
}

interface Options {
  concurrency: number;
  ms: number;
  historyTurns: number;
}

/** Runs the three loops one after the other in a child process, and answers what they measured. */
export function referenceLoops(options: Options): Promise<ReferenceRuns> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (runs) => resolve(runs as ReferenceRuns));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`the reference loops ended early (${code ?? signal})`)),
    );
  });
}

async function runInChild(o: Options): Promise<void> {
  const runs: ReferenceRuns = {
    framework: await frameworkLoop('createAgent', o.concurrency, o.ms, o.historyTurns, false),
    frameworkWaiting: await frameworkLoop('createAgent', o.concurrency, o.ms, o.historyTurns, true),
    ourLoop: await frameworkLoop('ours', o.concurrency, o.ms, o.historyTurns, true),
  };
  process.send?.(runs, () => process.exit(0));
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  await runInChild(JSON.parse(process.argv[2] ?? '{}') as Options);
}
