import { PREPARED, type Queryable } from '../../db/types.ts';
import type { Source } from '../fields.ts';
import { anyPatternCondition } from '../lookup.ts';
import { fetchPage, type Page } from '../pagination.ts';
import { likePattern } from '../tasks/repo.ts';
import { iso } from '../time.ts';
import type { FollowUp, FollowUpChannel, FollowUpListQuery, FollowUpStatus } from './schema.ts';

interface FollowUpRow {
  id: string;
  contact_name: string | null;
  contact_phone: string | null;
  subject: string;
  due_at: Date;
  channel: FollowUpChannel;
  status: FollowUpStatus;
  overdue: boolean;
  notes: string | null;
  outcome: string | null;
  task_id: string | null;
  source: Source;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

// Overdue is derived at read time, never stored, so it cannot go stale. `t` qualifies the columns ('f.').
const overdueOf = (t: string) => `(${t}status IN ('pending', 'snoozed') AND ${t}due_at < now())`;
const OVERDUE = overdueOf('');
const columnsOf = (t: string) =>
  `${t}id, ${t}contact_name, ${t}contact_phone, ${t}subject, ${t}due_at, ${t}channel, ${t}status, ${overdueOf(t)} AS overdue,
  ${t}notes, ${t}outcome, ${t}task_id, ${t}source, ${t}created_at, ${t}updated_at, ${t}completed_at`;
const COLUMNS = columnsOf('');

const toFollowUp = (r: FollowUpRow): FollowUp => ({
  id: r.id,
  contact_name: r.contact_name,
  contact_phone: r.contact_phone,
  subject: r.subject,
  due_at: r.due_at.toISOString(),
  channel: r.channel,
  status: r.status,
  overdue: r.overdue,
  notes: r.notes,
  outcome: r.outcome,
  task_id: r.task_id,
  source: r.source,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  completed_at: iso(r.completed_at),
});

export interface FollowUpFields {
  contact_name: string | null;
  contact_phone: string | null;
  subject: string;
  due_at: string;
  channel: FollowUpChannel;
  status: FollowUpStatus;
  notes: string | null;
  outcome: string | null;
  task_id: string | null;
}

export async function insertFollowUp(
  tx: Queryable,
  f: FollowUpFields & { id: string; tenantId: string; source: Source; createdBy: string | null },
): Promise<FollowUp> {
  const [r] = await tx.query<FollowUpRow>(
    `INSERT INTO follow_ups (id, tenant_id, contact_name, contact_phone, subject, due_at, channel, status, notes, outcome,
       task_id, source, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLUMNS}`,
    [
      f.id,
      f.tenantId,
      f.contact_name,
      f.contact_phone,
      f.subject,
      f.due_at,
      f.channel,
      f.status,
      f.notes,
      f.outcome,
      f.task_id,
      f.source,
      f.createdBy,
    ],
    PREPARED,
  );
  return toFollowUp(r as FollowUpRow);
}

export async function findFollowUp(tx: Queryable, id: string, forUpdate = false): Promise<FollowUp | null> {
  const [r] = await tx.query<FollowUpRow>(
    `SELECT ${COLUMNS} FROM follow_ups WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
    PREPARED,
  );
  return r ? toFollowUp(r) : null;
}

/** Up to `limit` open follow-ups whose contact, subject or notes match one of `patterns` (ILIKE), soonest first. */
export async function selectOpenFollowUpsLike(
  tx: Queryable,
  patterns: string[],
  limit: number,
): Promise<FollowUp[]> {
  const match = anyPatternCondition(['contact_name', 'subject', 'notes'], patterns);
  const rows = await tx.query<FollowUpRow>(
    `SELECT ${COLUMNS} FROM follow_ups WHERE ${match.where} AND status IN ('pending', 'snoozed')
     ORDER BY due_at ASC LIMIT ${limit}`,
    match.params,
    PREPARED,
  );
  return rows.map(toFollowUp);
}

/**
 * Completes a follow-up in one statement: the row is locked and read as it was, and changed unless it was
 * cancelled, or done already with no new outcome. Null when there is no such follow-up; `after` null when
 * nothing changed.
 */
export async function completeFollowUpRow(
  tx: Queryable,
  id: string,
  outcome: string | null,
): Promise<{ before: FollowUp; after: FollowUp | null } | null> {
  const rows = await tx.query<FollowUpRow & { changed: boolean }>(
    `WITH before AS (SELECT ${COLUMNS} FROM follow_ups WHERE id = $1 FOR UPDATE),
     done AS (
       UPDATE follow_ups f SET status = 'done', outcome = coalesce($2::text, b.outcome), updated_at = now(),
         completed_at = coalesce(f.completed_at, now())
       FROM before b
       WHERE f.id = b.id AND b.status <> 'cancelled'
         AND (b.status <> 'done' OR ($2::text IS NOT NULL AND $2::text IS DISTINCT FROM b.outcome))
       RETURNING ${columnsOf('f.')}
     )
     SELECT false AS changed, before.* FROM before UNION ALL SELECT true, done.* FROM done`,
    [id, outcome],
    PREPARED,
  );
  const before = rows.find((r) => !r.changed);
  const after = rows.find((r) => r.changed);
  return before ? { before: toFollowUp(before), after: after ? toFollowUp(after) : null } : null;
}

export async function updateFollowUpRow(tx: Queryable, id: string, f: FollowUpFields): Promise<FollowUp> {
  const [r] = await tx.query<FollowUpRow>(
    `UPDATE follow_ups SET contact_name = $2, contact_phone = $3, subject = $4, due_at = $5, channel = $6, status = $7,
       notes = $8, outcome = $9, task_id = $10, updated_at = now(),
       completed_at = CASE WHEN $7 = 'done' THEN coalesce(completed_at, now()) ELSE NULL END
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      id,
      f.contact_name,
      f.contact_phone,
      f.subject,
      f.due_at,
      f.channel,
      f.status,
      f.notes,
      f.outcome,
      f.task_id,
    ],
    PREPARED,
  );
  return toFollowUp(r as FollowUpRow);
}

export async function deleteFollowUpRow(tx: Queryable, id: string): Promise<void> {
  await tx.query('DELETE FROM follow_ups WHERE id = $1', [id]);
}

const SORTS: Record<FollowUpListQuery['sort'], string> = {
  due_at: 'due_at ASC, id ASC',
  '-due_at': 'due_at DESC, id DESC',
  created_at: 'created_at ASC, id ASC',
  '-created_at': 'created_at DESC, id DESC',
};

// A bare date bound means the whole of that day in the owner's time zone.
const bound = (p: string, tz: string, end: boolean) =>
  `CASE WHEN length(${p}) = 10 THEN ((${p}::date + ${end ? 1 : 0})::timestamp AT TIME ZONE ${tz}) ELSE ${p}::timestamptz END`;

export async function selectFollowUps(
  tx: Queryable,
  q: FollowUpListQuery,
  timezone: string,
): Promise<Page<FollowUp>> {
  const page = await fetchPage<FollowUpRow>(tx, {
    from: 'follow_ups',
    where: `($1::text IS NULL OR status = $1 OR ($1 = 'open' AND status IN ('pending', 'snoozed'))) AND ($2::boolean IS NULL OR ${OVERDUE} = $2)
      AND ($3::text IS NULL OR channel = $3)
      AND ($4::text IS NULL OR due_at < ${bound('$4', '$7', true)})
      AND ($5::text IS NULL OR due_at >= ${bound('$5', '$7', false)})
      AND ($6::text IS NULL OR contact_name ILIKE $6 OR subject ILIKE $6 OR notes ILIKE $6)
      AND $7::text IS NOT NULL`,
    order: SORTS[q.sort],
    params: [
      q.status ?? null,
      q.overdue ?? null,
      q.channel ?? null,
      q.due_before ?? null,
      q.due_after ?? null,
      likePattern(q.q),
      timezone,
    ],
    page: q.page,
    limit: q.limit,
  });
  return { total: page.total, items: page.items.map(toFollowUp) };
}
