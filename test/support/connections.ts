import type { Vault } from '../../src/connectors/vault.ts';
import type { Db } from '../../src/db/types.ts';
import type { Source } from '../../src/domain/business/records.ts';
import { type ConnectionRow, insertConnection } from '../../src/domain/connections/repo.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { newId } from '../../src/domain/ids.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { actingAs } from './business.ts';

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

/**
 * A connection row as a sync leaves it (last synced at `syncedAt`), without credentials worth anything: for
 * tests that write records through the unified upserts rather than through a connector.
 */
export async function sourceOf(
  db: Db,
  tenantId: string,
  connector: string,
  syncedAt = '2026-03-25T04:30:00Z',
): Promise<Source> {
  const id = newId('con');
  await db.tenant(tenantId, (tx) =>
    tx.query(
      `INSERT INTO connections (id, tenant_id, connector, status, key_version, wrapped_key, credentials, webhook_token,
                                frequency_minutes, last_synced_at)
       VALUES ($1, $2, $3, 'connected', 1, 'k', 'c', $4, 15, $5)`,
      [id, tenantId, connector, newId('whk'), syncedAt],
    ),
  );
  return { connectionId: id, tenantId, connector };
}

/** A new business with one such source, and its owner acting through the API. */
export async function businessWithSource(
  db: Db,
  phone: string,
  connector: string,
): Promise<{ ctx: Ctx; source: Source }> {
  const owner = await ensureOwner(db, phone, 'Asia/Kolkata');
  return { ctx: actingAs(owner), source: await sourceOf(db, owner.tenantId, connector) };
}
