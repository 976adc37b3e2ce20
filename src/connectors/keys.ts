import type { Db } from '../db/types.ts';
import { getOrCreateSecret } from '../domain/auth/secrets.ts';
import type { Keyring, MasterKey } from './vault.ts';

/**
 * The vault's master keys: CONNECTOR_MASTER_KEY (and the retired ones) when set, as production requires;
 * otherwise one made at first start and kept in the database, like the development JWT secret.
 */
export async function keyringFor(
  settings: { CONNECTOR_MASTER_KEY?: MasterKey | undefined; CONNECTOR_MASTER_KEYS_RETIRED: MasterKey[] },
  db: Db,
): Promise<Keyring> {
  if (settings.CONNECTOR_MASTER_KEY) {
    return { current: settings.CONNECTOR_MASTER_KEY, retired: settings.CONNECTOR_MASTER_KEYS_RETIRED };
  }
  const kept = await getOrCreateSecret(db, 'connector_master_key', 32);
  return { current: { version: 1, key: Buffer.from(kept, 'base64url') }, retired: [] };
}
