-- Scheduled work: reminders, morning briefings and compliance alerts. Each is a row before it is a job,
-- and each row is claimed once (a conditional UPDATE), so many processes never fire the same thing twice.

-- One reminder per task or follow-up, written in the same transaction as the record it belongs to.
CREATE TABLE reminders (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  kind text NOT NULL CHECK (kind IN ('task', 'follow_up')),
  entity_id text NOT NULL,
  user_id text REFERENCES users (id) ON DELETE SET NULL,
  title text NOT NULL,
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fired', 'cancelled')),
  -- The due time a pg-boss job was queued for; differs from due_at when the reminder moved since.
  queued_for timestamptz,
  fired_at timestamptz,
  late boolean,
  delivered_via text,
  delivered_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, entity_id)
);
CREATE INDEX reminders_pending ON reminders (due_at) WHERE status = 'pending';
CREATE INDEX reminders_undelivered ON reminders (updated_at) WHERE status = 'fired' AND delivered_at IS NULL;

-- Morning briefing preferences live with the user.
ALTER TABLE users
  ADD COLUMN briefing_time time NOT NULL DEFAULT '08:00',
  ADD COLUMN briefing_enabled boolean NOT NULL DEFAULT true;

-- One row per user per local date: the unique key is what makes the briefing go out once a day.
CREATE TABLE briefings (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  local_date date NOT NULL,
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent')),
  text text,
  sent_at timestamptz,
  late boolean,
  delivered_via text,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, local_date)
);
CREATE INDEX briefings_pending ON briefings (created_at) WHERE status = 'pending';
CREATE INDEX briefings_undelivered ON briefings (sent_at) WHERE status = 'sent' AND delivered_at IS NULL;

-- Which recurring filings apply to a business, and how many days ahead to warn.
CREATE TABLE compliance_settings (
  tenant_id text PRIMARY KEY REFERENCES tenants (id),
  filings text[] NOT NULL DEFAULT '{}',
  alert_days integer[] NOT NULL DEFAULT '{3,1}',
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per alert sent; the unique key makes each (filing, due date, threshold) go out once.
CREATE TABLE compliance_alerts (
  id bigserial PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  filing text NOT NULL,
  due_date date NOT NULL,
  days_before integer NOT NULL,
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  UNIQUE (tenant_id, filing, due_date, days_before)
);
CREATE INDEX compliance_alerts_undelivered ON compliance_alerts (created_at) WHERE delivered_at IS NULL;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['reminders', 'briefings', 'compliance_settings', 'compliance_alerts'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_setting(''app.tenant_id'', true)) '
      'WITH CHECK (tenant_id = current_setting(''app.tenant_id'', true))', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE ON reminders, compliance_settings TO axon_app;
GRANT SELECT ON briefings, compliance_alerts TO axon_app;
