import { describe, expect, it } from 'vitest';
import { nextLink } from '../../src/connectors/declarative/engine.ts';
import { connectorFromManifest } from '../../src/connectors/declarative/load.ts';
import { fill, mapRecord } from '../../src/connectors/declarative/mapping.ts';
import shopify from '../../src/connectors/manifests/shopify.json' with { type: 'json' };

describe('declarative manifests', () => {
  it('refuses a broken manifest, naming the file and each field', () => {
    const broken = structuredClone(shopify) as Record<string, unknown> & {
      streams: Record<string, unknown>[];
    };
    broken.category = 'groceries';
    (broken.streams[0] as Record<string, unknown>).object = 'invoicez';
    delete (broken.streams[1] as { map: Record<string, unknown> }).map.external_id;
    expect(() => connectorFromManifest('manifests/broken.json', broken)).toThrow(
      /manifests\/broken\.json is not valid:\n {2}category: .*\n {2}streams\.0\.object: .*\n {2}streams\.1\.map: must map external_id/,
    );
  });

  it('maps paths, joins, cases, lookups and conversions, rupees to paise exactly', () => {
    const map = {
      external_id: 'id',
      name: { join: ['first', 'last'], otherwise: { first: ['company', 'email'] } },
      total: { path: 'price', as: 'rupees' as const },
      day: { path: 'at', as: 'date' as const },
      at: { path: 'local', as: 'instant' as const },
      kind: { path: 'k', map: { a: 'customer' }, default: 'supplier' },
      state: { cases: [{ when: { path: 'gone', present: true }, value: 'void' }], default: 'open' },
    };
    const record = {
      id: 7,
      first: null,
      company: 'Gupta & Sons',
      price: '0.29',
      at: '2026-03-31T20:00:00Z',
      local: '2026-03-31 23:45',
      k: 'z',
    };
    expect(mapRecord(record, map, 'Asia/Kolkata')).toEqual({
      external_id: '7',
      name: 'Gupta & Sons',
      total: 29,
      // 20:00 UTC on 31 March is 1 April in India.
      day: '2026-04-01',
      at: '2026-03-31T18:15:00.000Z',
      kind: 'supplier',
      state: 'open',
      raw: record,
    });
  });

  it('leaves a value it cannot read as sent, for the unified schema to reject that record alone', () => {
    const out = mapRecord(
      { id: 1, price: '12,O00' },
      { external_id: 'id', total: { path: 'price', as: 'rupees' } },
      'Asia/Kolkata',
    );
    expect(out.total).toBe('12,O00');
  });

  it('fills templates and refuses a missing value rather than sending "undefined"', () => {
    expect(fill('https://{{config.shop}}/admin/', { config: { shop: 'a.myshopify.com' } })).toBe(
      'https://a.myshopify.com/admin/',
    );
    expect(() => fill('{{credentials.token}}', { credentials: {} })).toThrow('credentials.token is not set');
  });

  it('follows rel="next" among several links', () => {
    expect(nextLink('<https://x/p?page_info=a>; rel="previous", <https://x/p?page_info=b>; rel="next"')).toBe(
      'https://x/p?page_info=b',
    );
    expect(nextLink(null)).toBeUndefined();
  });
});
