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
  from: string;
  where: string;
  order: string;
  params: unknown[];
  page: number;
  limit: number;
}

/** One round trip for a page and its total (a window count); a second only when the page is past the end. */
export async function fetchPage<R>(tx: Queryable, q: PageQuery): Promise<Page<R>> {
  const n = q.params.length;
  const rows = await tx.query<R & { page_total: number }>(
    `SELECT *, count(*) OVER ()::int AS page_total FROM ${q.from} WHERE ${q.where} ORDER BY ${q.order} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...q.params, q.limit, (q.page - 1) * q.limit],
  );
  if (rows.length > 0) return { items: rows, total: rows[0]?.page_total ?? 0 };
  if (q.page === 1) return { items: [], total: 0 };
  const [row] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${q.from} WHERE ${q.where}`,
    q.params,
  );
  return { items: [], total: row?.n ?? 0 };
}
