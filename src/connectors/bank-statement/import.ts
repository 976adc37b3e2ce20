import { randomBytes } from 'node:crypto';
import { reconcileSettlements } from '../../domain/business/reconcile.ts';
import { upsertRecords } from '../../domain/business/records.ts';
import { type ConnectionRow, insertConnection, setConnectionStatus } from '../../domain/connections/repo.ts';
import type { Ctx } from '../../domain/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { ConnectorRuntime } from '../runtime.ts';
import { bankStatement } from './index.ts';
import { parseStatement, StatementError, type StatementLine } from './parse.ts';

/** Lines written per statement: a 100,000-line statement is a hundred of them, memory flat. */
const CHUNK = 1000;

export interface StatementImport {
  lines: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  skipped: number;
  /** Credits paired with settlements by their UTR. */
  reconciled: number;
  from: string | null;
  to: string | null;
}

/** The business's bank-statement connection, made on its first import. */
async function connectionFor(runtime: ConnectorRuntime, ctx: Ctx): Promise<ConnectionRow> {
  return runtime.db.tenant(ctx.tenantId, async (tx) => {
    const [row] = await tx.query<ConnectionRow>(
      "SELECT * FROM connections WHERE connector = 'bank-statement'",
    );
    if (row) return row;
    const id = newId('con');
    return insertConnection(tx, {
      id,
      tenantId: ctx.tenantId,
      connector: bankStatement.manifest.id,
      config: {},
      sealed: runtime.vault.seal({ tenantId: ctx.tenantId, connectionId: id }, {}),
      webhookToken: randomBytes(24).toString('base64url'),
      frequencyMinutes: bankStatement.manifest.frequencyMinutes,
      scheduled: false,
    });
  });
}

/**
 * A statement file into the business's bank transactions: parsed whole first (a file that cannot be read
 * changes nothing), then written in chunks, each line once however many overlapping statements bring it.
 */
export async function importStatement(
  runtime: ConnectorRuntime,
  ctx: Ctx,
  bytes: Buffer,
  onProgress?: (done: number, total: number) => void,
): Promise<StatementImport> {
  let parsed: ReturnType<typeof parseStatement>;
  try {
    parsed = parseStatement(bytes);
  } catch (err) {
    if (err instanceof StatementError) throw new DomainError('invalid', 'statement_unreadable', err.message);
    throw err;
  }
  const connection = await connectionFor(runtime, ctx);
  const source = {
    tenantId: ctx.tenantId,
    connectionId: connection.id,
    connector: bankStatement.manifest.id,
  };
  const counts = { added: 0, updated: 0, unchanged: 0, rejected: 0 };
  let done = 0;
  const write = async (chunk: StatementLine[]) => {
    const written = await runtime.db.tenant(ctx.tenantId, (tx) =>
      upsertRecords(tx, source, 'bank_transactions', chunk),
    );
    for (const c of written.changes) counts[c.change === 'added' ? 'added' : 'updated']++;
    counts.unchanged += written.unchanged;
    counts.rejected += written.rejected.length;
    done += chunk.length;
    onProgress?.(done, parsed.count);
  };
  let chunk: StatementLine[] = [];
  for (const line of parsed.lines()) {
    chunk.push(line);
    if (chunk.length === CHUNK) {
      await write(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await write(chunk);
  const reconciled = await runtime.db.tenant(ctx.tenantId, async (tx) => {
    await setConnectionStatus(tx, connection.id, { status: 'connected', synced: true });
    return reconcileSettlements(tx);
  });
  return {
    lines: parsed.count,
    ...counts,
    skipped: parsed.skipped,
    reconciled,
    from: parsed.from,
    to: parsed.to,
  };
}
