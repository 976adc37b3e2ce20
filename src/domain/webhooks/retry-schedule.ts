/**
 * When to try a failed delivery again. The schedule lists the waits after each failed attempt, so a
 * delivery is tried at most `schedule.length + 1` times: that is the hard cap.
 */

// About 3 days over 10 attempts, growing roughly exponentially.
export const DEFAULT_RETRY_SCHEDULE = '5s,1m,5m,30m,2h,5h,10h,24h,30h';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `"5s,1m,2h"` → [5000, 60000, 7200000]; null when any entry is not a duration. */
export function parseRetrySchedule(raw: string): number[] | null {
  const waits = raw.split(',').map((part) => {
    const m = /^\s*(\d+(?:\.\d+)?)(ms|s|m|h|d)\s*$/.exec(part);
    return m?.[1] && m[2] ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : Number.NaN;
  });
  return waits.length > 0 && waits.every((w) => Number.isFinite(w) && w >= 0) ? waits : null;
}

export const maxAttempts = (schedule: readonly number[]) => schedule.length + 1;

// ±20 %: many deliveries that failed together (a receiver's outage) do not all return in the same second.
const JITTER = 0.2;
// A receiver cannot park a delivery for longer than a day with Retry-After.
const MAX_RETRY_AFTER_MS = 86_400_000;

/** The wait after failed attempt number `attempt` (1-based), never sooner than the receiver's Retry-After. */
export function retryDelay(
  schedule: readonly number[],
  attempt: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number {
  const base = schedule[Math.min(attempt, schedule.length) - 1] ?? 0;
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random()));
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
