import { once } from 'node:events';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import {
  type AccountLock,
  backoffDelay,
  type DisconnectEvent,
  decide,
  type HeldLock,
  SilentConnectionError,
} from '../../../channels/whatsapp/supervisor.ts';
import {
  createWhatsAppChannel,
  type WhatsAppChannelDeps,
} from '../../../channels/whatsapp/whatsapp-channel.ts';
import { readCreds, readSessionStatus } from '../../../src/domain/whatsapp/session-store.ts';
import { fakeSockets } from '../../fakes/whatsapp-socket.ts';
import { describeEachDb } from '../../support/db.ts';
import { deferred, instant, seedLinkedSession, silentLogger } from './support.ts';

/** Every code Baileys 7 closes a connection with, and what the supervisor must do about it. */
const EXPECTED: [string, number | undefined, 'restart' | 'logged_out' | 'backoff'][] = [
  ['restartRequired', DisconnectReason.restartRequired, 'restart'],
  ['loggedOut', DisconnectReason.loggedOut, 'logged_out'],
  ['forbidden', DisconnectReason.forbidden, 'logged_out'],
  ['connectionClosed', DisconnectReason.connectionClosed, 'backoff'],
  ['connectionLost / timedOut', DisconnectReason.connectionLost, 'backoff'],
  ['connectionReplaced', DisconnectReason.connectionReplaced, 'backoff'],
  ['badSession', DisconnectReason.badSession, 'backoff'],
  ['multideviceMismatch', DisconnectReason.multideviceMismatch, 'backoff'],
  ['unavailableService', DisconnectReason.unavailableService, 'backoff'],
  ['no code (a network error)', undefined, 'backoff'],
];

describe('WhatsApp supervisor decisions', () => {
  it.each(EXPECTED)('%s (%s) → %s', (_name, code, decision) => {
    expect(decide(code)).toBe(decision);
  });

  it('covers every DisconnectReason Baileys defines', () => {
    const codes = new Set(Object.values(DisconnectReason).filter((v) => typeof v === 'number'));
    expect([...codes].every((c) => EXPECTED.some(([, code]) => code === c))).toBe(true);
  });

  it('backs off exponentially with jitter, never to zero and never past the cap', () => {
    const policy = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(500);
    expect(backoffDelay(0, policy, () => 1)).toBe(1000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(6000);
    expect(backoffDelay(20, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(20, policy, () => 0)).toBe(30_000);
  });
});

/** A lock the test controls: it can refuse, and it can be lost. */
function recordingLock(grant = true) {
  const events: string[] = [];
  let lose: () => void = () => {};
  const lock: AccountLock = {
    async acquire(session) {
      events.push(`acquire ${session}`);
      if (!grant) return null;
      const lost = new Promise<void>((r) => {
        lose = r;
      });
      const held: HeldLock = {
        lost,
        release: async () => {
          events.push(`release ${session}`);
        },
      };
      return held;
    },
  };
  return { lock, events, lose: () => lose() };
}

describeEachDb('WhatsApp connection supervisor', (get) => {
  let n = 0;
  const setup = async (overrides: Partial<WhatsAppChannelDeps> = {}, linked = true) => {
    n += 1;
    const session = `sup-${n}`;
    const { db } = get();
    if (linked) await seedLinkedSession(db, session);
    const fake = fakeSockets();
    const channel = createWhatsAppChannel({
      db,
      logger: silentLogger,
      session,
      socketFactory: fake.factory,
      backoff: { baseMs: 1, maxMs: 4 },
      random: () => 0.5,
      sleep: instant,
      ...overrides,
    });
    return { db, session, fake, channel, connection: channel.connection };
  };

  it.each(EXPECTED.filter(([, , d]) => d !== 'logged_out'))(
    'after %s it connects a new socket (%s → %s)',
    async (_name, code, decision) => {
      const { fake, channel, connection } = await setup();
      const started = channel.start(async () => {});
      (await fake.nth(1)).open();
      await started;
      expect(connection.status).toBe('open');

      const disconnected = once(connection, 'disconnect') as Promise<[DisconnectEvent]>;
      (await fake.nth(1)).disconnect(code);
      const [event] = await disconnected;
      expect(event).toMatchObject({ code, decision });
      if (decision === 'restart') expect(event.delayMs).toBe(0);
      else expect(event.delayMs).toBeGreaterThan(0);

      const second = await fake.nth(2);
      second.open();
      // 'open' is announced once the session is recorded linked, a database write later.
      await connection.waitForOpen(5_000);
      await channel.stop();
      expect(second.closed).toBe(true);
    },
  );

  it.each([
    ['loggedOut', DisconnectReason.loggedOut, 'logged out from the phone'],
    ['forbidden', DisconnectReason.forbidden, 'forbidden by WhatsApp (the number may be banned)'],
  ])(
    'after %s it wipes the session, records why, frees the lock and tells the owner',
    async (_n, code, reason) => {
      const { lock, events } = recordingLock();
      const told: string[] = [];
      const { db, session, fake, channel, connection } = await setup({
        lock,
        onLoggedOut: (why) => {
          told.push(why);
        },
      });
      const started = channel.start(async () => {});
      (await fake.nth(1)).open();
      await started;
      const loggedOut = once(connection, 'disconnect');
      (await fake.nth(1)).disconnect(code);
      await loggedOut;

      expect(connection.status).toBe('logged_out');
      expect(connection.socket).toBeUndefined();
      expect(fake.sockets).toHaveLength(1);
      expect(told).toEqual([reason]);
      expect(await readCreds(db, session)).toBeNull();
      expect(await readSessionStatus(db, session)).toMatchObject({ status: 'logged_out', reason });
      expect(events).toEqual([`acquire ${session}`, `release ${session}`]);
      await channel.stop();
    },
  );

  it('resets the back-off only after a connection has stayed up', async () => {
    const { fake, channel, connection } = await setup({ backoff: { baseMs: 2, maxMs: 1000 } });
    const delays: number[] = [];
    connection.on('disconnect', (e) => delays.push(e.delayMs));
    const started = channel.start(async () => {});
    for (let i = 1; i <= 4; i++) {
      const socket = await fake.nth(i);
      socket.open();
      if (i === 1) await started;
      // Flapping: open, then closed straight away, again and again.
      socket.disconnect(DisconnectReason.connectionClosed);
    }
    await fake.nth(5);
    expect(delays).toEqual([2, 3, 6, 12]);
    await channel.stop();
  });

  it('replaces a socket that is open but silent', async () => {
    const { fake, channel, connection } = await setup({ watchdogMs: 60 });
    const started = channel.start(async () => {});
    const first = await fake.nth(1);
    first.open();
    await started;
    const fired = once(connection, 'watchdog');
    const disconnected = once(connection, 'disconnect') as Promise<[DisconnectEvent]>;
    await fired;
    expect(first.endedWith[0]).toBeInstanceOf(SilentConnectionError);
    const [event] = await disconnected;
    expect(event).toMatchObject({ code: DisconnectReason.connectionLost, decision: 'backoff' });
    const second = await fake.nth(2);
    second.open();
    await channel.stop();
  });

  it('saves creds when Baileys updates them', async () => {
    const { db, session, fake, channel } = await setup();
    const started = channel.start(async () => {});
    const socket = await fake.nth(1);
    socket.open();
    await started;
    const creds = socket.options.auth.creds;
    creds.nextPreKeyId = 4242;
    socket.credsUpdate();
    await channel.stop();
    expect(JSON.parse((await readCreds(db, session)) ?? '{}').nextPreKeyId).toBe(4242);
  });

  it('does not connect an unlinked session, and says how to link it', async () => {
    const { lock, events } = recordingLock();
    const { session, fake, channel, connection } = await setup({ lock }, false);
    await channel.start(async () => {});
    expect(connection.status).toBe('unlinked');
    expect(fake.sockets).toHaveLength(0);
    expect(events).toEqual([`acquire ${session}`, `release ${session}`]);
    await channel.stop();
  });

  it('stands by while another process holds the account', async () => {
    const { fake, channel, connection } = await setup({
      lock: recordingLock(false).lock,
      lockRetryMs: 60_000,
    });
    await channel.start(async () => {});
    expect(connection.status).toBe('standby');
    expect(fake.sockets).toHaveLength(0);
    await channel.stop();
    expect(connection.status).toBe('stopped');
  });

  it('closes its socket when it loses the account lock, then stands by', async () => {
    const { lock, lose } = recordingLock();
    const { fake, channel, connection } = await setup({ lock, lockRetryMs: 60_000 });
    const started = channel.start(async () => {});
    const socket = await fake.nth(1);
    socket.open();
    await started;
    const standby = once(connection, 'status');
    lose();
    expect(await standby).toEqual(['standby']);
    expect(socket.closed).toBe(true);
    await channel.stop();
  });

  it('shows a QR while linking, or asks for a pairing code once per socket', async () => {
    const qrs: string[] = [];
    const codes = deferred<string>();
    const { fake, channel } = await setup({ interactive: { onQr: (qr) => qrs.push(qr) } }, false);
    const started = channel.start(async () => {});
    const socket = await fake.nth(1);
    socket.qr('2@first');
    socket.qr('2@second');
    expect(qrs).toEqual(['2@first', '2@second']);
    socket.open();
    await started;
    await channel.stop();

    const paired = await setup(
      {
        interactive: { onQr: () => {}, pairingPhone: '919000000009', onPairingCode: (c) => codes.resolve(c) },
      },
      false,
    );
    const pairing = paired.channel.start(async () => {});
    const s = await paired.fake.nth(1);
    s.qr('2@a');
    s.qr('2@b');
    expect(await codes.promise).toBe('ABCD1234');
    expect(s.pairingRequests).toEqual(['919000000009']);
    s.open();
    await pairing;
    await paired.channel.stop();
  });
});
