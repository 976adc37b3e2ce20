-- Foundation: tenants, users, auth, audit, tasks, follow-ups, idempotency.
CREATE EXTENSION IF NOT EXISTS vector;

-- The restricted role tenant queries run as. Roles are cluster-wide, so another database may have made it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'axon_app') THEN
    CREATE ROLE axon_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT axon_app TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO axon_app;

CREATE TABLE tenants (
  id text PRIMARY KEY,
  name text NOT NULL,
  plan text NOT NULL DEFAULT 'self_service' CHECK (plan IN ('self_service', 'managed', 'enterprise')),
  rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0),
  timezone text NOT NULL DEFAULT 'Asia/Kolkata',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  phone text NOT NULL UNIQUE CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
  name text,
  role text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'member')),
  timezone text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_tenant ON users (tenant_id);

-- Sessions back the bearer tokens, so logout can revoke one before it expires.
CREATE TABLE auth_sessions (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  user_id text NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);

CREATE TABLE otp_codes (
  id bigserial PRIMARY KEY,
  phone text NOT NULL,
  ip text NOT NULL,
  code_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  consumed_at timestamptz
);
CREATE INDEX otp_codes_phone ON otp_codes (phone, created_at DESC);
CREATE INDEX otp_codes_ip ON otp_codes (ip, created_at DESC);

CREATE TABLE app_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'agent', 'system')),
  actor_id text,
  via text NOT NULL CHECK (via IN ('api', 'whatsapp', 'telegram', 'console', 'job')),
  action text NOT NULL,
  entity text NOT NULL,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE tasks (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  title text NOT NULL,
  notes text,
  due_date date,
  due_at timestamptz,
  priority text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  remind_at timestamptz,
  assignee_id text REFERENCES users (id),
  source text NOT NULL CHECK (source IN ('api', 'chat', 'whatsapp', 'telegram', 'console')),
  created_by text REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE INDEX tasks_tenant_created ON tasks (tenant_id, created_at DESC, id DESC);
CREATE INDEX tasks_tenant_due ON tasks (tenant_id, status, due_date);

CREATE TABLE follow_ups (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  contact_name text,
  contact_phone text,
  subject text NOT NULL,
  due_at timestamptz NOT NULL,
  channel text NOT NULL DEFAULT 'call' CHECK (channel IN ('call', 'whatsapp', 'email', 'visit')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'snoozed', 'cancelled')),
  notes text,
  outcome text,
  task_id text REFERENCES tasks (id) ON DELETE SET NULL,
  source text NOT NULL CHECK (source IN ('api', 'chat', 'whatsapp', 'telegram', 'console')),
  created_by text REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE INDEX follow_ups_tenant_due ON follow_ups (tenant_id, status, due_at);

-- Replays of POSTs carrying an Idempotency-Key, kept 24 h.
CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  request_hash text NOT NULL,
  status_code integer,
  response jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- Row-level security: a tenant table shows the app role only the rows of the tenant set for the transaction.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'audit_log', 'tasks', 'follow_ups'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_setting(''app.tenant_id'', true)) '
      'WITH CHECK (tenant_id = current_setting(''app.tenant_id'', true))', t);
  END LOOP;
END $$;
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = current_setting('app.tenant_id', true));

GRANT SELECT ON tenants TO axon_app;
GRANT SELECT, UPDATE ON users TO axon_app;
GRANT SELECT, INSERT ON audit_log TO axon_app;
GRANT USAGE ON SEQUENCE audit_log_id_seq TO axon_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tasks, follow_ups TO axon_app;
