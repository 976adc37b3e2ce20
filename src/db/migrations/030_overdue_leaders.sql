-- My-day's three customers owing the most past their due dates, kept per business. Grouping every open
-- invoice costs tens of milliseconds for a business with 100,000 of them, and my-day and the briefings ask
-- many times a day for an answer that changes only when the invoices change or the day does.
--
-- Every statement that writes invoices moves `books_version` (a trigger, so no writer can forget); leaders
-- computed at an older version, or for another day, are stale and computed again.
CREATE TABLE overdue_leaders (
  tenant_id text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  books_version bigint NOT NULL DEFAULT 1,
  computed_version bigint,
  as_of date,
  leaders jsonb
);

ALTER TABLE overdue_leaders ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON overdue_leaders USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON overdue_leaders TO axon_app;

-- Per statement, not per row: a page of 1,000 upserts moves the version once. A statement run outside a
-- business's transaction (a migration, an operator) may have touched any business: all are moved.
CREATE FUNCTION invoices_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tenant text := nullif(current_setting('app.tenant_id', true), '');
BEGIN
  IF tenant IS NULL THEN
    UPDATE overdue_leaders SET books_version = books_version + 1;
  ELSE
    INSERT INTO overdue_leaders AS o (tenant_id) VALUES (tenant)
      ON CONFLICT (tenant_id) DO UPDATE SET books_version = o.books_version + 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER invoices_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON invoices
  FOR EACH STATEMENT EXECUTE FUNCTION invoices_changed();
