import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { count } from '../terminal.ts';
import { BRIDGE_PAGE_RECORDS, type BridgePage, type BridgeRun } from './bridge.ts';
import { createRateLimiter, createVendorClient, DEFAULT_HTTP_SETTINGS } from './http.ts';
import type { Connector, ConnectorContext, Cursor, StreamPage } from './types.ts';

/**
 * The bridge's own half, run on the owner's PC (`npx axon tally-bridge`): it reads the vendor there with
 * the connector's own code and sends each page to the server, which stores it as its own sync would. It
 * needs no database and no settings but the server's address and the token shown at connect. A run begins
 * where the server says each stream stopped, so a bridge that was closed or lost the network goes on from
 * its last page the server took.
 */

export interface BridgeOptions {
  connector: Connector;
  /** The vendor's address as this PC reaches it (http://localhost:9000). */
  vendor: string;
  /** The AxonBOS server's address. */
  server: string;
  token: string;
  out: NodeJS.WritableStream;
  /** Minutes between runs; once when absent. */
  everyMinutes?: number;
  signal?: AbortSignal;
}

class BridgeError extends Error {}

function serverApi(o: BridgeOptions) {
  return async <T>(path: string, body: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(new URL(`/api/v1/connectors/bridge${path}`, o.server), {
        method: 'POST',
        headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...(o.signal && { signal: o.signal }),
      });
    } catch (err) {
      throw new BridgeError(`AxonBOS at ${o.server} could not be reached (${(err as Error).message})`);
    }
    const envelope = (await res.json().catch(() => ({}))) as { data?: T; error?: { message?: string } };
    if (!res.ok || envelope.data === undefined) {
      throw new BridgeError(envelope.error?.message ?? `AxonBOS answered ${res.status}`);
    }
    return envelope.data;
  };
}

/** The connector's context on this PC: its vendor on the local network, no credentials of ours. */
function localContext(o: BridgeOptions, opened: BridgeRun): ConnectorContext {
  const { connector } = o;
  return {
    config: connector.manifest.config.parse(opened.config),
    credentials: {},
    timezone: opened.timezone,
    now: () => new Date(),
    allowPrivate: true,
    baseUrl: o.vendor,
    ...(o.signal && { signal: o.signal }),
    http: createVendorClient({
      connector: connector.manifest.id,
      baseUrl: o.vendor,
      limiter: createRateLimiter(connector.manifest.rateLimit),
      settings: DEFAULT_HTTP_SETTINGS,
      authHeaders: () => connector.authHeaders({}),
    }),
  };
}

/** One run: every stream from where it stopped; the server hears of a failure as the run's error. */
export async function bridgeOnce(o: BridgeOptions): Promise<boolean> {
  const api = serverApi(o);
  const opened = await api<BridgeRun>('/runs', {});
  if (opened.connector !== o.connector.manifest.id) {
    throw new BridgeError(`this token is for ${opened.connector}, not ${o.connector.manifest.id}`);
  }
  const ctx = localContext(o, opened);
  try {
    for (const stream of o.connector.manifest.streams) {
      let cursor: Cursor = opened.cursors[stream.name] ?? {};
      let records = 0;
      let last: StreamPage | undefined;
      for await (const page of o.connector.read(ctx, stream.name, opened.cursors[stream.name] ?? null)) {
        last = page;
        // A large page goes in parts; only the last moves the stream on, so a cut leaves nothing skipped.
        const parts = Math.max(1, Math.ceil(page.records.length / BRIDGE_PAGE_RECORDS));
        for (let i = 0; i < parts; i++) {
          const last = i === parts - 1;
          const part: BridgePage = {
            stream: stream.name,
            records: page.records.slice(
              i * BRIDGE_PAGE_RECORDS,
              (i + 1) * BRIDGE_PAGE_RECORDS,
            ) as BridgePage['records'],
            cursor: last ? page.cursor : cursor,
            ...(last && page.outstanding && { outstanding: page.outstanding }),
          };
          await api(`/runs/${opened.run_id}/pages`, part);
        }
        cursor = page.cursor;
        records += page.records.length;
        if (page.records.length > 0) o.out.write(`${stream.name}: ${count(records)} read\n`);
      }
      // A full stream's pass ends on the server as it would there: deletes settled, the carry kept.
      if (stream.mode === 'full') {
        await api(`/runs/${opened.run_id}/pages`, {
          stream: stream.name,
          records: [],
          cursor,
          ...(last?.carry && { carry: last.carry }),
          ...((last?.changesOnly || last?.unchanged) && { changes_only: true }),
          ends_pass: true,
        } satisfies BridgePage);
      }
    }
  } catch (err) {
    const message = (err as Error).message;
    if (!(err instanceof BridgeError))
      await api(`/runs/${opened.run_id}/end`, { error: message }).catch(() => {});
    o.out.write(`Could not finish: ${message}\n`);
    return false;
  }
  await api(`/runs/${opened.run_id}/end`, {});
  o.out.write(`Synced ✅ ${new Date().toLocaleString('en-IN', { timeZone: opened.timezone })}\n`);
  return true;
}

/** Runs once, or every `everyMinutes` until stopped; a failed run is tried again at the next turn. */
export async function runBridge(o: BridgeOptions): Promise<number> {
  for (;;) {
    let ok: boolean;
    try {
      ok = await bridgeOnce(o);
    } catch (err) {
      if (o.signal?.aborted) return 0;
      o.out.write(`Could not sync: ${(err as Error).message}\n`);
      ok = false;
    }
    if (o.everyMinutes === undefined) return ok ? 0 : 1;
    try {
      await sleep(o.everyMinutes * 60_000, undefined, o.signal ? { signal: o.signal } : {});
    } catch {
      return 0;
    }
  }
}

export const bridgeUsage = (
  id: string,
  vendor: string,
) => `Usage: axon ${id}-bridge --server <AxonBOS address> --token <bridge token> [--${id} <address>] [--every <minutes> | --once]

  --server   where AxonBOS runs (https://…), as shown when you connected
  --token    the bridge token shown when you connected (axb_…)
  --${id.padEnd(7)} its address on this PC (default ${vendor})
  --every    minutes between syncs (default 15); --once syncs once and exits`;

/** `axon tally-bridge …`: the arguments, then runs until stopped (Ctrl+C) or once. */
export async function bridgeCommand(
  connector: Connector,
  argv: string[],
  out: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<number> {
  const id = connector.manifest.id;
  const vendorDefault = connector.manifest.baseUrl;
  const usage = bridgeUsage(id, vendorDefault);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        [id]: { type: 'string', default: vendorDefault },
        every: { type: 'string', default: '15' },
        once: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    out.write(`${(err as Error).message}\n\n${usage}\n`);
    return 2;
  }
  const every = Number(values.every);
  const problems = [
    !URL.canParse(String(values.server ?? '')) && '--server must be AxonBOS’s address (https://…)',
    !String(values.token ?? '').startsWith('axb_') &&
      '--token must be the bridge token shown at connect (axb_…)',
    !URL.canParse(String(values[id])) && `--${id} must be an address such as ${vendorDefault}`,
    !(Number.isFinite(every) && every >= 1 && every <= 1440) && '--every must be minutes from 1 to 1440',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) {
    out.write(`${problems.join('\n')}\n\n${usage}\n`);
    return 2;
  }
  out.write(`Bridging ${connector.manifest.name} at ${values[id]} to ${values.server}\n`);
  return runBridge({
    connector,
    vendor: String(values[id]),
    server: String(values.server),
    token: String(values.token),
    out,
    ...(values.once ? {} : { everyMinutes: every }),
    ...(signal && { signal }),
  });
}
