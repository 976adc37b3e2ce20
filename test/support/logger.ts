import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

/** A real pino logger whose entries a test can read: to show that a failure was logged, and with what. */
export interface CapturingLogger {
  logger: Logger;
  entries: Record<string, unknown>[];
  /** Entries at warn or above whose fields mention `text` (an id, a zone). */
  problemsMentioning(text: string): Record<string, unknown>[];
  /** The first entry from now on that matches: a test waits for the log line, not for a clock. */
  next(matches: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

export function capturingLogger(): CapturingLogger {
  const entries: Record<string, unknown>[] = [];
  const waiters = new Set<{
    matches: (e: Record<string, unknown>) => boolean;
    resolve: (e: Record<string, unknown>) => void;
  }>();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        const entry = JSON.parse(line);
        entries.push(entry);
        for (const w of waiters) {
          if (!w.matches(entry)) continue;
          waiters.delete(w);
          w.resolve(entry);
        }
      }
      done();
    },
  });
  return {
    logger: pino({ level: 'info' }, sink),
    entries,
    problemsMentioning: (text) =>
      entries.filter((e) => Number(e.level) >= 40 && JSON.stringify(e).includes(text)),
    next: (matches) => new Promise((resolve) => waiters.add({ matches, resolve })),
  };
}
