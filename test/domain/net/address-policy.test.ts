import { describe, expect, it } from 'vitest';
import {
  checkHost,
  embeddedIpv4,
  guardedLookup,
  isRefusedAddress,
  type Resolver,
} from '../../../src/domain/net/address-policy.ts';
import { assertWebhookTarget } from '../../../src/domain/webhooks/target.ts';

// Loopback, private and cloud-metadata IPv4 hidden inside IPv6, spelled every way a client may write it.
const REFUSED = [
  // plain IPv4 and IPv6
  '127.0.0.1',
  '127.9.9.9',
  '10.1.2.3',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '224.0.0.1',
  '::1',
  '::',
  '0:0:0:0:0:0:0:1',
  'fe80::1',
  'fe80::1%eth0',
  'FE80::ABCD%25en0',
  'fc00::1',
  'fd12:3456::1',
  'ff02::1',
  // IPv4-compatible (deprecated): ::a.b.c.d
  '::7f00:1',
  '::127.0.0.1',
  '::7F00:0001',
  '0:0:0:0:0:0:127.0.0.1',
  '0000:0000:0000:0000:0000:0000:7f00:0001',
  '::a9fe:a9fe',
  '::8.8.8.8',
  // IPv4-mapped: ::ffff:a.b.c.d
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::FFFF:7F00:1',
  '0:0:0:0:0:ffff:127.0.0.1',
  '0000:0000:0000:0000:0000:ffff:7f00:0001',
  '::ffff:169.254.169.254',
  '::ffff:a9fe:a9fe',
  '::ffff:10.0.0.1',
  '::ffff:127.0.0.1%lo',
  // IPv4-translated (SIIT): ::ffff:0:a.b.c.d
  '::ffff:0:127.0.0.1',
  '::ffff:0:7f00:1',
  // 6to4: 2002:AABB:CCDD::/48
  '2002:7f00:1::',
  '2002:7f00:0001:0000:0000:0000:0000:0001',
  '2002:a9fe:a9fe::1',
  '2002:C0A8:0101::',
  '2002:a00:1:1234::5',
  // Teredo: 2001:0::/32, the client as the last 32 bits inverted (0x80ffffff ^ 0xffffffff = 127.0.0.0)
  '2001:0:4136:e378:8000:63bf:80ff:fffe',
  '2001:0000:4136:E378:8000:63BF:80FF:FFFE',
  '2001::4136:e378:0:0:3f57:fefe', // client 192.168.1.1
  '2001:0:a00:1::f7f7:f7f7', // a private Teredo server, public client
  // NAT64, well-known and local-use
  '64:ff9b::127.0.0.1',
  '64:ff9b::7f00:1',
  '64:FF9B::A9FE:A9FE',
  '64:ff9b::10.0.0.1',
  '64:ff9b:1::808:808',
  '64:ff9b:1:abcd::1',
  // not an address at all
  'localhost',
  '',
];

const ALLOWED = [
  '8.8.8.8',
  '1.1.1.1',
  '172.32.0.1',
  '2606:4700:4700::1111',
  '2606:4700:4700:0:0:0:0:1111',
  '::ffff:8.8.8.8',
  '::FFFF:808:808',
  '2002:808:808::1',
  '2001:0:4136:e378:8000:63bf:f7f7:f7f7', // Teredo to client 8.8.8.8 via a public server
  '64:ff9b::8.8.8.8',
  '64:ff9b::808:808',
];

describe('address policy', () => {
  it.each(REFUSED)('%s is refused', (address) => {
    expect(isRefusedAddress(address)).toBe(true);
  });

  it.each(ALLOWED)('%s is allowed', (address) => {
    expect(isRefusedAddress(address)).toBe(false);
  });

  it('finds the IPv4 inside each IPv6 form', () => {
    expect(embeddedIpv4('::FFFF:7F00:1')).toEqual(['127.0.0.1']);
    expect(embeddedIpv4('::ffff:0:10.1.2.3')).toEqual(['10.1.2.3']);
    expect(embeddedIpv4('2002:c0a8:101::')).toEqual(['192.168.1.1']);
    expect(embeddedIpv4('2001:0:4136:e378:8000:63bf:3f57:fefe')).toEqual(['65.54.227.120', '192.168.1.1']);
    expect(embeddedIpv4('64:ff9b::a9fe:a9fe')).toEqual(['169.254.169.254']);
    expect(embeddedIpv4('2606:4700:4700::1111')).toEqual([]);
  });

  it('refuses a URL whose host is loopback, however it was spelled', async () => {
    for (const host of [
      '2130706433',
      '0x7f.1',
      '0177.0.0.1',
      '127.1',
      '[::7f00:1]',
      '[::127.0.0.1]',
      '[0:0:0:0:0:ffff:7F00:1]',
      '[::ffff:127.0.0.1]',
      '[2002:7f00:1::]',
      '[2001:0:4136:e378:8000:63bf:80ff:fffe]',
      '[64:ff9b::a9fe:a9fe]',
      '[64:ff9b:1::1]',
    ]) {
      const url = `http://${host}:8080/hook`;
      await expect(assertWebhookTarget(url, false), url).rejects.toMatchObject({
        code: 'webhook_url_refused',
      });
      await expect(assertWebhookTarget(url, true), url).resolves.toBeUndefined();
    }
    await expect(assertWebhookTarget('https://[2606:4700:4700::1111]/hook', false)).resolves.toBeUndefined();
  });

  it('refuses a name that resolves to IPv4 inside IPv6, when saved and when connecting', async () => {
    const answers: Record<string, string[]> = {
      'rebound.test': ['2606:4700:4700::1111', '::ffff:7f00:1'],
      'sixtofour.test': ['2002:a9fe:a9fe::'],
      'public.test': ['2606:4700:4700::1111', '64:ff9b::808:808'],
    };
    const resolve: Resolver = async (name) =>
      (answers[name] ?? []).map((address) => ({ address, family: 6 }));
    const lookup = guardedLookup(resolve);
    const connect = (name: string) =>
      new Promise<string>((done, fail) =>
        lookup(name, {}, (err, address) => (err ? fail(err) : done(String(address)))),
      );

    expect(await checkHost('rebound.test', resolve)).toEqual({ ok: false, refused: '::ffff:7f00:1' });
    expect(await checkHost('sixtofour.test', resolve)).toEqual({ ok: false, refused: '2002:a9fe:a9fe::' });
    expect(await checkHost('public.test', resolve)).toEqual({ ok: true });
    expect(await checkHost('nowhere.test', resolve)).toEqual({ ok: false, unresolvable: true });
    await expect(connect('rebound.test')).rejects.toMatchObject({ name: 'RefusedAddressError' });
    await expect(connect('sixtofour.test')).rejects.toMatchObject({ name: 'RefusedAddressError' });
    await expect(connect('public.test')).resolves.toBe('2606:4700:4700::1111');
  });

  it('refuses names that resolve to loopback through the system resolver', async () => {
    await expect(assertWebhookTarget('http://localhost/hook', false)).rejects.toMatchObject({
      code: 'webhook_url_refused',
    });
  });
});
