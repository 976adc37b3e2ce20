-- Processes keep recently checked sessions for a moment (src/domain/auth/tokens.ts). Anything that changes
-- what a session stands for (a logout, a user's name, zone or role, a business's plan or limit) tells every
-- listening process at commit, and each forgets what it kept.
CREATE FUNCTION sessions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('axon_sessions', '');
  RETURN NULL;
END $$;
CREATE TRIGGER sessions_notify AFTER UPDATE OR DELETE ON auth_sessions
  FOR EACH STATEMENT EXECUTE FUNCTION sessions_notify();
CREATE TRIGGER sessions_notify AFTER UPDATE OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION sessions_notify();
CREATE TRIGGER sessions_notify AFTER UPDATE OR DELETE ON tenants
  FOR EACH STATEMENT EXECUTE FUNCTION sessions_notify();
