-- A POST's Idempotency-Key is now claimed, its write made and its answer saved in one tenant transaction,
-- which runs as the app role: the table becomes a tenant table like the others.
ALTER TABLE idempotency_keys ADD COLUMN tenant_id text REFERENCES tenants (id);
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON idempotency_keys
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO axon_app;

-- Answers are no longer kept with secrets in them: drop those kept before (sign-ins, webhook secrets).
DELETE FROM idempotency_keys WHERE path = '/auth/otp/verify' OR response::text LIKE '%whsec\_%';
