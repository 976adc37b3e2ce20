-- A record that names a party not yet synced waits here until its party arrives; a sync links only the
-- parties it wrote, each through this index, so linking costs what changed, not the connection's size.
CREATE INDEX invoices_awaiting_party ON invoices (connection_id, party_external_id)
  WHERE party_id IS NULL AND party_external_id IS NOT NULL;
CREATE INDEX payments_awaiting_party ON payments (connection_id, party_external_id)
  WHERE party_id IS NULL AND party_external_id IS NOT NULL;
CREATE INDEX orders_awaiting_party ON orders (connection_id, party_external_id)
  WHERE party_id IS NULL AND party_external_id IS NOT NULL;
