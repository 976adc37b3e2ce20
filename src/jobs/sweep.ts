/**
 * Runs `fn` for each row of a sweep. A row that fails is reported (with its ids, by `onError`) and the
 * sweep goes on, so one bad row never holds back the others. Returns how many rows succeeded.
 */
export async function eachRow<T>(
  rows: readonly T[],
  fn: (row: T) => Promise<void>,
  onError: (row: T, err: unknown) => void,
): Promise<number> {
  let done = 0;
  for (const row of rows) {
    try {
      await fn(row);
      done++;
    } catch (err) {
      onError(row, err);
    }
  }
  return done;
}

/** A log line names at most this many ids; its count says how many there were. */
export const MAX_LOGGED_IDS = 50;
