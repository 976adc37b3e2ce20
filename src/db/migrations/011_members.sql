-- Members of a business. Removing one keeps their users row (tasks, audit, memories and conversations point
-- at it) and stamps removed_at; only live users hold a phone, so the number can sign up or join elsewhere.
ALTER TABLE users ADD COLUMN removed_at timestamptz;
ALTER TABLE users DROP CONSTRAINT users_phone_key;
CREATE UNIQUE INDEX users_phone_live ON users (phone) WHERE removed_at IS NULL;
GRANT INSERT ON users TO axon_app;

-- An owner's removal of a member ends the member's sessions and channel links in the same tenant
-- transaction, so these tables get the tenant policy and just the privileges that needs. The auth and
-- channel code runs as the owner, which row-level security does not bind.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['auth_sessions', 'channel_links'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_setting(''app.tenant_id'', true)) '
      'WITH CHECK (tenant_id = current_setting(''app.tenant_id'', true))', t);
  END LOOP;
END $$;
GRANT SELECT, UPDATE (revoked_at) ON auth_sessions TO axon_app;
GRANT SELECT, DELETE ON channel_links TO axon_app;
