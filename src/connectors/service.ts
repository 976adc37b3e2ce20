import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Queryable } from '../db/types.ts';
import { appendAudit } from '../domain/audit.ts';
import { OBJECTS, type ObjectName } from '../domain/business/objects.ts';
import {
  type ConnectionRow,
  type ConnectionStatus,
  getConnection,
  insertConnection,
  queueRun,
  type RunRow,
} from '../domain/connections/repo.ts';
import type { Ctx } from '../domain/context.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { text } from '../domain/fields.ts';
import { newId } from '../domain/ids.ts';
import { fetchPage, type Page } from '../domain/pagination.ts';
import { importStatement } from './bank-statement/import.ts';
import { newBridgeToken } from './bridge.ts';
import { ConnectorAuthError, ConnectorError, ConnectorSetupError } from './errors.ts';
import { type ConnectorRuntime, contextFor } from './runtime.ts';
import { CATEGORIES, type Connector, type Manifest } from './types.ts';
import { type Sealed, sealedOf } from './vault.ts';
import { ingestWebhook } from './webhooks.ts';

/**
 * What the API and the CLI do with connectors: the catalog with this business's state, one connector's
 * manifest, connecting (credentials checked with the vendor first, stored only when accepted), changing,
 * disconnecting, asking for a sync, and the runs. Credentials go into the vault and never come out here.
 */

export type CatalogStatus = ConnectionStatus | 'available';

export interface Connection {
  id: string;
  /** Where the vendor's webhooks go (behind your public address), for connectors that take them. */
  webhook_path: string | null;
  connector: string;
  status: ConnectionStatus;
  config: Record<string, unknown>;
  frequency_minutes: number;
  last_synced_at: string | null;
  next_sync_at: string | null;
  error: string | null;
  created_at: string;
}

export interface CatalogEntry {
  id: string;
  name: string;
  category: string;
  auth: string;
  description: string;
  status: CatalogStatus;
  last_synced_at: string | null;
  error: string | null;
  /** Live records per unified object, from this connection. */
  records: Partial<Record<ObjectName, number>>;
}

export const CatalogQuery = z.strictObject({
  category: z.enum(CATEGORIES).optional(),
  status: z.enum(['available', 'connected', 'syncing', 'error', 'disconnected']).optional(),
  q: text(100).optional().meta({ description: 'Words to find in the name or description' }),
});
export type CatalogQuery = z.infer<typeof CatalogQuery>;

export const ConnectBody = z.strictObject({
  config: z.record(z.string(), z.unknown()).default({}),
  credentials: z.record(z.string(), z.unknown()),
});
export const UpdateBody = z
  .strictObject({
    config: z.record(z.string(), z.unknown()).optional(),
    credentials: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((b) => b.config !== undefined || b.credentials !== undefined, 'send config, credentials or both');
export const SyncBody = z.strictObject({
  streams: z
    .array(z.string().max(100))
    .min(1)
    .max(50)
    .optional()
    .meta({ description: 'Only these streams (all when absent)', example: ['payments'] }),
  reset: z.boolean().default(false),
});

/** Who a connector is, as the catalog and its own page both show it. */
const summaryOf = (m: Manifest) => ({
  id: m.id,
  name: m.name,
  category: m.category,
  auth: m.auth,
  description: m.description,
});

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const connectionOf = (row: ConnectionRow, connector: Connector): Connection => ({
  id: row.id,
  webhook_path: connector.webhook ? `/api/v1/connectors/${row.connector}/webhook/${row.webhook_token}` : null,
  connector: row.connector,
  status: row.status,
  config: row.config,
  frequency_minutes: row.frequency_minutes,
  last_synced_at: iso(row.last_synced_at),
  next_sync_at: iso(row.next_sync_at),
  error: row.error,
  created_at: new Date(row.created_at).toISOString(),
});

export interface SyncRun {
  id: string;
  status: RunRow['status'];
  trigger: RunRow['trigger'];
  streams: string[] | null;
  reset: boolean;
  counts: RunRow['counts'];
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export const runOf = (r: RunRow): SyncRun => ({
  id: r.id,
  status: r.status,
  trigger: r.trigger,
  streams: r.streams,
  reset: r.reset,
  counts: r.counts,
  error: r.error,
  created_at: new Date(r.created_at).toISOString(),
  started_at: iso(r.started_at),
  finished_at: iso(r.finished_at),
});

const RECORD_COUNTS = Object.values(OBJECTS)
  .map(
    (o) =>
      `SELECT connection_id, '${o.table}' AS object, count(*)::int AS n FROM ${o.table}
       WHERE deleted_at IS NULL GROUP BY connection_id`,
  )
  .join(' UNION ALL ');

/** New settings for a connection: it is connected again and syncs at once (unless its records are pushed). */
async function storeSettings(
  tx: Queryable,
  connectionId: string,
  config: Record<string, unknown>,
  sealed: Sealed,
  scheduled: boolean,
): Promise<ConnectionRow> {
  const [row] = await tx.query<ConnectionRow>(
    `UPDATE connections SET config = $2, key_version = $3, wrapped_key = $4, credentials = $5,
       status = CASE WHEN status = 'syncing' THEN status ELSE 'connected' END, error = NULL, disconnected_at = NULL,
       next_sync_at = CASE WHEN $6 THEN now() END, updated_at = now()
     WHERE id = $1 RETURNING *`,
    [connectionId, config, sealed.keyVersion, sealed.wrappedKey, sealed.ciphertext, scheduled],
  );
  if (!row) throw notFound('connection', connectionId);
  return row;
}

/** What the owner runs on the PC beside the vendor: the token, shown only here. */
export interface BridgeAccess {
  token: string;
  command: string;
}

/** A new token for the connection's bridge, replacing any before it; only its hash is kept. */
async function issueBridgeToken(tx: Queryable, connectionId: string): Promise<string> {
  const issued = newBridgeToken();
  await tx.query('UPDATE connections SET bridge_token_hash = $2, updated_at = now() WHERE id = $1', [
    connectionId,
    issued.hash,
  ]);
  return issued.token;
}

/** What the vendor said of an attempt to connect, as an error the owner can act on. */
export function ownerError(connector: Connector, err: unknown): unknown {
  const name = connector.manifest.name;
  if (err instanceof ConnectorAuthError) {
    return new DomainError(
      'invalid',
      'connector_auth_failed',
      `${name} did not accept these credentials: ${err.message}.`,
    );
  }
  if (err instanceof ConnectorSetupError) {
    return new DomainError(
      'invalid',
      'connector_setup_required',
      `${name} needs one more step: ${err.message}.`,
    );
  }
  if (err instanceof ConnectorError) {
    return new DomainError(
      'unavailable',
      'connector_unavailable',
      `${name} could not be reached just now: ${err.message}. Try again in a minute.`,
    );
  }
  return err;
}

export function createConnectorService(
  runtime: ConnectorRuntime,
  /** Where the owner's bridge reaches this server. */
  options: { publicUrl?: string } = {},
) {
  const { db } = runtime;
  const publicUrl = options.publicUrl ?? 'http://localhost:3000';

  const bridgeAccess = (connector: Connector, token: string): BridgeAccess => {
    const id = connector.manifest.id;
    const vendor = connector.manifest.baseUrl.replace(/\/$/, '');
    return {
      token,
      command: `npx axon ${id}-bridge --${id} ${vendor} --server ${publicUrl} --token ${token}`,
    };
  };

  const connectorOr404 = (id: string): Connector => {
    const c = runtime.connector(id);
    if (!c) throw notFound('connector', id);
    return c;
  };

  const connectionFor = async (ctx: Ctx, connector: string) => {
    const [row] = await db.tenant(ctx.tenantId, (tx) =>
      tx.query<ConnectionRow>('SELECT * FROM connections WHERE connector = $1', [connector]),
    );
    return row;
  };

  const connectedOr404 = async (ctx: Ctx, connector: Connector) => {
    const row = await connectionFor(ctx, connector.manifest.id);
    if (!row) {
      throw new DomainError(
        'not_found',
        'connector_not_connected',
        `${connector.manifest.name} is not connected: POST /api/v1/connectors/${connector.manifest.id}/connect first.`,
      );
    }
    return row;
  };

  /** The vendor's word on the credentials, as an error the owner can act on; nothing stored yet. */
  async function check(
    ctx: Ctx,
    connector: Connector,
    settings: { config: Record<string, unknown>; credentials: Record<string, unknown> },
  ) {
    const [tenant] = await db.tenant(ctx.tenantId, (tx) =>
      tx.query<{ timezone: string }>('SELECT timezone FROM tenants WHERE id = $1', [ctx.tenantId]),
    );
    try {
      await connector.check(
        contextFor(runtime, connector, { ...settings, timezone: tenant?.timezone ?? 'Asia/Kolkata' }),
      );
    } catch (err) {
      throw ownerError(connector, err);
    }
  }

  /** The connector's own rules for its settings: a business rule of that connector, not the body's shape. */
  const settingsFor = (connector: Connector, body: { config: unknown; credentials: unknown }) => {
    const parsed = z
      .object({ config: connector.manifest.config, credentials: connector.manifest.credentials })
      .safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      const first = issues[0];
      throw new DomainError(
        'invalid',
        'connector_settings_invalid',
        `${connector.manifest.name} needs different settings: ${first ? `${first.path}: ${first.message}` : 'see details'}.`,
        { issues },
      );
    }
    return parsed.data as { config: Record<string, unknown>; credentials: Record<string, unknown> };
  };

  return {
    async catalog(ctx: Ctx, query: CatalogQuery): Promise<CatalogEntry[]> {
      const [rows, counts] = await db.tenant(
        ctx.tenantId,
        async (tx) =>
          [
            await tx.query<ConnectionRow>('SELECT * FROM connections'),
            await tx.query<{ connection_id: string; object: ObjectName; n: number }>(RECORD_COUNTS),
          ] as const,
      );
      const q = query.q?.toLowerCase();
      return runtime.connectors
        .map((c): CatalogEntry => {
          const m = c.manifest;
          const row = rows.find((r) => r.connector === m.id);
          const records: CatalogEntry['records'] = {};
          for (const n of counts) if (row && n.connection_id === row.id) records[n.object] = Number(n.n);
          return {
            ...summaryOf(m),
            status: row?.status ?? 'available',
            last_synced_at: iso(row?.last_synced_at ?? null),
            error: row?.error ?? null,
            records,
          };
        })
        .filter(
          (e) =>
            (!query.category || e.category === query.category) &&
            (!query.status || e.status === query.status) &&
            (!q ||
              e.name.toLowerCase().includes(q) ||
              e.id.includes(q) ||
              e.description.toLowerCase().includes(q)),
        );
    },

    async describe(ctx: Ctx, id: string) {
      const connector = connectorOr404(id);
      const m = connector.manifest;
      const row = await connectionFor(ctx, id);
      return {
        ...summaryOf(m),
        setup: m.setup,
        frequency_minutes: m.frequencyMinutes,
        config_schema: z.toJSONSchema(m.config),
        credentials_schema: z.toJSONSchema(m.credentials),
        streams: m.streams.map((s) => ({
          name: s.name,
          object: s.object,
          mode: s.mode,
          cursor_field: s.cursorField ?? null,
          description: s.description,
          record_schema: z.toJSONSchema(OBJECTS[s.object].schema, { io: 'input' }),
        })),
        connection: row ? connectionOf(row, connector) : null,
      };
    },

    /** Connects, or reconnects a connection that was disconnected (its records keep their ids). */
    async connect(
      ctx: Ctx,
      id: string,
      body: z.input<typeof ConnectBody>,
    ): Promise<{ connection: Connection; run: SyncRun | null; bridge: BridgeAccess | null }> {
      const connector = connectorOr404(id);
      const settings = settingsFor(connector, ConnectBody.parse(body));
      const existing = await connectionFor(ctx, id);
      if (existing && existing.status !== 'disconnected') {
        throw new DomainError(
          'conflict',
          'connector_already_connected',
          `${connector.manifest.name} is already connected: change it with PATCH /api/v1/connectors/${id}.`,
        );
      }
      const pushed = connector.pushed?.(settings.config) ?? false;
      // A pushed connection's vendor is reached by its bridge, not from here: nothing to check yet.
      if (!pushed) await check(ctx, connector, settings);
      const connectionId = existing?.id ?? newId('con');
      const sealed = runtime.vault.seal({ tenantId: ctx.tenantId, connectionId }, settings.credentials);
      return db.tenant(ctx.tenantId, async (tx) => {
        const row = existing
          ? await storeSettings(tx, connectionId, settings.config, sealed, !pushed)
          : await insertConnection(tx, {
              id: connectionId,
              tenantId: ctx.tenantId,
              connector: id,
              config: settings.config,
              sealed,
              webhookToken: randomBytes(24).toString('base64url'),
              frequencyMinutes: connector.manifest.frequencyMinutes,
              scheduled: !pushed,
            });
        const bridge =
          pushed === 'bridge' ? bridgeAccess(connector, await issueBridgeToken(tx, row.id)) : null;
        appendAudit(tx, ctx, {
          action: 'connector.connected',
          entity: 'connection',
          entityId: row.id,
          after: { connector: id, config: settings.config },
        });
        if (pushed) return { connection: connectionOf(row, connector), run: null, bridge };
        const { run } = await queueRun(tx, { tenantId: ctx.tenantId, connectionId }, 'connect');
        return { connection: connectionOf(row, connector), run: runOf(run), bridge };
      });
    },

    /** A new bridge token for the connection, shown once; the one before stops working at once. */
    async rotateBridgeToken(ctx: Ctx, id: string): Promise<BridgeAccess> {
      const connector = connectorOr404(id);
      const row = await connectedOr404(ctx, connector);
      const parsed = connector.manifest.config.safeParse(row.config);
      if (!parsed.success || connector.pushed?.(parsed.data) !== 'bridge' || row.status === 'disconnected') {
        throw new DomainError(
          'conflict',
          'connector_not_bridged',
          `${connector.manifest.name} is not connected through a bridge.`,
        );
      }
      return db.tenant(ctx.tenantId, async (tx) => {
        const access = bridgeAccess(connector, await issueBridgeToken(tx, row.id));
        appendAudit(tx, ctx, {
          action: 'connector.bridge_token_rotated',
          entity: 'connection',
          entityId: row.id,
        });
        return access;
      });
    },

    async update(ctx: Ctx, id: string, body: z.input<typeof UpdateBody>): Promise<Connection> {
      const connector = connectorOr404(id);
      const patch = UpdateBody.parse(body);
      const row = await connectedOr404(ctx, connector);
      const binding = { tenantId: ctx.tenantId, connectionId: row.id };
      const current = runtime.vault.open(binding, sealedOf(row));
      const settings = settingsFor(connector, {
        config: patch.config ?? row.config,
        credentials: patch.credentials ? { ...current, ...patch.credentials } : current,
      });
      const pushed = connector.pushed?.(settings.config) ?? false;
      if (!pushed) await check(ctx, connector, settings);
      const sealed = runtime.vault.seal(binding, settings.credentials);
      return db.tenant(ctx.tenantId, async (tx) => {
        const updated = await storeSettings(tx, row.id, settings.config, sealed, !pushed);
        appendAudit(tx, ctx, {
          action: 'connector.updated',
          entity: 'connection',
          entityId: row.id,
          before: { config: row.config },
          after: { config: settings.config, credentials_changed: patch.credentials !== undefined },
        });
        return connectionOf(updated, connector);
      });
    },

    /**
     * Stops syncing and forgets the credentials. The records stay, with their source, unless `purge`, which
     * deletes the connection and everything it brought.
     */
    async disconnect(ctx: Ctx, id: string, purge: boolean): Promise<void> {
      const connector = connectorOr404(id);
      const row = await connectedOr404(ctx, connector);
      const forgotten = runtime.vault.seal({ tenantId: ctx.tenantId, connectionId: row.id }, {});
      await db.tenant(ctx.tenantId, async (tx) => {
        if (purge) {
          await tx.query('DELETE FROM connections WHERE id = $1', [row.id]);
        } else {
          await tx.query(
            `UPDATE connections SET status = 'disconnected', error = NULL, disconnected_at = now(), next_sync_at = NULL,
               key_version = $2, wrapped_key = $3, credentials = $4, bridge_token_hash = NULL, updated_at = now()
             WHERE id = $1`,
            [row.id, forgotten.keyVersion, forgotten.wrappedKey, forgotten.ciphertext],
          );
          await tx.query(
            `UPDATE sync_runs SET status = 'failed', error = 'disconnected by the owner', finished_at = now()
             WHERE connection_id = $1 AND status = 'queued'`,
            [row.id],
          );
        }
        appendAudit(tx, ctx, {
          action: 'connector.disconnected',
          entity: 'connection',
          entityId: row.id,
          before: { connector: id },
          after: { purge },
        });
      });
    },

    async requestSync(
      ctx: Ctx,
      id: string,
      body: z.input<typeof SyncBody>,
    ): Promise<{ run: SyncRun; queued: boolean }> {
      const connector = connectorOr404(id);
      const options = SyncBody.parse(body);
      const unknown = options.streams?.filter((s) => !connector.manifest.streams.some((x) => x.name === s));
      if (unknown?.length) {
        throw new DomainError(
          'invalid',
          'unknown_stream',
          `${connector.manifest.name} has no stream ${unknown.join(', ')}.`,
          {
            streams: connector.manifest.streams.map((s) => s.name),
          },
        );
      }
      const row = await connectedOr404(ctx, connector);
      const settings = connector.manifest.config.safeParse(row.config);
      if (settings.success && connector.pushed?.(settings.data)) {
        throw new DomainError(
          'conflict',
          'connector_pushed',
          `${connector.manifest.name} sends its records itself, so there is nothing to start here. ${connector.manifest.setup}`,
        );
      }
      if (row.status === 'disconnected') {
        throw new DomainError(
          'conflict',
          'connector_disconnected',
          `${connector.manifest.name} stopped accepting the connection: reconnect with PATCH /api/v1/connectors/${id} and new credentials.`,
        );
      }
      const { run, queued } = await db.tenant(ctx.tenantId, (tx) =>
        queueRun(tx, { tenantId: ctx.tenantId, connectionId: row.id }, 'manual', options),
      );
      return { run: runOf(run), queued };
    },

    /** A bank statement file into the business's bank transactions (owners). */
    importStatement: (ctx: Ctx, bytes: Buffer, onProgress?: (done: number, total: number) => void) =>
      importStatement(runtime, ctx, bytes, onProgress),

    async runs(ctx: Ctx, id: string, page: { page: number; limit: number }): Promise<Page<SyncRun>> {
      const connector = connectorOr404(id);
      const row = await connectedOr404(ctx, connector);
      const found = await db.tenant(ctx.tenantId, (tx) =>
        fetchPage<RunRow>(tx, {
          from: 'sync_runs',
          where: 'connection_id = $1',
          order: 'created_at DESC, id DESC',
          params: [row.id],
          ...page,
        }),
      );
      return { items: found.items.map(runOf), total: found.total };
    },

    /** A vendor's webhook delivery (src/connectors/webhooks.ts). */
    webhook: (
      connectorId: string,
      token: string,
      rawBody: Buffer,
      headers: Record<string, string | undefined>,
    ) => ingestWebhook(runtime, connectorId, token, rawBody, headers),

    getConnection: (ctx: Ctx, connectionId: string) =>
      db.tenant(ctx.tenantId, (tx) => getConnection(tx, connectionId)),
  };
}

export type ConnectorService = ReturnType<typeof createConnectorService>;
