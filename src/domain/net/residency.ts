import { isIP } from 'node:net';
import { isRefusedAddress } from './address-policy.ts';

/**
 * Indian data residency (DATA_RESIDENCY=in): business data may go only to endpoints served from India, the
 * ones the operator lists in RESIDENCY_ALLOWED_HOSTS or those known here, and to this machine or the
 * business's own network (a local model, a Tally PC). Checked at start against every configured endpoint and
 * again on every call, so a connection made later is held to it too. The offline model and the lexical
 * embedder send nothing anywhere, so they always comply.
 */

export type ResidencyMode = 'off' | 'in';

export interface ResidencyPolicy {
  mode: ResidencyMode;
  /** Hostnames, or `.example.in` for a domain and its subdomains. */
  allowedHosts: readonly string[];
}

/** Endpoints known to keep data in India: Razorpay's API and Zoho's India data centre. */
export const INDIA_ENDPOINTS: readonly string[] = ['api.razorpay.com', '.zohoapis.in', '.zoho.in'];

export class ResidencyError extends Error {
  override name = 'ResidencyError';
}

const matches = (host: string, entry: string) =>
  entry.startsWith('.') ? host === entry.slice(1) || host.endsWith(entry) : host === entry;

/** Why `url` may not receive `what` under the policy, or null when it may. */
export function residencyRefusal(policy: ResidencyPolicy, url: string | URL, what: string): string | null {
  if (policy.mode === 'off') return null;
  const host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || (isIP(host) !== 0 && isRefusedAddress(host))) return null;
  if ([...policy.allowedHosts, ...INDIA_ENDPOINTS].some((e) => matches(host, e.trim().toLowerCase())))
    return null;
  return `DATA_RESIDENCY=in refuses to send ${what} to ${host}: list it in RESIDENCY_ALLOWED_HOSTS only if it is served from India`;
}

export function assertResident(policy: ResidencyPolicy, url: string | URL, what: string): void {
  const refusal = residencyRefusal(policy, url, what);
  if (refusal) throw new ResidencyError(refusal);
}

/** fetch that refuses, before any byte leaves, a call the policy does not allow. */
export function residentFetch(
  policy: ResidencyPolicy,
  what: string,
  base: typeof fetch = fetch,
): typeof fetch {
  if (policy.mode === 'off') return base;
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const refusal = residencyRefusal(policy, url, what);
    return refusal ? Promise.reject(new ResidencyError(refusal)) : base(input, init);
  };
}
