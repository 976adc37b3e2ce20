-- Wakes every scheduler's reminder clock (LISTEN axon_reminders) at commit when a reminder becomes pending
-- at a new time, so the clock can sleep until the next due time instead of looking every second. Queuing
-- (queued_for), firing and delivery do not wake it.
CREATE FUNCTION reminders_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('axon_reminders', '');
  RETURN NULL;
END $$;
CREATE TRIGGER reminders_notify AFTER INSERT OR UPDATE OF due_at, status ON reminders
  FOR EACH ROW WHEN (NEW.status = 'pending') EXECUTE FUNCTION reminders_notify();
