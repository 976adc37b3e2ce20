import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

/** A real pino logger whose entries a test can read: to show that a failure was logged, and with what. */
export interface CapturingLogger {
  logger: Logger;
  entries: Record<string, unknown>[];
  /** Entries at warn or above whose fields mention `text` (an id, a zone). */
  problemsMentioning(text: string): Record<string, unknown>[];
}

export function capturingLogger(): CapturingLogger {
  const entries: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) entries.push(JSON.parse(line));
      done();
    },
  });
  return {
    logger: pino({ level: 'info' }, sink),
    entries,
    problemsMentioning: (text) =>
      entries.filter((e) => Number(e.level) >= 40 && JSON.stringify(e).includes(text)),
  };
}
