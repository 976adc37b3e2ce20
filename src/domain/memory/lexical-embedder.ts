import { type Embedder, normalise } from './embedder.ts';

/**
 * The offline embedder: deterministic, instant, nothing to download. It is LEXICAL, not semantic: a text's
 * vector is a hashed bag of its words, word pairs and character trigrams ("feature hashing"), so two texts
 * are close when they share words or parts of words ("Ramesh's number" ~ "number of Ramesh", "payment" ~
 * "payments", a misspelt "Ramseh" ~ "Ramesh"), and far apart when they say the same thing in different
 * words ("pays late" vs "delays payment"). Full-text search covers the exact words; for meaning, configure
 * an embeddings model (EMBEDDINGS_PROVIDER=openai).
 *
 * Features, each hashed (FNV-1a) to one of `dimension` buckets with a hashed sign:
 * - every word, lower-cased, possessive 's and a plural s dropped (weight 1; glue words 0.25);
 * - every pair of neighbouring words (0.5), unless both are glue words;
 * - every character trigram of "#word#" (together 0.6 per word, so long words do not dominate).
 * Term counts are dampened (1 + ln tf) and the vector is L2-normalised, so cosine similarity is a dot
 * product. The id carries a version: any change to the features must bump it, which makes existing
 * deployments re-embed (`axon memory reembed`) instead of silently comparing incompatible vectors.
 */

export const LEXICAL_DIMENSION = 384;
export const LEXICAL_ID = 'lexical-v1';

// English and Hinglish words that glue a sentence together: kept, but weak.
const GLUE = new Set(
  (
    'a an the is are was were be been am i me my we our you your he she it its they them their this that these those ' +
    'to of in on at for with from by about as and or but if so do does did has have had will would can could should ' +
    'what which who whom whose when where why how please pls now always never usually often also just very ' +
    'hai hain ho tha thi the ka ki ke ko se me mein par pe aur ya bhi to toh ye yeh wo woh kya kab kaun kahan ' +
    'mera meri mere mujhe hum humara ap aap tum tera uska uski uske wala wali wale ab hamesha kabhi nahi na'
  ).split(' '),
);

const WORD_WEIGHT = 1;
const GLUE_WEIGHT = 0.25;
const PAIR_WEIGHT = 0.5;
const TRIGRAMS_PER_WORD = 0.6;

/** Lower-case words and digit runs, apostrophes and possessives dropped, a plural s folded. */
export function lexicalTokens(text: string): string[] {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’`]s\b/g, '')
    .replace(/['’`]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return words.map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function lexicalVector(text: string, dimension = LEXICAL_DIMENSION): number[] {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  const tokens = lexicalTokens(text);
  tokens.forEach((word, i) => {
    const glue = GLUE.has(word);
    add(`w:${word}`, glue ? GLUE_WEIGHT : WORD_WEIGHT);
    const next = tokens[i + 1];
    if (next !== undefined && !(glue && GLUE.has(next))) add(`b:${word} ${next}`, PAIR_WEIGHT);
    if (!glue && word.length > 2) {
      const padded = `#${word}#`;
      const n = padded.length - 2;
      for (let k = 0; k < n; k++) add(`c:${padded.slice(k, k + 3)}`, TRIGRAMS_PER_WORD / n);
    }
  });
  const v = new Array<number>(dimension).fill(0);
  for (const [feature, weight] of counts) {
    const h = fnv1a(feature);
    // The bucket from the hash, the sign from bits the modulo barely uses.
    const sign = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 31 === 1 ? -1 : 1;
    // Dampen repeats: a weight seen twice counts 1 + ln 2 times, not twice.
    const dampened = weight >= 1 ? 1 + Math.log(weight) : weight;
    v[h % dimension] = (v[h % dimension] as number) + sign * dampened;
  }
  return normalise(v);
}

export function createLexicalEmbedder(dimension = LEXICAL_DIMENSION): Embedder {
  return {
    id: dimension === LEXICAL_DIMENSION ? LEXICAL_ID : `${LEXICAL_ID}-${dimension}`,
    dimension,
    embed: async (texts) => texts.map((t) => lexicalVector(t, dimension)),
  };
}
