import type { Db } from '../../src/db/types.ts';
import { type Source, upsertRecords } from '../../src/domain/business/records.ts';
import { sourceOf } from './connections.ts';

/**
 * A business's books as a Zoho Books connection would have synced them (an hour before 10:30 IST on
 * Wednesday 25 March 2026): ABC Traders owing ₹1,18,000 of ₹2,36,000, and two Sharmas, through the unified
 * domain's own upserts.
 */
export async function seedBooks(db: Db, tenantId: string): Promise<Source> {
  const source = await sourceOf(db, tenantId, 'zoho-books', '2026-03-25T04:00:00Z');
  await db.tenant(tenantId, async (tx) => {
    await upsertRecords(tx, source, 'parties', [
      { external_id: 'abc', name: 'ABC Traders', kinds: ['customer'], raw: {} },
      { external_id: 'sh1', name: 'Sharma Hardware', kinds: ['customer'], raw: {} },
      { external_id: 'sh2', name: 'Sharma Textiles', kinds: ['customer'], raw: {} },
    ]);
    const invoice = (n: string, party: string, total: number, balance: number) => ({
      external_id: n,
      number: n,
      direction: 'receivable',
      party_external_id: party,
      issue_date: '2026-03-05',
      due_date: '2026-03-20',
      status: balance === total ? 'open' : 'partially_paid',
      currency: 'INR',
      total,
      balance,
      raw: {},
    });
    await upsertRecords(tx, source, 'invoices', [
      invoice('INV-1', 'abc', 2_36_000_00, 1_18_000_00),
      invoice('INV-2', 'sh1', 45_500_00, 45_500_00),
      invoice('INV-3', 'sh2', 12_000_00, 12_000_00),
    ]);
  });
  return source;
}
