import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentStepLimitError, createAgentLoop, MAX_MODEL_CALLS } from '../../src/agent/agent-loop.ts';

type Step = { text: string } | { calls: { name: string; args: object }[] };

/** A model that answers from a script, one step per call, and records what it was sent and bound. */
class ScriptedModel extends BaseChatModel {
  seen: BaseMessage[][] = [];
  bound: unknown[] = [];
  constructor(private readonly steps: (messages: BaseMessage[]) => Step) {
    super({});
  }
  _llmType() {
    return 'scripted';
  }
  override bindTools(tools: unknown[]): this {
    this.bound = tools;
    return this;
  }
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.seen.push([...messages]);
    const step = this.steps(messages);
    const message =
      'text' in step
        ? new AIMessage(step.text)
        : new AIMessage({
            content: '',
            tool_calls: step.calls.map((c, i) => ({ id: `call_${this.seen.length}_${i}`, ...c })),
          });
    return { generations: [{ text: '', message }] };
  }
}

const echo = { name: 'echo', description: 'echoes', schema: z.object({ say: z.string() }) };
const input = () => [new HumanMessage('hi')];

describe('the agent loop', () => {
  it('binds the tools, runs every call of a step side by side, and answers once the model stops asking', async () => {
    const model = new ScriptedModel((m) =>
      ToolMessage.isInstance(m.at(-1))
        ? { text: 'both done' }
        : {
            calls: [
              { name: 'echo', args: { say: 'a' } },
              { name: 'echo', args: { say: 'b' } },
            ],
          },
    );
    const running: string[] = [];
    const ran: string[] = [];
    const loop = createAgentLoop(model, [echo], async (name, args, context: { who: string }) => {
      const { say } = args as { say: string };
      running.push(say);
      // Both calls have started before either answers: they run side by side.
      await new Promise((resolve) => setImmediate(resolve));
      expect(running).toEqual(['a', 'b']);
      ran.push(`${context.who}:${name}:${say}`);
      return JSON.stringify({ ok: true, said: say });
    });
    const produced: BaseMessage[] = [];
    await loop(input(), { who: 'owner' }, { signal: new AbortController().signal }, produced);

    expect(model.bound).toEqual([echo]);
    expect(ran).toEqual(['owner:echo:a', 'owner:echo:b']);
    expect(produced.map((m) => m.type)).toEqual(['ai', 'tool', 'tool', 'ai']);
    const [, first, second, last] = produced;
    expect(ToolMessage.isInstance(first) && first.tool_call_id).toBe('call_1_0');
    expect(ToolMessage.isInstance(second) && second.tool_call_id).toBe('call_1_1');
    expect(second?.content).toBe('{"ok":true,"said":"b"}');
    expect(last?.content).toBe('both done');
    // The second call saw the whole exchange: the message, the calls, both results in order.
    expect(model.seen[1]?.map((m) => m.type)).toEqual(['human', 'ai', 'tool', 'tool']);
  });

  it(`stops a model that keeps asking for tools after ${MAX_MODEL_CALLS} calls, keeping what the tools did`, async () => {
    const model = new ScriptedModel(() => ({ calls: [{ name: 'echo', args: { say: 'again' } }] }));
    let runs = 0;
    const loop = createAgentLoop(model, [echo], async () => {
      runs++;
      return '{}';
    });
    const produced: BaseMessage[] = [];
    await expect(
      loop(input(), {}, { signal: new AbortController().signal }, produced),
    ).rejects.toBeInstanceOf(AgentStepLimitError);
    expect(model.seen).toHaveLength(MAX_MODEL_CALLS);
    expect(runs).toBe(MAX_MODEL_CALLS);
    expect(produced.filter((m) => ToolMessage.isInstance(m))).toHaveLength(MAX_MODEL_CALLS);
  });

  it('keeps the results of tools that ran when the turn is cut off, and asks the model nothing more', async () => {
    const model = new ScriptedModel(() => ({ calls: [{ name: 'echo', args: { say: 'slow' } }] }));
    const timeout = new AbortController();
    const loop = createAgentLoop(model, [echo], async () => {
      timeout.abort(new DOMException('the turn took too long', 'TimeoutError'));
      return '{"ok":true}';
    });
    const produced: BaseMessage[] = [];
    await expect(loop(input(), {}, { signal: timeout.signal }, produced)).rejects.toThrow(
      'the turn took too long',
    );
    expect(model.seen).toHaveLength(1);
    expect(produced.map((m) => m.type)).toEqual(['ai', 'tool']);
  });

  it("gives the turn's reason, not the model client's, when the signal cuts a model call off", async () => {
    class Hanging extends ScriptedModel {
      override async _generate(): Promise<ChatResult> {
        throw new DOMException('Request was aborted.', 'AbortError');
      }
    }
    const timeout = new AbortController();
    timeout.abort(new DOMException('the turn took too long', 'TimeoutError'));
    const loop = createAgentLoop(new Hanging(() => ({ text: '' })), [echo], async () => '{}');
    await expect(loop(input(), {}, { signal: timeout.signal }, [])).rejects.toThrow('the turn took too long');
  });

  it('refuses a model that cannot call tools', () => {
    const model = new ScriptedModel(() => ({ text: '' }));
    Object.defineProperty(model, 'bindTools', { value: undefined });
    expect(() => createAgentLoop(model, [echo], async () => '{}')).toThrow('scripted cannot call tools');
  });
});
