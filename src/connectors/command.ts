import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import cliProgress, { type SingleBar } from 'cli-progress';
import type { Config } from '../config.ts';
import type { Db } from '../db/types.ts';
import type { StreamCounts } from '../domain/connections/repo.ts';
import type { Ctx } from '../domain/context.ts';
import { DomainError } from '../domain/errors.ts';
import { ensureOwner } from '../domain/tenants.ts';
import type { Logger } from '../log.ts';
import { count, isTerminal } from '../terminal.ts';
import { keyringFor, rotateKeys, runtimeFromConfig } from './keys.ts';
import { createConnectorService } from './service.ts';
import { runSync } from './sync-engine.ts';
import { createVault } from './vault.ts';

/**
 * `axon connectors`, `axon connect <id>` and `axon sync <id>` for the local owner (CONSOLE_PHONE, as
 * `axon chat`): the catalog, connecting with prompts (secrets typed unseen), and a sync run here with its
 * progress per stream.
 */

export const CONNECTORS_USAGE = `Usage:
  axon connectors          the systems you can connect, with their state and records
  axon connect <id>        connect one (asks for what it needs; secrets are not shown as you type)
  axon sync <id> [--reset] sync it now, from the start with --reset
  axon import bank <file>  import a bank statement (CSV or Excel) into your bank transactions
  axon keys rotate         re-wrap every connection's key under CONNECTOR_MASTER_KEY (safe to re-run)`;

export interface CommandIo {
  config: Config;
  db: Db;
  logger: Logger;
  input: NodeJS.ReadableStream;
  out: NodeJS.WritableStream;
}

interface JsonSchema {
  properties?: Record<
    string,
    { description?: string; writeOnly?: boolean; readOnly?: boolean; default?: unknown; enum?: unknown[] }
  >;
  required?: string[];
}

/** Asks for each field of a schema; a writeOnly one is read without echo on a terminal. */
async function ask(schema: JsonSchema, io: CommandIo): Promise<Record<string, unknown>> {
  const tty = isTerminal(io.input);
  let muted = false;
  const echo = new Writable({
    write(chunk, _enc, done) {
      if (!muted) io.out.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: io.input, output: echo, terminal: tty });
  const lines = tty ? undefined : rl[Symbol.asyncIterator]();
  const answers: Record<string, unknown> = {};
  try {
    for (const [name, field] of Object.entries(schema.properties ?? {})) {
      // What AxonBOS keeps itself (a refreshed token) is never asked for.
      if (field.readOnly) continue;
      const required = schema.required?.includes(name) ?? false;
      const hint = field.enum ? ` (${field.enum.join(', ')})` : required ? '' : ' (optional, Enter to skip)';
      const question = `${field.description ?? name}${hint}: `;
      let answer: string;
      if (lines) {
        io.out.write(question);
        answer = String((await lines.next()).value ?? '');
        io.out.write(field.writeOnly ? '\n' : `${answer}\n`);
      } else {
        const pending = rl.question(question);
        muted = field.writeOnly === true;
        answer = await pending;
        if (muted) io.out.write('\n');
        muted = false;
      }
      if (answer.trim() !== '') answers[name] = answer.trim();
    }
  } finally {
    rl.close();
  }
  return answers;
}

/** A bar per stream on a terminal, a line per stream otherwise. */
function syncReporter(out: NodeJS.WritableStream) {
  const tty = isTerminal(out);
  const bars = new cliProgress.MultiBar(
    { format: '{stream} {value} records, {pages} pages', stream: out, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const seen = new Map<string, { bar?: SingleBar; records: number; pages: number }>();
  return {
    page(stream: string, c: StreamCounts) {
      const s = seen.get(stream) ?? { records: 0, pages: 0 };
      s.records += c.added + c.updated;
      s.pages += c.pages;
      if (tty) {
        s.bar ??= bars.create(0, 0, { stream: stream.padEnd(14), pages: 0 });
        s.bar.setTotal(s.records);
        s.bar.update(s.records, { pages: s.pages });
      }
      seen.set(stream, s);
    },
    stop() {
      if (tty) bars.stop();
      else
        for (const [stream, s] of seen)
          out.write(`${stream}: ${count(s.records)} records new or changed, ${count(s.pages)} pages\n`);
    },
  };
}

export async function connectorsCommand(command: string, argv: string[], io: CommandIo): Promise<number> {
  const { config, db, out } = io;
  const runtime = await runtimeFromConfig(config, db, io.logger);
  const service = createConnectorService(runtime, {
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
  });
  const owner = await ensureOwner(db, config.CONSOLE_PHONE, config.DEFAULT_TIMEZONE);
  const ctx: Ctx = {
    tenantId: owner.tenantId,
    userId: owner.userId,
    actor: 'user',
    via: 'console',
    timezone: owner.timezone,
  };
  const [id] = argv;

  async function syncNow(runId: string): Promise<number> {
    const report = syncReporter(out);
    const run = await runSync(runtime, runId, { onPage: report.page }).finally(() => report.stop());
    if (run?.status === 'succeeded') {
      out.write('Synced ✅\n');
      return 0;
    }
    out.write(`The sync did not finish: ${run?.error ?? 'another process is running it'}.\n`);
    return 1;
  }

  try {
    if (command === 'connectors') {
      for (const c of await service.catalog(ctx, {})) {
        const records = Object.entries(c.records).map(([o, n]) => `${count(n ?? 0)} ${o.replace('_', ' ')}`);
        out.write(
          `${c.id.padEnd(14)} ${c.name.padEnd(14)} ${c.category.padEnd(11)} ${c.status.padEnd(12)}` +
            `${records.length ? ` ${records.join(', ')}` : ''}${c.error ? `  (${c.error})` : ''}\n`,
        );
      }
      return 0;
    }
    if (!id) {
      out.write(`${CONNECTORS_USAGE}\n`);
      return 2;
    }
    if (command === 'connect') {
      const detail = await service.describe(ctx, id);
      out.write(`${detail.name}: ${detail.setup}\n`);
      const config_ = await ask(detail.config_schema as JsonSchema, io);
      const credentials = await ask(detail.credentials_schema as JsonSchema, io);
      const { run, bridge } = await service.connect(ctx, id, { config: config_, credentials });
      if (bridge) {
        out.write(
          `Connected to ${detail.name}. On the PC where it runs, run this (the token is shown only now):\n\n  ${bridge.command}\n\n`,
        );
      } else if (!run) {
        out.write(`Connected to ${detail.name}.\n`);
      }
      if (!run) return 0;
      out.write(`Connected to ${detail.name}. Syncing now…\n`);
      return syncNow(run.id);
    }
    if (command === 'import') {
      if (id !== 'bank' || !argv[1]) {
        out.write(`${CONNECTORS_USAGE}\n`);
        return 2;
      }
      return await importFile(service, ctx, argv[1], out);
    }
    if (command === 'sync') {
      const { run } = await service.requestSync(ctx, id, { reset: argv.includes('--reset') });
      return syncNow(run.id);
    }
    out.write(`${CONNECTORS_USAGE}\n`);
    return 2;
  } catch (err) {
    if (err instanceof DomainError) {
      out.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** `axon import bank <file>`: the statement into the local owner's business, with a bar for a long one. */
async function importFile(
  service: ReturnType<typeof createConnectorService>,
  ctx: Ctx,
  file: string,
  out: NodeJS.WritableStream,
): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    out.write(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.\n`);
    return 1;
  }
  const tty = isTerminal(out);
  const bar = new cliProgress.SingleBar(
    { format: 'Importing [{bar}] {value}/{total} lines', stream: out, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const result = await service
    .importStatement(ctx, bytes, (done, total) => {
      if (!tty) return;
      if (!started) bar.start(total, done);
      started = true;
      bar.update(done);
    })
    .finally(() => started && bar.stop());
  out.write(
    `Imported ${count(result.lines)} lines (${result.from ?? '–'} to ${result.to ?? '–'}): ${count(result.added)} new, ` +
      `${count(result.unchanged)} already there${result.reconciled ? `, ${count(result.reconciled)} matched to Razorpay settlements` : ''}.\n`,
  );
  return 0;
}

/** `axon keys rotate`: every business's connections, not only the local owner's. */
export async function keysCommand(argv: string[], io: CommandIo): Promise<number> {
  if (argv[0] !== 'rotate') {
    io.out.write(`${CONNECTORS_USAGE}\n`);
    return argv[0] === undefined || argv[0] === 'help' ? 0 : 2;
  }
  const vault = createVault(await keyringFor(io.config, io.db));
  const tty = isTerminal(io.out);
  const bar = new cliProgress.SingleBar(
    { format: 'Re-wrapping [{bar}] {value}/{total} connections', stream: io.out, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const result = await rotateKeys(io.db, vault, (p) => {
    if (!tty) return;
    if (!started) bar.start(p.total, p.done);
    started = true;
    bar.update(p.done);
  }).finally(() => started && bar.stop());
  io.out.write(
    `Re-wrapped ${count(result.rewrapped)} connection keys under master key version ${vault.currentVersion}.\n`,
  );
  if (result.unreadable.length > 0) {
    io.out.write(
      `${count(result.unreadable.length)} could not be opened with any configured key (add the old key to ` +
        `CONNECTOR_MASTER_KEYS_RETIRED and run this again): ${result.unreadable.join(', ')}\n`,
    );
    return 1;
  }
  return 0;
}
