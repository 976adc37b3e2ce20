import { setTimeout as sleep } from 'node:timers/promises';
import { normalizeMessageContent, type WAMessage } from '@whiskeysockets/baileys';
import type { Transcriber } from '../../src/agent/transcription.ts';
import type { Db } from '../../src/db/types.ts';
import type { Logger } from '../../src/log.ts';
import type { Channel, InboundMessage, OutboundMessage } from '../channel.ts';
import { MAX_FILE_BYTES } from '../pipeline/inbound.ts';
import { jidForPhone, normaliseMessage } from './inbound.ts';
import { createPacer, messageIdFor, type RetryPolicy, type Sleep, withRetry } from './outbound.ts';
import {
  baileysMediaDownloader,
  baileysSocketFactory,
  type MediaDownloader,
  type SocketFactory,
  type WhatsAppSocket,
} from './socket.ts';
import {
  type AccountLock,
  type BackoffPolicy,
  type Interactive,
  singleProcessLock,
  WhatsAppConnection,
} from './supervisor.ts';

/** WhatsApp as a `Channel`: a supervised Baileys socket, normalised inbound messages, paced outbound sends. */

export interface WhatsAppChannelDeps {
  db: Db;
  logger: Logger;
  /** The name the auth state is stored under; one per WhatsApp number. */
  session?: string;
  /** Minimum pause between two sends from this number (anti-ban). */
  sendGapMs?: number;
  watchdogMs?: number;
  backoff?: BackoffPolicy;
  lockRetryMs?: number;
  /** How long a send waits for a dropped connection to come back before it fails. */
  sendWaitMs?: number;
  sendRetry?: RetryPolicy;
  /** Postgres: an advisory lock per account; PGlite: the data-dir lock already makes it one process. */
  lock?: AccountLock;
  socketFactory?: SocketFactory;
  downloadMedia?: MediaDownloader;
  /** Given, voice notes become text; otherwise they reach the pipeline as media with no text. */
  transcriber?: Transcriber | undefined;
  onLoggedOut?: (reason: string) => void | Promise<void>;
  random?: () => number;
  sleep?: Sleep;
  interactive?: Interactive;
}

export interface WhatsAppChannel extends Channel {
  readonly name: 'whatsapp';
  readonly connection: WhatsAppConnection;
  isConnected(): boolean;
  /** The JID a phone number has on WhatsApp, or null when it has none. */
  lookup(phone: string): Promise<string | null>;
}

/** Delivery to the pipeline is retried briefly: WhatsApp has already acknowledged the message and will not resend it. */
const DELIVERY_ATTEMPTS = 3;
/** The transcription endpoint takes at most 25 MB. */
const MAX_AUDIO_BYTES = 25 * 1024 * 1024;

export function createWhatsAppChannel(deps: WhatsAppChannelDeps): WhatsAppChannel {
  const log = deps.logger.child({ channel: 'whatsapp' });
  const wait = deps.sleep ?? sleep;
  const pacer = createPacer(deps.sendGapMs ?? 1500, wait);
  const retry = deps.sendRetry ?? { attempts: 4, baseMs: 1000 };
  const download = deps.downloadMedia ?? baileysMediaDownloader(log);
  let onMessage: ((m: InboundMessage) => Promise<void>) | undefined;
  // Per chat, deliveries stay in arrival order even when a voice note is transcribed first.
  const chatTails = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();

  const connection = new WhatsAppConnection({
    db: deps.db,
    logger: log,
    session: deps.session ?? 'default',
    socketFactory: deps.socketFactory ?? baileysSocketFactory,
    lock: deps.lock ?? singleProcessLock,
    watchdogMs: deps.watchdogMs ?? 120_000,
    backoff: deps.backoff ?? { baseMs: 1000, maxMs: 60_000 },
    lockRetryMs: deps.lockRetryMs ?? 15_000,
    random: deps.random,
    interactive: deps.interactive,
    onLoggedOut: deps.onLoggedOut,
    onSocket: (socket) => listen(socket),
  });

  function listen(socket: WhatsAppSocket): void {
    socket.ev.on('messages.upsert', ({ messages, type }) => {
      // 'append' is history and our own messages from other devices; only 'notify' is new to us.
      if (type !== 'notify') return;
      for (const msg of messages) accept(msg);
    });
  }

  function accept(msg: WAMessage): void {
    const account = connection.account;
    if (!account || !onMessage) return;
    const result = normaliseMessage(msg, { account, jids: connection.ownJids });
    if (result.kind === 'ignored') {
      log.debug({ messageId: msg.key.id, reason: result.reason }, 'WhatsApp message ignored');
      return;
    }
    const message = result.message;
    const previous = chatTails.get(message.chat) ?? Promise.resolve();
    const delivery = previous.then(() => deliver(msg, message));
    chatTails.set(message.chat, delivery);
    inFlight.add(delivery);
    delivery.finally(() => {
      inFlight.delete(delivery);
      if (chatTails.get(message.chat) === delivery) chatTails.delete(message.chat);
    });
  }

  async function deliver(raw: WAMessage, message: InboundMessage): Promise<void> {
    const ready = await withDocument(raw, await withTranscript(raw, message));
    for (let attempt = 1; ; attempt++) {
      try {
        await onMessage?.(ready);
        return;
      } catch (err) {
        if (attempt >= DELIVERY_ATTEMPTS) {
          log.error(
            { err, messageId: message.messageId, chat: message.chat },
            'WhatsApp message could not be handed on',
          );
          return;
        }
        await wait(200 * attempt);
      }
    }
  }

  async function withTranscript(raw: WAMessage, message: InboundMessage): Promise<InboundMessage> {
    if (!deps.transcriber || (message.media !== 'voice' && message.media !== 'audio') || message.text)
      return message;
    const audio = raw.message?.audioMessage ?? null;
    if (Number(audio?.fileLength ?? 0) > MAX_AUDIO_BYTES) return message;
    try {
      const bytes = await download(raw);
      const text = await deps.transcriber.transcribe(bytes, audio?.mimetype ?? 'audio/ogg');
      return { ...message, text };
    } catch (err) {
      log.warn({ err, messageId: message.messageId }, 'voice note could not be transcribed');
      return message;
    }
  }

  /** A document's bytes (a bank statement), fetched before the message is handed on; none when too large. */
  async function withDocument(raw: WAMessage, message: InboundMessage): Promise<InboundMessage> {
    if (message.media !== 'document') return message;
    const doc = normalizeMessageContent(raw.message)?.documentMessage;
    if (!doc) return message;
    const name = doc.fileName ?? doc.title ?? 'file';
    const size = Number(doc.fileLength ?? 0);
    if (size > MAX_FILE_BYTES) return { ...message, file: { name, size, bytes: null } };
    try {
      const bytes = await download(raw);
      return {
        ...message,
        file: { name, size: bytes.length, bytes: bytes.length > MAX_FILE_BYTES ? null : bytes },
      };
    } catch (err) {
      log.warn({ err, messageId: message.messageId }, 'document could not be downloaded');
      return { ...message, file: { name, size, bytes: null } };
    }
  }

  async function sendOnce(jid: string, out: OutboundMessage, messageId: string): Promise<void> {
    await connection.waitForOpen(deps.sendWaitMs ?? 30_000);
    const socket = connection.socket;
    if (!socket) throw new Error('WhatsApp socket closed');
    // A chart goes as a picture with the answer as its caption.
    const content = out.image ? { image: out.image, caption: out.text } : { text: out.text };
    await pacer.run(() => socket.sendMessage(jid, content, { messageId }));
  }

  return {
    name: 'whatsapp',
    connection,
    async start(handler) {
      onMessage = handler;
      await connection.start();
    },
    async stop() {
      await connection.stop();
      await Promise.allSettled([...inFlight]);
      onMessage = undefined;
    },
    async send(out: OutboundMessage) {
      const jid = out.chat.startsWith('+') ? jidForPhone(out.chat) : out.chat;
      const messageId = messageIdFor(connection.account ?? '', out.dedupKey);
      await withRetry(() => sendOnce(jid, out, messageId), retry, wait);
    },
    isConnected: () => connection.status === 'open',
    async lookup(phone) {
      const socket = connection.socket;
      if (connection.status !== 'open' || !socket) throw new Error('WhatsApp is not connected');
      const [found] = (await socket.onWhatsApp(jidForPhone(phone))) ?? [];
      return found?.exists ? found.jid : null;
    },
  };
}
