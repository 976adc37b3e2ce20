/**
 * `npm run bench:footprint`: what a served AxonBOS process costs the machine when nothing happens, and
 * whether traffic leaves it bigger (issue 11). The real server runs as a child process, as a deployment
 * runs it and `npm start` runs it: `node dist/src/main.js` (built first with `npm run build`), and on the
 * embedded database also the sources through tsx (`node --import tsx src/main.ts`, as `npm run dev`). Its memory and CPU are read from
 * /proc/<pid>/status (VmRSS, VmHWM) and /proc/<pid>/stat (utime + stime), never from inside.
 *
 * Per database (Postgres when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, a fresh database dropped at
 * the end; the embedded PGlite always, in a new temporary data directory):
 *  1. idle: a fresh server, no channel, no traffic. Peak RSS while starting (VmHWM once settled), idle RSS
 *     after BENCH_SETTLE_S, then idle CPU over BENCH_CPU_S as % of one core. On PGlite the first start
 *     creates the data directory; a restart on it, compiled and from the sources, is measured too.
 *  2. soak: a server with Telegram on (real grammY long polling against the local fake Bot API server,
 *     test/fakes/telegram-bot-api.ts) and the offline model. BENCH_CHATS business owners, each linked by
 *     sharing their contact, then BENCH_SOAK_MESSAGES messages through the whole channel pipeline, each chat
 *     sending its next message when its reply arrives. RSS idle before and after the soak, each read after
 *     a full garbage collection (the server is started with --expose-gc and bench/footprint/probe.mjs,
 *     which collects on request over the IPC channel). BENCH_HEAP_SNAPSHOT_DIR: heap snapshots there too.
 *
 * Targets: idle RSS ≤ 150 MB compiled on Postgres and ≤ 350 MB on the embedded database; idle CPU ≤ 2 % of a
 * core on each; after the soak, idle RSS at most 20 % above idle before it. Knobs: BENCH_SETTLE_S (30),
 * BENCH_CPU_S (30), BENCH_SOAK_MESSAGES (5000), BENCH_CHATS (50), BENCH_BUILD (1: run `npm run build`
 * first), BENCH_PGLITE (1: measure the embedded database too), BENCH_NODE_OPTIONS (NODE_OPTIONS for the
 * server, to try V8 flags). About 8–12 minutes, longer on a busy machine. Only 127.0.0.1 traffic. The
 * machine is shared: its load is printed with each CPU figure. Prints figures only; it never fails on a
 * target.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { openDatabase } from '../../src/db/index.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { createLogger } from '../../src/log.ts';
import { type FakeTelegram, startFakeTelegram } from '../../test/fakes/telegram-bot-api.ts';
import { benchKit, fmt, machine, postgresDatabase, runBench, table } from '../support.ts';

const kit = benchKit('footprint');
const { progress } = kit;

const SETTLE_S = kit.intEnv('BENCH_SETTLE_S', 30, 1);
const CPU_S = kit.intEnv('BENCH_CPU_S', 30, 5);
const SOAK_MESSAGES = kit.intEnv('BENCH_SOAK_MESSAGES', 5000, 0);
const CHATS = kit.intEnv('BENCH_CHATS', 50, 1, 1000);
const BUILD = kit.flagEnv('BENCH_BUILD', true);
const EMBEDDED = kit.flagEnv('BENCH_PGLITE', true);

const MB = 1024 * 1024;
const TARGET = {
  idleRssMb: { postgres: 150, pglite: 350 },
  idleCpuPct: 2,
  soakGrowthPct: 20,
} as const;
/** A message without a reply after this long counts as lost, and its chat moves on. */
const REPLY_TIMEOUT_MS = 30_000;
const ROOT = new URL('../../', import.meta.url).pathname;
const PROBE = new URL('./probe.mjs', import.meta.url).pathname;
const COMPILED = ['dist/src/main.js'];
/** `npm run dev`'s way, the sources through tsx: for comparison. */
const FROM_SOURCES = ['--import', 'tsx', 'src/main.ts'];

type Kind = 'postgres' | 'pglite';

// ---------------------------------------------------------------------------------------------------
// The measured process, from the outside.

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface Proc {
  rss: number;
  peak: number;
  /** User + system CPU time so far, in clock ticks. */
  ticks: number;
}

function readProc(pid: number): Proc {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  // Fields after the command name, which may itself hold spaces and parentheses.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rss: kb('VmRSS'), peak: kb('VmHWM'), ticks: Number(fields[11]) + Number(fields[12]) };
}

const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')}`;

interface Server {
  pid: number;
  /** With the probe preloaded: collects garbage in the server and answers with its memoryUsage(). */
  probe(what?: 'gc' | 'snapshot'): Promise<{ memory: NodeJS.MemoryUsage; snapshot?: string }>;
  stop(): Promise<void>;
}

/** Servers running now, stopped by the cleanup if the bench is interrupted. */
const running = new Set<ChildProcess>();

async function startServer(
  args: string[],
  env: Record<string, string>,
  opts: { probe?: boolean } = {},
): Promise<Server> {
  const nodeArgs = opts.probe ? ['--expose-gc', '--import', PROBE, ...args] : args;
  const child: ChildProcess = spawn(process.execPath, nodeArgs, {
    cwd: ROOT,
    // Only what the server should see: never the bench's own DATABASE_URL or settings.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      JWT_SECRET: randomBytes(32).toString('hex'),
      ...env,
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe', ...(opts.probe ? (['ipc'] as const) : [])],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      if (line.includes('AxonBOS is serving')) resolve();
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}) before serving:\n${stderr}`)));
  });
  const pid = child.pid as number;
  return {
    pid,
    probe(what = 'gc') {
      return new Promise((resolve) => {
        child.once('message', (m) => resolve(m as { memory: NodeJS.MemoryUsage; snapshot?: string }));
        child.send(what);
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0 && code !== null) progress(`server ${pid} exited with ${code}: ${stderr.slice(-500)}`);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Idle: a server with nothing to do.

interface Idle {
  label: string;
  kind: Kind;
  peak: number;
  rss: number;
  cpuPct?: number;
  cpuLoad?: string;
}

async function measureIdle(
  label: string,
  kind: Kind,
  args: string[],
  env: Record<string, string>,
  withCpu: boolean,
): Promise<Idle> {
  progress(`${label}: starting, then ${SETTLE_S} s idle${withCpu ? ` and ${CPU_S} s of CPU` : ''}`);
  const server = await startServer(args, env);
  try {
    await delay(SETTLE_S * 1000);
    const settled = readProc(server.pid);
    const idle: Idle = { label, kind, peak: settled.peak, rss: settled.rss };
    if (withCpu) {
      const before = readProc(server.pid).ticks;
      await delay(CPU_S * 1000);
      const ticks = readProc(server.pid).ticks - before;
      idle.cpuPct = (100 * ticks) / CLK_TCK / CPU_S;
      idle.cpuLoad = load();
    }
    return idle;
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------------
// Soak: messages through the real channel pipeline.

const NAMES = ['Ramesh', 'Suresh', 'Sharma ji', 'ABC Traders', 'Gupta Electricals', 'Verma ji'];
const MIX = [
  'remind me to call {name} tomorrow at 5pm',
  'show my tasks',
  "what's my day",
  '{name} wala task ho gaya',
];

interface Soak {
  kind: Kind;
  before: { rss: number; heap: number; external: number };
  after: { rss: number; heap: number; external: number };
  answered: number;
  lost: number;
  seconds: number;
  snapshots: string[];
}

const phoneOf = (i: number) => `+9196${String(10_000_000 + i).slice(-8)}`;
const chatOf = (i: number) => 800_000 + i;

async function seedOwners(settings: Record<string, string>): Promise<void> {
  const db = await openDatabase(
    {
      DATA_DIR: settings.DATA_DIR ?? '',
      DATABASE_URL: settings.DATABASE_URL,
      DATABASE_POOL_SIZE: 2,
    },
    createLogger('warn'),
  );
  try {
    for (let i = 0; i < CHATS; i++) await ensureOwner(db, phoneOf(i), 'Asia/Kolkata');
  } finally {
    await db.close();
  }
}

/** Replies by chat, as the fake Bot API receives them. */
function repliesByChat(telegram: FakeTelegram): { next(chat: number): Promise<boolean>; close(): void } {
  const waiting = new Map<string, () => void>();
  let seen = telegram.sent.length;
  let closed = false;
  void (async () => {
    while (!closed) {
      await telegram.nextSent(1);
      for (; seen < telegram.sent.length; seen++) {
        const chat = telegram.sent[seen]?.chat_id;
        const resolve = chat === undefined ? undefined : waiting.get(String(chat));
        if (resolve) {
          waiting.delete(String(chat));
          resolve();
        }
      }
    }
  })();
  return {
    next: (chat) =>
      Promise.race([
        new Promise<boolean>((resolve) => waiting.set(String(chat), () => resolve(true))),
        delay(REPLY_TIMEOUT_MS).then(() => false),
      ]),
    close: () => {
      closed = true;
    },
  };
}

async function soak(kind: Kind, settings: Record<string, string>): Promise<Soak> {
  progress(`soak on ${kind}: ${CHATS} business owners (ensureOwner)`);
  await seedOwners(settings);
  const telegram = await startFakeTelegram();
  const replies = repliesByChat(telegram);
  const server = await startServer(
    COMPILED,
    {
      ...settings,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      // Each chat's next message waits for its reply anyway; the burst debounce would only slow the soak.
      CHANNEL_DEBOUNCE_MS: '0',
      ...(process.env.BENCH_HEAP_SNAPSHOT_DIR
        ? { BENCH_HEAP_SNAPSHOT_DIR: process.env.BENCH_HEAP_SNAPSHOT_DIR }
        : {}),
    },
    { probe: true },
  );
  const snapshots: string[] = [];
  const measure = async () => {
    const answer = await server.probe(process.env.BENCH_HEAP_SNAPSHOT_DIR ? 'snapshot' : 'gc');
    if (answer.snapshot) snapshots.push(answer.snapshot);
    return { rss: readProc(server.pid).rss, heap: answer.memory.heapUsed, external: answer.memory.external };
  };
  try {
    progress(`soak on ${kind}: Telegram started; ${SETTLE_S} s idle, then RSS after a full GC`);
    await delay(SETTLE_S * 1000);
    const before = await measure();
    progress(`soak on ${kind}: linking each chat (the user shares their contact)`);
    await Promise.all(
      Array.from({ length: CHATS }, async (_, i) => {
        const reply = replies.next(chatOf(i));
        telegram.push({
          chatId: chatOf(i),
          contact: { phone_number: phoneOf(i).slice(1), user_id: chatOf(i) },
        });
        await reply;
      }),
    );
    progress(`soak on ${kind}: ${fmt(SOAK_MESSAGES)} messages, each chat's next when its reply arrives`);
    let sent = 0;
    let answered = 0;
    let lost = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CHATS }, async (_, i) => {
        for (let n = 0; sent < SOAK_MESSAGES; n++) {
          sent++;
          const text = (MIX[n % MIX.length] as string).replace(
            '{name}',
            NAMES[(n + i) % NAMES.length] as string,
          );
          const reply = replies.next(chatOf(i));
          telegram.push({ chatId: chatOf(i), text });
          if (await reply) answered++;
          else lost++;
          if ((answered + lost) % 1000 === 0) progress(`  ${fmt(answered + lost)} of ${fmt(SOAK_MESSAGES)}`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    progress(`soak on ${kind}: done in ${fmt(seconds)} s; ${SETTLE_S} s idle, then RSS after a full GC`);
    await delay(SETTLE_S * 1000);
    const after = await measure();
    return { kind, before, after, answered, lost, seconds, snapshots };
  } finally {
    replies.close();
    await server.stop();
    await telegram.close();
  }
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const loadAtStart = load();
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const cleanup = async () => {
    for (const child of running) child.kill('SIGKILL');
    for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => {});
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
  try {
    if (BUILD) {
      progress('npm run build');
      execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    const idles: Idle[] = [];
    const soaks: Soak[] = [];
    const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
    if (adminUrl) {
      const database = await postgresDatabase(adminUrl);
      cleanups.push(() => database.drop());
      const settings = { DATABASE_URL: database.url };
      idles.push(await measureIdle('Postgres, compiled', 'postgres', COMPILED, settings, true));
      if (SOAK_MESSAGES > 0) soaks.push(await soak('postgres', settings));
    } else {
      progress('NOTE: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL is set; the embedded database only');
    }
    if (EMBEDDED) {
      const dir = mkdtempSync(join(tmpdir(), 'axon-footprint-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const settings = { DATA_DIR: dir };
      idles.push(await measureIdle('PGlite, compiled, new data dir', 'pglite', COMPILED, settings, true));
      idles.push(await measureIdle('PGlite, compiled, restart', 'pglite', COMPILED, settings, false));
      idles.push(
        await measureIdle('PGlite, from sources (tsx), restart', 'pglite', FROM_SOURCES, settings, false),
      );
      if (SOAK_MESSAGES > 0) soaks.push(await soak('pglite', settings));
    }
    const out: string[] = [];
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const mb = (bytes: number) => `${fmt(bytes / MB)} MB`;
    out.push('AxonBOS footprint bench: a served process with no traffic, and after a soak (issue 11)');
    out.push(`machine      ${machine()}; at the start ${loadAtStart}; other engineers share it`);
    out.push(
      'server       a child process: `node dist/src/main.js` (compiled: what npm start runs) or `node --import tsx ' +
        'src/main.ts` (the sources, as npm run dev), default settings, LOG_LEVEL=info, 127.0.0.1; /proc/<pid>',
    );
    out.push(
      `idle         no channel, no traffic; peak = VmHWM after ${SETTLE_S} s (the start's high-water mark), ` +
        `RSS = VmRSS then, CPU = utime + stime over the next ${CPU_S} s as % of one core`,
    );
    out.push('');
    out.push(
      ...table(
        [34, 18, 12, 10, 10, 16, 30],
        [
          [
            'idle',
            'peak starting',
            'RSS',
            'target',
            'RSS is',
            'CPU (target 2 %)',
            'machine during the CPU window',
          ],
          ...idles.map((i) => {
            const target = TARGET.idleRssMb[i.kind];
            return [
              i.label,
              mb(i.peak),
              mb(i.rss),
              `≤ ${target} MB`,
              met(i.rss <= target * MB),
              i.cpuPct === undefined ? '–' : `${fmt(i.cpuPct, 2)} % ${met(i.cpuPct <= TARGET.idleCpuPct)}`,
              i.cpuLoad ?? '',
            ];
          }),
        ],
      ),
    );
    if (soaks.length > 0) {
      out.push('');
      out.push(
        `soak         compiled, Telegram on (grammY long polling against the local fake Bot API), offline model; ` +
          `${CHATS} owners linked by contact, then ${fmt(SOAK_MESSAGES)} messages (${MIX.map((m) => `"${m}"`).join(', ')}), ` +
          `closed loop; RSS after a full GC, ${SETTLE_S} s idle before and after`,
      );
      out.push(
        ...table(
          [10, 16, 16, 10, 18, 18, 16, 12],
          [
            [
              'soak',
              'RSS before',
              'RSS after',
              'growth',
              'target ≤ 20 %',
              'JS heap b → a',
              'external b → a',
              'answered',
            ],
            ...soaks.map((s) => {
              const growth = (100 * (s.after.rss - s.before.rss)) / s.before.rss;
              return [
                s.kind,
                mb(s.before.rss),
                mb(s.after.rss),
                `${fmt(growth, 1)} %`,
                met(growth <= TARGET.soakGrowthPct),
                `${mb(s.before.heap)} → ${mb(s.after.heap)}`,
                `${mb(s.before.external)} → ${mb(s.after.external)}`,
                `${fmt(s.answered)} in ${fmt(s.seconds)} s${s.lost ? `, ${s.lost} lost` : ''}`,
              ];
            }),
          ],
        ),
      );
      const snapshots = soaks.flatMap((s) => s.snapshots);
      if (snapshots.length > 0) out.push(`heap snapshots (before, after): ${snapshots.join(', ')}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    progress('cleaning up');
    await cleanup();
  }
}

runBench(kit, main);
