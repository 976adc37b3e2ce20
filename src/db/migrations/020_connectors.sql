-- Connectors: a business's connections to its systems, their sync runs, and the unified business objects
-- they fill. Every unified row keeps its source (connection, external id), a hash of the vendor payload (an
-- unchanged record is not rewritten), the vendor's own update time, a soft delete and the raw payload.
-- Money is integer minor units (paise) plus its currency.

CREATE TABLE connections (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  connector text NOT NULL,
  status text NOT NULL CHECK (status IN ('connected', 'syncing', 'error', 'disconnected')),
  config jsonb NOT NULL DEFAULT '{}',
  -- The credentials, sealed by the vault (src/connectors/vault.ts): never readable without the master key.
  key_version integer NOT NULL,
  wrapped_key text NOT NULL,
  credentials text NOT NULL,
  -- The address a vendor's webhooks are sent to carries this random token, not the tenant's id.
  webhook_token text NOT NULL UNIQUE,
  frequency_minutes integer NOT NULL CHECK (frequency_minutes > 0),
  next_sync_at timestamptz,
  last_synced_at timestamptz,
  error text,
  -- Set when the vendor refused the credentials; the owner is told once per incident.
  disconnected_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, connector),
  -- What hangs off a connection names both, so it can only be of the connection's own business.
  UNIQUE (id, tenant_id)
);
CREATE INDEX connections_due ON connections (next_sync_at) WHERE status <> 'disconnected';

-- Where each stream of a connection has read to: saved after every page.
CREATE TABLE connection_streams (
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  stream text NOT NULL,
  cursor jsonb,
  -- A full read in progress: the run that began it, kept across a resume so delete detection sees it whole.
  pass text,
  PRIMARY KEY (connection_id, stream),
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);

CREATE TABLE sync_runs (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'interrupted')),
  trigger text NOT NULL CHECK (trigger IN ('connect', 'schedule', 'manual')),
  streams text[],
  reset boolean NOT NULL DEFAULT false,
  -- {stream: {added, updated, deleted, rejected, pages}}
  counts jsonb NOT NULL DEFAULT '{}',
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  heartbeat_at timestamptz,
  finished_at timestamptz,
  -- Handed to the job queue (a queued run not handed over, or long ago, is handed over again).
  dispatched_at timestamptz,
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);
-- One run at a time per connection, however many processes.
CREATE UNIQUE INDEX sync_runs_one_active ON sync_runs (connection_id) WHERE status IN ('queued', 'running');
CREATE INDEX sync_runs_connection ON sync_runs (connection_id, created_at DESC, id DESC);

-- A run queued anywhere wakes the connectors' clock of every process at commit, to hand it to a worker.
CREATE FUNCTION sync_runs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('axon_sync_runs', '');
  RETURN NULL;
END $$;
CREATE TRIGGER sync_runs_notify AFTER INSERT ON sync_runs FOR EACH STATEMENT EXECUTE FUNCTION sync_runs_notify();

-- Vendor webhook deliveries already taken in, by the vendor's event id: a replay changes nothing.
CREATE TABLE connector_webhook_events (
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  event_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, event_id),
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);

CREATE TABLE parties (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  connector text NOT NULL,
  external_id text NOT NULL,
  name text NOT NULL,
  kinds text[] NOT NULL DEFAULT '{}',
  email text,
  phone text,
  gstin text,
  pan text,
  state text,
  payload_hash text NOT NULL,
  remote_updated_at timestamptz,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  seen_run text,
  raw jsonb NOT NULL,
  UNIQUE (connection_id, external_id),
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX parties_tenant_name ON parties (tenant_id, lower(name));

CREATE TABLE invoices (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  connector text NOT NULL,
  external_id text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('receivable', 'payable')),
  number text,
  party_external_id text,
  party_id text REFERENCES parties (id) ON DELETE SET NULL,
  party_name text,
  issue_date date,
  due_date date,
  status text NOT NULL CHECK (status IN ('draft', 'open', 'partially_paid', 'paid', 'void')),
  currency text NOT NULL,
  -- Lists of some vendors carry no subtotal or tax; the total and balance are always known.
  subtotal bigint,
  tax bigint,
  total bigint NOT NULL,
  balance bigint NOT NULL,
  lines jsonb NOT NULL DEFAULT '[]',
  payload_hash text NOT NULL,
  remote_updated_at timestamptz,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  seen_run text,
  raw jsonb NOT NULL,
  UNIQUE (connection_id, external_id),
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX invoices_tenant_due ON invoices (tenant_id, direction, status, due_date);
CREATE INDEX invoices_party ON invoices (party_id);

CREATE TABLE payments (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  connector text NOT NULL,
  external_id text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  party_external_id text,
  party_id text REFERENCES parties (id) ON DELETE SET NULL,
  party_name text,
  paid_at timestamptz NOT NULL,
  method text,
  amount bigint NOT NULL,
  currency text NOT NULL,
  reference text,
  status text NOT NULL CHECK (status IN ('pending', 'authorized', 'settled', 'failed', 'refunded')),
  -- [{invoice_external_id, amount}]
  applied_to jsonb NOT NULL DEFAULT '[]',
  -- transaction.settled went out for it (once, whatever re-syncs and replayed webhooks follow).
  announced_at timestamptz,
  payload_hash text NOT NULL,
  remote_updated_at timestamptz,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  seen_run text,
  raw jsonb NOT NULL,
  UNIQUE (connection_id, external_id),
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX payments_tenant_paid ON payments (tenant_id, direction, paid_at DESC);
CREATE INDEX payments_party ON payments (party_id);

CREATE TABLE settlements (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  connector text NOT NULL,
  external_id text NOT NULL,
  amount bigint NOT NULL,
  fees bigint NOT NULL DEFAULT 0,
  tax bigint NOT NULL DEFAULT 0,
  currency text NOT NULL,
  utr text,
  status text NOT NULL CHECK (status IN ('created', 'processed', 'failed')),
  settled_at timestamptz,
  announced_at timestamptz,
  payload_hash text NOT NULL,
  remote_updated_at timestamptz,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  seen_run text,
  raw jsonb NOT NULL,
  UNIQUE (connection_id, external_id),
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX settlements_tenant_settled ON settlements (tenant_id, settled_at DESC);

CREATE TABLE bank_transactions (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  connector text NOT NULL,
  external_id text NOT NULL,
  account text,
  posted_on date NOT NULL,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  amount bigint NOT NULL CHECK (amount >= 0),
  currency text NOT NULL,
  balance bigint,
  description text,
  reference text,
  party_name text,
  payload_hash text NOT NULL,
  remote_updated_at timestamptz,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  seen_run text,
  raw jsonb NOT NULL,
  UNIQUE (connection_id, external_id),
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX bank_transactions_tenant_posted ON bank_transactions (tenant_id, posted_on DESC);

CREATE TABLE orders (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  connector text NOT NULL,
  external_id text NOT NULL,
  number text,
  party_external_id text,
  party_id text REFERENCES parties (id) ON DELETE SET NULL,
  party_name text,
  ordered_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'fulfilled', 'cancelled', 'returned')),
  financial_status text,
  total bigint NOT NULL,
  currency text NOT NULL,
  payload_hash text NOT NULL,
  remote_updated_at timestamptz,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  seen_run text,
  raw jsonb NOT NULL,
  UNIQUE (connection_id, external_id),
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX orders_tenant_ordered ON orders (tenant_id, ordered_at DESC);

CREATE TABLE calendar_events (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  connection_id text NOT NULL,
  connector text NOT NULL,
  external_id text NOT NULL,
  title text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz,
  all_day boolean NOT NULL DEFAULT false,
  location text,
  status text NOT NULL CHECK (status IN ('confirmed', 'tentative', 'cancelled')),
  payload_hash text NOT NULL,
  remote_updated_at timestamptz,
  deleted_at timestamptz,
  synced_at timestamptz NOT NULL DEFAULT now(),
  seen_run text,
  raw jsonb NOT NULL,
  UNIQUE (connection_id, external_id),
  FOREIGN KEY (connection_id, tenant_id) REFERENCES connections (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX calendar_events_tenant_starts ON calendar_events (tenant_id, starts_at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['connections', 'connection_streams', 'sync_runs', 'connector_webhook_events', 'parties', 'invoices', 'payments',
                           'settlements', 'bank_transactions', 'orders', 'calendar_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I USING (tenant_id = current_setting(''app.tenant_id'', true)) '
      'WITH CHECK (tenant_id = current_setting(''app.tenant_id'', true))', t);
  END LOOP;
END $$;

GRANT SELECT, INSERT, UPDATE, DELETE ON connections, connection_streams, sync_runs, connector_webhook_events, parties, invoices, payments,
  settlements, bank_transactions, orders, calendar_events TO axon_app;
