-- A bank credit and the Razorpay settlement it is, found by the UTR in the credit's narration.
ALTER TABLE bank_transactions ADD COLUMN settlement_id text;
ALTER TABLE settlements ADD COLUMN bank_transaction_id text, ADD COLUMN reconciled_at timestamptz;
CREATE INDEX settlements_unreconciled_utr ON settlements (tenant_id, utr) WHERE bank_transaction_id IS NULL;
