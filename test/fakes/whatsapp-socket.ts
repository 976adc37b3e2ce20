import { EventEmitter } from 'node:events';
import type { WAMessage } from '@whiskeysockets/baileys';
import type {
  SocketEvents,
  SocketFactory,
  SocketOptions,
  WhatsAppSocket,
} from '../../channels/whatsapp/socket.ts';

/**
 * A stand-in for Baileys' socket: the same events and methods the channel uses, driven by the test. It
 * behaves as Baileys does where it matters: `end(error)` reports `close` with that error once, and a
 * disconnect carries a Boom-shaped error with `output.statusCode`.
 */

export interface SentMessage {
  jid: string;
  /** The text, or a picture's caption. */
  text: string;
  image?: Buffer;
  messageId: string | undefined;
}

export class FakeWhatsAppSocket implements WhatsAppSocket {
  readonly events = new EventEmitter();
  readonly ws = new EventEmitter();
  readonly ev = {
    on: <E extends keyof SocketEvents>(event: E, listener: (arg: SocketEvents[E]) => void) => {
      this.events.on(event, listener);
    },
  };
  user: { id: string; lid?: string } | undefined;
  closed = false;
  endedWith: (Error | undefined)[] = [];
  pairingRequests: string[] = [];
  /** Numbers (E.164 without '+') that are on WhatsApp. */
  onWhatsAppNumbers = new Set<string>();
  /** How many of the next sends fail before one succeeds. */
  failNextSends = 0;

  constructor(
    readonly options: SocketOptions,
    private readonly shared: { sent: SentMessage[]; sendAttempts: SentMessage[]; onSent: EventEmitter },
  ) {}

  open(
    user: { id: string; lid?: string } = { id: '919000000001:7@s.whatsapp.net', lid: '123456789:7@lid' },
  ): void {
    this.user = user;
    this.events.emit('connection.update', { connection: 'open' });
  }

  /** WhatsApp closes the connection with this status code (as a Boom error). */
  disconnect(statusCode: number | undefined): void {
    const error = Object.assign(new Error(`closed with ${statusCode}`), { output: { statusCode } });
    void this.end(error);
  }

  qr(code: string): void {
    this.events.emit('connection.update', { qr: code });
  }

  frame(): void {
    this.ws.emit('frame', {});
  }

  upsert(messages: WAMessage[], type: 'notify' | 'append' = 'notify'): void {
    this.events.emit('messages.upsert', { messages, type });
  }

  credsUpdate(): void {
    this.events.emit('creds.update', {});
  }

  async sendMessage(
    jid: string,
    content: { text: string } | { image: Buffer; caption: string },
    options?: { messageId?: string },
  ): Promise<unknown> {
    const message =
      'image' in content
        ? { jid, text: content.caption, image: content.image, messageId: options?.messageId }
        : { jid, text: content.text, messageId: options?.messageId };
    this.shared.sendAttempts.push(message);
    if (this.closed) throw Object.assign(new Error('Connection Closed'), { output: { statusCode: 428 } });
    if (this.failNextSends > 0) {
      this.failNextSends -= 1;
      throw Object.assign(new Error('Timed Out'), { output: { statusCode: 408 } });
    }
    this.shared.sent.push(message);
    this.shared.onSent.emit('sent', message);
    return {};
  }

  async onWhatsApp(...jids: string[]): Promise<{ jid: string; exists: boolean }[]> {
    return jids
      .map((jid) => jid.split('@')[0] ?? '')
      .filter((n) => this.onWhatsAppNumbers.has(n))
      .map((n) => ({ jid: `${n}@s.whatsapp.net`, exists: true }));
  }

  async requestPairingCode(phone: string): Promise<string> {
    this.pairingRequests.push(phone);
    return 'ABCD1234';
  }

  async end(error: Error | undefined): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.endedWith.push(error);
    this.events.emit('connection.update', {
      connection: 'close',
      lastDisconnect: { error, date: new Date() },
    });
  }
}

export interface FakeSockets {
  factory: SocketFactory;
  sockets: FakeWhatsAppSocket[];
  /** Every message that went out, across sockets, in order. */
  sent: SentMessage[];
  sendAttempts: SentMessage[];
  /** Resolves with the next message that goes out. */
  nextSent(): Promise<SentMessage>;
  /** Resolves with the n-th socket (1-based) once the channel has made it. */
  nth(n: number): Promise<FakeWhatsAppSocket>;
}

export function fakeSockets(): FakeSockets {
  const created = new EventEmitter();
  const onSent = new EventEmitter();
  const shared = { sent: [] as SentMessage[], sendAttempts: [] as SentMessage[], onSent };
  const sockets: FakeWhatsAppSocket[] = [];
  return {
    sockets,
    sent: shared.sent,
    sendAttempts: shared.sendAttempts,
    nextSent: () => new Promise((resolve) => onSent.once('sent', resolve)),
    factory(options) {
      const socket = new FakeWhatsAppSocket(options, shared);
      sockets.push(socket);
      // After the channel has wired its listeners, as with Baileys, whose events start on the next tick.
      queueMicrotask(() => created.emit('socket'));
      return socket;
    },
    nth(n) {
      const existing = sockets[n - 1];
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve) => {
        const check = () => {
          const s = sockets[n - 1];
          if (!s) return;
          created.off('socket', check);
          resolve(s);
        };
        created.on('socket', check);
      });
    },
  };
}

let seq = 0;

/** A WAMessage as Baileys would emit it. */
export function waMessage(opts: {
  from?: string;
  fromAlt?: string;
  group?: string;
  participant?: string;
  participantAlt?: string;
  id?: string;
  fromMe?: boolean;
  text?: string;
  message?: WAMessage['message'];
  pushName?: string;
  timestamp?: number;
}): WAMessage {
  seq += 1;
  return {
    key: {
      remoteJid: opts.group ?? opts.from ?? '919812345678@s.whatsapp.net',
      remoteJidAlt: opts.fromAlt,
      participant: opts.participant,
      participantAlt: opts.participantAlt,
      fromMe: opts.fromMe ?? false,
      id: opts.id ?? `3EB0FAKE${String(seq).padStart(12, '0')}`,
    },
    message: opts.message ?? { conversation: opts.text ?? 'hello' },
    messageTimestamp: opts.timestamp ?? 1_767_000_000,
    pushName: opts.pushName ?? 'Ravi',
  } as WAMessage;
}
