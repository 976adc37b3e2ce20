import { type Logger, pino } from 'pino';

export type { Logger };

/** JSON logs to stdout; request logs carry the request id (see api/app.ts). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'axonbos' },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
  });
}
