import type { Db } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { newId } from '../../src/domain/ids.ts';
import { newBusiness } from './business.ts';

/** Businesses and their people for memory suites: each call a new owner (a new tenant) or a new member. */
export function people(db: () => Db, base: number) {
  let n = 0;
  const phone = () => `+9191${String(base + n++).padStart(8, '0')}`;
  return {
    owner: (): Promise<Ctx> => newBusiness(db(), phone()),
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
