import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ObjectName } from '../domain/business/objects.ts';
import {
  type ConnectionRow,
  queueRun,
  type RunRow,
  setConnectionStatus,
  startRun,
  streamStates,
} from '../domain/connections/repo.ts';
import { DomainError } from '../domain/errors.ts';
import { requiredText } from '../domain/fields.ts';
import { ConnectorError } from './errors.ts';
import type { ConnectorRuntime } from './runtime.ts';
import { endPass, passOf, settle, storePage, wrapUp } from './sync-engine.ts';
import type { Connector } from './types.ts';

/**
 * The server's half of a bridge: a connector whose vendor only the owner's PC can reach (Tally on the shop's
 * LAN) is read there by `npx axon tally-bridge`, with the connector's own code, and its pages arrive here.
 * The bridge opens a run (and learns where each stream stopped), sends pages, and ends the run; each page
 * is stored as the sync engine stores its own (records, cursor and counts in one transaction), so a bridge
 * that stops resumes after the last page the server took. It authenticates with a token issued at connect
 * and shown once; only its SHA-256 is kept, and rotating or disconnecting revokes it at once.
 */

export const BRIDGE_TOKEN_PREFIX = 'axb_';
/** Records per page the server takes: a bridge splits a larger window. */
export const BRIDGE_PAGE_RECORDS = 500;

export const bridgeTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function newBridgeToken(): { token: string; hash: string } {
  const token = `${BRIDGE_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: bridgeTokenHash(token) };
}

const Cursor = z.record(z.string(), z.unknown());

export const BridgePage = z
  .strictObject({
    stream: requiredText(100),
    records: z.array(z.record(z.string(), z.unknown())).max(BRIDGE_PAGE_RECORDS),
    cursor: Cursor.meta({ description: 'Where the stream has read to after these records' }),
    outstanding: z
      .array(
        z.strictObject({
          party_name: requiredText(300),
          party_external_id: requiredText(200).optional(),
          bill: requiredText(200),
          balance: z.number().int().min(0),
        }),
      )
      .max(200_000)
      .optional()
      .meta({ description: 'Every bill still owed, once the invoices stream has read to its end' }),
    carry: Cursor.optional().meta({
      description: 'A full stream: where its next pass starts once this one ends',
    }),
    changes_only: z.boolean().optional().meta({
      description: 'A full stream: this pass read only what changed, so nothing is taken for deleted',
    }),
    ends_pass: z.boolean().optional().meta({
      description: 'A full stream read to its end: what this pass did not see is deleted',
    }),
  })
  // Postgres keeps no NUL in text or JSON: refused here, not met as a failed write.
  .refine((p) => !JSON.stringify(p).includes('\\u0000'), 'must not contain NUL characters');
export type BridgePage = z.infer<typeof BridgePage>;

export const BridgeEnd = z.strictObject({
  error: requiredText(1000)
    .optional()
    .meta({ description: 'Why the bridge could not read (Tally closed, no company open)' }),
});

export interface BridgeRun {
  run_id: string;
  connector: string;
  config: Record<string, unknown>;
  timezone: string;
  /** Where each stream stopped: the bridge reads on from there. */
  cursors: Record<string, Record<string, unknown> | null>;
}

const invalidToken = () =>
  new DomainError(
    'unauthorized',
    'bridge_token_invalid',
    'This bridge token is not valid: it was replaced or the connection was disconnected. Copy the new one from AxonBOS.',
  );

const BEARER = /^Bearer\s+(axb_[A-Za-z0-9_-]{43})$/;

export function createBridge(runtime: ConnectorRuntime) {
  const { db } = runtime;

  /** The connection the token is for: the one read made before its business is known, as the owner role. */
  async function bridged(authorization: string | undefined) {
    const token = authorization && BEARER.exec(authorization.trim())?.[1];
    if (!token) throw invalidToken();
    const [row] = await db.query<ConnectionRow & { timezone: string }>(
      `SELECT c.*, coalesce(axon_zone(t.timezone), 'Asia/Kolkata') AS timezone
         FROM connections c JOIN tenants t ON t.id = c.tenant_id WHERE c.bridge_token_hash = $1`,
      [bridgeTokenHash(token)],
    );
    const connector = row && runtime.connector(row.connector);
    if (!row || !connector || row.status === 'disconnected') throw invalidToken();
    return { connection: row, connector };
  }

  async function runningRun(connection: ConnectionRow, runId: string): Promise<RunRow> {
    const [run] = await db.tenant(connection.tenant_id, (tx) =>
      tx.query<RunRow>('SELECT * FROM sync_runs WHERE id = $1 AND connection_id = $2', [
        runId,
        connection.id,
      ]),
    );
    if (!run) throw new DomainError('not_found', 'bridge_run_not_found', `No run ${runId} for this bridge.`);
    if (run.status !== 'running') {
      throw new DomainError(
        'conflict',
        'bridge_run_ended',
        `Run ${runId} has ended (${run.status}): start another with POST /api/v1/connectors/bridge/runs.`,
      );
    }
    return run;
  }

  const streamOf = (connector: Connector, name: string) => {
    const stream = connector.manifest.streams.find((s) => s.name === name);
    if (!stream) {
      throw new DomainError(
        'invalid',
        'unknown_stream',
        `${connector.manifest.name} has no stream ${name}.`,
        {
          streams: connector.manifest.streams.map((s) => s.name),
        },
      );
    }
    return stream;
  };

  return {
    /** A run for the bridge: a new one, or the one a bridge that stopped left running (taken over). */
    async open(authorization: string | undefined): Promise<BridgeRun> {
      const { connection, connector } = await bridged(authorization);
      const binding = { tenantId: connection.tenant_id, connectionId: connection.id };
      return db.tenant(connection.tenant_id, async (tx) => {
        const { run } = await queueRun(tx, binding, 'bridge');
        const running = run.status === 'queued' ? await startRun(tx, run.id) : run;
        if (!running) throw new Error('a bridge run could not be started');
        await setConnectionStatus(tx, connection.id, { status: 'syncing', error: connection.error });
        const states = await streamStates(tx, connection.id);
        return {
          run_id: running.id,
          connector: connector.manifest.id,
          config: connection.config,
          timezone: connection.timezone,
          cursors: Object.fromEntries(
            connector.manifest.streams.map((s) => [s.name, states.get(s.name)?.cursor ?? null]),
          ),
        };
      });
    },

    async page(authorization: string | undefined, runId: string, page: BridgePage) {
      const { connection, connector } = await bridged(authorization);
      const run = await runningRun(connection, runId);
      const stream = streamOf(connector, page.stream);
      const source = {
        tenantId: connection.tenant_id,
        connectionId: connection.id,
        connector: connector.manifest.id,
      };
      const state = await db.tenant(connection.tenant_id, async (tx) =>
        (await streamStates(tx, connection.id)).get(stream.name),
      );
      const target = {
        run,
        source,
        stream,
        pass: passOf(stream, state, run.id),
        announce: connection.last_synced_at !== null,
      };
      const read = {
        records: page.records,
        cursor: page.cursor,
        ...(page.outstanding && { outstanding: page.outstanding }),
        ...(page.carry && { carry: page.carry }),
        ...(page.changes_only && { changesOnly: true }),
      };
      const counts = await storePage(runtime, target, read);
      if (page.ends_pass && stream.mode === 'full') await endPass(runtime, target, read);
      return counts;
    },

    /** The run's end: the connection synced, or in error with what the bridge met. */
    async end(authorization: string | undefined, runId: string, body: z.infer<typeof BridgeEnd>) {
      const { connection, connector } = await bridged(authorization);
      const run = await runningRun(connection, runId);
      if (body.error) {
        return settle(runtime, run, connection, new ConnectorError(connector.manifest.id, body.error));
      }
      const added = new Map<ObjectName, number>();
      for (const s of connector.manifest.streams) {
        added.set(s.object, (added.get(s.object) ?? 0) + (run.counts[s.name]?.added ?? 0));
      }
      let failure: unknown;
      try {
        await wrapUp(runtime, connection, added);
      } catch (err) {
        failure = err;
      }
      return settle(runtime, run, connection, failure);
    },
  };
}

export type Bridge = ReturnType<typeof createBridge>;
