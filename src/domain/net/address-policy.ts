import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where our servers may not connect on a customer's behalf (SSRF): private, loopback, link-local (cloud
 * metadata lives there), shared, reserved and multicast ranges. Webhooks apply it today; anything else
 * that calls a customer-supplied host must use the same policy.
 */
const refusedIpv4 = new BlockList();
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
  refusedIpv4.addSubnet(net, prefix, 'ipv4');
}

const refusedIpv6 = new BlockList();
for (const [net, prefix] of [
  // Unspecified, loopback and the deprecated IPv4-compatible form (::a.b.c.d), which nothing public uses.
  ['::', 96],
  // Local-use NAT64 (RFC 8215): its translator is inside the network by definition.
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:2::', 48],
  ['2001:db8::', 32],
  ['3fff::', 20],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  refusedIpv6.addSubnet(net, prefix, 'ipv6');
}

/**
 * The eight 16-bit groups of an IPv6 address, in any spelling (compressed, expanded, dotted tail, any
 * case, with a zone id), or null if it is not one. The URL parser does the normalising: it always gives
 * lowercase hex groups with at most one "::".
 */
function ipv6Groups(address: string): number[] | null {
  const bare = address.replace(/%.*$/, '');
  if (isIP(bare) !== 6 || !URL.canParse(`http://[${bare}]/`)) return null;
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  const groups = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const [head = '', tail = ''] = canonical.split('::');
  const [before, after] = [groups(head), groups(tail)];
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

const dotted = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');

/**
 * The IPv4 addresses a packet to this IPv6 address would reach: IPv4-mapped (::ffff:a.b.c.d), SIIT's
 * IPv4-translated (::ffff:0:a.b.c.d), 6to4 (2002:AABB:CCDD::), Teredo (2001:0::/32: the server, and the
 * client as the last 32 bits inverted) and well-known NAT64 (64:ff9b::a.b.c.d).
 */
export function embeddedIpv4(address: string): string[] {
  const g = ipv6Groups(address);
  if (!g) return [];
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const at = (i: number) => g[i] ?? 0;
  if (zeros(0, 5) && at(5) === 0xffff) return [dotted(at(6), at(7))];
  if (zeros(0, 4) && at(4) === 0xffff && at(5) === 0) return [dotted(at(6), at(7))];
  if (at(0) === 0x2002) return [dotted(at(1), at(2))];
  if (at(0) === 0x2001 && at(1) === 0) return [dotted(at(2), at(3)), dotted(at(6) ^ 0xffff, at(7) ^ 0xffff)];
  if (at(0) === 0x64 && at(1) === 0xff9b && zeros(2, 6)) return [dotted(at(6), at(7))];
  return [];
}

/** Whether an IP address (any spelling) is one we must not connect to; anything that is not an IP is. */
export function isRefusedAddress(address: string): boolean {
  if (isIP(address) === 4) return refusedIpv4.check(address, 'ipv4');
  const groups = ipv6Groups(address);
  if (!groups) return true;
  const canonical = groups.map((x) => x.toString(16)).join(':');
  return (
    refusedIpv6.check(canonical, 'ipv6') || embeddedIpv4(address).some((v4) => refusedIpv4.check(v4, 'ipv4'))
  );
}

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
  readonly code = 'EREFUSEDADDRESS';
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const resolveAll: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

/** A URL's host as an address or name, without the brackets of an IPv6 literal. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** An IP literal never goes through a lookup, so it is checked on its own before connecting. */
export function refusedLiteral(url: URL): string | null {
  const host = hostOf(url);
  return isIP(host) !== 0 && isRefusedAddress(host) ? host : null;
}

export type HostVerdict = { ok: true } | { ok: false; refused: string } | { ok: false; unresolvable: true };

/** Checks a host when it is saved: an address literal on its own, a name by every address it resolves to. */
export async function checkHost(host: string, resolve: Resolver = resolveAll): Promise<HostVerdict> {
  if (isIP(host) !== 0) return isRefusedAddress(host) ? { ok: false, refused: host } : { ok: true };
  let addresses: { address: string }[];
  try {
    addresses = await resolve(host);
  } catch {
    return { ok: false, unresolvable: true };
  }
  if (addresses.length === 0) return { ok: false, unresolvable: true };
  const bad = addresses.find((a) => isRefusedAddress(a.address));
  return bad ? { ok: false, refused: bad.address } : { ok: true };
}

/**
 * A DNS lookup for outgoing connections that refuses a host if any of its addresses is refused, at
 * connect time, so a name that later re-points at a private address (DNS rebinding) is still caught.
 */
export function guardedLookup(resolve: Resolver = resolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => isRefusedAddress(a.address));
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
