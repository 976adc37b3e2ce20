import { razorpay } from './razorpay/index.ts';
import type { Connector } from './types.ts';
import { zohoBooks } from './zoho-books/index.ts';

/** Every connector AxonBOS has: adding one is its folder and a line here. */
export const CONNECTORS: readonly Connector[] = [
  razorpay as unknown as Connector,
  zohoBooks as unknown as Connector,
];

/** A connector's name for people ("Zoho Books"), from its id; an id this version does not know, as it is. */
export const connectorName = (id: string): string =>
  CONNECTORS.find((c) => c.manifest.id === id)?.manifest.name ?? id;
