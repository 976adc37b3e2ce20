import {
  type AuthenticationCreds,
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { Db } from '../../src/db/types.ts';
import {
  type AuthKeyWrite,
  clearAuth,
  readAuthKeys,
  readCreds,
  writeAuthKeys,
  writeCreds,
} from '../../src/domain/whatsapp/session-store.ts';
import type { Logger } from '../../src/log.ts';

/**
 * Baileys' auth state in the database instead of files: creds in one row, each signal key in its own row,
 * encoded with Baileys' BufferJSON so Buffers and Uint8Arrays survive the round trip.
 */

const encode = (value: unknown) => JSON.stringify(value, BufferJSON.replacer);
const decode = <T>(json: string): T => JSON.parse(json, BufferJSON.reviver) as T;

/** The raw store: every get reads the database and every set is one transaction. */
export function dbSignalKeyStore(db: Db, session: string): SignalKeyStore {
  return {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const found = await readAuthKeys(db, session, type, ids);
      const result: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const [id, json] of found) {
        const value = decode<SignalDataTypeMap[T]>(json);
        // Baileys expects the protobuf class here, not the plain object JSON gives back.
        result[id] =
          type === 'app-state-sync-key'
            ? (proto.Message.AppStateSyncKeyData.fromObject(
                value as object,
              ) as unknown as SignalDataTypeMap[T])
            : value;
      }
      return result;
    },
    async set(data: SignalDataSet) {
      const writes: AuthKeyWrite[] = [];
      for (const [keyType, byId] of Object.entries(data)) {
        for (const [keyId, value] of Object.entries(byId ?? {})) {
          writes.push({ keyType, keyId, json: value === null || value === undefined ? null : encode(value) });
        }
      }
      if (writes.length > 0) await db.transaction((tx) => writeAuthKeys(tx, session, writes));
    },
    async clear() {
      await clearAuth(db, session, { creds: false });
    },
  };
}

export interface DbAuthState {
  state: AuthenticationState;
  /** True once a phone has linked this session (a QR scanned or a pairing code entered and confirmed). */
  isLinked(): boolean;
  /** Saves the current creds. Saves are chained: they land one at a time, the last one last. */
  saveCreds(): Promise<void>;
}

export async function loadDbAuthState(db: Db, session: string, logger?: Logger): Promise<DbAuthState> {
  const stored = await readCreds(db, session);
  const creds: AuthenticationCreds = stored ? decode<AuthenticationCreds>(stored) : initAuthCreds();
  let saving: Promise<void> = Promise.resolve();
  return {
    state: { creds, keys: makeCacheableSignalKeyStore(dbSignalKeyStore(db, session), logger) },
    // `me` alone is set as soon as a pairing code is requested; `account` only once the phone confirmed.
    isLinked: () => Boolean(creds.me?.id && creds.account),
    saveCreds() {
      saving = saving.catch(() => {}).then(() => writeCreds(db, session, encode(creds)));
      return saving;
    },
  };
}
