import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { TurnRunner } from '../../src/agent/runner.ts';
import type { Db } from '../../src/db/types.ts';
import {
  type ChatKey,
  chatsWithWork,
  markProcessed,
  markSendFailed,
  markSent,
  type PendingInbound,
  pendingInbound,
  queueOutbound,
  recordInbound,
  releaseLease,
  takeLease,
  unsentOutbound,
} from '../../src/domain/channels/repo.ts';
import type { Channel, ChannelName, InboundMessage } from '../channel.ts';
import { createChatQueue } from './chat-queue.ts';
import { InboundMessage as InboundSchema, textForUs } from './inbound.ts';
import { FAILED } from './replies.ts';
import {
  type Batch,
  commands,
  compose,
  type DocumentHandler,
  documents,
  identify,
  textOnly,
  turn,
} from './steps.ts';

/**
 * The one pipeline behind every channel. A message is a row before it is work (the row's unique key is the
 * dedup); each chat is answered by one run at a time, under a lease in the database so several processes
 * can share the work; a batch is processed only when its reply is queued in the same transaction that marks
 * it done, and the queued reply is sent once. A restart picks up whatever was left.
 */

export interface PipelineSettings {
  /** A burst of messages arriving within this window is answered as one turn. */
  debounceMs: number;
  /** At most this many messages per turn. */
  maxBatch: number;
  /** How long a chat's lease lives without renewal: the wait before another process takes over a crashed one. */
  leaseMs: number;
  /** A failed batch is tried this many times, then answered with an apology and set aside. */
  maxAttempts: number;
  /** First retry delay after a failure; it doubles per attempt, up to a minute. */
  retryBaseMs: number;
  allowSignup: boolean;
  defaultTimezone: string;
  /** Whether the Digital Employee answers in groups, per channel (then only messages that address it). */
  groups: Record<ChannelName, boolean>;
}

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = {
  debounceMs: 1500,
  maxBatch: 10,
  leaseMs: 30_000,
  maxAttempts: 5,
  retryBaseMs: 500,
  allowSignup: true,
  defaultTimezone: 'Asia/Kolkata',
  groups: { whatsapp: false, telegram: true },
};

export interface PipelineLog {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export interface PipelineDeps {
  db: Db;
  runTurn: TurnRunner;
  /** What a document sent in a chat becomes (a bank statement imported); without it, files get no answer of their own. */
  documents?: DocumentHandler;
  settings?: Partial<PipelineSettings>;
  log?: PipelineLog;
}

export interface PipelineEvents {
  duplicate: [InboundMessage];
  /** A group message that is not for us: never recorded. */
  ignored: [InboundMessage];
  processed: [{ key: ChatKey; messageIds: string[]; turnId: string | null }];
  sent: [{ key: ChatKey; dedupKey: string; text: string }];
  send_failed: [{ key: ChatKey; dedupKey: string; error: string }];
}

export interface Pipeline {
  readonly events: EventEmitter<PipelineEvents>;
  /** Adds a channel; it starts with the pipeline. */
  register(channel: Channel): void;
  /** Starts every registered channel, then picks up work left by a previous run. */
  start(): Promise<void>;
  /** A channel's inbound handler: resolves once the message is recorded (or known as a duplicate). */
  receive(message: InboundMessage): Promise<void>;
  /** Asks for a run of the chat now: used after a notification is queued for it. */
  wake(key: ChatKey): void;
  /** The started channel of this name, if any. */
  channel(name: ChannelName): Channel | undefined;
  /** Resolves when no chat has work pending or running in this process. */
  idle(): Promise<void>;
  /** Chats with a run pending or going (memory follows activity). */
  readonly activeChats: number;
  stop(): Promise<void>;
}

const keyId = (k: ChatKey): string => JSON.stringify([k.channel, k.account, k.chat]);
const keyOf = (id: string): ChatKey & { channel: ChannelName } => {
  const [channel, account, chat] = JSON.parse(id) as [ChannelName, string, string];
  return { channel, account, chat };
};

/** One sender's messages at the head of the chat: a group's batch never mixes people. */
const leadingRun = (rows: PendingInbound[]): PendingInbound[] => {
  const sender = rows[0]?.senderId;
  const end = rows.findIndex((r) => r.senderId !== sender);
  return end === -1 ? rows : rows.slice(0, end);
};

class SendError extends Error {
  override name = 'SendError';
}

const noop = () => {};
const quietLog: PipelineLog = { info: noop, warn: noop, error: noop };

export function createPipeline(deps: PipelineDeps): Pipeline {
  const settings = { ...DEFAULT_PIPELINE_SETTINGS, ...deps.settings };
  const { db } = deps;
  const log = deps.log ?? quietLog;
  const events = new EventEmitter<PipelineEvents>();
  const registered = new Map<ChannelName, Channel>();
  const started = new Map<ChannelName, Channel>();
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  // Failed attempts per chat, for the batch at its head; an entry exists only while a chat is failing.
  const failures = new Map<string, { rowId: string; count: number }>();
  const steps = compose([
    identify(db, { allowSignup: settings.allowSignup, defaultTimezone: settings.defaultTimezone }),
    documents(deps.documents),
    commands,
    textOnly,
    turn(db, deps.runTurn),
  ]);
  const queue = createChatQueue(runChat);
  let stopping = false;

  async function flush(key: ChatKey, channel: Channel): Promise<void> {
    for (const o of await unsentOutbound(db, key)) {
      try {
        await channel.send({
          chat: o.chat,
          text: o.text,
          dedupKey: o.dedupKey,
          ...(o.requestPhone ? { requestPhone: true } : {}),
          ...(o.image ? { image: o.image } : {}),
        });
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        await markSendFailed(db, o.dedupKey, error);
        events.emit('send_failed', { key, dedupKey: o.dedupKey, error });
        throw new SendError(error);
      }
      await markSent(db, o.dedupKey);
      events.emit('sent', { key, dedupKey: o.dedupKey, text: o.text });
    }
  }

  /** Marks the batch done and queues its reply in one transaction: the reply exists iff the batch is done. */
  async function complete(
    key: ChatKey,
    rows: PendingInbound[],
    turnId: string | null,
    reply: Batch['reply'],
  ): Promise<void> {
    const last = rows[rows.length - 1] as PendingInbound;
    await db.transaction(async (tx) => {
      await markProcessed(
        tx,
        rows.map((r) => r.id),
        turnId,
      );
      if (reply) {
        await queueOutbound(tx, {
          ...key,
          dedupKey: turnId ? `turn:${turnId}` : `reply:${key.channel}:${key.account}:${last.messageId}`,
          text: reply.text,
          requestPhone: reply.requestPhone ?? false,
          image: reply.image,
        });
      }
    });
    events.emit('processed', { key, messageIds: rows.map((r) => r.messageId), turnId });
  }

  async function processBatch(id: string, key: ChatKey & { channel: ChannelName }, rows: PendingInbound[]) {
    const text = rows
      .map((m) => m.text.trim())
      .filter(Boolean)
      .join('\n');
    const batch: Batch = { key, messages: rows, text, turnId: null };
    try {
      await steps(batch);
    } catch (err) {
      const head = rows[0] as PendingInbound;
      const prior = failures.get(id);
      const count = prior?.rowId === head.id ? prior.count + 1 : 1;
      if (count < settings.maxAttempts) {
        failures.set(id, { rowId: head.id, count });
        throw err;
      }
      failures.delete(id);
      log.error(
        { err, chat: key, messages: rows.map((r) => r.messageId) },
        'channel message failed; set aside',
      );
      await complete(key, rows, null, { text: FAILED });
      return;
    }
    failures.delete(id);
    await complete(key, rows, batch.turnId, batch.reply);
  }

  async function runChat(id: string): Promise<number | undefined> {
    const key = keyOf(id);
    const channel = started.get(key.channel);
    // A chat of a channel not running here stays in the database for a process that runs it.
    if (!channel) return undefined;
    try {
      if (!(await takeLease(db, id, holder, settings.leaseMs))) return Math.min(1000, settings.leaseMs);
    } catch (err) {
      log.error({ err }, 'channel pipeline: cannot take the chat lease');
      return Math.min(1000, settings.leaseMs);
    }
    const heartbeat = setInterval(
      () => takeLease(db, id, holder, settings.leaseMs).catch(noop),
      settings.leaseMs / 3,
    );
    heartbeat.unref();
    try {
      await flush(key, channel);
      while (!stopping) {
        const rows = leadingRun(await pendingInbound(db, key, settings.maxBatch));
        if (rows.length === 0) break;
        await processBatch(id, key, rows);
        await flush(key, channel);
      }
      return undefined;
    } catch (err) {
      const attempt = failures.get(id)?.count ?? 1;
      if (!(err instanceof SendError))
        log.warn({ err, chat: key, attempt }, 'channel message failed; will retry');
      // Capped exponential back-off with jitter, so a broken chat neither spins nor waits for ever.
      return Math.min(60_000, settings.retryBaseMs * 2 ** Math.min(attempt, 7)) * (0.5 + Math.random() / 2);
    } finally {
      clearInterval(heartbeat);
      await releaseLease(db, id, holder).catch(noop);
    }
  }

  async function recover(): Promise<void> {
    const chats = await chatsWithWork(db);
    for (const key of chats) if (started.has(key.channel as ChannelName)) queue.schedule(keyId(key), 0);
    if (chats.length > 0) log.info({ chats: chats.length }, 'channel pipeline: picking up unfinished chats');
  }

  async function receive(raw: InboundMessage): Promise<void> {
    const m = InboundSchema.parse(raw);
    const text = textForUs(m, settings.groups[m.channel]);
    if (text === null) {
      events.emit('ignored', raw);
      return;
    }
    const fresh = await recordInbound(db, {
      channel: m.channel,
      account: m.account,
      chat: m.chat,
      messageId: m.messageId,
      senderId: m.sender.id,
      senderPhone: m.sender.phone ?? null,
      senderName: m.sender.name ?? null,
      text,
      media: m.media,
      inGroup: m.group !== undefined,
      mentioned: m.group?.addressed ?? false,
      sentAt: m.timestamp,
      file: m.file,
    });
    if (!fresh) {
      events.emit('duplicate', raw);
      return;
    }
    queue.schedule(keyId(m), settings.debounceMs);
  }

  return {
    events,
    register(channel) {
      registered.set(channel.name, channel);
    },
    async start() {
      for (const [name, channel] of registered) {
        await channel.start(receive);
        started.set(name, channel);
      }
      await recover();
    },
    receive,
    wake(key) {
      queue.schedule(keyId(key), 0);
    },
    channel: (name) => started.get(name),
    idle: () => queue.idle(),
    get activeChats() {
      return queue.size;
    },
    async stop() {
      stopping = true;
      await queue.drain();
      for (const channel of started.values()) await channel.stop();
      started.clear();
    },
  };
}
