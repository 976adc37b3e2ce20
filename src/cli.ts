import { pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import { runConsoleChat } from '../channels/console/console-chat.ts';
import { chooseEmbedder } from './agent/embeddings.ts';
import { type Config, ConfigError, loadConfig, residencyOf } from './config.ts';
import { type CommandIo, connectorsCommand, keysCommand } from './connectors/command.ts';
import type { Connector } from './connectors/types.ts';
import { openDatabase } from './db/index.ts';
import { embedderState, type ReembedProgress, reembed } from './domain/memory/index-state.ts';
import { residentFetch } from './domain/net/residency.ts';
import { ensureOwner } from './domain/tenants.ts';
import { createLogger } from './log.ts';
import { createRuntime, runServer } from './main.ts';
import { count, isTerminal } from './terminal.ts';

const USAGE = `Usage: axon <command>

  serve      run the API (and channels), as npm start does
  chat       chat with your Digital Employee in this terminal, as the local owner
  migrate    apply database migrations and exit
  whatsapp   link a WhatsApp number (login, login --pairing-code <phone>) or show its status
  memory     long-term memory: status, or reembed after changing the embedder
  connectors the systems you can connect, with their state
  connect    connect one: axon connect razorpay
  sync       sync one now: axon sync razorpay [--reset]
  import     import a bank statement: axon import bank statement.csv
  keys       axon keys rotate: re-wrap connection keys under a new CONNECTOR_MASTER_KEY
  tally-bridge  on the PC with Tally: sync it to AxonBOS (axon tally-bridge --help)
  help       this text

Settings come from the environment; see README.md.`;

async function chat(): Promise<void> {
  // The console is one person at a keyboard: keep the log quiet unless asked.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const runtime = await createRuntime(config);
  try {
    const principal = await ensureOwner(runtime.db, config.CONSOLE_PHONE, config.DEFAULT_TIMEZONE);
    await runConsoleChat({
      runTurn: runtime.runTurn,
      principal,
      input: process.stdin,
      output: process.stdout,
      modelName: runtime.modelName,
    });
  } finally {
    await runtime.close();
  }
}

async function migrateOnly(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config, createLogger(config.LOG_LEVEL));
  await db.close();
  process.stdout.write('Migrations applied.\n');
}

export const MEMORY_USAGE = `Usage: axon memory <command>

  status     how many memories there are, the embedder they are built with, and the configured one
  reembed    re-embed every memory with the configured embedder (EMBEDDINGS_*); safe to re-run after a crash`;

const PHASES: Record<ReembedProgress['phase'], string> = {
  embedding: 'Embedding',
  indexing: 'Building the index',
  swapping: 'Switching over',
  done: 'Done',
};

/** A progress bar on a terminal; one line per phase otherwise (logs, pipes). */
function reembedReporter(out: NodeJS.WritableStream) {
  const tty = isTerminal(out);
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {value}/{total} memories', stream: out, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let phase: ReembedProgress['phase'] | null = null;
  return {
    report(p: ReembedProgress) {
      if (tty) {
        if (phase === null) bar.start(p.total, p.done, { phase: PHASES[p.phase] });
        bar.setTotal(p.total);
        bar.update(p.done, { phase: PHASES[p.phase] });
      } else if (p.phase !== phase) {
        out.write(`${PHASES[p.phase]}: ${count(p.done)} of ${count(p.total)} memories\n`);
      }
      phase = p.phase;
    },
    stop: () => tty && phase !== null && bar.stop(),
  };
}

/** `axon memory status` and `axon memory reembed`, against the database and embedder the settings name. */
export async function memoryCommand(
  argv: string[],
  io: { config: Config; out: NodeJS.WritableStream },
): Promise<number> {
  const [sub] = argv;
  const { config, out } = io;
  if (sub !== 'status' && sub !== 'reembed') {
    out.write(`${MEMORY_USAGE}\n`);
    return sub === undefined || sub === 'help' ? 0 : 2;
  }
  const db = await openDatabase(config, createLogger(config.LOG_LEVEL));
  try {
    const embedder = await chooseEmbedder({
      ...config,
      fetch: residentFetch(residencyOf(config), 'memories to the embeddings endpoint'),
    });
    const configured = `${embedder.id} (${embedder.dimension} dimensions)`;
    if (sub === 'status') {
      const state = await embedderState(db);
      const recorded = state.recorded
        ? `${state.recorded.id} (${state.recorded.dimension} dimensions)`
        : null;
      out.write(`Memories: ${count(state.memories)}, embedded with ${recorded ?? 'no recorded embedder'}.\n`);
      out.write(`Configured embedder: ${configured}.\n`);
      if (state.reembedding) {
        out.write(
          `A re-embedding to ${state.reembedding.id} is half done (${count(state.reembedding.done)} of ` +
            `${count(state.memories)}). Run: npx axon memory reembed\n`,
        );
      } else if (recorded && recorded !== configured) {
        out.write('They differ: AxonBOS will not start until you run: npx axon memory reembed\n');
      }
      return 0;
    }
    const progress = reembedReporter(out);
    try {
      const result = await reembed(db, embedder, { onProgress: progress.report });
      progress.stop();
      out.write(
        result.alreadyCurrent
          ? `Nothing to do: memories are already embedded with ${configured}.\n`
          : `Re-embedded ${count(result.reembedded)} memories with ${configured}` +
              `${result.resumed ? ', carrying on from the last run' : ''} ✅\n`,
      );
    } catch (err) {
      progress.stop();
      throw new Error(
        `Re-embedding stopped: ${err instanceof Error ? err.message : String(err)}. What is done is kept; ` +
          'run the same command again to carry on.',
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}

/** A connectors command against the database the settings name, with this terminal. */
async function withDatabase(run: (io: CommandIo) => Promise<number>): Promise<number> {
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDatabase(config, logger);
  try {
    return await run({ config, db, logger, input: process.stdin, out: process.stdout });
  } finally {
    await db.close();
  }
}

export async function cli(argv: string[]): Promise<number> {
  const [command = 'help'] = argv;
  try {
    switch (command) {
      case 'serve':
        await runServer();
        return 0;
      case 'chat':
        await chat();
        return 0;
      case 'migrate':
        await migrateOnly();
        return 0;
      case 'whatsapp':
        // Loaded on demand: Baileys is heavy and only this command needs it.
        return (await import('../channels/whatsapp/command.ts')).whatsappCommand(
          argv.slice(1),
          process.stdout,
        );
      case 'memory':
        return await memoryCommand(argv.slice(1), {
          config: loadConfig({ LOG_LEVEL: 'warn', ...process.env }),
          out: process.stdout,
        });
      case 'connectors':
      case 'connect':
      case 'sync':
      case 'import':
        return await withDatabase((io) => connectorsCommand(command, argv.slice(1), io));
      case 'tally-bridge': {
        // On the owner's PC: no database, no settings; Ctrl+C stops it between requests.
        const stop = new AbortController();
        process.once('SIGINT', () => stop.abort());
        const { bridgeCommand, bridgeUsage } = await import('./connectors/bridge-client.ts');
        const { tally } = await import('./connectors/tally/index.ts');
        if (argv.includes('--help')) {
          process.stdout.write(`${bridgeUsage('tally', tally.manifest.baseUrl)}\n`);
          return 0;
        }
        return await bridgeCommand(tally as unknown as Connector, argv.slice(1), process.stdout, stop.signal);
      }
      case 'keys':
        return await withDatabase((io) => keysCommand(argv.slice(1), io));
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      default:
        process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    process.stderr.write(
      `${err instanceof ConfigError ? '' : 'axon: '}${err instanceof Error ? err.message : String(err)}\n`,
    );
    return err instanceof ConfigError ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli(process.argv.slice(2)).then((code) => {
    if (code !== 0 || process.argv[2] !== 'serve') process.exit(code);
  });
}
