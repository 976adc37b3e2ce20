-- A time zone is written only if the database knows it (Node knows some it does not, such as
-- US/Pacific-New): one unknown zone would otherwise fail every statement that reads it with AT TIME ZONE.
-- A trigger rather than a CHECK, so rows written before this migration stay readable (through axon_zone)
-- and a change to a row's other columns does not trip over its old zone.
CREATE FUNCTION axon_known_zone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.timezone IS NOT NULL AND axon_zone(NEW.timezone) IS NULL THEN
    RAISE EXCEPTION 'time zone "%" is not known to the database', NEW.timezone
      USING ERRCODE = 'check_violation', CONSTRAINT = 'known_zone';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER users_known_zone BEFORE INSERT ON users
  FOR EACH ROW EXECUTE FUNCTION axon_known_zone();
CREATE TRIGGER users_known_zone_changed BEFORE UPDATE OF timezone ON users
  FOR EACH ROW WHEN (NEW.timezone IS DISTINCT FROM OLD.timezone) EXECUTE FUNCTION axon_known_zone();
CREATE TRIGGER tenants_known_zone BEFORE INSERT ON tenants
  FOR EACH ROW EXECUTE FUNCTION axon_known_zone();
CREATE TRIGGER tenants_known_zone_changed BEFORE UPDATE OF timezone ON tenants
  FOR EACH ROW WHEN (NEW.timezone IS DISTINCT FROM OLD.timezone) EXECUTE FUNCTION axon_known_zone();
