import type { Queryable } from '../db/types.ts';

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

export interface Match {
  id: string;
}

/** Up to `limit` ids from `table` where each word appears in one of `columns`, restricted by `extraWhere`. */
export async function findByWords(
  tx: Queryable,
  table: 'tasks' | 'follow_ups',
  columns: string[],
  words: string[],
  extraWhere: string,
  order: string,
  limit = 5,
): Promise<string[]> {
  if (words.length === 0) return [];
  const conditions = words.map(
    (_, i) => `(${columns.map((c) => `coalesce(${c}, '') ILIKE $${i + 1}`).join(' OR ')})`,
  );
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM ${table} WHERE ${conditions.join(' AND ')} AND ${extraWhere} ORDER BY ${order} LIMIT ${limit}`,
    words.map((w) => `%${escapeLike(w)}%`),
  );
  return rows.map((r) => r.id);
}
