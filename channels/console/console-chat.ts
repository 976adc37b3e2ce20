import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import ora from 'ora';
import type { TurnRunner } from '../../src/agent/runner.ts';
import type { Principal } from '../../src/domain/tenants.ts';

export interface ConsoleChatOptions {
  runTurn: TurnRunner;
  principal: Principal;
  input: Readable;
  output: Writable & { isTTY?: boolean };
  modelName: string;
}

const BYE = new Set(['exit', 'quit', 'bye', '/exit', '/quit']);

const describeAction = (a: { tool: string; result: unknown }) => {
  const ok = (a.result as { ok?: boolean } | null)?.ok;
  return `  ${ok === false ? '✗' : '✓'} ${a.tool}`;
};

/**
 * A terminal chat with the Digital Employee as the local owner: the quickest way to try the product.
 * One conversation per session; a spinner while the agent works; the actions it took under each reply.
 */
export async function runConsoleChat(o: ConsoleChatOptions): Promise<void> {
  const write = (s: string) => o.output.write(`${s}\n`);
  const rl = createInterface({ input: o.input, output: o.output, terminal: Boolean(o.output.isTTY) });
  write(`AxonBOS — your Digital Employee (${o.modelName} model). Type a message; "exit" to leave.`);
  write('Try: remind me to call ABC Traders tomorrow at 5pm');
  let conversationId: string | undefined;
  try {
    for await (const line of rl) {
      const message = line.trim();
      if (!message) continue;
      if (BYE.has(message.toLowerCase())) break;
      // Piped input (scripts, tests) gets no spinner frames in its output.
      const spinner = ora({ text: 'thinking…', stream: o.output, isSilent: !o.output.isTTY }).start();
      try {
        const turn = await o.runTurn({ principal: o.principal, channel: 'console', message, conversationId });
        spinner.stop();
        conversationId = turn.conversation_id;
        write(`\n${turn.reply}`);
        if (turn.actions.length) write(turn.actions.map(describeAction).join('\n'));
        write('');
      } catch (err) {
        spinner.stop();
        write(`Sorry, that did not work: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  } finally {
    rl.close();
  }
}
