import type { Db } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { ensureOwner, type Principal } from '../../src/domain/tenants.ts';

/** How the domain sees this person acting through the API (what a route builds from a session). */
export const actingAs = (p: Pick<Principal, 'tenantId' | 'userId' | 'timezone'>): Ctx => ({
  tenantId: p.tenantId,
  userId: p.userId,
  actor: 'user',
  via: 'api',
  timezone: p.timezone,
});

/** A new business signed up by the owner of this phone (in Asia/Kolkata), and the owner acting in it. */
export async function newBusiness(db: Db, phone: string): Promise<Ctx> {
  return actingAs(await ensureOwner(db, phone, 'Asia/Kolkata'));
}
