/**
 * What every bench shares: env knobs, the fresh database (created on BENCH_DATABASE_URL or
 * TEST_DATABASE_URL and dropped at the end, Ctrl-C included; else in-memory PGlite), cleanup on exit, and
 * the figures' arithmetic and layout. Nothing here measures anything.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';

export interface BenchKit {
  /** `bench:<name>`, for messages. */
  readonly label: string;
  /** A progress line on stderr (stdout carries only the figures). */
  progress(msg: string): void;
  /** An integer knob ≥ min; a bad value exits 2 with a message. */
  intEnv(name: string, fallback: number, min: number, max?: number): number;
  /** A knob that is on unless set to 0/false/no (on = true) or off unless set to 1/true/yes (on = false). */
  flagEnv(name: string, fallback: boolean): boolean;
  /** A comma-separated list of integers in [min, max], like "1,10,50". */
  listEnv(name: string, fallback: string, min: number, max: number): number[];
}

export function benchKit(name: string): BenchKit {
  const label = `bench:${name}`;
  const bad = (msg: string): never => {
    process.stderr.write(`${label}: ${msg}\n`);
    process.exit(2);
  };
  return {
    label,
    progress: (msg) => process.stderr.write(`[${label}] ${msg}\n`),
    intEnv(envName, fallback, min, max = Number.MAX_SAFE_INTEGER) {
      const raw = process.env[envName];
      if (raw === undefined || raw === '') return fallback;
      const n = Number(raw);
      if (Number.isInteger(n) && n >= min && n <= max) return n;
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `${min}–${max}`;
      return bad(`${envName} must be an integer ${range}, got ${JSON.stringify(raw)}`);
    },
    flagEnv(envName, fallback) {
      const raw = (process.env[envName] ?? '').toLowerCase();
      if (raw === '') return fallback;
      if (['1', 'true', 'yes'].includes(raw)) return true;
      if (['0', 'false', 'no'].includes(raw)) return false;
      return bad(`${envName} must be 1/true/yes or 0/false/no, got ${JSON.stringify(raw)}`);
    },
    listEnv(envName, fallback, min, max) {
      const raw = process.env[envName] || fallback;
      const xs = raw.split(',').map((s) => Number(s.trim()));
      if (xs.length > 0 && xs.every((n) => Number.isInteger(n) && n >= min && n <= max)) return xs;
      return bad(`${envName} must be integers ${min}–${max} like "${fallback}", got "${raw}"`);
    },
  };
}

/** Runs a bench's main; a failure is printed with its stack and makes the exit code 1. */
export function runBench(kit: BenchKit, main: () => Promise<void>): void {
  main().catch((err) => {
    process.stderr.write(
      `${kit.label} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  });
}

// ---------------------------------------------------------------------------------------------------
// The database: a fresh Postgres database (dropped at the end) or in-memory PGlite.

export interface BenchDatabase {
  /** What to pass to loadConfig / openDatabase. */
  settings: { DATABASE_URL?: string; DATA_DIR: string };
  kind: 'postgres' | 'pglite';
  describe: string;
  /** Drops the database (once; later calls do nothing). */
  drop(): Promise<void>;
}

export async function freshDatabase(kit: BenchKit): Promise<BenchDatabase> {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    kit.progress('NOTE: neither BENCH_DATABASE_URL nor TEST_DATABASE_URL is set; using in-memory PGlite.');
    kit.progress(
      '      PGlite is one connection inside this process, so its figures say little about Postgres.',
    );
    return {
      settings: { DATA_DIR: 'memory://' },
      kind: 'pglite',
      describe: 'in-memory PGlite (no BENCH_DATABASE_URL / TEST_DATABASE_URL set; not the target setup)',
      drop: async () => {},
    };
  }
  const database = await postgresDatabase(adminUrl);
  return {
    settings: { DATABASE_URL: database.url, DATA_DIR: '' },
    kind: 'postgres',
    describe: `Postgres, fresh database ${database.name} (dropped at the end)`,
    drop: database.drop,
  };
}

/** A new database on the server `adminUrl` names, and how to drop it (once; later calls do nothing). */
export async function postgresDatabase(
  adminUrl: string,
): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `axon_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface Cleanup {
  /** Runs at cleanup, last added first. */
  add(fn: () => Promise<unknown> | unknown): void;
  /** Runs every cleanup (errors are reported, not thrown), then drops the database. */
  run(): Promise<void>;
}

/**
 * Cleanups that also run on SIGINT and SIGTERM (then exit 130), so an interrupted bench still drops its
 * database. `onSignal` runs first, e.g. to stop the load loops.
 */
export function cleanupOnExit(kit: BenchKit, database: BenchDatabase, onSignal?: () => void): Cleanup {
  const fns: (() => Promise<unknown> | unknown)[] = [];
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= (async () => {
      for (const fn of fns.reverse()) {
        try {
          await fn();
        } catch (err) {
          kit.progress(`cleanup: ${String(err)}`);
        }
      }
      fns.length = 0;
      await database.drop().catch((err) => kit.progress(`could not drop the bench database: ${String(err)}`));
    })();
    return running;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      kit.progress(`${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; cleaning up`);
      onSignal?.();
      void run().finally(() => process.exit(130));
    });
  }
  return { add: (fn) => void fns.push(fn), run };
}

// ---------------------------------------------------------------------------------------------------
// Figures.

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–';

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Nearest-rank percentile (the input need not be sorted); NaN when empty. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

/** A latency row's shared cells: how many, per second over `wallMs`, then p50, p95, p99 and max in ms. */
export function latencyCells(ms: number[], wallMs: number): string[] {
  return [
    fmt(ms.length),
    fmt(ms.length / (wallMs / 1000), 1),
    fmt(percentile(ms, 50), 1),
    fmt(percentile(ms, 95), 1),
    fmt(percentile(ms, 99), 1),
    fmt(Math.max(...ms), 1),
  ];
}

/** Rows of cells: the first column left-aligned, the rest right-aligned, to the given widths. */
export function table(widths: number[], rows: string[][]): string[] {
  return rows.map((cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[0] ?? 8) : c.padStart(widths[i] ?? 8))).join(' '),
  );
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** "met" / "NOT met", with a caveat when the run was not on the target setup. */
export const verdict = (met: boolean, kind: BenchDatabase['kind']) =>
  `${met ? 'met' : 'NOT met'}${kind === 'pglite' ? ' (but this is PGlite, not the target setup)' : ''}`;

/** "Node v20…, 2 CPU(s), load average 1.2 / 0.9 / 0.7 at start": the machine is shared, so say how busy it was. */
export const machine = () =>
  `Node ${process.version}, ${availableParallelism()} CPU(s), load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} (1/5/15 min) at the end`;
