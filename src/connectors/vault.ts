import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The credential vault: envelope encryption. Each connection's credentials are sealed with a data key of
 * their own (AES-256-GCM, the tenant and connection bound as additional data, so a sealed row copied to
 * another tenant or connection does not open); the data key is kept wrapped by a versioned master key
 * (`CONNECTOR_MASTER_KEY`). Rotating the master key re-wraps data keys only: credentials are not re-sealed.
 */

export interface MasterKey {
  version: number;
  key: Buffer;
}

export interface Keyring {
  /** Wraps every new data key. */
  current: MasterKey;
  /** Earlier master keys, still able to unwrap what they wrapped until it is re-wrapped. */
  retired: MasterKey[];
}

/** Which connection the secrets belong to: bound into both encryptions. */
export interface Binding {
  tenantId: string;
  connectionId: string;
}

/** What the vault stores: nothing in it reveals the secrets without the master key. */
export interface Sealed {
  keyVersion: number;
  /** The data key, wrapped: base64 of iv ‖ tag ‖ ciphertext. */
  wrappedKey: string;
  /** The secrets as JSON, sealed with the data key: base64 of iv ‖ tag ‖ ciphertext. */
  ciphertext: string;
}

/** The columns a connection keeps its sealed credentials in (020_connectors.sql). */
export interface SealedColumns {
  key_version: number;
  wrapped_key: string;
  credentials: string;
}

export const sealedOf = (row: SealedColumns): Sealed => ({
  keyVersion: row.key_version,
  wrappedKey: row.wrapped_key,
  ciphertext: row.credentials,
});

/** Never carries why: a wrong key, a swapped row and a damaged one read the same to a caller. */
export class VaultError extends Error {
  constructor(message = 'the stored credentials could not be opened') {
    super(message);
    this.name = 'VaultError';
  }
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** `<version>:<base64 of 32 bytes>`, e.g. `1:q2V…=`. */
export function parseMasterKey(raw: string): MasterKey {
  const match = /^([1-9][0-9]{0,5}):([A-Za-z0-9+/_-]+={0,2})$/.exec(raw.trim());
  const key = match?.[2] ? Buffer.from(match[2], 'base64') : undefined;
  if (!match || !key || key.length !== KEY_BYTES) {
    throw new Error('must be <version>:<base64 of 32 random bytes>, e.g. 1:$(openssl rand -base64 32)');
  }
  return { version: Number(match[1]), key };
}

export function newMasterKey(version: number): string {
  return `${version}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

function encrypt(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function decrypt(key: Buffer, sealed: string, aad: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new VaultError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new VaultError();
  }
}

const keyAad = (b: Binding, version: number) => `axon-vault/1/key/${b.tenantId}/${b.connectionId}/${version}`;
const dataAad = (b: Binding) => `axon-vault/1/data/${b.tenantId}/${b.connectionId}`;

export type Vault = ReturnType<typeof createVault>;

export function createVault(keyring: Keyring) {
  const versions = new Map<number, Buffer>();
  for (const k of [...keyring.retired, keyring.current]) versions.set(k.version, k.key);

  const masterFor = (version: number): Buffer => {
    const key = versions.get(version);
    if (!key) throw new VaultError(`master key version ${version} is not configured`);
    return key;
  };

  const wrap = (binding: Binding, dataKey: Buffer) =>
    encrypt(keyring.current.key, dataKey, keyAad(binding, keyring.current.version));

  const unwrap = (binding: Binding, sealed: Sealed) =>
    decrypt(masterFor(sealed.keyVersion), sealed.wrappedKey, keyAad(binding, sealed.keyVersion));

  return {
    currentVersion: keyring.current.version,

    seal(binding: Binding, secrets: Record<string, unknown>): Sealed {
      const dataKey = randomBytes(KEY_BYTES);
      return {
        keyVersion: keyring.current.version,
        wrappedKey: wrap(binding, dataKey),
        ciphertext: encrypt(dataKey, Buffer.from(JSON.stringify(secrets)), dataAad(binding)),
      };
    },

    open(binding: Binding, sealed: Sealed): Record<string, unknown> {
      const plain = decrypt(unwrap(binding, sealed), sealed.ciphertext, dataAad(binding));
      return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
    },

    /** The same secrets with their data key wrapped by the current master key (a no-op when it already is). */
    rewrap(binding: Binding, sealed: Sealed): Sealed {
      if (sealed.keyVersion === keyring.current.version) return sealed;
      return {
        ...sealed,
        keyVersion: keyring.current.version,
        wrappedKey: wrap(binding, unwrap(binding, sealed)),
      };
    },
  };
}
