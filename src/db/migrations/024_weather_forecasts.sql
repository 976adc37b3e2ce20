-- A weather connector's daily forecast for the business's place: what my-day and the briefing say about today.
CREATE TABLE weather_forecasts (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  connector text NOT NULL,
  external_id text NOT NULL,
  place text,
  day date NOT NULL,
  code integer,
  summary text NOT NULL,
  temp_max numeric,
  temp_min numeric,
  rain_chance integer CHECK (rain_chance BETWEEN 0 AND 100),
  payload_hash text NOT NULL,
  remote_updated_at timestamptz,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  seen_run text,
  raw jsonb NOT NULL,
  UNIQUE (connection_id, external_id),
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX weather_forecasts_tenant_day ON weather_forecasts (tenant_id, day);

ALTER TABLE weather_forecasts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON weather_forecasts USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON weather_forecasts TO axon_app;
