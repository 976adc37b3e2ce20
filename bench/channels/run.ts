/**
 * `npm run bench:channels`: the chat channels end to end (issue 5). A served process, built as `serve`
 * builds it (createRuntime, the Express app on 127.0.0.1, the channel pipeline, the webhook relay and the
 * scheduler), with both channels started: Telegram through real grammY long polling against the local fake
 * Bot API server (test/fakes/telegram-bot-api.ts), WhatsApp through its real adapter
 * (createWhatsAppChannel: supervisor, Postgres advisory lock, auth state in the database, normalising,
 * pacing) over the fake Baileys socket (test/fakes/whatsapp-socket.ts). The model is the offline model,
 * which answers instantly, so every millisecond is ours.
 *
 * Inbound messages go in at the vendor's edge (the fake Bot API's update queue, the fake socket's
 * `messages.upsert`), through the whole pipeline (channels/pipeline/pipeline.ts: record + dedup in the
 * database → per-chat queue with debounce → identity → agent turn → reply queued → sent), and are timed
 * until the vendor's edge receives the reply (the fake's sendMessage). Half the chats are on each channel,
 * each chat a business owner of its own; every chat sends its next message as soon as its last reply
 * arrives (closed loop, optional think time); one delivery in ten is delivered twice (the same Telegram
 * update_id, the same WhatsApp message id), and must get no second reply.
 *
 * Prints, per debounce setting: messages answered per second, p50/p95/p99/max from receipt to reply
 * send, where that time goes, duplicates seen, CPU per message; and the idle RSS of the whole process
 * with both channels started (before any traffic, and idle again after the load).
 *
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh database is created there and dropped at the
 * end, Ctrl-C included), else in-memory PGlite. Knobs: BENCH_CHATS (50, half on each channel),
 * BENCH_DEBOUNCE_MS runs, one per value ("0,1500": no debounce, then the product's default
 * CHANNEL_DEBOUNCE_MS), BENCH_DURATION s per run (20), BENCH_WARMUP messages per chat per run before
 * timing (3), BENCH_THINK_MS pause between a chat's reply and its next message (0), BENCH_DUPLICATE_EVERY
 * (10: every 10th delivery is doubled; 0 none), BENCH_WHATSAPP_SEND_GAP_MS (0; the product's
 * WHATSAPP_SEND_GAP_MS default of 1500 paces one number to 0.67 sends/s on purpose, which would be all this
 * measured), BENCH_IDLE_S settle time before each RSS reading (5), DATABASE_POOL_SIZE (10).
 * Bounded: about (warm-up + BENCH_DURATION + 10 s) per run. Only 127.0.0.1 traffic. Prints figures only;
 * it never fails on a target (issue 5 sets none).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { BufferJSON, initAuthCreds } from '@whiskeysockets/baileys';
import { FAILED } from '../../channels/pipeline/replies.ts';
import { whatsappLock } from '../../channels/whatsapp/from-config.ts';
import { createWhatsAppChannel } from '../../channels/whatsapp/whatsapp-channel.ts';
import { OfflineChatModel } from '../../src/agent/offline/model.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { writeCreds } from '../../src/domain/whatsapp/session-store.ts';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/log.ts';
import { closeServer, createRuntime, type Runtime } from '../../src/main.ts';
import { type FakeTelegram, startFakeTelegram } from '../../test/fakes/telegram-bot-api.ts';
import { type FakeSockets, fakeSockets, waMessage } from '../../test/fakes/whatsapp-socket.ts';
import {
  benchKit,
  cleanupOnExit,
  fmt,
  freshDatabase,
  latencyCells,
  machine,
  mb,
  mean,
  percentile,
  runBench,
  table,
} from '../support.ts';

const kit = benchKit('channels');
const { progress } = kit;

const CHATS = kit.intEnv('BENCH_CHATS', 50, 2, 5000);
const DEBOUNCES = kit.listEnv('BENCH_DEBOUNCE_MS', '0,1500', 0, 60_000);
const DURATION = kit.intEnv('BENCH_DURATION', 20, 1);
const WARMUP = kit.intEnv('BENCH_WARMUP', 3, 0);
const THINK_MS = kit.intEnv('BENCH_THINK_MS', 0, 0);
const DUPLICATE_EVERY = kit.intEnv('BENCH_DUPLICATE_EVERY', 10, 0);
const WA_SEND_GAP_MS = kit.intEnv('BENCH_WHATSAPP_SEND_GAP_MS', 0, 0);
const IDLE_S = kit.intEnv('BENCH_IDLE_S', 5, 0);
const POOL_SIZE = kit.intEnv('DATABASE_POOL_SIZE', 10, 1);
/** A message without a reply after this long counts as lost, and its chat moves on. */
const REPLY_TIMEOUT_MS = 30_000;
/** Our WhatsApp number (the linked session's), and its session name. */
const WA_ACCOUNT = '919000000001';
const WA_SESSION = 'bench';

type ChannelName = 'telegram' | 'whatsapp';

// ---------------------------------------------------------------------------------------------------
// The chats and what they say: a mix that creates, lists and closes, so task lists stay short.

const NAMES = ['Ramesh', 'Suresh', 'Anil', 'Sharma ji', 'ABC Traders', 'Gupta Electricals', 'Verma ji'];
const MIX = [
  'remind me to call {name} tomorrow at 5pm',
  'show my tasks',
  "what's my day",
  '{name} wala task ho gaya',
];

interface Outstanding {
  at: number;
  processedAt?: number;
  resolve: (ok: boolean) => void;
}

interface Chat {
  index: number;
  channel: ChannelName;
  /** The chat id as the pipeline and the vendor know it: Telegram chat id, WhatsApp JID. */
  chat: string;
  phone: string;
  sent: number;
  outstanding?: Outstanding | undefined;
}

const chatKey = (channel: string, chat: string) => `${channel}:${chat}`;

function nextText(c: Chat): string {
  const round = Math.floor(c.sent / MIX.length) + c.index;
  return (MIX[c.sent % MIX.length] as string).replace('{name}', NAMES[round % NAMES.length] as string);
}

// ---------------------------------------------------------------------------------------------------
// One measured run's counters. Set before each phase; the event handlers write into whichever is current.

interface Sample {
  channel: ChannelName;
  ms: number;
  /** Receipt → the pipeline's `processed` (turn committed and reply queued in one transaction). */
  processedMs: number;
}

interface Counters {
  samples: Sample[];
  deliveries: number;
  duplicatesSent: number;
  duplicatesSeen: number;
  turns: number;
  batchSizes: number[];
  unexpectedReplies: number;
  failedReplies: number;
  lost: number;
}

const newCounters = (): Counters => ({
  samples: [],
  deliveries: 0,
  duplicatesSent: 0,
  duplicatesSeen: 0,
  turns: 0,
  batchSizes: [],
  unexpectedReplies: 0,
  failedReplies: 0,
  lost: 0,
});

let counters = newCounters();
let stopping = false;

// ---------------------------------------------------------------------------------------------------
// A served process: what `serve` (src/main.ts) builds, plus the WhatsApp channel over the fake socket.

interface Served {
  runtime: Runtime;
  server: Server;
  scheduler: Scheduler;
  whatsapp: FakeSockets;
  stop(): Promise<void>;
}

async function startServed(config: Config, db: Db): Promise<Served> {
  const runtime = await createRuntime(config, {
    db,
    model: { model: new OfflineChatModel({}), name: 'offline' },
  });
  const whatsapp = fakeSockets();
  runtime.pipeline.register(
    createWhatsAppChannel({
      db,
      logger: runtime.logger,
      session: WA_SESSION,
      socketFactory: whatsapp.factory,
      sendGapMs: WA_SEND_GAP_MS,
      lock: whatsappLock(config, db),
    }),
  );
  const server = runtime.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const starting = runtime.pipeline.start();
  const socket = await whatsapp.nth(1);
  socket.open({ id: `${WA_ACCOUNT}:7@s.whatsapp.net`, lid: '123456789:7@lid' });
  await starting;
  // WhatsApp's servers send frames all the time; the fake sends none, so keep the watchdog fed.
  const keepAlive = setInterval(() => socket.frame(), 10_000);
  await runtime.webhookRelay.start();
  const scheduler = await startScheduler({ db, notifier: runtime.notifier, logger: runtime.logger });
  let stopped: Promise<void> | undefined;
  return {
    runtime,
    server,
    scheduler,
    whatsapp,
    stop() {
      stopped ??= (async () => {
        clearInterval(keepAlive);
        await closeServer(server);
        await scheduler.stop();
        await runtime.close();
      })();
      return stopped;
    },
  };
}

/** Wires replies and pipeline events to the chats' outstanding messages. Returns an unhook. */
function watch(served: Served, telegram: FakeTelegram, chats: Map<string, Chat>): () => void {
  let closed = false;
  const onReply = (channel: ChannelName, chat: string, text: string) => {
    const now = performance.now();
    const c = chats.get(chatKey(channel, chat));
    if (text.startsWith(FAILED)) counters.failedReplies++;
    const o = c?.outstanding;
    if (!c || !o) {
      counters.unexpectedReplies++;
      return;
    }
    c.outstanding = undefined;
    counters.samples.push({
      channel,
      ms: now - o.at,
      processedMs: (o.processedAt ?? Number.NaN) - o.at,
    });
    o.resolve(true);
  };
  // The fakes keep every send in an array; drain it whenever one more arrives.
  let tgSeen = telegram.sent.length;
  void (async () => {
    while (!closed) {
      await telegram.nextSent(1);
      for (; tgSeen < telegram.sent.length; tgSeen++) {
        const m = telegram.sent[tgSeen];
        if (m && !closed) onReply('telegram', m.chat_id, m.text);
      }
    }
  })();
  let waSeen = 0;
  void (async () => {
    while (!closed) {
      await served.whatsapp.nextSent();
      for (; waSeen < served.whatsapp.sent.length; waSeen++) {
        const m = served.whatsapp.sent[waSeen];
        if (m && !closed) onReply('whatsapp', m.jid, m.text);
      }
    }
  })();
  const events = served.runtime.pipeline.events;
  const onProcessed = (e: {
    key: { channel: string; chat: string };
    messageIds: string[];
    turnId: string | null;
  }) => {
    const o = chats.get(chatKey(e.key.channel, e.key.chat))?.outstanding;
    if (o && o.processedAt === undefined) o.processedAt = performance.now();
    counters.batchSizes.push(e.messageIds.length);
    if (e.turnId) counters.turns++;
  };
  const onDuplicate = () => {
    counters.duplicatesSeen++;
  };
  events.on('processed', onProcessed);
  events.on('duplicate', onDuplicate);
  return () => {
    closed = true;
    events.off('processed', onProcessed);
    events.off('duplicate', onDuplicate);
  };
}

/** Delivers one message (twice, now and then) at the vendor's edge; resolves when its reply arrives. */
function sendOne(c: Chat, served: Served, telegram: FakeTelegram, text: string): Promise<boolean> {
  const duplicate = DUPLICATE_EVERY > 0 && (counters.deliveries + 1) % DUPLICATE_EVERY === 0;
  const reply = new Promise<boolean>((resolve) => {
    c.outstanding = { at: performance.now(), resolve };
  });
  c.sent++;
  counters.deliveries++;
  if (c.channel === 'telegram') {
    const update = telegram.push({ chatId: Number(c.chat), text });
    if (duplicate) telegram.push({ chatId: Number(c.chat), text, updateId: update.update_id });
  } else {
    const socket = served.whatsapp.sockets.at(-1);
    const message = waMessage({ from: c.chat, text, id: `3EB0BENCH${randomBytes(8).toString('hex')}` });
    socket?.upsert([message]);
    if (duplicate) socket?.upsert([message]);
  }
  if (duplicate) counters.duplicatesSent++;
  const timeout = delay(REPLY_TIMEOUT_MS).then(() => false);
  return Promise.race([reply, timeout]).then((ok) => {
    if (!ok) {
      counters.lost++;
      c.outstanding = undefined;
    }
    return ok;
  });
}

/** Every chat sends its next message as soon as its last reply arrived (plus think time), until `more()` ends. */
async function closedLoop(
  chats: Chat[],
  served: Served,
  telegram: FakeTelegram,
  more: (c: Chat) => boolean,
): Promise<void> {
  await Promise.all(
    chats.map(async (c) => {
      if (THINK_MS > 0) await delay(Math.random() * THINK_MS);
      while (!stopping && more(c)) {
        await sendOne(c, served, telegram, nextText(c));
        if (THINK_MS > 0 && more(c)) await delay(THINK_MS * (0.5 + Math.random()));
      }
    }),
  );
}

/** With `node --expose-gc` (the npm script passes it), RSS is read after a full collection. */
const gc = (globalThis as { gc?: () => void }).gc;

interface Memory {
  rss: number;
  heap: number;
  /** Outside the JS heap: Buffers, ArrayBuffers, native objects. */
  external: number;
}

async function idleRss(): Promise<Memory> {
  await delay(IDLE_S * 1000);
  (globalThis as { gc?: () => void }).gc?.();
  await delay(100);
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external };
}

interface Run {
  debounceMs: number;
  counters: Counters;
  wallMs: number;
  cpuMs: number;
  loopP99Ms: number;
}

async function main(): Promise<void> {
  const rssAtStart = process.memoryUsage().rss;
  const database = await freshDatabase(kit);
  const cleanups = cleanupOnExit(kit, database, () => {
    stopping = true;
  });
  try {
    progress(`opening ${database.describe}`);
    const telegram = await startFakeTelegram();
    cleanups.add(() => telegram.close());
    const configFor = (debounceMs: number) =>
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        ...database.settings,
        DATABASE_POOL_SIZE: String(database.kind === 'pglite' ? 1 : POOL_SIZE),
        JWT_SECRET: randomBytes(32).toString('hex'),
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        CHANNEL_DEBOUNCE_MS: String(debounceMs),
      });
    const db = await openDatabase(configFor(0), createLogger('warn'));
    cleanups.add(() => db.close());
    const [version] = await db.query<{ v: string }>("SELECT current_setting('server_version') AS v");

    // A WhatsApp session as a phone that linked it leaves it (as `axon whatsapp login` would).
    const creds = initAuthCreds();
    creds.me = { id: `${WA_ACCOUNT}:7@s.whatsapp.net`, name: 'Bench Traders' };
    creds.account = { details: Buffer.from([1]), accountSignatureKey: Buffer.from([2]) };
    await writeCreds(db, WA_SESSION, JSON.stringify(creds, BufferJSON.replacer));

    progress(`signing up ${CHATS} businesses, one owner each (ensureOwner); half on each channel`);
    const chats: Chat[] = [];
    for (let i = 0; i < CHATS; i++) {
      const channel: ChannelName = i % 2 === 0 ? 'telegram' : 'whatsapp';
      const phone = `+9195${String(10_000_000 + i).slice(-8)}`;
      await ensureOwner(db, phone, 'Asia/Kolkata');
      chats.push({
        index: i,
        channel,
        chat: channel === 'telegram' ? String(700_000 + i) : `${phone.slice(1)}@s.whatsapp.net`,
        phone,
        sent: 0,
      });
    }
    const byKey = new Map(chats.map((c) => [chatKey(c.channel, c.chat), c]));

    let idleBefore: Memory | undefined;
    let idleAfter: Memory | undefined;
    const runs: Run[] = [];
    for (const [level, debounceMs] of DEBOUNCES.entries()) {
      if (stopping) break;
      progress(
        `run ${level + 1}/${DEBOUNCES.length}: starting the process's parts, CHANNEL_DEBOUNCE_MS=${debounceMs}`,
      );
      const served = await startServed(configFor(debounceMs), db);
      cleanups.add(() => served.stop());
      counters = newCounters();
      const unwatch = watch(served, telegram, byKey);
      try {
        if (level === 0) {
          progress(`both channels started; idle ${IDLE_S} s, then RSS`);
          idleBefore = await idleRss();
          progress(
            'linking: each Telegram user shares their contact; each WhatsApp number is linked on first message',
          );
          await Promise.all(
            chats.map(async (c) => {
              if (c.channel === 'telegram') {
                const reply = new Promise<boolean>((resolve) => {
                  c.outstanding = { at: performance.now(), resolve };
                });
                telegram.push({
                  chatId: Number(c.chat),
                  contact: { phone_number: c.phone.slice(1), user_id: Number(c.chat) },
                });
                await Promise.race([reply, delay(REPLY_TIMEOUT_MS)]);
              } else {
                await sendOne(c, served, telegram, 'hello');
              }
            }),
          );
        }
        if (WARMUP > 0) {
          progress(`warming up: ${WARMUP} messages per chat, untimed`);
          const until = new Map(chats.map((c) => [c, c.sent + WARMUP]));
          await closedLoop(chats, served, telegram, (c) => c.sent < (until.get(c) ?? 0));
        }
        await served.runtime.pipeline.idle();
        counters = newCounters();
        progress(`timed: ${CHATS} chats, closed loop, ${DURATION} s`);
        const loop = monitorEventLoopDelay({ resolution: 1 });
        loop.enable();
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        const endAt = started + DURATION * 1000;
        await closedLoop(chats, served, telegram, () => performance.now() < endAt);
        const wallMs = performance.now() - started;
        const cpu = process.cpuUsage(cpuBefore);
        loop.disable();
        await served.runtime.pipeline.idle();
        await delay(200); // a stray second reply, if any, arrives before the counters are read
        runs.push({
          debounceMs,
          counters,
          wallMs,
          cpuMs: (cpu.user + cpu.system) / 1000,
          loopP99Ms: loop.percentile(99) / 1e6,
        });
        const ms = counters.samples.map((s) => s.ms);
        progress(
          `  ${counters.samples.length} answered, p50 ${fmt(percentile(ms, 50), 1)} ms, p99 ${fmt(percentile(ms, 99), 1)} ms`,
        );
        if (level === DEBOUNCES.length - 1) {
          progress(`idle ${IDLE_S} s after the load, then RSS`);
          idleAfter = await idleRss();
        }
      } finally {
        unwatch();
        await served.stop();
      }
    }
    if (stopping) return;

    // ---- the report --------------------------------------------------------------------------------
    const out: string[] = [];
    out.push('AxonBOS channels bench: inbound message → reply, through the whole channel pipeline (issue 5)');
    out.push(
      `database     ${database.describe}; server ${version?.v ?? '?'}; pool size ${database.kind === 'pglite' ? 1 : POOL_SIZE}`,
    );
    out.push(
      'process      as `serve` builds it: createRuntime (offline model: instant, no network), Express on 127.0.0.1, ' +
        'pipeline, webhook relay, scheduler (pg-boss); both channels started',
    );
    out.push(
      'telegram     real grammY long polling (getUpdates) + sendMessage against the fake Bot API server ' +
        '(test/fakes/telegram-bot-api.ts) on 127.0.0.1',
    );
    out.push(
      `whatsapp     real adapter (createWhatsAppChannel: supervisor, advisory lock, auth state in the db) over ` +
        `the fake Baileys socket (test/fakes/whatsapp-socket.ts); send gap ${WA_SEND_GAP_MS} ms (product default 1500)`,
    );
    out.push(
      `chats        ${CHATS} (${chats.filter((c) => c.channel === 'telegram').length} Telegram, ` +
        `${chats.filter((c) => c.channel === 'whatsapp').length} WhatsApp), a business owner each, linked ` +
        `first; mix ${MIX.map((m) => `"${m}"`).join(', ')}`,
    );
    out.push(
      `load         closed loop: each chat sends its next message ${THINK_MS > 0 ? `${THINK_MS / 2}–${THINK_MS * 1.5} ms after` : 'as soon as'} ` +
        `its reply arrives; ${DURATION} s per run after ${WARMUP} warm-up messages per chat; ` +
        (DUPLICATE_EVERY > 0
          ? `every ${DUPLICATE_EVERY}th delivery doubled (same update_id / message id)`
          : 'no duplicates'),
    );
    out.push(
      'timing       receipt = the update is queued at the Bot API / upserted on the socket; reply = the fake ' +
        "receives sendMessage; processed = the pipeline's `processed` event (turn committed, reply queued)",
    );
    out.push(`machine      ${machine()}; one Node process, Postgres on the same machine`);
    out.push('');
    out.push(
      ...table(
        [12, 9, 10, 8, 8, 8, 8, 13, 11, 7, 6],
        [
          [
            'debounce ms',
            'answered',
            'msgs/s',
            'p50 ms',
            'p95 ms',
            'p99 ms',
            'max ms',
            'processed p99',
            'dup sent/seen',
            'lost',
            'extra',
          ],
          ...runs.map((r) => {
            const c = r.counters;
            const ms = c.samples.map((s) => s.ms);
            return [
              String(r.debounceMs),
              ...latencyCells(ms, r.wallMs),
              fmt(percentile(c.samples.map((s) => s.processedMs).filter(Number.isFinite), 99), 1),
              `${fmt(c.duplicatesSent)}/${fmt(c.duplicatesSeen)}`,
              fmt(c.lost),
              fmt(c.unexpectedReplies),
            ];
          }),
        ],
      ),
    );
    out.push(
      'answered: unique messages whose reply reached the vendor in the run; msgs/s = answered / run time; ' +
        'processed p99: receipt → turn committed and reply queued',
    );
    out.push(
      'dup sent/seen: deliveries doubled / duplicates the pipeline recognised; lost: no reply within 30 s; ' +
        'extra: replies nobody was waiting for (a duplicate answered twice would show here)',
    );
    out.push('');
    out.push('by channel, and the process');
    out.push(
      ...table(
        [12, 10, 9, 9, 9, 9, 8, 8, 9, 8, 9],
        [
          [
            'debounce ms',
            'channel',
            'answered',
            'p50 ms',
            'p99 ms',
            'turns',
            'batch',
            'failed',
            'cpu ms',
            'max/s',
            'loop p99',
          ],
          ...runs.flatMap((r) =>
            (['telegram', 'whatsapp'] as const).map((ch, i) => {
              const mine = r.counters.samples.filter((s) => s.channel === ch).map((s) => s.ms);
              const cpuPer = r.cpuMs / Math.max(1, r.counters.samples.length);
              return [
                i === 0 ? String(r.debounceMs) : '',
                ch,
                fmt(mine.length),
                fmt(percentile(mine, 50), 1),
                fmt(percentile(mine, 99), 1),
                i === 0 ? fmt(r.counters.turns) : '',
                i === 0 ? fmt(mean(r.counters.batchSizes), 2) : '',
                i === 0 ? fmt(r.counters.failedReplies) : '',
                i === 0 ? fmt(cpuPer, 2) : '',
                i === 0 ? fmt(1000 / cpuPer, 0) : '',
                i === 0 ? fmt(r.loopP99Ms, 1) : '',
              ];
            }),
          ),
        ],
      ),
    );
    out.push(
      'turns: agent turns in the run; batch: mean messages per processed batch; failed: replies that were the ' +
        'pipeline apology; cpu ms: this process per answered message (pipeline, grammY, fakes, agent);',
    );
    out.push("  max/s = 1000 / cpu ms, one process's ceiling; loop p99: event-loop delay p99 in ms");
    out.push('');
    const rss = (x: Memory | undefined) =>
      x ? `${mb(x.rss)} (JS heap used ${mb(x.heap)}, external ${mb(x.external)})` : '–';
    out.push(
      `idle RSS     whole process, both channels started, ${IDLE_S} s idle: before any traffic ${rss(idleBefore)}; ` +
        `after the load ${rss(idleAfter)}; at start of the bench, before anything was built, ${mb(rssAtStart)}; ` +
        (gc ? 'each after a full GC (--expose-gc)' : 'no forced GC (run with --expose-gc for that)'),
    );
    out.push(
      '             (run under tsx, which compiles TypeScript in-process; the same process also holds the fake ' +
        'Bot API server and fake socket, both small); RSS − heap − external is native memory the allocator keeps',
    );
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    progress('cleaning up');
    await cleanups.run();
  }
}

runBench(kit, main);
