import type { z } from 'zod';
import type { ObjectName } from '../domain/business/objects.ts';
import type { Outstanding } from '../domain/business/records.ts';
import type { RateLimit, VendorClient } from './http.ts';

/**
 * What a connector is: a manifest (who it is, what it needs, what it reads) and three operations, as
 * Airbyte names them: `check` proves the credentials with one cheap call, `discover` is the manifest's
 * streams, `read` pages through one stream from a saved cursor. A connector only reads its vendor and hands
 * over unified records (src/domain/business/objects.ts); storing, scheduling and health are the platform's.
 */

export type AuthKind = 'api_key' | 'basic' | 'oauth2' | 'none' | 'file';
export const CATEGORIES = ['payments', 'accounting', 'banking', 'commerce', 'calendar', 'weather'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface StreamSpec {
  name: string;
  /** The unified object its records fill. */
  object: ObjectName;
  /** incremental: reads only what changed since the saved cursor; full: reads everything each run. */
  mode: 'incremental' | 'full';
  /** The vendor field the cursor follows (incremental streams). */
  cursorField?: string;
  /** A full stream whose absent records were deleted at the source (checked after a complete read). */
  tracksDeletes?: boolean;
  description: string;
}

export interface Manifest<C extends z.ZodObject = z.ZodObject, K extends z.ZodObject = z.ZodObject> {
  id: string;
  name: string;
  category: Category;
  auth: AuthKind;
  description: string;
  /** Settings that are not secret (a data centre, an organisation); validated, returned by the API. */
  config: C;
  /** Secrets, sealed in the vault, never returned; fields meant to be hidden carry `writeOnly: true`. */
  credentials: K;
  streams: StreamSpec[];
  /** How often a connection syncs by default. */
  frequencyMinutes: number;
  /** The vendor's address; CONNECTOR_<ID>_BASE_URL replaces it per process. */
  baseUrl: string;
  /** Requests per second we allow ourselves, below the vendor's limit. */
  rateLimit: RateLimit;
  /** How the owner finds the credentials: shown by the CLI and the API. */
  setup: string;
}

/** Where a stream has read to: the connector's own shape, saved as JSON after every page. */
export type Cursor = Record<string, unknown>;

export interface StreamPage {
  /** Records of the stream's unified object, as the connector maps them (validated on the way in). */
  records: unknown[];
  /** Saved once the page's records are: a restart resumes after this page. */
  cursor: Cursor;
  /**
   * Full streams: what the next pass starts from once this one completes (an ETag), where a full stream's
   * next pass otherwise starts from nothing.
   */
  carry?: Cursor;
  /**
   * Full streams: the vendor said nothing changed since the pass that carried the cursor (HTTP 304): the
   * pass ends here and nothing is taken for deleted.
   */
  unchanged?: boolean;
  /**
   * Full streams: this pass read only what changed since the pass that carried the cursor (a source that
   * says what changed but never what was deleted, as Tally's AlterIDs): nothing is taken for deleted. Its
   * next complete pass reads everything and settles deletes.
   */
  changesOnly?: boolean;
  /**
   * Invoices streams of a source that keeps balances apart from its invoices (Tally's bills): every bill
   * still owed, complete, sent once the stream has read to its end. Bills it does not list are paid.
   */
  outstanding?: Outstanding[];
}

export interface ConnectorContext<C = Record<string, unknown>, K = Record<string, unknown>> {
  config: C;
  credentials: K;
  /** The vendor client, at the connector's rate, authenticated with `credentials`. */
  http: VendorClient;
  /** The base URL `http` resolves paths against: the connector's own, or CONNECTOR_<ID>_BASE_URL's. */
  baseUrl: string;
  /** The business's time zone (a vendor that speaks dates without one). */
  timezone: string;
  /** Now, as the platform sees it (tests move it). */
  now: () => Date;
  /** Whether an owner-given address may be private or loopback (CONNECTOR_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  signal?: AbortSignal;
}

export interface Connector<C extends z.ZodObject = z.ZodObject, K extends z.ZodObject = z.ZodObject> {
  manifest: Manifest<C, K>;
  /** The headers a request carries for these credentials. */
  authHeaders(credentials: z.infer<K>): Record<string, string>;
  /** One cheap authenticated call: resolves when the vendor accepts the credentials. */
  check(ctx: ConnectorContext<z.infer<C>, z.infer<K>>): Promise<void>;
  /** The stream's pages from `cursor` (null: from the beginning). */
  read(
    ctx: ConnectorContext<z.infer<C>, z.infer<K>>,
    stream: string,
    cursor: Cursor | null,
  ): AsyncIterable<StreamPage>;
  /** The vendor's error text from an error body. */
  errorText?(body: unknown): string | undefined;
  /** Whether a response that is not a 401 still refuses the credentials (an OAuth error in a 200). */
  refused?(status: number, body: unknown): boolean;
  /**
   * Whether a connection with this config has its records pushed to the server (a bridge on the owner's PC,
   * files) rather than read by it: the server never schedules a read for it. A bridge authenticates with a
   * token issued at connect (src/connectors/bridge.ts).
   */
  pushed?(config: z.infer<C>): 'bridge' | 'files' | false;
  /**
   * Its address is the owner's (a calendar feed, a Tally host), not a vendor's: unless CONNECTOR_ALLOW_PRIVATE,
   * every connection it makes is checked against the address policy as it is made (guarded-fetch.ts).
   */
  ownerHosted?: boolean;
  /** The vendor's address for this config, when it depends on it (a data centre); the override still wins. */
  baseUrlFor?(config: z.infer<C>): string;
  /**
   * OAuth connectors: credentials with a fresh access token, minted with `ctx.http` (the refresh token is
   * in `credentials`). The platform persists them and never runs two at once for one connection.
   */
  refresh?(ctx: ConnectorContext<z.infer<C>, z.infer<K>>, credentials: z.infer<K>): Promise<z.infer<K>>;
  /** Whether these credentials must be refreshed before use at `now` (an access token about to expire). */
  stale?(credentials: z.infer<K>, now: Date): boolean;
  /** Events the vendor pushes, taken in at once (the scheduled sync still reconciles). */
  webhook?: WebhookIngest<z.infer<K>>;
  /** Connecting by the vendor's consent page (OAuth 2 authorization code), beside pasting credentials. */
  oauth?: OAuthConsent<z.infer<C>, z.infer<K>>;
}

/** This install's OAuth app at a vendor (CONNECTOR_<ID>_CLIENT_ID and _CLIENT_SECRET). */
export interface OAuthClient {
  id: string;
  secret: string;
}

export interface OAuthConsent<C, K> {
  /** The consent page for this config (the platform adds client, scope, redirect and state). */
  consentUrl(ctx: ConnectorContext<C, K>): string;
  scope: string;
  /** Further query parameters the vendor's consent page takes. */
  consentParams?: Record<string, string>;
  /** The credentials the code the vendor handed back is worth (refused: a ConnectorAuthError). */
  exchange(
    ctx: ConnectorContext<C, K>,
    grant: { code: string; redirectUri: string; client: OAuthClient },
  ): Promise<K>;
}

export interface WebhookIngest<K> {
  /** Whether the delivery is the vendor's: its signature over the raw body, with the connection's secret. */
  verify(rawBody: Buffer, headers: Record<string, string | undefined>, credentials: K): boolean;
  /** The vendor's id of the event, to take each in once. */
  eventId(headers: Record<string, string | undefined>, body: unknown): string | undefined;
  /** The records the event carries, by unified object; none for events we do not keep. */
  records(body: unknown): { object: ObjectName; records: unknown[] }[];
}
