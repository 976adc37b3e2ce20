import type { Db } from '../db/types.ts';
import type { Logger } from '../log.ts';
import { CONNECTORS } from './catalog.ts';
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
  baseUrl(connector: Connector): string;
  limiter(connector: Connector): RateLimiter;
  http: HttpSettings;
  now: () => Date;
  logger: Logger;
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
}

export function createConnectorRuntime(o: ConnectorRuntimeOptions): ConnectorRuntime {
  const limiters = new Map<string, RateLimiter>();
  return {
    db: o.db,
    vault: o.vault,
    connectors: o.connectors ?? CONNECTORS,
    baseUrl: (c) => o.baseUrls?.[c.manifest.id] ?? c.manifest.baseUrl,
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
  };
}

/** The context a connector's operations run in, for one set of (already validated) settings. */
export function contextFor(
  runtime: ConnectorRuntime,
  connector: Connector,
  settings: {
    config: Record<string, unknown>;
    credentials: Record<string, unknown>;
    timezone: string;
    signal?: AbortSignal;
  },
): ConnectorContext {
  return {
    config: settings.config,
    credentials: settings.credentials,
    timezone: settings.timezone,
    now: runtime.now,
    ...(settings.signal && { signal: settings.signal }),
    http: createVendorClient({
      connector: connector.manifest.id,
      baseUrl: runtime.baseUrl(connector),
      limiter: runtime.limiter(connector),
      settings: runtime.http,
      authHeaders: () => connector.authHeaders(settings.credentials),
      ...(connector.errorText && { errorText: connector.errorText }),
    }),
  };
}
