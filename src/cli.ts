import { pathToFileURL } from 'node:url';
import { runConsoleChat } from '../channels/console/console-chat.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/index.ts';
import { ensureOwner } from './domain/tenants.ts';
import { createRuntime, runServer } from './main.ts';

const USAGE = `Usage: axon <command>

  serve      run the API (and channels), as npm start does
  chat       chat with your Digital Employee in this terminal, as the local owner
  migrate    apply database migrations and exit
  whatsapp   link a WhatsApp number (login, login --pairing-code <phone>) or show its status
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
  const db = await openDatabase(loadConfig());
  await db.close();
  process.stdout.write('Migrations applied.\n');
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
