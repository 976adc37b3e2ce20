import express, { type Router } from 'express';
import { z } from 'zod';
import { type Bridge, BridgeEnd, BridgePage } from '../../connectors/bridge.ts';
import { runOf } from '../../connectors/service.ts';
import { idOf } from '../../domain/fields.ts';
import { jsonOnly } from '../middleware/request-context.ts';
import { defineRoute } from '../route.ts';
import { StreamCounts, SyncRun } from './connectors.ts';

/**
 * Where a bridge on the owner's PC (`npx axon tally-bridge`) sends what it read: authenticated by the
 * bridge's token (`Authorization: Bearer axb_…`), not a person's, and with room for a page of records.
 */
export const BRIDGE_PREFIX = '/connectors/bridge';
/** A page of 500 vouchers with their lines, or a long list of open bills. */
const BRIDGE_BODY_LIMIT = '8mb';

const RunParams = z.strictObject({ run_id: idOf('run') });

const BridgeRun = z
  .object({
    run_id: z.string(),
    connector: z.string(),
    config: z.record(z.string(), z.unknown()),
    timezone: z.string(),
    cursors: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()),
  })
  .meta({ id: 'BridgeRun' });

const TOKEN_ERRORS = { 401: 'bridge_token_invalid: replaced, or the connection was disconnected' };
const RUN_ERRORS = { ...TOKEN_ERRORS, 404: 'bridge_run_not_found', 409: 'bridge_run_ended' };

/** The body rules of the bridge's paths only: JSON, up to 8 MB. */
export const bridgeBodies = (router: Router) =>
  router.use(BRIDGE_PREFIX, jsonOnly, express.json({ limit: BRIDGE_BODY_LIMIT }));

export const bridgeRoutes = (bridge: Bridge) => [
  defineRoute({
    method: 'post',
    path: `${BRIDGE_PREFIX}/runs`,
    operationId: 'openBridgeRun',
    summary:
      'A bridge starts a sync run (or takes over the one it left running) and learns where each stream stopped',
    tag: 'Connectors',
    access: 'public',
    idempotency: 'separate',
    response: BridgeRun,
    status: 201,
    errors: TOKEN_ERRORS,
    handler: async ({ req }) => ({ data: await bridge.open(req.get('authorization')), status: 201 }),
  }),
  defineRoute({
    method: 'post',
    path: `${BRIDGE_PREFIX}/runs/{run_id}/pages`,
    operationId: 'sendBridgePage',
    summary: 'A page the bridge read: its records and where the stream has read to after them',
    tag: 'Connectors',
    access: 'public',
    idempotency: 'separate',
    params: RunParams,
    body: BridgePage,
    response: StreamCounts,
    errors: { ...RUN_ERRORS, 400: 'unknown_stream, or a page that is not valid' },
    handler: async ({ req, params, body }) => ({
      data: await bridge.page(req.get('authorization'), params.run_id, body),
    }),
  }),
  defineRoute({
    method: 'post',
    path: `${BRIDGE_PREFIX}/runs/{run_id}/end`,
    operationId: 'endBridgeRun',
    summary: 'The bridge ends its run: synced, or in error with what it met (Tally closed)',
    tag: 'Connectors',
    access: 'public',
    idempotency: 'separate',
    params: RunParams,
    body: BridgeEnd,
    response: SyncRun,
    errors: RUN_ERRORS,
    handler: async ({ req, params, body }) => {
      const run = await bridge.end(req.get('authorization'), params.run_id, body);
      if (!run) throw new Error('a bridge run ended without a record of it');
      return { data: runOf(run) };
    },
  }),
];
