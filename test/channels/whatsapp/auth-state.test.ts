import { BufferJSON, proto, type SignalDataSet, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { dbSignalKeyStore, loadDbAuthState } from '../../../channels/whatsapp/auth-state.ts';
import {
  markLinked,
  markLoggedOut,
  readCreds,
  readSessionStatus,
} from '../../../src/domain/whatsapp/session-store.ts';
import { describeEachDb } from '../../support/db.ts';

const encode = (v: unknown) => JSON.stringify(v, BufferJSON.replacer);
/** The value as BufferJSON writes it, for comparing: jsonb keeps no key order, and Baileys needs none. */
const canonical = (v: unknown) => JSON.parse(encode(v));
const bytes = (...b: number[]) => new Uint8Array(b);

/** One value of every key type Baileys 7 stores: the type makes this fail to compile if one is missing. */
const everyKeyType: { [K in keyof SignalDataTypeMap]: SignalDataTypeMap[K] } = {
  'pre-key': { public: bytes(1, 2, 3), private: bytes(4, 5, 6) },
  session: bytes(7, 8, 9, 0, 255),
  'sender-key': bytes(10, 11),
  'sender-key-memory': { '919812345678@s.whatsapp.net': true, '123@lid': false },
  'app-state-sync-key': {
    keyData: bytes(12, 13, 14),
    fingerprint: { rawId: 1, currentIndex: 2, deviceIndexes: [0, 3] },
  },
  'app-state-sync-version': {
    version: 4,
    hash: Buffer.from([15, 16, 17]),
    indexValueMap: { 'aW5kZXg=': { valueMac: bytes(18, 19) } },
  },
  'lid-mapping': '123456789012345@lid',
  'device-list': ['0', '7', '12'],
  tctoken: { token: Buffer.from('token-bytes'), timestamp: '1767000000', senderTimestamp: 1767000001 },
  'identity-key': bytes(20, 21, 22, 23),
};

describeEachDb('WhatsApp auth state', (get) => {
  it('round-trips every Baileys 7 key type, Buffers and Uint8Arrays included, through the database', async () => {
    const { db } = get();
    const store = dbSignalKeyStore(db, 'every-type');
    const data: SignalDataSet = {};
    for (const [type, value] of Object.entries(everyKeyType)) {
      (data as Record<string, unknown>)[type] = { 'id-1': value, 'id:2/with@odd.chars': value };
    }
    await store.set(data);

    const fresh = dbSignalKeyStore(db, 'every-type');
    for (const [type, value] of Object.entries(everyKeyType) as [keyof SignalDataTypeMap, unknown][]) {
      const got = await fresh.get(type, ['id-1', 'id:2/with@odd.chars', 'missing']);
      expect(Object.keys(got).sort(), type).toEqual(['id-1', 'id:2/with@odd.chars']);
      if (type === 'app-state-sync-key') {
        const key = got['id-1'] as proto.Message.IAppStateSyncKeyData;
        expect(key).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
        expect(Buffer.from(key.keyData ?? [])).toEqual(Buffer.from([12, 13, 14]));
        expect(key.fingerprint).toMatchObject({ rawId: 1, currentIndex: 2, deviceIndexes: [0, 3] });
      } else {
        expect(canonical(got['id-1']), type).toEqual(canonical(value));
      }
    }
    // Bytes come back as Buffers, which Baileys' crypto takes wherever it takes Uint8Arrays.
    const session = await fresh.get('session', ['id-1']);
    expect(Buffer.isBuffer(session['id-1'])).toBe(true);
  });

  it('deletes keys set to null, in the same call as upserts', async () => {
    const { db } = get();
    const store = dbSignalKeyStore(db, 'deletes');
    await store.set({ session: { a: bytes(1), b: bytes(2) }, 'pre-key': { '1': everyKeyType['pre-key'] } });
    await store.set({ session: { a: null, c: bytes(3) }, 'pre-key': { '1': null } });
    expect(Object.keys(await store.get('session', ['a', 'b', 'c'])).sort()).toEqual(['b', 'c']);
    expect(await store.get('pre-key', ['1'])).toEqual({});
  });

  it('writes a batch in one transaction: a key the database refuses takes the whole batch with it', async () => {
    const { db } = get();
    const store = dbSignalKeyStore(db, 'atomic');
    // jsonb refuses the NUL character, which makes a real mid-batch failure.
    await expect(
      store.set({ session: { ok: bytes(1) }, 'lid-mapping': { bad: 'a\u0000b' } }),
    ).rejects.toThrow();
    expect(await store.get('session', ['ok'])).toEqual({});
  });

  it('keeps sessions apart and clears keys but not creds', async () => {
    const { db } = get();
    const auth = await loadDbAuthState(db, 'clearing');
    await auth.saveCreds();
    await auth.state.keys.set({ session: { x: bytes(1) } });
    await dbSignalKeyStore(db, 'other').set({ session: { x: bytes(2) } });
    await auth.state.keys.clear?.();
    expect(await dbSignalKeyStore(db, 'clearing').get('session', ['x'])).toEqual({});
    expect(encode((await dbSignalKeyStore(db, 'other').get('session', ['x'])).x)).toBe(encode(bytes(2)));
    expect(await readCreds(db, 'clearing')).not.toBeNull();
  });

  it('saves creds (concurrent saves land one after another, the latest state last) and loads them back', async () => {
    const { db } = get();
    const auth = await loadDbAuthState(db, 'creds');
    expect(auth.isLinked()).toBe(false);
    const creds = auth.state.creds;
    creds.me = { id: '919000000001:7@s.whatsapp.net', name: 'Sharma Traders' };
    creds.account = {
      details: bytes(1, 2),
      accountSignatureKey: bytes(3),
      accountSignature: bytes(4),
      deviceSignature: bytes(5),
    };
    creds.routingInfo = Buffer.from([9, 9]);
    const saves = [1, 2, 3, 4, 5].map((n) => {
      creds.nextPreKeyId = n;
      return auth.saveCreds();
    });
    await Promise.all(saves);
    await auth.state.keys.set({ 'pre-key': { '5': everyKeyType['pre-key'] } });

    const reloaded = await loadDbAuthState(db, 'creds');
    expect(reloaded.isLinked()).toBe(true);
    expect(canonical(reloaded.state.creds)).toEqual(canonical(creds));
    expect(reloaded.state.creds.nextPreKeyId).toBe(5);
    expect(encode((await reloaded.state.keys.get('pre-key', ['5']))['5'])).toBe(
      encode(everyKeyType['pre-key']),
    );
  });

  it('records a linked session, and a logout wipes every key and says why', async () => {
    const { db } = get();
    const auth = await loadDbAuthState(db, 'wiped');
    await auth.saveCreds();
    await auth.state.keys.set({ session: { x: bytes(1) } });
    await markLinked(db, 'wiped', '+919000000001');
    expect(await readSessionStatus(db, 'wiped')).toMatchObject({
      status: 'linked',
      account: '+919000000001',
    });

    await markLoggedOut(db, 'wiped', 'logged out from the phone');
    expect(await readCreds(db, 'wiped')).toBeNull();
    expect(await dbSignalKeyStore(db, 'wiped').get('session', ['x'])).toEqual({});
    expect(await readSessionStatus(db, 'wiped')).toMatchObject({
      status: 'logged_out',
      reason: 'logged out from the phone',
    });
  });
});

describe('WhatsApp auth state encoding', () => {
  it('is plain JSON a person can read in the database', () => {
    expect(JSON.parse(encode({ session: bytes(1, 2) }))).toEqual({
      session: { type: 'Buffer', data: 'AQI=' },
    });
  });
});
