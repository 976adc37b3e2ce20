import { BufferJSON, initAuthCreds } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import type { Db } from '../../../src/db/types.ts';
import { writeCreds } from '../../../src/domain/whatsapp/session-store.ts';

/** Shared set-up for the WhatsApp channel's tests. */

export const silentLogger = pino({ level: 'silent' });

/** Stores creds as a phone that has linked the session would leave them. */
export async function seedLinkedSession(db: Db, session: string, phone = '919000000001'): Promise<void> {
  const creds = initAuthCreds();
  creds.me = { id: `${phone}:7@s.whatsapp.net`, name: 'Sharma Traders' };
  creds.account = { details: Buffer.from([1]), accountSignatureKey: Buffer.from([2]) };
  await writeCreds(db, session, JSON.stringify(creds, BufferJSON.replacer));
}

/** A promise with its resolve handle, for holding a step until the test lets it go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export const instant = async () => {};
