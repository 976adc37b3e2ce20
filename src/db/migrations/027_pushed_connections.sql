-- Connections whose records are pushed to the server, by a bridge on the owner's PC (Tally) or as files
-- (bank statements), are never scheduled: next_sync_at stays NULL for them.
UPDATE connections SET next_sync_at = NULL WHERE connector = 'bank-statement';

-- A bridge authenticates with a token shown once at connect; only its SHA-256 is kept, looked up directly.
ALTER TABLE connections ADD COLUMN bridge_token_hash text UNIQUE;

ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_trigger_check;
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_trigger_check
  CHECK (trigger IN ('connect', 'schedule', 'manual', 'bridge'));
