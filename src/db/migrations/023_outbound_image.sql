-- A reply may carry a picture (a chart of the answer), sent with the reply's text as its caption.
ALTER TABLE outbound_messages ADD COLUMN image bytea;
