import { afterAll, beforeAll, expect, it } from 'vitest';
import { createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { runSync } from '../../src/connectors/sync-engine.ts';
import type { Connector } from '../../src/connectors/types.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../src/connectors/vault.ts';
import { zohoBooks } from '../../src/connectors/zoho-books/index.ts';
import type { Db } from '../../src/db/types.ts';
import { type ConnectionRow, insertConnection, queueRun } from '../../src/domain/connections/repo.ts';
import { newId } from '../../src/domain/ids.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { type FakeZohoBooks, startFakeZohoBooks } from '../fakes/zoho-books.ts';
import { describeEachDb } from '../support/db.ts';
import { capturingLogger } from '../support/logger.ts';

const INVOICES = 450;
const vault = createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] });

describeEachDb('Zoho Books paging while the books change', (get) => {
  let fake: FakeZohoBooks;
  beforeAll(async () => {
    fake = await startFakeZohoBooks({ invoices: INVOICES });
  });
  afterAll(() => fake.close());

  async function connect(db: Db): Promise<ConnectionRow> {
    const owner = await ensureOwner(db, '+919800000391', 'Asia/Kolkata');
    const id = newId('con');
    return db.tenant(owner.tenantId, (tx) =>
      insertConnection(tx, {
        id,
        tenantId: owner.tenantId,
        connector: 'zoho-books',
        config: { data_center: 'in' },
        sealed: vault.seal(
          { tenantId: owner.tenantId, connectionId: id },
          { client_id: fake.clientId, client_secret: fake.clientSecret, refresh_token: fake.refreshToken },
        ),
        webhookToken: newId('whk'),
        frequencyMinutes: 15,
      }),
    );
  }

  it('loses no invoice when one changes between pages: the changed one is read by the next run', async () => {
    const { db } = get();
    const c = await connect(db);
    const runtime = createConnectorRuntime({
      db,
      vault,
      logger: capturingLogger().logger,
      baseUrls: { 'zoho-books': fake.url },
      rateLimits: { 'zoho-books': { perSecond: 10_000, burst: 100 } },
      connectors: [zohoBooks as unknown as Connector],
    });
    const sync = async (onFirstPage?: () => void) => {
      const { run } = await db.tenant(c.tenant_id, (tx) =>
        queueRun(tx, { tenantId: c.tenant_id, connectionId: c.id }, 'manual'),
      );
      let pages = 0;
      const done = await runSync(runtime, run.id, {
        onPage: (stream) => {
          if (stream === 'invoices' && ++pages === 1) onFirstPage?.();
        },
      });
      expect(done?.status).toBe('succeeded');
    };
    const stored = async () =>
      db.tenant(c.tenant_id, (tx) =>
        tx.query<{ external_id: string; status: string }>('SELECT external_id, status FROM invoices'),
      );

    // After the first page is stored, an invoice the read has not reached yet is paid: it moves to the
    // newest end of the list, and every invoice behind it moves up one place.
    const changed = fake.invoices[10];
    if (!changed) throw new Error('no invoice 10');
    await sync(() =>
      Object.assign(changed, { status: 'paid', balance: 0, last_modified_time: '2026-06-01T10:00:00+0000' }),
    );
    const first = await stored();
    const missing = fake.invoices
      .map((i) => i.invoice_id)
      .filter((id) => !first.some((r) => r.external_id === id));
    // Only the changed invoice may wait for the next run; no unchanged one is skipped.
    expect(missing.filter((id) => id !== changed.invoice_id)).toEqual([]);

    await sync();
    const second = await stored();
    expect(second).toHaveLength(INVOICES);
    expect(second.find((r) => r.external_id === changed.invoice_id)?.status).toBe('paid');
  });
});
