import { PREPARED, type Queryable } from '../../db/types.ts';
import type { Source } from '../fields.ts';
import { anyPatternCondition } from '../lookup.ts';
import { fetchPage, type Page } from '../pagination.ts';
import { iso } from '../time.ts';
import type { Priority, Task, TaskListQuery, TaskStatus } from './schema.ts';

/** SQL for tasks and nothing else: rules live in the service. Every call runs inside a tenant transaction. */

interface TaskRow {
  id: string;
  title: string;
  notes: string | null;
  due_date: string | null;
  due_at: Date | null;
  priority: Priority;
  status: TaskStatus;
  remind_at: Date | null;
  assignee_id: string | null;
  source: Source;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

const COLUMN_NAMES = [
  'id',
  'title',
  'notes',
  'due_date',
  'due_at',
  'priority',
  'status',
  'remind_at',
  'assignee_id',
  'source',
  'created_at',
  'updated_at',
  'completed_at',
];
const COLUMNS = COLUMN_NAMES.join(', ');

export const toTask = (r: TaskRow): Task => ({
  id: r.id,
  title: r.title,
  notes: r.notes,
  due_date: r.due_date,
  due_at: iso(r.due_at),
  priority: r.priority,
  status: r.status,
  remind_at: iso(r.remind_at),
  assignee_id: r.assignee_id,
  source: r.source,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  completed_at: iso(r.completed_at),
});

export interface TaskFields {
  title: string;
  notes: string | null;
  due_date: string | null;
  due_at: string | null;
  priority: Priority;
  status: TaskStatus;
  remind_at: string | null;
  assignee_id: string | null;
}

export async function insertTask(
  tx: Queryable,
  row: TaskFields & { id: string; tenantId: string; source: Source; createdBy: string | null },
): Promise<Task> {
  const [r] = await tx.query<TaskRow>(
    `INSERT INTO tasks (id, tenant_id, title, notes, due_date, due_at, priority, status, remind_at, assignee_id, source, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
    [
      row.id,
      row.tenantId,
      row.title,
      row.notes,
      row.due_date,
      row.due_at,
      row.priority,
      row.status,
      row.remind_at,
      row.assignee_id,
      row.source,
      row.createdBy,
    ],
    PREPARED,
  );
  return toTask(r as TaskRow);
}

export async function findTask(tx: Queryable, id: string, forUpdate = false): Promise<Task | null> {
  const [r] = await tx.query<TaskRow>(
    `SELECT ${COLUMNS} FROM tasks WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
    PREPARED,
  );
  return r ? toTask(r) : null;
}

/** Up to `limit` open tasks whose title or notes match one of `patterns` (ILIKE), soonest due first. */
export async function selectOpenTasksLike(tx: Queryable, patterns: string[], limit: number): Promise<Task[]> {
  const match = anyPatternCondition(['title', 'notes'], patterns);
  const rows = await tx.query<TaskRow>(
    `SELECT ${COLUMNS} FROM tasks WHERE ${match.where} AND status = 'open'
     ORDER BY due_date ASC NULLS LAST, created_at DESC LIMIT ${limit}`,
    match.params,
    PREPARED,
  );
  return rows.map(toTask);
}

/** The open tasks assigned to a user, locked for the change the caller makes to them. */
export async function selectOpenTasksAssignedTo(tx: Queryable, userId: string): Promise<Task[]> {
  const rows = await tx.query<TaskRow>(
    `SELECT ${COLUMNS} FROM tasks WHERE assignee_id = $1 AND status = 'open' ORDER BY created_at, id FOR UPDATE`,
    [userId],
  );
  return rows.map(toTask);
}

export async function updateTaskRow(tx: Queryable, id: string, f: TaskFields): Promise<Task> {
  const [r] = await tx.query<TaskRow>(
    `UPDATE tasks SET title = $2, notes = $3, due_date = $4, due_at = $5, priority = $6, status = $7, remind_at = $8,
       assignee_id = $9, updated_at = now(),
       completed_at = CASE WHEN $7 = 'done' THEN coalesce(completed_at, now()) ELSE NULL END
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, f.title, f.notes, f.due_date, f.due_at, f.priority, f.status, f.remind_at, f.assignee_id],
    PREPARED,
  );
  return toTask(r as TaskRow);
}

/**
 * Completes a task if it is open, in one statement: the row is locked and read as it was, and changed only
 * if open. Null when there is no such task; `after` null when it was not open (done or cancelled).
 */
export async function completeOpenTaskRow(
  tx: Queryable,
  id: string,
): Promise<{ before: Task; after: Task | null } | null> {
  const rows = await tx.query<TaskRow & { changed: boolean }>(
    `WITH before AS (SELECT ${COLUMNS} FROM tasks WHERE id = $1 FOR UPDATE),
     done AS (
       UPDATE tasks t SET status = 'done', updated_at = now(), completed_at = coalesce(t.completed_at, now())
       FROM before b WHERE t.id = b.id AND b.status = 'open'
       RETURNING ${COLUMN_NAMES.map((c) => `t.${c}`).join(', ')}
     )
     SELECT false AS changed, before.* FROM before UNION ALL SELECT true, done.* FROM done`,
    [id],
    PREPARED,
  );
  const before = rows.find((r) => !r.changed);
  const after = rows.find((r) => r.changed);
  return before ? { before: toTask(before), after: after ? toTask(after) : null } : null;
}

export async function deleteTaskRow(tx: Queryable, id: string): Promise<void> {
  await tx.query('DELETE FROM tasks WHERE id = $1', [id]);
}

const SORTS: Record<TaskListQuery['sort'], string> = {
  created_at: 'created_at ASC, id ASC',
  '-created_at': 'created_at DESC, id DESC',
  due_date: 'due_date ASC NULLS LAST, due_at ASC NULLS LAST, id ASC',
  '-due_date': 'due_date DESC NULLS LAST, due_at DESC NULLS LAST, id DESC',
  priority: "array_position(ARRAY['low','medium','high','urgent'], priority) ASC, id ASC",
  '-priority': "array_position(ARRAY['low','medium','high','urgent'], priority) DESC, id DESC",
  updated_at: 'updated_at ASC, id ASC',
  '-updated_at': 'updated_at DESC, id DESC',
};

export async function selectTasks(tx: Queryable, q: TaskListQuery): Promise<Page<Task>> {
  const page = await fetchPage<TaskRow>(tx, {
    from: 'tasks',
    where: `($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR priority = $2)
      AND ($3::date IS NULL OR due_date <= $3) AND ($4::date IS NULL OR due_date >= $4)
      AND ($5::text IS NULL OR title ILIKE $5 OR notes ILIKE $5)`,
    order: SORTS[q.sort],
    params: [
      q.status ?? null,
      q.priority ?? null,
      q.due_before ?? null,
      q.due_after ?? null,
      likePattern(q.q),
    ],
    page: q.page,
    limit: q.limit,
  });
  return { total: page.total, items: page.items.map(toTask) };
}

/** `%word%` with LIKE's own wildcards escaped, so a search for "100%" finds "100%". */
export const likePattern = (q: string | undefined) =>
  q?.trim() ? `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
