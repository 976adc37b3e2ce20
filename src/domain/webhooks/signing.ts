import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks (standardwebhooks.com) secrets and signatures. */

const PREFIX = 'whsec_';

export const newWebhookSecret = () => `${PREFIX}${randomBytes(32).toString('base64')}`;

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed with the secret's base64 part decoded. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The three headers of one attempt; during a secret rotation both secrets sign, space-separated. */
export function signedHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: Date,
  body: string,
): Record<string, string> {
  const seconds = Math.floor(timestamp.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': secrets.map((s) => signature(s, id, seconds, body)).join(' '),
  };
}
