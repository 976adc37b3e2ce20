import { z } from 'zod';
import type { Db, Queryable, Tx } from '../db/types.ts';
import { appendAudit } from './audit.ts';
import { newId } from './ids.ts';

export const Plan = z.enum(['self_service', 'managed', 'enterprise']);
export type Plan = z.infer<typeof Plan>;
export const Role = z.enum(['owner', 'member']);
export type Role = z.infer<typeof Role>;

/** What a request or a turn needs to know about its user and business; one lookup per request. */
export interface Principal {
  userId: string;
  tenantId: string;
  role: Role;
  phone: string;
  plan: Plan;
  rateLimitPerMinute: number | null;
  timezone: string;
  businessName: string;
  userName: string | null;
}

/**
 * Serialises everything that may give a phone a user (sign-up, a member added), across processes, until
 * the transaction ends: one phone never becomes two users.
 */
export async function lockSignup(tx: Queryable, phone: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('signup:' || $1))", [phone]);
}

/** The live user holding this phone; a removed member's number belongs to nobody. */
export async function findUserIdByPhone(
  db: Queryable,
  phone: string,
): Promise<{ id: string; tenantId: string } | null> {
  const [row] = await db.query<{ id: string; tenant_id: string }>(
    'SELECT id, tenant_id FROM users WHERE phone = $1 AND removed_at IS NULL',
    [phone],
  );
  return row ? { id: row.id, tenantId: row.tenant_id } : null;
}

/** A new business with this phone as its owner: what an unknown phone gets on its first verified sign-in. */
export async function signUpOwner(
  tx: Tx,
  phone: string,
  timezone: string,
  requestId?: string,
): Promise<{ id: string; tenantId: string }> {
  const tenantId = newId('ten');
  const userId = newId('usr');
  await tx.query('INSERT INTO tenants (id, name, timezone) VALUES ($1, $2, $3)', [
    tenantId,
    'My business',
    timezone,
  ]);
  await tx.query("INSERT INTO users (id, tenant_id, phone, role) VALUES ($1, $2, $3, 'owner')", [
    userId,
    tenantId,
    phone,
  ]);
  appendAudit(
    tx,
    { tenantId, userId, actor: 'system', via: 'api', timezone, requestId },
    {
      action: 'tenant.signed_up',
      entity: 'tenant',
      entityId: tenantId,
      after: { tenant_id: tenantId, user_id: userId },
    },
  );
  return { id: userId, tenantId };
}

export interface PrincipalRow {
  id: string;
  tenant_id: string;
  role: Role;
  phone: string;
  plan: Plan;
  rate_limit_per_minute: number | null;
  timezone: string;
  business_name: string;
  user_name: string | null;
}

/** Columns of a principal over `users u JOIN tenants t`; shared by every lookup that builds one. */
export const PRINCIPAL_COLUMNS = `u.id, u.tenant_id, u.role, u.phone, t.plan, t.rate_limit_per_minute, coalesce(u.timezone, t.timezone) AS timezone,
   t.name AS business_name, u.name AS user_name`;

export const toPrincipal = (row: PrincipalRow): Principal => ({
  userId: row.id,
  tenantId: row.tenant_id,
  role: row.role,
  phone: row.phone,
  plan: row.plan,
  rateLimitPerMinute: row.rate_limit_per_minute,
  timezone: row.timezone,
  businessName: row.business_name,
  userName: row.user_name,
});

/** The principal of a live user; null for one removed from their business. */
export async function loadPrincipal(db: Queryable, userId: string): Promise<Principal | null> {
  const [row] = await db.query<PrincipalRow>(
    `SELECT ${PRINCIPAL_COLUMNS} FROM users u JOIN tenants t ON t.id = u.tenant_id
     WHERE u.id = $1 AND u.removed_at IS NULL`,
    [userId],
  );
  return row ? toPrincipal(row) : null;
}

/** The user with this phone, signing them up as the owner of a new business when there is none. */
export async function ensureOwner(db: Db, phone: string, timezone: string): Promise<Principal> {
  const user = await db.transaction(async (tx) => {
    await lockSignup(tx, phone);
    return (await findUserIdByPhone(tx, phone)) ?? (await signUpOwner(tx, phone, timezone));
  });
  const principal = await loadPrincipal(db, user.id);
  if (!principal) throw new Error(`user ${user.id} vanished`);
  return principal;
}
