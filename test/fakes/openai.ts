import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';

/**
 * A local server speaking OpenAI's chat-completions wire format (plain JSON and SSE streaming), answering
 * from a script. Every completion and tool call gets a fresh id, as the real API's do. The memory
 * extractor's requests (it runs beside each turn's own model calls) have a script of their own, so a
 * test's order of answers never depends on which request reaches the server first.
 */

export type Scripted =
  | { text: string }
  | { toolCalls: { name: string; args: Record<string, unknown> }[] }
  | { status: number; error: string };

export interface ChatRequestBody {
  model: string;
  stream?: boolean;
  messages: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; description?: string; parameters: unknown } }[];
}

export interface FakeOpenAI {
  url: string;
  requests: ChatRequestBody[];
  /** Queue answers; each request takes the next one. A function answers from the request itself. */
  script(...answers: (Scripted | ((req: ChatRequestBody) => Scripted))[]): void;
  /** Answers for the memory extractor's requests; with none left it finds nothing to keep. */
  scriptExtraction(...answers: Scripted[]): void;
  /** The memory extractor's requests, apart from `requests`. */
  extractions: ChatRequestBody[];
  /** Hold every answer this long (to test time-outs). */
  delayMs: number;
  close(): Promise<void>;
}

/** The settings that point the app's real ChatOpenAI at this fake. */
export const modelSettings = (fake: FakeOpenAI): Record<string, string> => ({
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: fake.url,
  OPENAI_MODEL: 'fake-gpt',
  OPENAI_TIMEOUT_MS: '5000',
});

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queue: (Scripted | ((req: ChatRequestBody) => Scripted))[] = [];
  const extractionQueue: Scripted[] = [];
  const requests: ChatRequestBody[] = [];
  const extractions: ChatRequestBody[] = [];
  let seq = 0;
  const fake = { delayMs: 0 } as FakeOpenAI;

  const server: Server = createServer(async (req, res) => {
    const body = await text(req);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const parsed = JSON.parse(body) as ChatRequestBody;
    const extracting = String(parsed.messages[0]?.content).includes('memory extractor');
    (extracting ? extractions : requests).push(parsed);
    if (fake.delayMs > 0) await new Promise((r) => setTimeout(r, fake.delayMs));
    const next = extracting
      ? (extractionQueue.shift() ?? { text: '{"memories": []}' })
      : (queue.shift() ?? { text: '(no scripted answer left)' });
    const answer = typeof next === 'function' ? next(parsed) : next;
    if ('status' in answer) {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: answer.error, type: 'server_error' } }));
      return;
    }
    seq += 1;
    const id = `chatcmpl-fake-${seq}`;
    const toolCalls =
      'toolCalls' in answer
        ? answer.toolCalls.map((tc, i) => ({
            id: `call_${seq}_${i}`,
            type: 'function',
            function: { name: tc.name, arguments: JSON.stringify(tc.args) },
          }))
        : undefined;
    const content = 'text' in answer ? answer.text : null;
    const usage = { prompt_tokens: 100 + seq, completion_tokens: 10 + seq, total_tokens: 110 + 2 * seq };
    const finish = toolCalls ? 'tool_calls' : 'stop';
    if (parsed.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: unknown, finish_reason: string | null, extra = {}) =>
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model: parsed.model, choices: [{ index: 0, delta, finish_reason }], ...extra })}\n\n`,
        );
      chunk({ role: 'assistant', content: content ?? '' }, null);
      if (toolCalls) chunk({ tool_calls: toolCalls.map((tc, index) => ({ index, ...tc })) }, null);
      chunk({}, finish, { usage });
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created: 0,
        model: parsed.model,
        choices: [
          { index: 0, message: { role: 'assistant', content, tool_calls: toolCalls }, finish_reason: finish },
        ],
        usage,
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.requests = requests;
  fake.extractions = extractions;
  fake.script = (...answers) => {
    queue.push(...answers);
  };
  fake.scriptExtraction = (...answers) => {
    extractionQueue.push(...answers);
  };
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
