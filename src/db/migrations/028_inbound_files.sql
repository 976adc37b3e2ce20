-- A document an owner sends (a bank statement) is kept with its message until the message is processed,
-- so a restart still has it; processing drops the bytes.
ALTER TABLE inbound_messages ADD COLUMN file_name text, ADD COLUMN file_size integer, ADD COLUMN file_bytes bytea;
