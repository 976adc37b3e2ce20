import { z } from 'zod';
import type { OtpService } from '../../domain/auth/otp.ts';
import type { TokenService } from '../../domain/auth/tokens.ts';
import { e164Phone } from '../../domain/fields.ts';
import { requestIdOf } from '../envelope.ts';
import { clientOf } from '../middleware/rate-limit.ts';
import { defineRoute } from '../route.ts';

const OtpSendBody = z.strictObject({ phone: e164Phone }).meta({ id: 'OtpSendRequest' });
const OtpSent = z
  .object({
    sent: z.literal(true),
    expires_in: z.number().int().meta({ description: 'Seconds the code stays valid' }),
    resend_after: z.number().int().meta({ description: 'Seconds before another code may be requested' }),
  })
  .meta({ id: 'OtpSent' });
const OtpVerifyBody = z
  .strictObject({
    phone: e164Phone,
    otp: z
      .string()
      .regex(/^\d{6}$/, 'must be the 6-digit code')
      .meta({ example: '123456' }),
  })
  .meta({ id: 'OtpVerifyRequest' });
const AccessToken = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().meta({ example: 86400 }),
  })
  .meta({ id: 'AccessToken' });

export const authRoutes = (otp: OtpService, tokens: TokenService) => [
  defineRoute({
    method: 'post',
    path: '/auth/otp/send',
    operationId: 'sendOtp',
    summary: "Send a one-time code to the user's phone",
    description:
      'Unknown numbers sign up on verification. A code lives 10 minutes; a new one retires the last. 30 s ' +
      'between sends; an hour allows 5 sends per phone from one client, 8 per phone and 20 per client.',
    tag: 'Auth',
    access: 'public',
    body: OtpSendBody,
    response: OtpSent,
    idempotency: 'none',
    errors: { 503: 'The code could not be delivered' },
    handler: async ({ body, req }) => ({
      data: { sent: true as const, ...(await otp.send(body.phone, clientOf(req))) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/auth/otp/verify',
    operationId: 'verifyOtp',
    summary: 'Verify the code and get an access token',
    description:
      'Errors: otp_invalid (wrong or no code), otp_expired, otp_attempts_exceeded (5 wrong tries at this ' +
      'code from this client, or 10 from everyone: ask for a new code), otp_rate_limited (20 wrong codes ' +
      'from this client in an hour). Not replayable: an Idempotency-Key is ignored here.',
    tag: 'Auth',
    access: 'public',
    body: OtpVerifyBody,
    response: AccessToken,
    // A sign-in is never replayed: a code signs in once, and no token is kept anywhere but in the answer.
    idempotency: 'none',
    errors: { 401: 'Wrong or expired code' },
    handler: async ({ body, req, res }) => {
      const user = await otp.verify(body.phone, body.otp, clientOf(req), requestIdOf(res));
      return { data: await tokens.issue(user.userId, user.tenantId) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/logout',
    operationId: 'logout',
    summary: 'Revoke the access token used for this request',
    tag: 'Auth',
    access: 'user',
    response: z.object({ logged_out: z.literal(true) }),
    idempotency: 'none',
    handler: async ({ session }) => {
      await tokens.revoke(session.sessionId);
      return { data: { logged_out: true as const } };
    },
  }),
];
