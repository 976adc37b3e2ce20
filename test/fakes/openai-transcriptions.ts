import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server speaking OpenAI's `POST /v1/audio/transcriptions` (multipart/form-data in, `{text}` out),
 * recording what it was sent.
 */

export interface TranscriptionRequest {
  authorization: string | undefined;
  model: string | null;
  fileName: string | null;
  fileType: string | null;
  fileBytes: Buffer;
}

export interface FakeTranscriptions {
  /** The API root, as OPENAI_BASE_URL would be: `http://127.0.0.1:port/v1`. */
  baseURL: string;
  requests: TranscriptionRequest[];
  /** What the next answers say; a number answers with that HTTP status. */
  answers: (string | number)[];
  close(): Promise<void>;
}

export async function startFakeTranscriptions(): Promise<FakeTranscriptions> {
  const requests: TranscriptionRequest[] = [];
  const answers: (string | number)[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no route"}}');
      return;
    }
    // The WHATWG Request parses multipart the way a real server would.
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body: Buffer.concat(chunks),
    }).formData();
    const file = form.get('file');
    requests.push({
      authorization: req.headers.authorization,
      model: form.get('model') as string | null,
      fileName: file instanceof File ? file.name : null,
      fileType: file instanceof File ? file.type : null,
      fileBytes: file instanceof File ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0),
    });
    const answer = answers.shift() ?? '';
    if (typeof answer === 'number') {
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{"error":{"message":"failed"}}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: answer }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    answers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
