-- Chat channels: who a sender is, every inbound message before it is work, every reply before it is sent.
-- System tables (no RLS): identity is resolved before a tenant is known; tenant data stays behind the turn.

-- A person on a channel (a Telegram user, a WhatsApp JID) linked to our user, with the chat to reach them.
CREATE TABLE channel_links (
  channel text NOT NULL CHECK (channel IN ('whatsapp', 'telegram')),
  account text NOT NULL,
  external_id text NOT NULL,
  chat text NOT NULL,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tenant_id text NOT NULL REFERENCES tenants (id),
  phone text NOT NULL,
  conversation_id text REFERENCES conversations (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, account, external_id)
);
CREATE INDEX channel_links_user ON channel_links (user_id, updated_at DESC);

-- Written before processing: the unique key is the dedup, processed_at is set only once its turn committed.
CREATE TABLE inbound_messages (
  id bigserial PRIMARY KEY,
  channel text NOT NULL,
  account text NOT NULL,
  message_id text NOT NULL,
  chat text NOT NULL,
  sender_id text NOT NULL,
  sender_phone text,
  sender_name text,
  text text NOT NULL,
  media text,
  in_group boolean NOT NULL DEFAULT false,
  mentioned boolean NOT NULL DEFAULT false,
  sent_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  turn_id text,
  UNIQUE (channel, account, message_id)
);
CREATE INDEX inbound_messages_pending ON inbound_messages (channel, account, chat, id) WHERE processed_at IS NULL;

-- One row per logical reply or notification, keyed by its dedup key (turn id, notification key).
CREATE TABLE outbound_messages (
  dedup_key text PRIMARY KEY,
  channel text NOT NULL,
  account text NOT NULL,
  chat text NOT NULL,
  text text NOT NULL,
  request_phone boolean NOT NULL DEFAULT false,
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX outbound_messages_unsent ON outbound_messages (channel, account, chat) WHERE sent_at IS NULL;

-- A short, renewed lease per chat: one process answers a chat at a time, without holding a connection.
CREATE TABLE channel_chat_leases (
  chat_key text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);
