import { createRequire } from 'node:module';
import type * as Undici from 'undici';
import { guardedLookup, type Resolver, resolveAll } from '../domain/net/address-policy.ts';

/**
 * fetch for an address an owner gave (a calendar feed, a Tally host): the address policy is applied as the
 * connection is made, to the address actually connected to, so a name that resolved to a public address when
 * it was checked and to a private one a moment later (DNS rebinding) is still refused. undici is loaded with
 * the first such call, not at start.
 */
export function guardedFetch(resolve: Resolver = resolveAll): typeof fetch {
  const undici = createRequire(import.meta.url)('undici') as typeof Undici;
  const dispatcher = new undici.Agent({ connect: { lookup: guardedLookup(resolve) } });
  return ((input: Parameters<typeof Undici.fetch>[0], init?: Parameters<typeof Undici.fetch>[1]) =>
    undici.fetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
}
