import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { CONNECTORS, connectorName } from '../../connectors/catalog.ts';
import { AuthorizeBody, CALLBACK_PATH, CallbackQuery, type OAuthFlow } from '../../connectors/oauth.ts';
import {
  CatalogQuery,
  ConnectBody,
  type ConnectorService,
  SyncBody,
  UpdateBody,
} from '../../connectors/service.ts';
import { OBJECT_NAMES } from '../../domain/business/objects.ts';
import { DomainError } from '../../domain/errors.ts';
import { pageFields } from '../../domain/pagination.ts';
import { envelopeOf, sendData } from '../envelope.ts';
import { HttpError } from '../errors.ts';
import { IdempotencyHeader, idempotencyKeyOf } from '../middleware/idempotency.ts';
import { ctxOf, defineRoute, requireScope, requireSession, takesNoQuery } from '../route.ts';

const IdParams = z.strictObject({
  id: z.enum(CONNECTORS.map((c) => c.manifest.id) as [string, ...string[]]),
});
const Status = z.enum(['connected', 'syncing', 'error', 'disconnected']);

const Connection = z
  .object({
    id: z.string(),
    webhook_path: z.string().nullable().meta({
      description: 'Give the vendor this path under your public address (connectors that take webhooks)',
    }),
    connector: z.string(),
    status: Status,
    config: z.record(z.string(), z.unknown()),
    frequency_minutes: z.number().int(),
    last_synced_at: z.string().nullable(),
    next_sync_at: z.string().nullable(),
    error: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({
    id: 'Connection',
    description: 'A business’s connection to one system. Credentials are never returned.',
  });

export const StreamCounts = z.object({
  added: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  rejected: z.number().int(),
  pages: z.number().int(),
});

export const SyncRun = z
  .object({
    id: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'interrupted']),
    trigger: z.enum(['connect', 'schedule', 'manual', 'bridge']),
    streams: z.array(z.string()).nullable(),
    reset: z.boolean(),
    counts: z.record(z.string(), StreamCounts.partial()),
    error: z.string().nullable(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .meta({ id: 'SyncRun' });

const CatalogEntry = z
  .object({
    id: z.string(),
    name: z.string(),
    category: z.string(),
    auth: z.enum(['api_key', 'basic', 'oauth2', 'none', 'file']),
    description: z.string(),
    status: z.enum(['available', 'connected', 'syncing', 'error', 'disconnected']),
    last_synced_at: z.string().nullable(),
    error: z.string().nullable(),
    records: z.partialRecord(z.enum(OBJECT_NAMES), z.number().int()),
  })
  .meta({ id: 'ConnectorSummary' });

const JsonSchema = z.record(z.string(), z.unknown()).meta({ description: 'A JSON Schema (2020-12)' });

const ConnectorDetail = z
  .object({
    id: z.string(),
    name: z.string(),
    category: z.string(),
    auth: z.string(),
    description: z.string(),
    setup: z.string().meta({ description: 'Where the owner finds what to paste' }),
    frequency_minutes: z.number().int(),
    config_schema: JsonSchema,
    credentials_schema: JsonSchema.meta({ description: 'Secret fields carry writeOnly: true' }),
    streams: z.array(
      z.object({
        name: z.string(),
        object: z.enum(OBJECT_NAMES),
        mode: z.enum(['incremental', 'full']),
        cursor_field: z.string().nullable(),
        description: z.string(),
        record_schema: JsonSchema,
      }),
    ),
    connection: Connection.nullable(),
  })
  .meta({ id: 'Connector' });

const BridgeAccess = z
  .object({
    token: z.string().meta({ description: 'The bridge’s token: shown only in this answer' }),
    command: z.string().meta({ description: 'What to run on the PC beside the vendor (Tally)' }),
  })
  .meta({ id: 'BridgeAccess' });

const CONNECT_ERRORS = {
  400:
    'connector_settings_invalid: the connector needs other settings; connector_auth_failed: the vendor refused ' +
    'the credentials (nothing stored); connector_setup_required',
  503: 'connector_unavailable: the vendor could not be reached; nothing stored',
};

/** The connector catalog and this business's connections: the seed's "discover available data sources". */
export const connectorRoutes = (service: ConnectorService, oauth?: OAuthFlow) => [
  defineRoute({
    method: 'get',
    path: '/connectors',
    operationId: 'listConnectors',
    summary: 'The systems AxonBOS can connect to, with this business’s state of each',
    tag: 'Connectors',
    access: 'user',
    query: CatalogQuery,
    response: z.object({ connectors: z.array(CatalogEntry) }).meta({ id: 'ConnectorCatalog' }),
    handler: async ({ ctx, query }) => ({ data: { connectors: await service.catalog(ctx, query) } }),
  }),
  defineRoute({
    method: 'get',
    path: '/connectors/{id}',
    operationId: 'getConnector',
    summary: 'One connector: what it needs, what it reads, and this business’s connection',
    tag: 'Connectors',
    access: 'user',
    params: IdParams,
    response: ConnectorDetail,
    handler: async ({ ctx, params }) => ({ data: await service.describe(ctx, params.id) }),
  }),
  ...(oauth
    ? [
        defineRoute({
          method: 'post',
          path: '/connectors/{id}/authorize',
          operationId: 'authorizeConnector',
          summary: 'Connect by the vendor’s consent page: its address, to open in a browser',
          description:
            'For connectors that sign in with OAuth (Zoho Books). Open `authorize_url`, accept there, and the vendor sends the browser back to `/api/v1/connectors/oauth/callback`, which connects this business. The link works once, for ten minutes.',
          tag: 'Connectors',
          access: 'owner',
          params: IdParams,
          body: AuthorizeBody,
          // The state is written by the connector runtime's own database handle.
          idempotency: 'separate',
          response: z
            .object({ authorize_url: z.string().url(), expires_at: z.string() })
            .meta({ id: 'AuthorizeReply' }),
          errors: {
            400: 'oauth_not_supported: this connector is connected by pasting credentials',
            503: 'oauth_not_configured: this server has no OAuth app for the vendor',
          },
          handler: async ({ ctx, params, body }) => ({ data: await oauth.authorize(ctx, params.id, body) }),
        }),
      ]
    : []),
  defineRoute({
    method: 'post',
    path: '/connectors/{id}/connect',
    operationId: 'connectConnector',
    summary:
      'Connect a system: the credentials are checked with the vendor first, then the first sync starts',
    tag: 'Connectors',
    access: 'owner',
    params: IdParams,
    body: ConnectBody,
    // The vendor is asked first: no transaction may stay open across its answer.
    idempotency: 'separate',
    response: z
      .object({
        connection: Connection,
        sync: SyncRun.nullable().meta({ description: 'The first sync; null when the records are pushed' }),
        bridge: BridgeAccess.nullable(),
      })
      .meta({ id: 'Connected' }),
    // A replay does not show the bridge's token again.
    replayAs: z.object({ connection: Connection, sync: SyncRun.nullable() }),
    status: 201,
    errors: { ...CONNECT_ERRORS, 409: 'connector_already_connected: change it with PATCH' },
    handler: async ({ ctx, params, body }) => {
      const { connection, run, bridge } = await service.connect(ctx, params.id, body);
      return { data: { connection, sync: run, bridge }, status: 201 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/connectors/{id}/bridge-token',
    operationId: 'rotateBridgeToken',
    summary: 'A new token for the connection’s bridge (shown once); the old one stops working at once',
    tag: 'Connectors',
    access: 'owner',
    params: IdParams,
    idempotency: 'separate',
    response: BridgeAccess,
    replayAs: z.object({ command: z.string() }),
    status: 201,
    errors: { 404: 'connector_not_connected', 409: 'connector_not_bridged' },
    handler: async ({ ctx, params }) => ({
      data: await service.rotateBridgeToken(ctx, params.id),
      status: 201,
    }),
  }),
  defineRoute({
    method: 'patch',
    path: '/connectors/{id}',
    operationId: 'updateConnection',
    summary: 'Change a connection’s settings or credentials (checked with the vendor again); reconnects it',
    tag: 'Connectors',
    access: 'owner',
    params: IdParams,
    body: UpdateBody,
    response: Connection,
    errors: { ...CONNECT_ERRORS, 404: 'connector_not_connected' },
    handler: async ({ ctx, params, body }) => ({ data: await service.update(ctx, params.id, body) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/connectors/{id}',
    operationId: 'disconnectConnector',
    summary: 'Disconnect: stop syncing and forget the credentials; ?purge=true also deletes its records',
    tag: 'Connectors',
    access: 'owner',
    params: IdParams,
    query: z.strictObject({ purge: z.enum(['true', 'false']).default('false') }),
    response: z.object({ connector: z.string(), disconnected: z.literal(true), purged: z.boolean() }),
    errors: { 404: 'connector_not_connected' },
    handler: async ({ ctx, params, query }) => {
      const purge = query.purge === 'true';
      await service.disconnect(ctx, params.id, purge);
      return { data: { connector: params.id, disconnected: true as const, purged: purge } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/connectors/{id}/sync',
    operationId: 'syncConnector',
    summary: 'Sync now (or join the run already queued or running)',
    tag: 'Connectors',
    access: 'owner',
    params: IdParams,
    body: SyncBody,
    idempotency: 'separate',
    response: SyncRun,
    status: 202,
    errors: {
      400: 'unknown_stream',
      404: 'connector_not_connected',
      409: 'connector_disconnected: reconnect first; connector_pushed: its records come from its bridge or files',
    },
    handler: async ({ ctx, params, body }) => ({
      data: (await service.requestSync(ctx, params.id, body)).run,
      status: 202,
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/connectors/{id}/syncs',
    operationId: 'listConnectorSyncs',
    summary: 'A connection’s sync runs, newest first',
    tag: 'Connectors',
    access: 'user',
    params: IdParams,
    query: z.strictObject({ ...pageFields }),
    response: z.object({ syncs: z.array(SyncRun) }).meta({ id: 'SyncRunList' }),
    errors: { 404: 'connector_not_connected' },
    handler: async ({ ctx, params, query }) => {
      const page = await service.runs(ctx, params.id, query);
      return {
        data: { syncs: page.items },
        page: { page: query.page, limit: query.limit, total: page.total },
      };
    },
  }),
];

/**
 * Vendors' webhook deliveries, `POST /api/v1/connectors/{id}/webhook/{token}`: outside the API's auth and
 * JSON parsing, since the signature is over the raw body and the token in the address names the connection.
 */
export function connectorWebhookHandlers(service: ConnectorService, bodyLimit: string): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: bodyLimit }),
    async (req, res, next) => {
      try {
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
        );
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const outcome = await service.webhook(String(req.params.id), String(req.params.token), raw, headers);
        sendData(res, 200, { received: true, outcome });
      } catch (err) {
        next(err);
      }
    },
  ];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem"><h1 style="font-size:1.4rem">${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;

/**
 * Where the vendor's consent page sends the browser back (`GET /api/v1/connectors/oauth/callback`): public,
 * since a browser carries no token; the state is what says whose connection it is. A browser gets a short
 * page; anything else the envelope.
 */
export function oauthCallbackHandler(oauth: OAuthFlow): RequestHandler {
  return async (req, res, next) => {
    const browser = req.accepts(['json', 'html']) === 'html';
    try {
      const query = CallbackQuery.parse(req.query);
      const { connection, run } = await oauth.complete(query);
      if (!browser) return sendData(res, 201, { connection, sync: run });
      res
        .status(201)
        .type('html')
        .send(
          page(
            `${connectorName(connection.connector)} is connected ✅`,
            'The first sync has started. You can close this tab.',
          ),
        );
    } catch (err) {
      if (!browser || !(err instanceof DomainError)) return next(err);
      res.status(400).type('html').send(page('Could not connect', err.message));
    }
  };
}

/** The callback in the OpenAPI document, beside the routes declared with defineRoute. */
export function registerOAuthCallback(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: `/api/v1${CALLBACK_PATH}`,
    operationId: 'completeConnectorOAuth',
    summary: 'Where the vendor’s consent page sends the browser back; connects the business that asked',
    tags: ['Connectors'],
    security: [],
    request: { query: CallbackQuery },
    responses: {
      201: { description: 'Connected (a short page for a browser, else the envelope with the connection)' },
      400: { description: 'oauth_state_invalid, oauth_consent_refused or connector_auth_failed' },
    },
  });
}

export const STATEMENT_IMPORT_PATH = '/connectors/bank-statement/import';
/** Statement files: CSV as text, Excel old and new. */
const STATEMENT_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];
const STATEMENT_LIMIT = '10mb';

/**
 * `POST /api/v1/connectors/bank-statement/import`: a statement file as the raw body (owners), before the
 * API's JSON-only rule: its body is a file, not JSON.
 */
export function statementImportHandlers(service: ConnectorService): RequestHandler[] {
  return [
    (req, _res, next) => {
      try {
        takesNoQuery(req);
        // Importing twice adds nothing, so a key is not needed; a malformed one is still refused.
        idempotencyKeyOf(req);
        next();
      } catch (err) {
        next(err);
      }
    },
    (req, _res, next) =>
      next(
        req.is(STATEMENT_TYPES)
          ? undefined
          : new HttpError(
              415,
              'unsupported_media_type',
              'Send the statement file itself as the body, with Content-Type text/csv, or the Excel type for .xls/.xlsx.',
            ),
      ),
    express.raw({ type: () => true, limit: STATEMENT_LIMIT }),
    async (req, res, next) => {
      try {
        const session = requireSession(res, 'owner');
        requireScope(session, 'connectors:write');
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        sendData(res, 200, await service.importStatement(ctxOf(session, res), body));
      } catch (err) {
        next(err);
      }
    },
  ];
}

const StatementImport = z
  .object({
    lines: z.number().int().meta({ description: 'Transactions read from the file' }),
    added: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int().meta({ description: 'Already imported from an earlier statement' }),
    rejected: z.number().int(),
    skipped: z.number().int().meta({ description: 'Balance, total, separator and note lines' }),
    reconciled: z.number().int().meta({ description: 'Credits paired with Razorpay settlements by UTR' }),
    from: z.string().nullable(),
    to: z.string().nullable(),
  })
  .meta({ id: 'StatementImport' });

export function registerStatementImport(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: `/api/v1${STATEMENT_IMPORT_PATH}`,
    operationId: 'importBankStatement',
    summary: 'Import a bank statement (CSV or Excel, up to 10 MB)',
    description:
      'HDFC, ICICI, SBI, Axis, Kotak or any statement with date, narration, debit/credit (or amount) and balance columns. Importing overlapping statements adds each line once; a file that cannot be read changes nothing and says which row and column.',
    tags: ['Connectors'],
    security: [{ bearerAuth: [] }, { apiKey: ['connectors:write'] }],
    request: {
      // Importing twice adds nothing: safe to send again, with a key or without.
      headers: IdempotencyHeader,
      body: {
        content: Object.fromEntries(
          STATEMENT_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]),
        ),
      },
    },
    responses: {
      200: {
        description: 'What the import did',
        // Answered in the envelope like every other route (sendData above), so the document says so.
        content: { 'application/json': { schema: envelopeOf(StatementImport) } },
      },
      400: { description: 'statement_unreadable: the row and column that could not be read' },
      403: { description: 'Owners only' },
      413: { description: 'Larger than 10 MB' },
      415: { description: 'Not a CSV or Excel body' },
    },
  });
}
