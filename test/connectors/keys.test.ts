import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { keysCommand } from '../../src/connectors/command.ts';
import { keyringFor, rotateKeys } from '../../src/connectors/keys.ts';
import { createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { createConnectorService } from '../../src/connectors/service.ts';
import { runSync } from '../../src/connectors/sync-engine.ts';
import { createVault, newMasterKey, parseMasterKey, type Vault } from '../../src/connectors/vault.ts';
import type { Db } from '../../src/db/types.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { type FakeRazorpay, startFakeRazorpay } from '../fakes/razorpay.ts';
import { describeEachDb } from '../support/db.ts';
import { capturingLogger } from '../support/logger.ts';

// Master key rotation: connections sealed under the development key kept in the database move to a real
// CONNECTOR_MASTER_KEY, keep working at every step, and the old key can then go.

describeEachDb('master key rotation', (get) => {
  let fake: FakeRazorpay;
  const v2 = newMasterKey(2);
  beforeAll(async () => {
    fake = await startFakeRazorpay({ payments: 20 });
  });
  afterAll(() => fake?.close());

  const runtimeWith = (db: Db, vault: Vault) =>
    createConnectorRuntime({ db, vault, logger: capturingLogger().logger, baseUrls: { razorpay: fake.url } });

  async function syncAll(db: Db, vault: Vault): Promise<string[]> {
    const runtime = runtimeWith(db, vault);
    const rows = await db.query<{ id: string; tenant_id: string }>(
      'SELECT id, tenant_id FROM connections ORDER BY id',
    );
    const statuses: string[] = [];
    for (const r of rows) {
      const owner = await db.query<{ id: string }>('SELECT id FROM users WHERE tenant_id = $1', [
        r.tenant_id,
      ]);
      const ctx = {
        tenantId: r.tenant_id,
        userId: owner[0]?.id ?? '',
        actor: 'user' as const,
        via: 'api' as const,
        timezone: 'Asia/Kolkata',
      };
      const { run } = await createConnectorService(runtime).requestSync(ctx, 'razorpay', {});
      statuses.push((await runSync(runtime, run.id))?.status ?? 'none');
    }
    return statuses;
  }

  it('moves every connection from the kept development key to a new master key, working throughout', async () => {
    const { db } = get();
    const dev = createVault(await keyringFor({ CONNECTOR_MASTER_KEYS_RETIRED: [] }, db));
    for (const phone of ['+919800000501', '+919800000502', '+919800000503']) {
      const owner = await ensureOwner(db, phone, 'Asia/Kolkata');
      const ctx = {
        tenantId: owner.tenantId,
        userId: owner.userId,
        actor: 'user' as const,
        via: 'api' as const,
        timezone: 'Asia/Kolkata',
      };
      await createConnectorService(runtimeWith(db, dev)).connect(ctx, 'razorpay', {
        credentials: { key_id: fake.keyId, key_secret: fake.keySecret },
      });
    }
    await db.query("UPDATE sync_runs SET status = 'failed' WHERE status = 'queued'");

    // A real key is set: the kept one is still read, as version 1, until the rotation is done.
    const both = createVault(
      await keyringFor({ CONNECTOR_MASTER_KEY: parseMasterKey(v2), CONNECTOR_MASTER_KEYS_RETIRED: [] }, db),
    );
    expect(await syncAll(db, both)).toEqual(['succeeded', 'succeeded', 'succeeded']);

    const progress: number[] = [];
    const rotation = await rotateKeys(db, both, (p) => progress.push(p.done));
    expect(rotation).toEqual({ rewrapped: 3, unreadable: [] });
    expect(progress.at(-1)).toBe(3);
    const versions = await db.query<{ key_version: number }>('SELECT DISTINCT key_version FROM connections');
    expect(versions).toEqual([{ key_version: 2 }]);
    expect(await rotateKeys(db, both)).toEqual({ rewrapped: 0, unreadable: [] });

    // Only the new key now: everything still opens.
    const only = createVault({ current: parseMasterKey(v2), retired: [] });
    expect(await syncAll(db, only)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('reports a connection no configured key opens, and moves the rest (axon keys rotate)', async () => {
    const { db } = get();
    const v3 = newMasterKey(3);
    await db.query('UPDATE connections SET key_version = 9 WHERE id = (SELECT min(id) FROM connections)');
    const out = new PassThrough();
    let printed = '';
    out.on('data', (c) => {
      printed += String(c);
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      CONNECTOR_MASTER_KEY: v3,
      CONNECTOR_MASTER_KEYS_RETIRED: v2,
    });
    const code = await keysCommand(['rotate'], {
      config,
      db,
      logger: capturingLogger().logger,
      input: new PassThrough(),
      out,
    });
    expect(code).toBe(1);
    expect(printed).toContain('Re-wrapped 2 connection keys under master key version 3');
    expect(printed).toContain('1 could not be opened');
    const left = await db.query<{ key_version: number; n: string }>(
      'SELECT key_version, count(*) AS n FROM connections GROUP BY key_version ORDER BY key_version',
    );
    expect(left.map((r) => [r.key_version, Number(r.n)])).toEqual([
      [3, 2],
      [9, 1],
    ]);
  });
});
