import { verifyWebhook, WebhookVerificationError } from '@axonbos/sdk';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signedHeaders } from '../../src/domain/webhooks/signing.ts';

// verifyWebhook against the server's own signer (a delivery end to end is in integration.test.ts).

const event = {
  id: 'evt_01jq2n3v4w5x6y7z8a9b0c',
  type: 'task.created',
  timestamp: '2026-03-25T10:30:00.000Z',
  data: { id: 'task_01jq2n3v4w5x6y7z8a9b0c', title: 'Pay GST by 20th' },
};
const body = JSON.stringify(event);
const secret = newWebhookSecret();
const sentAt = new Date();
const headers = signedHeaders([secret], event.id, sentAt, body);
const refused = (f: () => unknown) => expect(f).toThrow(WebhookVerificationError);

describe('verifyWebhook', () => {
  it('accepts what the server signed, as text, bytes, a header record or Headers', () => {
    expect(verifyWebhook(body, headers, secret)).toEqual(event);
    expect(verifyWebhook(new TextEncoder().encode(body), new Headers(headers), secret)).toEqual(event);
  });

  it('accepts either secret during a rotation', () => {
    const next = newWebhookSecret();
    const both = signedHeaders([next, secret], event.id, sentAt, body);
    expect(verifyWebhook(body, both, secret).id).toBe(event.id);
    expect(verifyWebhook(body, both, next).id).toBe(event.id);
  });

  it('refuses a changed body, another secret, a changed id, missing headers', () => {
    refused(() => verifyWebhook(body.replace('20th', '21st'), headers, secret));
    refused(() => verifyWebhook(`${body} `, headers, secret));
    refused(() => verifyWebhook(body, headers, newWebhookSecret()));
    refused(() => verifyWebhook(body, { ...headers, 'webhook-id': 'evt_other' }, secret));
    refused(() => verifyWebhook(body, { ...headers, 'webhook-signature': 'v2,abc' }, secret));
    refused(() => verifyWebhook(body, { 'webhook-id': event.id }, secret));
  });

  it('refuses a delivery signed more than five minutes away from now, either way', () => {
    const seconds = Math.floor(sentAt.getTime() / 1000);
    expect(verifyWebhook(body, headers, secret, { now: seconds + 299 })).toEqual(event);
    refused(() => verifyWebhook(body, headers, secret, { now: seconds + 301 }));
    refused(() => verifyWebhook(body, headers, secret, { now: seconds - 301 }));
    const old = signedHeaders([secret], event.id, new Date(Date.now() - 10 * 60_000), body);
    refused(() => verifyWebhook(body, old, secret));
  });
});
