import type { Vault } from '../../src/connectors/vault.ts';
import type { Db } from '../../src/db/types.ts';
import { type ConnectionRow, insertConnection } from '../../src/domain/connections/repo.ts';
import { newId } from '../../src/domain/ids.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';

/** A new business (its owner's phone) with one connection, stored as the platform stores it. */
export async function connectedBusiness(
  db: Db,
  vault: Vault,
  phone: string,
  connection: { connector: string; config?: Record<string, unknown>; credentials?: Record<string, unknown> },
): Promise<ConnectionRow> {
  const owner = await ensureOwner(db, phone, 'Asia/Kolkata');
  const id = newId('con');
  return db.tenant(owner.tenantId, (tx) =>
    insertConnection(tx, {
      id,
      tenantId: owner.tenantId,
      connector: connection.connector,
      config: connection.config ?? {},
      sealed: vault.seal({ tenantId: owner.tenantId, connectionId: id }, connection.credentials ?? {}),
      webhookToken: newId('whk'),
      frequencyMinutes: 15,
    }),
  );
}
