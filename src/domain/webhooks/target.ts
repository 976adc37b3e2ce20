import { DomainError } from '../errors.ts';
import { checkHost, hostOf } from '../net/address-policy.ts';

/** Checks a webhook URL when it is saved: unless private targets are allowed, no refused address. */
export async function assertWebhookTarget(raw: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const url = new URL(raw);
  const host = hostOf(url);
  const verdict = await checkHost(host);
  if (verdict.ok) return;
  if ('unresolvable' in verdict) {
    throw new DomainError('invalid', 'webhook_url_unresolvable', `The host ${host} could not be found.`, {
      url: raw,
    });
  }
  const why =
    verdict.refused === host
      ? 'it is a private, loopback or link-local address'
      : `${host} points to a private, loopback or link-local address`;
  throw new DomainError('invalid', 'webhook_url_refused', `This URL cannot receive webhooks: ${why}.`, {
    url: raw,
  });
}
