import { beforeAll, expect, it } from 'vitest';
import type { Db } from '../../../src/db/types.ts';
import {
  linkParties,
  markUnseenDeleted,
  refreshStatistics,
  type Source,
  upsertRecords,
} from '../../../src/domain/business/records.ts';
import { newId } from '../../../src/domain/ids.ts';
import { ensureOwner } from '../../../src/domain/tenants.ts';
import { describeEachDb } from '../../support/db.ts';

/** A connection row for a business, as the connector platform would store it. */
async function connection(db: Db, phone: string, connector = 'razorpay'): Promise<Source> {
  const owner = await ensureOwner(db, phone, 'Asia/Kolkata');
  const id = newId('con');
  await db.tenant(owner.tenantId, (tx) =>
    tx.query(
      `INSERT INTO connections (id, tenant_id, connector, status, key_version, wrapped_key, credentials, webhook_token,
                                frequency_minutes)
       VALUES ($1, $2, $3, 'connected', 1, 'k', 'c', $4, 15)`,
      [id, owner.tenantId, connector, newId('whk')],
    ),
  );
  return { connectionId: id, tenantId: owner.tenantId, connector };
}

const payment = (n: number, extra: Record<string, unknown> = {}) => ({
  external_id: `pay_${n}`,
  direction: 'in',
  paid_at: '2026-11-02T10:00:00+05:30',
  amount: 10_000 * n,
  currency: 'INR',
  status: 'settled',
  method: 'upi',
  party_external_id: 'cust_1',
  raw: { id: `pay_${n}`, amount: 10_000 * n },
  ...extra,
});

describeEachDb('unified records by source', (get) => {
  let a: Source;
  let b: Source;
  beforeAll(async () => {
    a = await connection(get().db, '+919800000101');
    b = await connection(get().db, '+919800000102');
  });

  it('adds new records, rewrites only changed ones and leaves unchanged ones alone', async () => {
    const { db } = get();
    const first = await db.tenant(a.tenantId, (tx) =>
      upsertRecords(tx, a, 'payments', [payment(1), payment(2)]),
    );
    expect(first.changes.map((c) => [c.externalId, c.change]).sort()).toEqual([
      ['pay_1', 'added'],
      ['pay_2', 'added'],
    ]);
    expect(first.changes.every((c) => /^pmt_[0-9a-z]{22}$/.test(c.id))).toBe(true);
    const [before] = await db.tenant(a.tenantId, (tx) =>
      tx.query<{ synced_at: Date; id: string }>(
        "SELECT id, synced_at FROM payments WHERE external_id = 'pay_1'",
      ),
    );

    const again = await db.tenant(a.tenantId, (tx) =>
      upsertRecords(tx, a, 'payments', [payment(1), payment(2, { status: 'refunded' })]),
    );
    expect(again.unchanged).toBe(1);
    expect(again.changes).toEqual([
      { id: first.changes.find((c) => c.externalId === 'pay_2')?.id, externalId: 'pay_2', change: 'updated' },
    ]);
    const [after] = await db.tenant(a.tenantId, (tx) =>
      tx.query<{ synced_at: Date; id: string }>(
        "SELECT id, synced_at FROM payments WHERE external_id = 'pay_1'",
      ),
    );
    expect(after).toEqual(before);
  });

  it('sets aside a record that does not fit, with why, and keeps the rest of the page', async () => {
    const { db } = get();
    const result = await db.tenant(a.tenantId, (tx) =>
      upsertRecords(tx, a, 'payments', [
        payment(3, { amount: 12.5 }),
        { nonsense: true },
        payment(4, { currency: 'rupees' }),
        payment(5),
      ]),
    );
    expect(result.changes.map((c) => c.externalId)).toEqual(['pay_5']);
    expect(result.rejected.map((r) => [r.index, r.externalId])).toEqual([
      [0, 'pay_3'],
      [1, undefined],
      [2, 'pay_4'],
    ]);
    expect(result.rejected[0]?.reason).toContain('amount');
    expect(result.rejected[2]?.reason).toContain('ISO 4217');
    expect(result.rejected[1]?.reason).toContain('external_id');
  });

  it('keeps each business to its own records, whoever asks', async () => {
    const { db } = get();
    await db.tenant(b.tenantId, (tx) => upsertRecords(tx, b, 'payments', [payment(1)]));
    const seenByB = await db.tenant(b.tenantId, (tx) =>
      tx.query<{ connection_id: string }>('SELECT connection_id FROM payments'),
    );
    expect(seenByB.map((r) => r.connection_id)).toEqual([b.connectionId]);
    // Writing into another business's connection from this one's transaction is refused by the database.
    await expect(
      db.tenant(b.tenantId, (tx) => upsertRecords(tx, a, 'payments', [payment(9)])),
    ).rejects.toThrow();
  });

  it('after a full run, marks what it did not see as deleted, and brings back what returns', async () => {
    const { db } = get();
    const c = await connection(db, '+919800000103', 'zoho-books');
    const run1 = newId('run');
    await db.tenant(c.tenantId, (tx) =>
      upsertRecords(tx, c, 'payments', [payment(1), payment(2), payment(3)], { seenRun: run1 }),
    );
    const run2 = newId('run');
    const seen = await db.tenant(c.tenantId, (tx) =>
      upsertRecords(tx, c, 'payments', [payment(1), payment(3)], { seenRun: run2 }),
    );
    expect(seen.changes).toEqual([]);
    expect(await db.tenant(c.tenantId, (tx) => markUnseenDeleted(tx, c.connectionId, 'payments', run2))).toBe(
      1,
    );
    const live = await db.tenant(c.tenantId, (tx) =>
      tx.query<{ external_id: string }>(
        'SELECT external_id FROM payments WHERE deleted_at IS NULL ORDER BY external_id',
      ),
    );
    expect(live.map((r) => r.external_id)).toEqual(['pay_1', 'pay_3']);
    const back = await db.tenant(c.tenantId, (tx) => upsertRecords(tx, c, 'payments', [payment(2)]));
    expect(back.changes.map((x) => x.change)).toEqual(['updated']);
  });

  it('links records to their party, whichever was synced first', async () => {
    const { db } = get();
    const c = await connection(db, '+919800000104', 'zoho-books');
    await db.tenant(c.tenantId, (tx) => upsertRecords(tx, c, 'payments', [payment(1)]));
    const party = await db.tenant(c.tenantId, (tx) =>
      upsertRecords(tx, c, 'parties', [
        {
          external_id: 'cust_1',
          name: 'ABC Traders',
          kinds: ['customer'],
          gstin: '27AAPFU0939F1ZV',
          raw: {},
        },
      ]),
    );
    // Only parties written since the last completed sync are looked for: one written before is not.
    const after = new Date(Date.now() + 60_000);
    expect(await db.tenant(c.tenantId, (tx) => linkParties(tx, c.connectionId, after))).toBe(0);
    const before = new Date(Date.now() - 60_000);
    expect(await db.tenant(c.tenantId, (tx) => linkParties(tx, c.connectionId, before))).toBe(1);
    await db.tenant(c.tenantId, (tx) => upsertRecords(tx, c, 'payments', [payment(7)]));
    const rows = await db.tenant(c.tenantId, (tx) =>
      tx.query<{ party_id: string }>('SELECT party_id FROM payments ORDER BY external_id'),
    );
    expect(rows.map((r) => r.party_id)).toEqual([party.changes[0]?.id, party.changes[0]?.id]);
  });

  it('refreshes the planner statistics of a table after a bulk load', async () => {
    const { db } = get();
    const c = await connection(db, '+919800000105');
    await db.tenant(c.tenantId, (tx) =>
      upsertRecords(
        tx,
        c,
        'payments',
        Array.from({ length: 300 }, (_, i) => payment(1000 + i)),
      ),
    );
    const state = async () =>
      (
        await db.transaction((tx) =>
          tx.query<{ rows: number; estimate: number }>(
            `SELECT (SELECT count(*) FROM payments)::int AS rows,
                    (SELECT reltuples FROM pg_class WHERE relname = 'payments')::int AS estimate`,
          ),
        )
      )[0];
    expect((await state())?.estimate).not.toBe((await state())?.rows);
    await db.transaction((tx) => refreshStatistics(tx, ['payments']));
    const after = await state();
    expect(after?.estimate).toBe(after?.rows);
  });
});
