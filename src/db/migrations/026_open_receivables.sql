-- What customers owe, by party, read without the rest of the invoices: my-day's largest overdue and the
-- outstanding metrics group these rows only.
CREATE INDEX invoices_owed_by_party ON invoices (tenant_id, party_id) INCLUDE (balance, due_date, party_name)
  WHERE direction = 'receivable' AND status IN ('open', 'partially_paid') AND deleted_at IS NULL AND balance > 0
    AND currency = 'INR';
