import type { Queryable } from '../../db/types.ts';
import { wordsCondition } from '../lookup.ts';
import { fetchPage, type Page } from '../pagination.ts';
import type { Role } from '../tenants.ts';
import type { Member, MemberListQuery } from './schema.ts';

/**
 * SQL for the people of a business: rules live in the service. Every call runs inside a tenant
 * transaction, so row-level security holds each to the business. A member is a live users row.
 */

interface MemberRow {
  id: string;
  phone: string;
  name: string | null;
  role: Role;
  created_at: Date;
}

const COLUMNS = 'id, phone, name, role, created_at';
const LIVE = 'removed_at IS NULL';

const toMember = (r: MemberRow): Member => ({
  id: r.id,
  phone: r.phone,
  name: r.name,
  role: r.role,
  created_at: r.created_at.toISOString(),
});

/**
 * Inserts a member unless the phone is already live anywhere: null then. Row-level security hides other
 * businesses' users, but not the unique index, so this is how a phone in use elsewhere shows, unnamed.
 */
export async function insertMember(
  tx: Queryable,
  row: { id: string; tenantId: string; phone: string; name: string; role: Role },
): Promise<Member | null> {
  const [r] = await tx.query<MemberRow>(
    `INSERT INTO users (id, tenant_id, phone, name, role) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (phone) WHERE ${LIVE} DO NOTHING RETURNING ${COLUMNS}`,
    [row.id, row.tenantId, row.phone, row.name, row.role],
  );
  return r ? toMember(r) : null;
}

export async function findMember(tx: Queryable, id: string, forUpdate = false): Promise<Member | null> {
  const [r] = await tx.query<MemberRow>(
    `SELECT ${COLUMNS} FROM users WHERE id = $1 AND ${LIVE}${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return r ? toMember(r) : null;
}

export async function findMemberByPhone(tx: Queryable, phone: string): Promise<Member | null> {
  const [r] = await tx.query<MemberRow>(`SELECT ${COLUMNS} FROM users WHERE phone = $1 AND ${LIVE}`, [phone]);
  return r ? toMember(r) : null;
}

/** Up to `limit` members whose name holds every word, earliest added first. */
export async function selectMembersNamed(tx: Queryable, words: string[], limit: number): Promise<Member[]> {
  const match = wordsCondition(['name'], words);
  const rows = await tx.query<MemberRow>(
    `SELECT ${COLUMNS} FROM users WHERE ${LIVE} AND ${match.where} ORDER BY created_at, id LIMIT ${limit}`,
    match.params,
  );
  return rows.map(toMember);
}

export async function selectMembers(tx: Queryable, q: MemberListQuery): Promise<Page<Member>> {
  const page = await fetchPage<MemberRow>(tx, {
    from: 'users',
    where: LIVE,
    order: 'created_at ASC, id ASC',
    params: [],
    page: q.page,
    limit: q.limit,
  });
  return { total: page.total, items: page.items.map(toMember) };
}

/**
 * The live owners' ids, locked in one order: two owners removing each other at once are serialised, and the
 * second sees the first's removal, so a business never ends up with no owner.
 */
export async function lockOwners(tx: Queryable): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM users WHERE role = 'owner' AND ${LIVE} ORDER BY id FOR UPDATE`,
  );
  return rows.map((r) => r.id);
}

/** Marks the member removed; their morning briefing stops with them. */
export async function markRemoved(tx: Queryable, id: string): Promise<string> {
  const [r] = await tx.query<{ removed_at: Date }>(
    `UPDATE users SET removed_at = now(), briefing_enabled = false, updated_at = now()
     WHERE id = $1 RETURNING removed_at`,
    [id],
  );
  return (r as { removed_at: Date }).removed_at.toISOString();
}

/** Ends every session of the user; the trigger on auth_sessions tells every process to forget kept ones. */
export async function revokeSessions(tx: Queryable, userId: string): Promise<void> {
  await tx.query('UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [
    userId,
  ]);
}

/** Unlinks the user's chats, so no message (a briefing, a reminder) reaches them after they leave. */
export async function deleteChannelLinks(tx: Queryable, userId: string): Promise<void> {
  await tx.query('DELETE FROM channel_links WHERE user_id = $1', [userId]);
}

/** Their pending reminders fall back to the business's first owner, as a reminder naming nobody does. */
export async function releaseReminders(tx: Queryable, userId: string): Promise<void> {
  await tx.query(
    "UPDATE reminders SET user_id = NULL, updated_at = now() WHERE user_id = $1 AND status = 'pending'",
    [userId],
  );
}
