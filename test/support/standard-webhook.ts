import { verifyWebhook } from '@axonbos/sdk';

/**
 * A receiver's check of a Standard Webhooks delivery: the SDK's own `verifyWebhook`, written from the spec
 * and independent of the server's signer. The spec's published test vector pins it (webhook-rules.test.ts).
 */
export function verifyStandardWebhook(
  secret: string,
  body: string,
  headers: Record<string, string | string[] | undefined>,
  nowSeconds = Math.floor(Date.now() / 1000),
): unknown {
  return verifyWebhook(body, headers, secret, { now: nowSeconds });
}
