import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db, Queryable, Tx } from '../../db/types.ts';
import { DomainError } from '../errors.ts';
import { findUserIdByPhone, lockSignup, signUpOwner } from '../tenants.ts';
import { OtpDeliveryError, type OtpSender } from './otp-sender.ts';

/**
 * Brute force stays bounded while a stranger who knows the number cannot lock its owner out: wrong codes
 * count per code and per client (IP), so a stranger's tries spend their own budget, and a fresh code from
 * a new send can always be tried while the number's sends last.
 */
export const OTP_RULES = {
  ttlSeconds: 600,
  /** Wrong tries one client may make at one code; the code still works for others. */
  maxWrongPerCodePerClient: 5,
  /** Wrong tries at one code from everyone, after which it is dead. */
  maxWrongPerCode: 10,
  /** Wrong codes one client may try an hour, whatever the numbers. */
  maxWrongPerClientPerHour: 20,
  resendCooldownSeconds: 30,
  maxSendsPerPhonePerClientPerHour: 5,
  maxSendsPerPhonePerHour: 8,
  maxSendsPerIpPerHour: 20,
} as const;

export interface OtpSettings {
  pepper: string;
  allowSignup: boolean;
  defaultTimezone: string;
  /** Fictional numbers with fixed codes and no delivery (AUTH_TEST_PHONES). */
  testPhones: ReadonlyMap<string, string>;
}

const hashCode = (pepper: string, phone: string, code: string) =>
  createHmac('sha256', pepper).update(`${phone}:${code}`).digest();

const sameCode = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

const rateLimited = (code: string, message: string, retryAfter: number) =>
  new DomainError('rate_limited', code, message, { retry_after: Math.max(1, Math.ceil(retryAfter)) });

export interface SentOtp {
  expires_in: number;
  resend_after: number;
}

export interface VerifiedOtp {
  userId: string;
  tenantId: string;
  signedUp: boolean;
}

// Serialises sends and verifies of one phone across processes, so limits and attempt counts cannot race.
const lockPhone = (tx: Queryable, phone: string) =>
  tx.query("SELECT pg_advisory_xact_lock(hashtext('otp:' || $1))", [phone]);

const HOUR = "now() - interval '1 hour'";

export function createOtpService(db: Db, sender: OtpSender, settings: OtpSettings) {
  /** A test number's code is its fixed one; any other number's is random. */
  const codeFor = (phone: string) =>
    settings.testPhones.get(phone) ?? String(randomInt(0, 1_000_000)).padStart(6, '0');

  async function send(phone: string, ip: string): Promise<SentOtp> {
    const code = codeFor(phone);
    const deliver = await db.transaction(async (tx) => {
      await lockPhone(tx, phone);
      await checkSendLimits(tx, phone, ip);
      const id = await issueCode(tx, phone, ip, code, true);
      // Unknown phones with sign-up closed get the same answer but no message, so the reply reveals nothing;
      // test numbers get no message at all.
      if (settings.testPhones.has(phone)) return null;
      const known = settings.allowSignup || (await findUserIdByPhone(tx, phone)) !== null;
      return known ? id : null;
    });

    if (deliver) {
      try {
        await sender.send(phone, code);
      } catch (err) {
        await db.query('UPDATE otp_codes SET consumed_at = now() WHERE id = $1', [deliver]);
        throw new DomainError(
          'unavailable',
          'otp_delivery_failed',
          'We could not deliver the code just now. Please try again in a minute.',
          { cause: err instanceof OtpDeliveryError ? err.message : 'delivery failed' },
        );
      }
    }
    return { expires_in: OTP_RULES.ttlSeconds, resend_after: OTP_RULES.resendCooldownSeconds };
  }

  /** Only the newest code is live: issuing one retires the previous one. */
  async function issueCode(tx: Queryable, phone: string, ip: string, code: string, sent: boolean) {
    await tx.query('UPDATE otp_codes SET consumed_at = now() WHERE phone = $1 AND consumed_at IS NULL', [
      phone,
    ]);
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO otp_codes (phone, ip, code_hash, expires_at, sent)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5) RETURNING id`,
      [phone, ip, hashCode(settings.pepper, phone, code).toString('hex'), OTP_RULES.ttlSeconds, sent],
    );
    if (!row) throw new Error('the code was not stored');
    return row.id;
  }

  async function verify(phone: string, code: string, ip: string, requestId?: string): Promise<VerifiedOtp> {
    // The wrong try must commit even though the answer is an error, so the outcome is returned, then thrown.
    const outcome = await db.transaction(async (tx) => {
      await lockPhone(tx, phone);
      const [client] = await tx.query<{ wrong: number; oldest_age: number | null }>(
        `SELECT count(*)::int AS wrong, extract(epoch FROM now() - min(created_at))::float8 AS oldest_age
         FROM otp_wrong_tries WHERE ip = $1 AND created_at > ${HOUR}`,
        [ip],
      );
      if ((client?.wrong ?? 0) >= OTP_RULES.maxWrongPerClientPerHour) {
        return rateLimited(
          'otp_rate_limited',
          'Too many wrong codes were tried from this network. Please try again later.',
          3600 - (client?.oldest_age ?? 0),
        );
      }
      const otp = await liveCode(tx, phone, ip);
      if (!otp) return invalidCode();
      if (otp.expired) return expiredCode();
      if (otp.attempts >= OTP_RULES.maxWrongPerCode || otp.client_wrong >= OTP_RULES.maxWrongPerCodePerClient)
        return tooManyAttempts();
      if (!sameCode(Buffer.from(otp.code_hash, 'hex'), hashCode(settings.pepper, phone, code))) {
        await tx.query('UPDATE otp_codes SET attempts = attempts + 1 WHERE id = $1', [otp.id]);
        await tx.query('INSERT INTO otp_wrong_tries (code_id, ip) VALUES ($1, $2)', [otp.id, ip]);
        const spent =
          otp.attempts + 1 >= OTP_RULES.maxWrongPerCode ||
          otp.client_wrong + 1 >= OTP_RULES.maxWrongPerCodePerClient;
        return spent ? tooManyAttempts() : invalidCode();
      }
      await tx.query('UPDATE otp_codes SET consumed_at = now() WHERE id = $1', [otp.id]);
      return signIn(tx, phone, requestId);
    });
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  /**
   * The phone's newest unused code, with this client's wrong tries at it. A test number that asked for none
   * (or whose last one expired) is given its fixed code now, so its tries count like anyone's.
   */
  async function liveCode(tx: Queryable, phone: string, ip: string) {
    const newest = () =>
      tx.query<{ id: string; code_hash: string; attempts: number; client_wrong: number; expired: boolean }>(
        `SELECT c.id, c.code_hash, c.attempts, c.expires_at <= now() AS expired,
                (SELECT count(*)::int FROM otp_wrong_tries w WHERE w.code_id = c.id AND w.ip = $2) AS client_wrong
         FROM otp_codes c WHERE c.phone = $1 AND c.consumed_at IS NULL ORDER BY c.created_at DESC LIMIT 1`,
        [phone, ip],
      );
    const [otp] = await newest();
    const fixed = settings.testPhones.get(phone);
    if (fixed === undefined || (otp && !otp.expired)) return otp;
    await issueCode(tx, phone, ip, fixed, false);
    return (await newest())[0];
  }

  async function signIn(tx: Tx, phone: string, requestId?: string): Promise<VerifiedOtp | DomainError> {
    // The lock every path that gives a phone a user takes (a member being added, a chat sign-up).
    await lockSignup(tx, phone);
    const existing = await findUserIdByPhone(tx, phone);
    if (existing) return { userId: existing.id, tenantId: existing.tenantId, signedUp: false };
    if (!settings.allowSignup) return invalidCode();
    const created = await signUpOwner(tx, phone, settings.defaultTimezone, requestId);
    return { userId: created.id, tenantId: created.tenantId, signedUp: true };
  }

  return { send, verify };
}

/** Refuses a send that comes too soon, or past the number's, the client's or the pair's hourly budget. */
async function checkSendLimits(tx: Queryable, phone: string, ip: string): Promise<void> {
  const [stats] = await tx.query<{
    last_age: number | null;
    phone_sends: number;
    oldest_phone_age: number | null;
    pair_sends: number;
    oldest_pair_age: number | null;
  }>(
    `SELECT extract(epoch FROM now() - max(created_at))::float8 AS last_age,
            count(*)::int AS phone_sends,
            extract(epoch FROM now() - min(created_at))::float8 AS oldest_phone_age,
            count(*) FILTER (WHERE ip = $2)::int AS pair_sends,
            extract(epoch FROM now() - min(created_at) FILTER (WHERE ip = $2))::float8 AS oldest_pair_age
     FROM otp_codes WHERE phone = $1 AND sent AND created_at > ${HOUR}`,
    [phone, ip],
  );
  if (stats?.last_age != null && stats.last_age < OTP_RULES.resendCooldownSeconds) {
    throw rateLimited(
      'otp_cooldown',
      `Please wait ${Math.ceil(OTP_RULES.resendCooldownSeconds - stats.last_age)} seconds before asking for another code.`,
      OTP_RULES.resendCooldownSeconds - stats.last_age,
    );
  }
  const tooMany = (oldestAge: number | null | undefined) =>
    rateLimited(
      'otp_rate_limited',
      'Too many codes were sent to this number. Please try again later.',
      3600 - (oldestAge ?? 0),
    );
  if ((stats?.pair_sends ?? 0) >= OTP_RULES.maxSendsPerPhonePerClientPerHour)
    throw tooMany(stats?.oldest_pair_age);
  if ((stats?.phone_sends ?? 0) >= OTP_RULES.maxSendsPerPhonePerHour) throw tooMany(stats?.oldest_phone_age);
  const [ipStats] = await tx.query<{ n: number; oldest_age: number | null }>(
    `SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS oldest_age
     FROM otp_codes WHERE ip = $1 AND sent AND created_at > ${HOUR}`,
    [ip],
  );
  if ((ipStats?.n ?? 0) >= OTP_RULES.maxSendsPerIpPerHour) {
    throw rateLimited(
      'otp_rate_limited',
      'Too many codes were requested from this network. Please try again later.',
      3600 - (ipStats?.oldest_age ?? 0),
    );
  }
}

export type OtpService = ReturnType<typeof createOtpService>;

const invalidCode = () =>
  new DomainError('unauthorized', 'otp_invalid', 'That code is not right. Please check it and try again.');
const expiredCode = () =>
  new DomainError('unauthorized', 'otp_expired', 'That code has expired. Please ask for a new one.');
const tooManyAttempts = () =>
  new DomainError(
    'rate_limited',
    'otp_attempts_exceeded',
    'Too many wrong tries. Please ask for a new code.',
    {
      retry_after: OTP_RULES.resendCooldownSeconds,
    },
  );
