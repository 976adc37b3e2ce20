import type { Db } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { newId } from '../../src/domain/ids.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';

/** Businesses and their people for memory suites: each call a new owner (a new tenant) or a new member. */
export function people(db: () => Db, base: number) {
  let n = 0;
  const phone = () => `+9191${String(base + n++).padStart(8, '0')}`;
  return {
    async owner(): Promise<Ctx> {
      const o = await ensureOwner(db(), phone(), 'Asia/Kolkata');
      return { tenantId: o.tenantId, userId: o.userId, actor: 'user', via: 'api', timezone: o.timezone };
    },
    /** Another user of the same business: memories are per user, not per business. */
    async member(of: Ctx): Promise<Ctx> {
      const id = newId('usr');
      await db().query("INSERT INTO users (id, tenant_id, phone, role) VALUES ($1, $2, $3, 'member')", [
        id,
        of.tenantId,
        phone(),
      ]);
      return { ...of, userId: id };
    },
  };
}
