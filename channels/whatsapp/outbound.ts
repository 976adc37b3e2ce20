import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Outbound pacing and retries. WhatsApp bans numbers that blast messages, so sends from one account leave
 * one at a time with a minimum gap; a send that fails for a passing reason is tried again later.
 */

export type Sleep = (ms: number) => Promise<unknown>;

export interface Pacer {
  /** Runs `fn` after every earlier one, and not sooner than the gap after the previous one finished. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export function createPacer(minGapMs: number, wait: Sleep = sleep, now: () => number = Date.now): Pacer {
  let tail: Promise<unknown> = Promise.resolve();
  let lastAt = Number.NEGATIVE_INFINITY;
  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(async () => {
        const gap = lastAt + minGapMs - now();
        if (gap > 0) await wait(gap);
        try {
          return await fn();
        } finally {
          lastAt = now();
        }
      });
      tail = result.catch(() => {});
      return result;
    },
  };
}

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
}

/** Tries `fn` up to `attempts` times, doubling the pause each time. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  wait: Sleep = sleep,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= policy.attempts) throw err;
      await wait(policy.baseMs * 2 ** (attempt - 1));
    }
  }
}

/**
 * A WhatsApp message id derived from the reply's dedup key, in the shape Baileys generates ("3EB0" + 18
 * hex): a retry of the same reply carries the same id, which WhatsApp clients show once.
 */
export function messageIdFor(account: string, dedupKey: string): string {
  return `3EB0${createHash('sha256').update(`${account}\n${dedupKey}`).digest('hex').slice(0, 18).toUpperCase()}`;
}
