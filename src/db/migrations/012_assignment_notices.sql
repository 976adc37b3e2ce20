-- "Suresh assigned you: …": one row per assignment to someone other than the person acting, written in
-- the task's transaction and sent by the scheduler, which a NOTIFY wakes at commit.
CREATE TABLE assignment_notices (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  task_id text NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES users (id),
  assigned_by text REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- When a sender last took it: another process leaves it alone for a while, then takes it over.
  taken_at timestamptz,
  delivered_via text,
  delivered_at timestamptz
);
CREATE INDEX assignment_notices_unsent ON assignment_notices (id) WHERE delivered_at IS NULL;

ALTER TABLE assignment_notices ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON assignment_notices
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT ON assignment_notices TO axon_app;
GRANT USAGE ON SEQUENCE assignment_notices_id_seq TO axon_app;

CREATE FUNCTION assignment_notices_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('axon_assignments', '');
  RETURN NULL;
END $$;
CREATE TRIGGER assignment_notices_notify AFTER INSERT ON assignment_notices
  FOR EACH STATEMENT EXECUTE FUNCTION assignment_notices_notify();
