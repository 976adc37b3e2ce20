import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The turn's "now" and time zone, set by the turn runner for everything the turn runs: a message means
 * "kal" relative to its own turn, and the offline model reads it without it being passed through LangChain.
 */
export interface Clock {
  now: Date;
  timezone: string;
}

const turnClock = new AsyncLocalStorage<Clock>();

export const withTurnClock = <T>(clock: Clock, fn: () => Promise<T>): Promise<T> => turnClock.run(clock, fn);

/** The running turn's clock; outside a turn, the wall clock in the default zone. */
export const currentClock = (): Clock =>
  turnClock.getStore() ?? { now: new Date(), timezone: 'Asia/Kolkata' };
