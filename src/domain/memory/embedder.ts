/**
 * Turns text into vectors for memory search. The domain owns this interface; implementations are the
 * lexical embedder beside it (offline, the default) and an OpenAI-compatible client in `src/agent/`,
 * plugged in by `main.ts`.
 *
 * A deployment's memories are all embedded by one embedder: `id` names it (model and version, so that two
 * embedders whose vectors do not compare never share an id) and `dimension` is the length of every vector
 * it returns. Both are recorded in the database at first start; see `index-state.ts`.
 */
export interface Embedder {
  readonly id: string;
  readonly dimension: number;
  /** One vector per text, in order, each `dimension` long. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** pgvector's HNSW index takes vectors of at most this many dimensions. */
export const MAX_INDEXED_DIMENSION = 2000;

export class EmbedderError extends Error {
  override name = 'EmbedderError';
}

/** A vector as pgvector's text input, '[0.1,0.2,…]'; six significant digits is more than float4 keeps. */
export function vectorLiteral(v: readonly number[]): string {
  let out = '[';
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (!Number.isFinite(x)) throw new EmbedderError(`embedding has a non-finite value at ${i}`);
    out += (i ? ',' : '') + (x === 0 ? '0' : x.toPrecision(6));
  }
  return `${out}]`;
}

/** Embeds and checks the shape, so a misbehaving server cannot put a wrong-sized vector in the index. */
export async function embedChecked(embedder: Embedder, texts: readonly string[]): Promise<number[][]> {
  if (texts.length === 0) return [];
  const vectors = await embedder.embed(texts);
  if (vectors.length !== texts.length) {
    throw new EmbedderError(`${embedder.id} returned ${vectors.length} embeddings for ${texts.length} texts`);
  }
  for (const v of vectors) {
    if (v.length !== embedder.dimension) {
      throw new EmbedderError(
        `${embedder.id} returned a vector of ${v.length} dimensions; ${embedder.dimension} were expected`,
      );
    }
  }
  return vectors;
}

export function normalise(v: number[]): number[] {
  let sum = 0;
  for (const x of v) sum += x * x;
  if (sum === 0) {
    // A text with no features still needs a direction: cosine distance to a zero vector is undefined.
    const unit = new Array<number>(v.length).fill(0);
    unit[0] = 1;
    return unit;
  }
  const norm = Math.sqrt(sum);
  return v.map((x) => x / norm);
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
