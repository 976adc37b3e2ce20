/**
 * Finding a record from how a person names it ("the GST one", "Ramesh"): every significant word must
 * appear in one of the searched columns. Shared by tasks and follow-ups.
 */

// Words that name the kind of thing or glue a sentence together, in English and Hinglish.
const FILLER = new Set([
  'the',
  'a',
  'an',
  'to',
  'for',
  'with',
  'of',
  'on',
  'my',
  'and',
  'task',
  'tasks',
  'todo',
  'follow',
  'up',
  'followup',
  'wala',
  'wali',
  'waala',
  'ka',
  'ki',
  'ke',
  'ko',
  'se',
  'one',
  'that',
  'this',
  'vo',
  'woh',
  'yeh',
]);

export function significantWords(ref: string): string[] {
  return ref
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && !FILLER.has(w))
    .slice(0, 8);
}

const escapeLike = (w: string) => w.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A condition that each word appears in one of `columns` (case-insensitive), as $1…$n, with its parameters.
 * Callers skip the query when there are no words: nothing was named.
 */
export function wordsCondition(columns: readonly string[], words: readonly string[]) {
  return {
    where: words
      .map((_, i) => `(${columns.map((c) => `coalesce(${c}, '') ILIKE $${i + 1}`).join(' OR ')})`)
      .join(' AND '),
    params: words.map((w) => `%${escapeLike(w)}%`),
  };
}
