import { z } from 'zod';
import type { Queryable } from '../db/types.ts';

export const pageFields = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

export interface Page<T> {
  items: T[];
  total: number;
}

interface PageQuery {
  /** A table, or a subquery with its alias. */
  from: string;
  where: string;
  /** In the page's own column names: the statement sorts by it twice, inside and out. */
  order: string;
  params: unknown[];
  page: number;
  limit: number;
  /** More columns, worked out for the page's own rows only (not those skipped or counted): SQL on `page`. */
  columns?: string;
}

/** The one row a page belongs to (a conversation for its turns), read in the same statement. */
export interface ParentPage<P, R> {
  parent: P;
  page: Page<R>;
}

const PARENT = 'parent_';

/** A page and the total of every matching row, in one statement: on any page, past the end too. */
export async function fetchPage<R>(tx: Queryable, q: PageQuery): Promise<Page<R>> {
  const found = await fetchPageOf<Record<string, never>, R>(tx, 'SELECT', q);
  if (!found) throw new Error('a page without a parent always has its one row');
  return found.page;
}

/**
 * A page of the rows that belong to a parent, with the parent, in one statement. `parent` is a query of at
 * most one row whose columns are all named `parent_…` (so they cannot shadow the page's), handed back without
 * the prefix; undefined when it has no row, and then no page is read.
 *
 * The total is a count beside the page rather than a window over it: a window counts only the rows that
 * reach it, so a page past the end would come back with no rows and no total, and it makes the database
 * read every matching row in full where the count reads only what it must and the page stops at its limit.
 * The LEFT JOIN keeps one row, all of the page's columns null, when the page is empty.
 */
export async function fetchPageOf<P, R>(
  tx: Queryable,
  parent: string,
  q: PageQuery,
): Promise<ParentPage<P, R> | undefined> {
  const n = q.params.length;
  const rows = await tx.query<R & { page_total: number; page_row: boolean | null }>(
    `SELECT parent.*, counted.page_total, page.*${q.columns ? `, ${q.columns}` : ''}
     FROM (${parent}) AS parent
     CROSS JOIN (SELECT count(*)::int AS page_total FROM ${q.from} WHERE ${q.where}) AS counted
     LEFT JOIN LATERAL (
       SELECT *, true AS page_row FROM ${q.from} WHERE ${q.where}
       ORDER BY ${q.order} LIMIT $${n + 1} OFFSET $${n + 2}
     ) AS page ON true
     ORDER BY ${q.order}`,
    [...q.params, q.limit, (q.page - 1) * q.limit],
  );
  const [first] = rows;
  if (!first) return undefined;
  const parentColumns = Object.entries(first).filter(([name]) => name.startsWith(PARENT));
  return {
    parent: Object.fromEntries(parentColumns.map(([name, value]) => [name.slice(PARENT.length), value])) as P,
    page: { total: first.page_total, items: first.page_row ? rows : [] },
  };
}
