import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db, Queryable } from '../../db/types.ts';
import { DomainError } from '../errors.ts';
import { findUserIdByPhone, signUpOwner } from '../tenants.ts';
import { OtpDeliveryError, type OtpSender } from './otp-sender.ts';

export const OTP_RULES = {
  ttlSeconds: 600,
  maxAttempts: 5,
  resendCooldownSeconds: 30,
  maxSendsPerPhonePerHour: 5,
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

export function createOtpService(db: Db, sender: OtpSender, settings: OtpSettings) {
  async function send(phone: string, ip: string): Promise<SentOtp> {
    const answer = { expires_in: OTP_RULES.ttlSeconds, resend_after: OTP_RULES.resendCooldownSeconds };
    if (settings.testPhones.has(phone)) return answer;

    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const deliver = await db.transaction(async (tx) => {
      await lockPhone(tx, phone);
      const [stats] = await tx.query<{
        last_age: number | null;
        phone_sends: number;
        oldest_phone_age: number | null;
      }>(
        `SELECT extract(epoch FROM now() - max(created_at))::float8 AS last_age,
                count(*)::int AS phone_sends,
                extract(epoch FROM now() - min(created_at))::float8 AS oldest_phone_age
         FROM otp_codes WHERE phone = $1 AND created_at > now() - interval '1 hour'`,
        [phone],
      );
      if (stats?.last_age != null && stats.last_age < OTP_RULES.resendCooldownSeconds) {
        throw rateLimited(
          'otp_cooldown',
          `Please wait ${Math.ceil(OTP_RULES.resendCooldownSeconds - stats.last_age)} seconds before asking for another code.`,
          OTP_RULES.resendCooldownSeconds - stats.last_age,
        );
      }
      if ((stats?.phone_sends ?? 0) >= OTP_RULES.maxSendsPerPhonePerHour) {
        throw rateLimited(
          'otp_rate_limited',
          'Too many codes were sent to this number. Please try again later.',
          3600 - (stats?.oldest_phone_age ?? 0),
        );
      }
      const [ipStats] = await tx.query<{ n: number; oldest_age: number | null }>(
        `SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS oldest_age
         FROM otp_codes WHERE ip = $1 AND created_at > now() - interval '1 hour'`,
        [ip],
      );
      if ((ipStats?.n ?? 0) >= OTP_RULES.maxSendsPerIpPerHour) {
        throw rateLimited(
          'otp_rate_limited',
          'Too many codes were requested from this network. Please try again later.',
          3600 - (ipStats?.oldest_age ?? 0),
        );
      }
      // Only the newest code is live: asking again retires the previous one.
      await tx.query('UPDATE otp_codes SET consumed_at = now() WHERE phone = $1 AND consumed_at IS NULL', [
        phone,
      ]);
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO otp_codes (phone, ip, code_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING id`,
        [phone, ip, hashCode(settings.pepper, phone, code).toString('hex'), OTP_RULES.ttlSeconds],
      );
      // Unknown phones with sign-up closed get the same answer but no message, so the reply reveals nothing.
      const known = settings.allowSignup || (await findUserIdByPhone(tx, phone)) !== null;
      return known ? row?.id : null;
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
    return answer;
  }

  async function verify(phone: string, code: string, requestId?: string): Promise<VerifiedOtp> {
    const fixed = settings.testPhones.get(phone);
    if (fixed !== undefined) {
      if (!sameCode(Buffer.from(code), Buffer.from(fixed))) throw invalidCode();
      return db.transaction((tx) => signIn(tx, phone, requestId));
    }
    // The attempt count must commit even when the code is wrong, so the outcome is returned, then thrown.
    const outcome = await db.transaction(async (tx) => {
      await lockPhone(tx, phone);
      const [otp] = await tx.query<{ id: string; code_hash: string; attempts: number; expired: boolean }>(
        `SELECT id, code_hash, attempts, expires_at <= now() AS expired FROM otp_codes
         WHERE phone = $1 AND consumed_at IS NULL ORDER BY created_at DESC LIMIT 1`,
        [phone],
      );
      if (!otp) return invalidCode();
      if (otp.expired) return expiredCode();
      if (otp.attempts >= OTP_RULES.maxAttempts) return tooManyAttempts();
      if (!sameCode(Buffer.from(otp.code_hash, 'hex'), hashCode(settings.pepper, phone, code))) {
        await tx.query('UPDATE otp_codes SET attempts = attempts + 1 WHERE id = $1', [otp.id]);
        return otp.attempts + 1 >= OTP_RULES.maxAttempts ? tooManyAttempts() : invalidCode();
      }
      await tx.query('UPDATE otp_codes SET consumed_at = now() WHERE id = $1', [otp.id]);
      if (!settings.allowSignup && !(await findUserIdByPhone(tx, phone))) return invalidCode();
      return signIn(tx, phone, requestId);
    });
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  async function signIn(tx: Queryable, phone: string, requestId?: string): Promise<VerifiedOtp> {
    const existing = await findUserIdByPhone(tx, phone);
    if (existing) return { userId: existing.id, tenantId: existing.tenantId, signedUp: false };
    if (!settings.allowSignup) throw invalidCode();
    const created = await signUpOwner(tx, phone, settings.defaultTimezone, requestId);
    return { userId: created.id, tenantId: created.tenantId, signedUp: true };
  }

  return { send, verify };
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
