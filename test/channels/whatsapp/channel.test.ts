import { once } from 'node:events';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { expect, it } from 'vitest';
import type { InboundMessage } from '../../../channels/channel.ts';
import { whatsappOtpSender } from '../../../channels/whatsapp/otp-sender.ts';
import { messageIdFor } from '../../../channels/whatsapp/outbound.ts';
import {
  createWhatsAppChannel,
  type WhatsAppChannelDeps,
} from '../../../channels/whatsapp/whatsapp-channel.ts';
import { OtpDeliveryError } from '../../../src/domain/auth/otp-sender.ts';
import { fakeSockets, waMessage } from '../../fakes/whatsapp-socket.ts';
import { describeEachDb } from '../../support/db.ts';
import { deferred, instant, seedLinkedSession, silentLogger } from './support.ts';

describeEachDb('WhatsApp channel', (get) => {
  let n = 0;
  /** A linked channel, started and open on its first fake socket. */
  const openChannel = async (overrides: Partial<WhatsAppChannelDeps> = {}) => {
    n += 1;
    const session = `chan-${n}`;
    const { db } = get();
    await seedLinkedSession(db, session);
    const fake = fakeSockets();
    const received: InboundMessage[] = [];
    const waits: number[] = [];
    const channel = createWhatsAppChannel({
      db,
      logger: silentLogger,
      session,
      socketFactory: fake.factory,
      backoff: { baseMs: 1, maxMs: 2 },
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...overrides,
    });
    const started = channel.start(async (m) => {
      received.push(m);
    });
    const socket = await fake.nth(1);
    socket.open();
    await started;
    return { channel, fake, socket, received, waits };
  };

  /** Resolves once `count` messages have reached the handler. */
  const until = async (received: InboundMessage[], count: number, channel: { stop(): Promise<void> }) => {
    // Deliveries are chained promises: stop() waits for every one in flight.
    await channel.stop();
    expect(received).toHaveLength(count);
  };

  it('hands new messages on, duplicates included (the pipeline dedups by message id), and never our own', async () => {
    const { channel, socket, received } = await openChannel();
    const first = waMessage({ id: 'M1', text: 'add task call Mehta' });
    socket.upsert([first, waMessage({ id: 'M2', fromMe: true, text: 'sent from the phone' })]);
    socket.upsert([first]);
    socket.upsert([waMessage({ id: 'M3', text: 'old history' })], 'append');
    socket.upsert([waMessage({ id: 'M4', from: 'status@broadcast' })]);
    await until(received, 2, channel);
    expect(received.map((m) => m.messageId)).toEqual(['M1', 'M1']);
    expect(received[0]).toMatchObject({ account: '+919000000001', sender: { phone: '+919812345678' } });
  });

  it('keeps a chat in order even when a voice note is transcribed first', async () => {
    const transcript = deferred<string>();
    const { channel, socket, received } = await openChannel({
      transcriber: { transcribe: () => transcript.promise },
      downloadMedia: async () => Buffer.from('ogg'),
    });
    socket.upsert([
      waMessage({ id: 'V1', message: { audioMessage: { ptt: true, mimetype: 'audio/ogg; codecs=opus' } } }),
    ]);
    socket.upsert([waMessage({ id: 'T2', text: 'and tomorrow too' })]);
    socket.upsert([waMessage({ id: 'O3', from: '919811111111@s.whatsapp.net', text: 'other chat' })]);
    transcript.resolve('kal subah 10 baje bank jaana hai');
    await until(received, 3, channel);
    const chat = received.filter((m) => m.chat === '919812345678@s.whatsapp.net');
    expect(chat.map((m) => [m.messageId, m.media, m.text])).toEqual([
      ['V1', 'voice', 'kal subah 10 baje bank jaana hai'],
      ['T2', null, 'and tomorrow too'],
    ]);
  });

  it('passes a voice note on as media without text when it cannot be transcribed', async () => {
    const { channel, socket, received } = await openChannel({
      transcriber: {
        transcribe: async () => {
          throw new Error('service down');
        },
      },
      downloadMedia: async () => Buffer.from('ogg'),
    });
    socket.upsert([waMessage({ id: 'V1', message: { audioMessage: { ptt: true } } })]);
    await until(received, 1, channel);
    expect(received[0]).toMatchObject({ media: 'voice', text: '' });
  });

  it('fetches a document’s bytes before handing it on, and none of one past the 10 MB limit', async () => {
    const asked: string[] = [];
    const { channel, socket, received } = await openChannel({
      downloadMedia: async (m) => {
        asked.push(m.key.id ?? '');
        return Buffer.from('Date,Narration,Amount');
      },
    });
    socket.upsert([
      waMessage({
        id: 'D1',
        message: { documentMessage: { fileName: 'april.csv', mimetype: 'text/csv', fileLength: 21 } },
      }),
      waMessage({
        id: 'D2',
        message: { documentMessage: { fileName: 'year.xlsx', fileLength: 11 * 1024 * 1024 } },
      }),
    ]);
    await until(received, 2, channel);
    expect(received.map((m) => [m.media, m.file?.name, m.file?.bytes?.toString() ?? null])).toEqual([
      ['document', 'april.csv', 'Date,Narration,Amount'],
      ['document', 'year.xlsx', null],
    ]);
    expect(asked).toEqual(['D1']);
  });

  it('retries handing a message on when the pipeline fails for a moment', async () => {
    n += 1;
    const { db } = get();
    await seedLinkedSession(db, `chan-${n}`);
    const fake = fakeSockets();
    const channel = createWhatsAppChannel({
      db,
      logger: silentLogger,
      session: `chan-${n}`,
      socketFactory: fake.factory,
      sleep: instant,
    });
    let calls = 0;
    const delivered = deferred<InboundMessage>();
    const started = channel.start(async (m) => {
      calls += 1;
      if (calls < 3) throw new Error('database busy');
      delivered.resolve(m);
    });
    const socket = await fake.nth(1);
    socket.open();
    await started;
    socket.upsert([waMessage({ id: 'R1' })]);
    expect((await delivered.promise).messageId).toBe('R1');
    expect(calls).toBe(3);
    await channel.stop();
  });

  it('sends one at a time, in order, pausing between sends from the number', async () => {
    const { channel, fake, waits } = await openChannel({ sendGapMs: 1500 });
    await Promise.all(
      ['one', 'two', 'three'].map((text, i) =>
        channel.send({ chat: '919812345678@s.whatsapp.net', text, dedupKey: `turn-${i}` }),
      ),
    );
    expect(fake.sent.map((s) => s.text)).toEqual(['one', 'two', 'three']);
    // The first goes at once; each later one waits out (most of) the gap.
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThan(1000);
    await channel.stop();
  });

  it('sends a chart as a picture with the answer as its caption', async () => {
    const { channel, fake } = await openChannel({ sendGapMs: 0 });
    const image = Buffer.from('89504e470d0a1a0a', 'hex');
    await channel.send({
      chat: '+919812345678',
      text: 'Customers owe you, today: ₹1,75,500',
      dedupKey: 'turn-c',
      image,
    });
    expect(fake.sent).toEqual([
      {
        jid: '919812345678@s.whatsapp.net',
        text: 'Customers owe you, today: ₹1,75,500',
        image,
        messageId: messageIdFor('+919000000001', 'turn-c'),
      },
    ]);
    await channel.stop();
  });

  it('retries a failed send with the same message id, so a repeat shows once', async () => {
    const { channel, fake, socket } = await openChannel({ sendGapMs: 0 });
    socket.failNextSends = 2;
    await channel.send({ chat: '+919812345678', text: 'Done ✅', dedupKey: 'turn-abc' });
    expect(fake.sendAttempts).toHaveLength(3);
    expect(fake.sent).toEqual([
      {
        jid: '919812345678@s.whatsapp.net',
        text: 'Done ✅',
        messageId: messageIdFor('+919000000001', 'turn-abc'),
      },
    ]);
    expect(new Set(fake.sendAttempts.map((a) => a.messageId)).size).toBe(1);
    expect(messageIdFor('+919000000001', 'turn-abc')).toMatch(/^3EB0[0-9A-F]{18}$/);
    await channel.stop();
  });

  it('gives up after its retries and says so', async () => {
    const { channel, socket } = await openChannel({ sendGapMs: 0, sendRetry: { attempts: 2, baseMs: 1 } });
    socket.failNextSends = 5;
    await expect(channel.send({ chat: '+919812345678', text: 'hi', dedupKey: 'k' })).rejects.toThrow(
      'Timed Out',
    );
    await channel.stop();
  });

  it('holds a send while the connection is down and delivers it on the next socket', async () => {
    const { channel, fake, socket } = await openChannel({ sendGapMs: 0 });
    const reconnecting = once(channel.connection, 'disconnect');
    socket.disconnect(DisconnectReason.connectionLost);
    await reconnecting;
    const sending = channel.send({ chat: '+919812345678', text: 'reminder: GST', dedupKey: 'r1' });
    (await fake.nth(2)).open();
    await sending;
    expect(fake.sent.map((s) => s.text)).toEqual(['reminder: GST']);
    await channel.stop();
  });

  it('delivers OTPs to numbers on WhatsApp, and refuses clearly otherwise', async () => {
    const { channel, fake, socket } = await openChannel({ sendGapMs: 0 });
    const otp = whatsappOtpSender(channel);
    socket.onWhatsAppNumbers.add('919812345678');
    await otp.send('+919812345678', '482913');
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ jid: '919812345678@s.whatsapp.net' });
    expect(fake.sent[0]?.text).toContain('482913');

    await expect(otp.send('+919800000000', '111111')).rejects.toBeInstanceOf(OtpDeliveryError);
    await channel.stop();
    await expect(otp.send('+919812345678', '222222')).rejects.toThrow('not connected');
    expect(fake.sent).toHaveLength(1);
  });
});
