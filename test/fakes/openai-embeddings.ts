import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lexicalVector } from '../../src/domain/memory/lexical-embedder.ts';

/**
 * A local server speaking OpenAI's `/v1/embeddings` wire format. Its vectors are the lexical embedder's at
 * the requested `dimensions` (else `nativeDimension`), so search over them behaves sensibly; the data
 * comes back in reverse order with `index` set, as a client must not rely on order. `failNext` answers
 * that many requests with an error first.
 */

export interface EmbeddingsRequestBody {
  model: string;
  input: string | string[];
  dimensions?: number;
  encoding_format?: string;
}

export interface FakeEmbeddings {
  url: string;
  requests: { body: EmbeddingsRequestBody; authorization: string | undefined }[];
  nativeDimension: number;
  failNext: { count: number; status: number };
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });

export async function startFakeEmbeddings(nativeDimension = 64): Promise<FakeEmbeddings> {
  const fake = {
    nativeDimension,
    failNext: { count: 0, status: 500 },
    requests: [],
  } as unknown as FakeEmbeddings;
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !req.url?.endsWith('/embeddings')) {
      return send(404, { error: { message: `no route ${req.method} ${req.url}` } });
    }
    const body = JSON.parse(raw) as EmbeddingsRequestBody;
    fake.requests.push({ body, authorization: req.headers.authorization });
    if (fake.failNext.count > 0) {
      fake.failNext.count -= 1;
      return send(fake.failNext.status, { error: { message: 'the fake is failing on purpose' } });
    }
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    const dimension = body.dimensions ?? fake.nativeDimension;
    const data = inputs.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: lexicalVector(text, dimension),
    }));
    send(200, {
      object: 'list',
      model: body.model,
      data: data.reverse(),
      usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
