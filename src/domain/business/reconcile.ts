import type { Queryable } from '../../db/types.ts';

/**
 * Pairs bank credits with the settlements they are, by UTR: the settlement's UTR found in the credit's
 * reference (read from its narration at import). Each side is paired once; returns how many pairs were made.
 */
export async function reconcileSettlements(tx: Queryable): Promise<number> {
  const rows = await tx.query<{ id: string }>(
    `WITH pairs AS (
       SELECT DISTINCT ON (s.id) s.id AS settlement_id, b.id AS bank_id
       FROM settlements s
       JOIN bank_transactions b ON b.reference = s.utr AND b.direction = 'in' AND b.deleted_at IS NULL
                               AND b.settlement_id IS NULL
       WHERE s.bank_transaction_id IS NULL AND s.deleted_at IS NULL AND s.utr IS NOT NULL
       ORDER BY s.id, b.posted_on
     ), settled AS (
       UPDATE settlements s SET bank_transaction_id = pairs.bank_id, reconciled_at = now()
       FROM pairs WHERE s.id = pairs.settlement_id RETURNING s.id
     )
     UPDATE bank_transactions b SET settlement_id = pairs.settlement_id
     FROM pairs WHERE b.id = pairs.bank_id RETURNING b.id`,
  );
  return rows.length;
}
