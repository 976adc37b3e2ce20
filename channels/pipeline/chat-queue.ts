/**
 * Runs work per chat, one run at a time per chat, after a short debounce so a burst of messages is one run.
 * An entry lives only while its chat has a run pending or going: memory follows activity, not uptime.
 */

interface Entry {
  timer: NodeJS.Timeout | null;
  running: Promise<unknown> | null;
  /** Work arrived while a run was going: run again when it ends. */
  again: boolean;
}

export interface ChatQueue {
  /** Asks for a run of this chat after `delayMs` (an earlier request wins; a running chat runs again). */
  schedule(key: string, delayMs: number): void;
  /** Chats with a run pending or going. */
  readonly size: number;
  /** Resolves when no chat has a run pending or going. */
  idle(): Promise<void>;
  /** Cancels pending runs and waits for the running ones. */
  drain(): Promise<void>;
}

/** `run` resolves to a delay when the chat must be tried again later (its lease is taken, a send failed). */
export function createChatQueue(run: (key: string) => Promise<number | undefined>): ChatQueue {
  const entries = new Map<string, Entry>();
  let idleWaiters: (() => void)[] = [];
  let closed = false;

  function settle(key: string, entry: Entry): void {
    if (entry.running || entry.timer) return;
    entries.delete(key);
    if (entries.size === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  function start(key: string, entry: Entry): void {
    entry.timer = null;
    entry.again = false;
    const done = (retryAfterMs: number | undefined) => {
      entry.running = null;
      if (closed) return settle(key, entry);
      if (retryAfterMs !== undefined) entry.timer = setTimeout(() => start(key, entry), retryAfterMs);
      else if (entry.again) return start(key, entry);
      settle(key, entry);
    };
    entry.running = run(key).then(done, () => done(undefined));
  }

  return {
    schedule(key, delayMs) {
      if (closed) return;
      let entry = entries.get(key);
      if (!entry) {
        entry = { timer: null, running: null, again: false };
        entries.set(key, entry);
      }
      if (entry.running) {
        entry.again = true;
        return;
      }
      if (entry.timer) return;
      const e = entry;
      e.timer = setTimeout(() => start(key, e), delayMs);
    },
    get size() {
      return entries.size;
    },
    idle() {
      if (entries.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async drain() {
      closed = true;
      const running: Promise<unknown>[] = [];
      for (const [key, entry] of entries) {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = null;
        entry.again = false;
        if (entry.running) running.push(entry.running);
        else settle(key, entry);
      }
      await Promise.all(running);
    },
  };
}
