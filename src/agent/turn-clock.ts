/**
 * The turn's "now" and time zone: a message means "kal" relative to its own turn. The agent loop hands it
 * to every model call of the turn as a call option; the offline model reads it, a hosted one ignores it.
 */
export interface Clock {
  now: Date;
  timezone: string;
}

/** Outside a turn: the wall clock in the default zone. */
export const wallClock = (): Clock => ({ now: new Date(), timezone: 'Asia/Kolkata' });
