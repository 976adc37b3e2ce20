import type { Logger } from '../log.ts';

/**
 * A loop that sleeps until it has work: `run` is called at start, when woken (a NOTIFY, a caller), when the
 * time it answered last comes, and after `backstopMs` at the latest, in case a wake-up was missed. Wakes
 * during a run make one more run after it; a failed run is logged and tried again after a short pause.
 */

export interface Alarm {
  /** Run now (or once more after the run in progress). */
  wake(): void;
  /** Stops waking and waits for the run in progress. */
  stop(): Promise<void>;
}

export interface AlarmOptions {
  name: string;
  logger: Logger;
  /** The longest sleep without a wake-up. */
  backstopMs: number;
}

/** After a failed run; doubles per failure in a row, up to the backstop. */
const FIRST_RETRY_MS = 500;

/** `run` resolves to when it next has work (null: only when woken). */
export function startAlarm(run: () => Promise<Date | null>, opts: AlarmOptions): Alarm {
  let running = true;
  let busy = false;
  let current: Promise<void> = Promise.resolve();
  let again = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const sleep = (ms: number) => {
    clearTimeout(timer);
    if (!running) return;
    timer = setTimeout(wake, Math.max(0, Math.min(ms, opts.backstopMs)));
    timer.unref();
  };

  async function loop(): Promise<void> {
    let next: Date | null = null;
    do {
      again = false;
      try {
        next = await run();
        failures = 0;
      } catch (err) {
        failures++;
        opts.logger.error({ err, alarm: opts.name, failures }, 'scheduled run failed; trying again shortly');
        next = new Date(Date.now() + FIRST_RETRY_MS * 2 ** Math.min(failures - 1, 10));
      }
    } while (again && running);
    busy = false;
    // +1 ms: a due time carries microseconds that a JS date drops.
    sleep(next && Number.isFinite(next.getTime()) ? next.getTime() - Date.now() + 1 : opts.backstopMs);
  }

  function wake(): void {
    if (!running) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    clearTimeout(timer);
    current = loop();
  }

  wake();
  return {
    wake,
    async stop() {
      running = false;
      clearTimeout(timer);
      await current;
    },
  };
}
