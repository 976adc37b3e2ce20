import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `task_…`, `fu_…`: a prefix, 10 time-ordered characters, then 12 random ones (Crockford base32). */
export function newId(prefix: string, now = Date.now()): string {
  let time = '';
  for (let t = now, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = ALPHABET[t % 32] + time;
  let rand = '';
  for (const byte of randomBytes(12)) rand += ALPHABET[byte % 32];
  return `${prefix}_${time}${rand}`;
}

export const idPattern = (prefix: string) => new RegExp(`^${prefix}_[0-9a-z]{22}$`);
