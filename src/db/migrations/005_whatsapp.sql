-- WhatsApp (Baileys) linked-device state. System data, not tenant data: only the owner role reads it.

-- Baileys' auth state, one row per credential or signal key, so a key update writes only what changed.
-- key_type 'creds' with key_id '' holds the creds; the rest are Baileys' SignalDataTypeMap types.
CREATE TABLE whatsapp_auth (
  session text NOT NULL,
  key_type text NOT NULL,
  key_id text NOT NULL,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session, key_type, key_id)
);

-- What the supervisor last knew about a session: linked (with our number) or logged out (and why).
CREATE TABLE whatsapp_sessions (
  session text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('linked', 'logged_out')),
  account text,
  reason text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
