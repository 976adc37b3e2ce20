import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { DomainError } from '../errors.ts';

/**
 * Where a webhook may not point: a tenant must not make our servers call into our own network (SSRF).
 * Private, loopback, link-local (cloud metadata lives there), shared, reserved and multicast ranges.
 */
const refused = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  refused.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  refused.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d or ::ffff:xxxx:xxxx) IPv6 address, if it is one. */
function mappedIpv4(address: string): string | null {
  const m = /^::ffff:(?:0:)?(.+)$/i.exec(address);
  if (!m?.[1]) return null;
  if (isIP(m[1]) === 4) return m[1];
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(m[1]);
  if (!hex?.[1] || !hex[2]) return null;
  const hi = Number.parseInt(hex[1], 16);
  const lo = Number.parseInt(hex[2], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = mappedIpv4(address);
  if (v4) return refused.check(v4, 'ipv4');
  return refused.check(address, 'ipv6');
}

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
  readonly code = 'EREFUSEDADDRESS';
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

function resolveAll(hostname: string): Promise<{ address: string; family: number }[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );
}

/**
 * A DNS lookup for outgoing webhook connections that refuses a host if any of its addresses is refused,
 * at connect time, so a name that later re-points at a private address (DNS rebinding) is still caught.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname).then(
      (addresses) => {
        const bad = allowPrivate ? undefined : addresses.find((a) => isRefusedAddress(a.address));
        if (bad) {
          callback(
            new RefusedAddressError(`${hostname} resolves to a refused address (${bad.address})`),
            '',
            0,
          );
        } else if (options.all) {
          (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
        } else {
          const [first] = addresses;
          if (!first) callback(new Error(`${hostname} has no address`), '', 0);
          else callback(null, first.address, first.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

/** An IP literal never goes through a lookup, so it is checked on its own before connecting. */
export function refusedLiteral(url: URL, allowPrivate: boolean): string | null {
  const host = hostOf(url);
  return !allowPrivate && isIP(host) !== 0 && isRefusedAddress(host) ? host : null;
}

/** Checks a webhook URL when it is saved: http(s), no credentials, and (unless allowed) no refused address. */
export async function assertWebhookTarget(raw: string, allowPrivate: boolean): Promise<void> {
  const url = new URL(raw);
  const host = hostOf(url);
  const refuse = (why: string) =>
    new DomainError('invalid', 'webhook_url_refused', `This URL cannot receive webhooks: ${why}.`, {
      url: raw,
    });
  if (allowPrivate) return;
  if (isIP(host) !== 0) {
    if (isRefusedAddress(host)) throw refuse('it is a private, loopback or link-local address');
    return;
  }
  let addresses: { address: string }[];
  try {
    addresses = await resolveAll(host);
  } catch {
    throw new DomainError('invalid', 'webhook_url_unresolvable', `The host ${host} could not be found.`, {
      url: raw,
    });
  }
  if (addresses.length === 0 || addresses.some((a) => isRefusedAddress(a.address))) {
    throw refuse(`${host} points to a private, loopback or link-local address`);
  }
}
