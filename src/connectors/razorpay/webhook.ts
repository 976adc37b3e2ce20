import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ObjectName } from '../../domain/business/objects.ts';
import type { WebhookIngest } from '../types.ts';
import { paymentRecord, type RazorpayPayment, type RazorpaySettlement, settlementRecord } from './records.ts';

/**
 * Razorpay's webhooks (Dashboard → Webhooks, with a secret the owner chooses): `X-Razorpay-Signature` is
 * the hex HMAC-SHA256 of the raw body with that secret, `X-Razorpay-Event-Id` names the event once, and
 * the body is `{event, payload: {payment: {entity}}}` or `{…settlement: {entity}}`.
 */

interface RazorpayEvent {
  event?: string;
  payload?: { payment?: { entity?: RazorpayPayment }; settlement?: { entity?: RazorpaySettlement } };
}

export const razorpayWebhook: WebhookIngest<{ webhook_secret?: string | undefined }> = {
  verify(rawBody, headers, credentials) {
    const signature = headers['x-razorpay-signature'];
    if (!credentials.webhook_secret || !signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
    const expected = createHmac('sha256', credentials.webhook_secret).update(rawBody).digest();
    return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
  },

  eventId: (headers) => headers['x-razorpay-event-id'],

  records(body) {
    const { event, payload } = (body ?? {}) as RazorpayEvent;
    const found: { object: ObjectName; records: unknown[] }[] = [];
    if (event?.startsWith('payment.') && payload?.payment?.entity) {
      found.push({ object: 'payments', records: [paymentRecord(payload.payment.entity)] });
    }
    if (event?.startsWith('settlement.') && payload?.settlement?.entity) {
      found.push({ object: 'settlements', records: [settlementRecord(payload.settlement.entity)] });
    }
    return found;
  },
};
