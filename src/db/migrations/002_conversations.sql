-- Conversations with the Digital Employee: one row per thread, one per turn (message, tools used, reply).
CREATE TABLE conversations (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  user_id text NOT NULL REFERENCES users (id),
  channel text NOT NULL CHECK (channel IN ('api', 'whatsapp', 'telegram', 'console')),
  turn_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_user ON conversations (tenant_id, user_id, updated_at DESC);

CREATE TABLE turns (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  user_message text NOT NULL,
  reply text NOT NULL,
  actions jsonb NOT NULL DEFAULT '[]',
  model text NOT NULL,
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  latency_ms integer NOT NULL,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, seq)
);

ALTER TABLE conversations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversations
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE turns ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON turns
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

GRANT SELECT, INSERT, UPDATE ON conversations, turns TO axon_app;
