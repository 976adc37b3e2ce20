import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_SCHEDULE,
  maxAttempts,
  parseRetryAfter,
  parseRetrySchedule,
  retryDelay,
} from '../../../src/domain/webhooks/retry-schedule.ts';
import { newWebhookSecret, signature, signedHeaders } from '../../../src/domain/webhooks/signing.ts';
import { verifyStandardWebhook } from '../../support/standard-webhook.ts';

describe('Standard Webhooks signing', () => {
  it('reproduces the specification’s published test vector', () => {
    expect(
      signature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('the test verifier accepts the vector and refuses a tampered one', () => {
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(verifyStandardWebhook(secret, '{"test": 2432232314}', headers, 1614265330)).toEqual({
      test: 2432232314,
    });
    expect(() => verifyStandardWebhook(secret, '{"test": 2432232315}', headers, 1614265330)).toThrow();
    expect(() => verifyStandardWebhook(secret, '{"test": 2432232314}', headers, 1614265330 + 3600)).toThrow();
  });

  it('secrets are whsec_ and 32 random bytes, never the same twice', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it('during a rotation both secrets sign, and a receiver holding either one verifies', () => {
    const [next, old] = [newWebhookSecret(), newWebhookSecret()];
    const body = '{"type":"task.created"}';
    const headers = signedHeaders([next, old], 'evt_1', new Date(), body);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(verifyStandardWebhook(next, body, headers)).toEqual({ type: 'task.created' });
    expect(verifyStandardWebhook(old, body, headers)).toEqual({ type: 'task.created' });
    expect(() => verifyStandardWebhook(newWebhookSecret(), body, headers)).toThrow();
  });
});

describe('retry schedule', () => {
  it('the default is 10 attempts over about 3 days', () => {
    const waits = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE) ?? [];
    expect(maxAttempts(waits)).toBe(10);
    const hours = waits.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(hours).toBeGreaterThan(60);
    expect(hours).toBeLessThan(84);
  });

  it('parses units and refuses what is not a duration', () => {
    expect(parseRetrySchedule('250ms, 5s,1m,2h,1d')).toEqual([250, 5000, 60_000, 7_200_000, 86_400_000]);
    expect(parseRetrySchedule('5 minutes')).toBeNull();
    expect(parseRetrySchedule('5s,,1m')).toBeNull();
    expect(parseRetrySchedule('-5s')).toBeNull();
  });

  it('jitters each wait by at most 20 % and never retries before Retry-After', () => {
    const waits = [1000, 60_000];
    expect(retryDelay(waits, 1, null, () => 0)).toBe(800);
    expect(retryDelay(waits, 1, null, () => 1)).toBe(1200);
    expect(retryDelay(waits, 2, null, () => 0.5)).toBe(60_000);
    expect(retryDelay(waits, 1, 120_000, () => 0.5)).toBe(120_000);
    expect(retryDelay(waits, 1, 10 * 86_400_000, () => 0.5)).toBe(86_400_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-03-26T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 26 Mar 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
