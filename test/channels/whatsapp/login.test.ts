import { PassThrough } from 'node:stream';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { expect, it } from 'vitest';
import { loginWhatsApp } from '../../../channels/whatsapp/login.ts';
import { singleProcessLock } from '../../../channels/whatsapp/supervisor.ts';
import { readSessionStatus } from '../../../src/domain/whatsapp/session-store.ts';
import { fakeSockets } from '../../fakes/whatsapp-socket.ts';
import { describeEachDb } from '../../support/db.ts';
import { seedLinkedSession, silentLogger } from './support.ts';

const capture = () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c) => {
    text += String(c);
  });
  return { out, text: () => text };
};

describeEachDb('axon whatsapp login', (get) => {
  it('shows a QR, follows WhatsApp’s restart after the scan, and records the linked number', async () => {
    const { db } = get();
    const fake = fakeSockets();
    const { out, text } = capture();
    const linking = loginWhatsApp({
      db,
      logger: silentLogger,
      session: 'login-qr',
      lock: singleProcessLock,
      output: out,
      socketFactory: fake.factory,
    });
    const first = await fake.nth(1);
    first.qr('2@qr-payload');
    expect(text()).toContain('Linked devices');
    expect(text()).toMatch(/[▄▀█]/);
    // What the phone does on a scan: pair, then the server asks for a restart.
    first.options.auth.creds.me = { id: '919000000042:9@s.whatsapp.net' };
    first.options.auth.creds.account = { details: Buffer.from([1]) };
    first.disconnect(DisconnectReason.restartRequired);
    (await fake.nth(2)).open({ id: '919000000042:9@s.whatsapp.net' });
    expect(await linking).toEqual({ linked: true, account: '+919000000042', already: false });
    expect(await readSessionStatus(db, 'login-qr')).toMatchObject({
      status: 'linked',
      account: '+919000000042',
    });
  });

  it('prints a pairing code for the phone given', async () => {
    const { db } = get();
    const fake = fakeSockets();
    const { out, text } = capture();
    const linking = loginWhatsApp({
      db,
      logger: silentLogger,
      session: 'login-code',
      lock: singleProcessLock,
      output: out,
      pairingPhone: '+919000000043',
      socketFactory: fake.factory,
    });
    const socket = await fake.nth(1);
    socket.qr('2@ignored');
    await new Promise<void>((resolve) => out.once('data', () => resolve()));
    expect(text()).toContain('Enter this code: ABCD-1234');
    expect(socket.pairingRequests).toEqual(['919000000043']);
    socket.open({ id: '919000000043:2@s.whatsapp.net' });
    expect(await linking).toMatchObject({ linked: true, account: '+919000000043' });
  });

  it('leaves an already linked session alone', async () => {
    const { db } = get();
    await seedLinkedSession(db, 'login-done', '919000000044');
    const fake = fakeSockets();
    const result = await loginWhatsApp({
      db,
      logger: silentLogger,
      session: 'login-done',
      lock: singleProcessLock,
      output: capture().out,
      socketFactory: fake.factory,
    });
    expect(result).toEqual({ linked: true, account: '+919000000044', already: true });
    expect(fake.sockets).toHaveLength(0);
  });
});
