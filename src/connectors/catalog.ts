import { bankStatement } from './bank-statement/index.ts';
import { connectorFromManifest } from './declarative/load.ts';
import { icsCalendar } from './ics-calendar/index.ts';
import openMeteo from './manifests/open-meteo.json' with { type: 'json' };
import shopify from './manifests/shopify.json' with { type: 'json' };
import { razorpay } from './razorpay/index.ts';
import { tally } from './tally/index.ts';
import type { Connector } from './types.ts';
import { zohoBooks } from './zoho-books/index.ts';

/**
 * Every connector AxonBOS has: adding one is its folder (or a manifest in manifests/, for a plain HTTP/JSON
 * API) and a line here. A manifest that does not hold stops the process at start, naming file and field.
 */
export const CONNECTORS: readonly Connector[] = [
  razorpay as unknown as Connector,
  zohoBooks as unknown as Connector,
  connectorFromManifest('manifests/shopify.json', shopify),
  connectorFromManifest('manifests/open-meteo.json', openMeteo),
  icsCalendar as unknown as Connector,
  bankStatement as unknown as Connector,
  tally as unknown as Connector,
];

/** A connector's name for people ("Zoho Books"), from its id; an id this version does not know, as it is. */
export const connectorName = (id: string): string =>
  CONNECTORS.find((c) => c.manifest.id === id)?.manifest.name ?? id;
