import type { Db } from '../db/types.ts';
import type { ResidencyPolicy } from '../domain/net/residency.ts';
import type { Logger } from '../log.ts';
import { CONNECTORS } from './catalog.ts';
import { guardedFetch } from './guarded-fetch.ts';
import {
  createRateLimiter,
  createVendorClient,
  DEFAULT_HTTP_SETTINGS,
  type HttpSettings,
  type RateLimit,
  type RateLimiter,
} from './http.ts';
import type { Connector, ConnectorContext } from './types.ts';
import type { Vault } from './vault.ts';

/**
 * What the platform needs to run connectors in this process: the vault, the catalog, each vendor's address
 * (CONNECTOR_<ID>_BASE_URL overrides) and request rate (one limiter per connector, shared by every
 * connection in the process), and the clock.
 */
export interface ConnectorRuntime {
  db: Db;
  vault: Vault;
  connectors: readonly Connector[];
  /** The connector of this id, if this version has it. */
  connector(id: string): Connector | undefined;
  /** The vendor's address: CONNECTOR_<ID>_BASE_URL's, else the connector's for this config, else its manifest's. */
  baseUrl(connector: Connector, config?: Record<string, unknown>): string;
  limiter(connector: Connector): RateLimiter;
  http: HttpSettings;
  now: () => Date;
  logger: Logger;
  /** Owner-given addresses (a calendar feed, a Tally host) may be private or loopback ones. */
  allowPrivate: boolean;
  /** The fetch for owner-given addresses when they may not be private: the policy applied at connect time. */
  ownerFetch(): typeof fetch;
  /** Where the business's data may be sent (DATA_RESIDENCY). */
  residency: ResidencyPolicy;
}

export interface ConnectorRuntimeOptions {
  db: Db;
  vault: Vault;
  logger: Logger;
  connectors?: readonly Connector[];
  /** By connector id. */
  baseUrls?: Record<string, string>;
  rateLimits?: Record<string, RateLimit>;
  http?: HttpSettings;
  now?: () => Date;
  allowPrivate?: boolean;
  residency?: ResidencyPolicy;
}

export function createConnectorRuntime(o: ConnectorRuntimeOptions): ConnectorRuntime {
  const limiters = new Map<string, RateLimiter>();
  let guarded: typeof fetch | undefined;
  const connectors = o.connectors ?? CONNECTORS;
  return {
    db: o.db,
    vault: o.vault,
    connectors,
    connector: (id) => connectors.find((c) => c.manifest.id === id),
    baseUrl: (c, config) =>
      o.baseUrls?.[c.manifest.id] ?? (config && c.baseUrlFor?.(config)) ?? c.manifest.baseUrl,
    limiter(c) {
      let limiter = limiters.get(c.manifest.id);
      if (!limiter) {
        limiter = createRateLimiter(o.rateLimits?.[c.manifest.id] ?? c.manifest.rateLimit);
        limiters.set(c.manifest.id, limiter);
      }
      return limiter;
    },
    http: o.http ?? DEFAULT_HTTP_SETTINGS,
    now: o.now ?? (() => new Date()),
    logger: o.logger,
    allowPrivate: o.allowPrivate ?? false,
    residency: o.residency ?? { mode: 'off', allowedHosts: [] },
    ownerFetch: () => {
      guarded ??= guardedFetch();
      return guarded;
    },
  };
}

type Credentials = Record<string, unknown>;

/**
 * Where refreshed credentials are kept (the connection's sealed row). `refresh` runs `mint` with the stored
 * credentials under a lock held across processes, unless the stored ones already differ from `current` and
 * are fresh (another process refreshed meanwhile): then those are returned as they are.
 */
export interface CredentialStore {
  refresh(current: Credentials, mint: (stored: Credentials) => Promise<Credentials>): Promise<Credentials>;
}

/** The context a connector's operations run in, for one set of (already validated) settings. */
export function contextFor(
  runtime: ConnectorRuntime,
  connector: Connector,
  settings: {
    config: Record<string, unknown>;
    credentials: Credentials;
    timezone: string;
    signal?: AbortSignal;
    /** Without one (a check before connecting), refreshed credentials live only as long as the context. */
    store?: CredentialStore;
  },
): ConnectorContext {
  let credentials = settings.credentials;
  let refreshing: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    // One refresh at a time within the process; the store serialises processes.
    refreshing ??= (async () => {
      const mint = (stored: Credentials) => connector.refresh?.(ctx, stored) ?? Promise.resolve(stored);
      credentials = settings.store
        ? await settings.store.refresh(credentials, mint)
        : await mint(credentials);
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };
  const baseUrl = runtime.baseUrl(connector, settings.config);
  const ctx: ConnectorContext = {
    config: settings.config,
    get credentials() {
      return credentials;
    },
    timezone: settings.timezone,
    now: runtime.now,
    allowPrivate: runtime.allowPrivate,
    baseUrl,
    ...(settings.signal && { signal: settings.signal }),
    http: createVendorClient({
      connector: connector.manifest.id,
      baseUrl,
      limiter: runtime.limiter(connector),
      settings: runtime.http,
      async authHeaders() {
        if (connector.stale?.(credentials, runtime.now())) await refresh();
        return connector.authHeaders(credentials);
      },
      ...(connector.refresh && {
        refresh: async () => {
          await refresh();
          return true;
        },
      }),
      ...(connector.errorText && { errorText: connector.errorText }),
      ...(connector.refused && { refused: connector.refused }),
      ...(connector.ownerHosted && !runtime.allowPrivate && { fetch: runtime.ownerFetch() }),
      residency: runtime.residency,
    }),
  };
  return ctx;
}
