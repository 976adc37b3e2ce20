import { type Embedder, EmbedderError } from '../domain/memory/embedder.ts';
import { createLexicalEmbedder } from '../domain/memory/lexical-embedder.ts';

/**
 * Embedders for memory search: an OpenAI-compatible `/v1/embeddings` client (OpenAI, Azure's compatible
 * endpoint, Ollama, vLLM, LM Studio…), or the offline lexical embedder by default. The domain owns the
 * `Embedder` interface; this is a provider adapter, like the chat model factory beside it.
 */

export interface EmbeddingSettings {
  EMBEDDINGS_PROVIDER: 'lexical' | 'openai';
  EMBEDDINGS_MODEL: string;
  EMBEDDINGS_BASE_URL?: string | undefined;
  EMBEDDINGS_API_KEY?: string | undefined;
  EMBEDDINGS_DIMENSIONS?: number | undefined;
  OPENAI_API_KEY?: string | undefined;
  OPENAI_BASE_URL?: string | undefined;
  OPENAI_TIMEOUT_MS: number;
  /** The fetch the client calls with (the residency policy's). */
  fetch?: typeof fetch;
}

export interface OpenAiEmbedderOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  model: string;
  /** Ask the server for vectors this long (text-embedding-3 supports it); otherwise the model's own length. */
  dimensions?: number | undefined;
  timeoutMs: number;
  /** Texts per request. */
  batchSize?: number;
  retries?: number;
  fetch?: typeof fetch;
}

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

interface EmbeddingsResponse {
  data?: { embedding?: unknown; index?: number }[];
  error?: { message?: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An OpenAI-compatible embeddings client. Without `dimensions` it asks the server once, at start, how long
 * its vectors are (the deployment records the dimension; see index-state.ts).
 */
export async function createOpenAiEmbedder(o: OpenAiEmbedderOptions): Promise<Embedder> {
  const url = `${o.baseUrl.replace(/\/+$/, '')}/embeddings`;
  const batchSize = o.batchSize ?? 96;
  const retries = o.retries ?? 2;
  const doFetch = o.fetch ?? fetch;

  async function request(input: readonly string[]): Promise<number[][]> {
    const body = JSON.stringify({
      model: o.model,
      input,
      encoding_format: 'float',
      ...(o.dimensions ? { dimensions: o.dimensions } : {}),
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
    let lastError = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(400 * 2 ** (attempt - 1));
      let res: Response;
      try {
        res = await doFetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(o.timeoutMs) });
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
        continue;
      }
      const text = await res.text();
      let parsed: EmbeddingsResponse = {};
      try {
        parsed = JSON.parse(text) as EmbeddingsResponse;
      } catch {}
      if (!res.ok) {
        lastError = `HTTP ${res.status}${parsed.error?.message ? `: ${parsed.error.message}` : ''}`;
        if (res.status === 429 || res.status >= 500) continue;
        break;
      }
      const data = parsed.data;
      if (!Array.isArray(data) || data.length !== input.length) {
        throw new EmbedderError(`the embeddings server at ${url} answered without one embedding per input`);
      }
      return [...data]
        .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
        .map((d) => {
          if (!Array.isArray(d.embedding) || !d.embedding.every((x) => typeof x === 'number')) {
            throw new EmbedderError(`the embeddings server at ${url} sent an embedding that is not numbers`);
          }
          return d.embedding as number[];
        });
    }
    throw new EmbedderError(`embeddings request to ${url} (model ${o.model}) failed: ${lastError}`);
  }

  async function embed(texts: readonly string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let at = 0; at < texts.length; at += batchSize)
      out.push(...(await request(texts.slice(at, at + batchSize))));
    return out;
  }

  const dimension = o.dimensions ?? (await request(['dimension probe']))[0]?.length ?? 0;
  if (!dimension) throw new EmbedderError(`the embeddings server at ${url} returned an empty vector`);
  return {
    id: `openai:${o.model}${o.dimensions ? `@${o.dimensions}` : ''}`,
    dimension,
    embed,
  };
}

/** The configured embedder: the OpenAI-compatible client when EMBEDDINGS_PROVIDER=openai, else lexical. */
export async function chooseEmbedder(s: EmbeddingSettings): Promise<Embedder> {
  if (s.EMBEDDINGS_PROVIDER !== 'openai') return createLexicalEmbedder();
  return createOpenAiEmbedder({
    baseUrl: s.EMBEDDINGS_BASE_URL ?? s.OPENAI_BASE_URL ?? DEFAULT_BASE_URL,
    apiKey: s.EMBEDDINGS_API_KEY ?? s.OPENAI_API_KEY,
    model: s.EMBEDDINGS_MODEL,
    dimensions: s.EMBEDDINGS_DIMENSIONS,
    timeoutMs: s.OPENAI_TIMEOUT_MS,
    ...(s.fetch ? { fetch: s.fetch } : {}),
  });
}
