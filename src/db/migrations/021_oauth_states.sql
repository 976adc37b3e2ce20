-- A consent flow in flight: an owner asked to connect through the vendor's consent page; the vendor sends
-- the browser back with this state. Only its hash is kept; it is used once, within minutes, and connects
-- the business that asked (the callback carries no token: the state is what authenticates it).
CREATE TABLE oauth_states (
  state_hash text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  connector text NOT NULL,
  config jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX oauth_states_expiry ON oauth_states (expires_at);

ALTER TABLE oauth_states ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON oauth_states USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON oauth_states TO axon_app;
