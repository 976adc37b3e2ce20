import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_CHARS = 12;

// Random bytes drawn 256 ids at a time: a sync names thousands of rows a second, and one call to the
// system's generator per id cost more than the rest of the id.
const pool = Buffer.alloc(RANDOM_CHARS * 256);
let used = pool.length;

/** `task_…`, `fu_…`: a prefix, 10 time-ordered characters, then 12 random ones (Crockford base32). */
export function newId(prefix: string, now = Date.now()): string {
  let time = '';
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = ALPHABET[t % 32] + time;
  if (used + RANDOM_CHARS > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let rand = '';
  for (let i = used; i < used + RANDOM_CHARS; i++) rand += ALPHABET[(pool[i] ?? 0) % 32];
  used += RANDOM_CHARS;
  return `${prefix}_${time}${rand}`;
}

export const idPattern = (prefix: string) => new RegExp(`^${prefix}_[0-9a-z]{22}$`);
