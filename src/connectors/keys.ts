import { type Config, residencyOf } from '../config.ts';
import type { Db } from '../db/types.ts';
import { getOrCreateSecret } from '../domain/auth/secrets.ts';
import type { Logger } from '../log.ts';
import { type ConnectorRuntime, createConnectorRuntime } from './runtime.ts';
import { createVault, type Keyring, type MasterKey, sealedOf, type Vault } from './vault.ts';

/**
 * The vault's master keys: CONNECTOR_MASTER_KEY (and the retired ones) when set, as production requires;
 * otherwise one made at first start and kept in the database, like the development JWT secret. A kept
 * development key stays readable (as version 1) after a real key is set, so `axon keys rotate` can move
 * what it wrapped; give the real key version 2 or more.
 */

const KEPT = 'connector_master_key';

const keptKey = (value: string): MasterKey => ({ version: 1, key: Buffer.from(value, 'base64url') });

export async function keyringFor(
  settings: { CONNECTOR_MASTER_KEY?: MasterKey | undefined; CONNECTOR_MASTER_KEYS_RETIRED: MasterKey[] },
  db: Db,
): Promise<Keyring> {
  const current = settings.CONNECTOR_MASTER_KEY;
  if (!current) return { current: keptKey(await getOrCreateSecret(db, KEPT, 32)), retired: [] };
  const [kept] = await db.query<{ value: string }>('SELECT value FROM app_secrets WHERE name = $1', [KEPT]);
  const retired = [...settings.CONNECTOR_MASTER_KEYS_RETIRED];
  if (kept && current.version !== 1 && !retired.some((k) => k.version === 1))
    retired.push(keptKey(kept.value));
  return { current, retired };
}

export interface RotationProgress {
  done: number;
  total: number;
}

export interface Rotation {
  rewrapped: number;
  /** Connections whose data key no configured master key opens (a retired key left out of the settings). */
  unreadable: string[];
}

const BATCH = 100;

/**
 * Re-wraps every connection's data key under the current master key. Resumable: each batch commits on its
 * own and only rows on another version are read, so a stopped rotation goes on where it was. Credentials
 * themselves are not re-sealed. A row no configured key opens is reported, and the others still move.
 */
export async function rotateKeys(
  db: Db,
  vault: Vault,
  onProgress?: (p: RotationProgress) => void,
): Promise<Rotation> {
  const [pending] = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM connections WHERE key_version <> $1',
    [vault.currentVersion],
  );
  const total = Number(pending?.n ?? 0);
  const result: Rotation = { rewrapped: 0, unreadable: [] };
  let after = '';
  onProgress?.({ done: 0, total });
  for (;;) {
    const rows = await db.query<{
      id: string;
      tenant_id: string;
      key_version: number;
      wrapped_key: string;
      credentials: string;
    }>(
      `SELECT id, tenant_id, key_version, wrapped_key, credentials FROM connections
       WHERE key_version <> $1 AND id > $2 ORDER BY id LIMIT $3`,
      [vault.currentVersion, after, BATCH],
    );
    if (rows.length === 0) return result;
    after = rows.at(-1)?.id ?? after;
    await db.transaction(async (tx) => {
      for (const r of rows) {
        let sealed: ReturnType<Vault['rewrap']>;
        try {
          sealed = vault.rewrap({ tenantId: r.tenant_id, connectionId: r.id }, sealedOf(r));
        } catch {
          result.unreadable.push(r.id);
          continue;
        }
        // Only if nobody changed the row meanwhile (a reconnect seals afresh under the current key anyway).
        await tx.query(
          `UPDATE connections SET key_version = $2, wrapped_key = $3
           WHERE id = $1 AND key_version = $4 AND wrapped_key = $5`,
          [r.id, sealed.keyVersion, sealed.wrappedKey, r.key_version, r.wrapped_key],
        );
        result.rewrapped++;
      }
    });
    onProgress?.({ done: result.rewrapped + result.unreadable.length, total });
  }
}

/** The connector runtime this install's settings describe: its keys, vendor overrides and address policy. */
export async function runtimeFromConfig(
  config: Config,
  db: Db,
  logger: Logger,
  now?: () => Date,
): Promise<ConnectorRuntime> {
  return createConnectorRuntime({
    db,
    vault: createVault(await keyringFor(config, db)),
    logger,
    baseUrls: config.CONNECTOR_OVERRIDES.baseUrls,
    rateLimits: config.CONNECTOR_OVERRIDES.rateLimits,
    allowPrivate: config.CONNECTOR_ALLOW_PRIVATE,
    residency: residencyOf(config),
    ...(now ? { now } : {}),
  });
}
