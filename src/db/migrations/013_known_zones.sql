-- A stored time zone the database does not know (written before zones were checked at write time, or
-- restored from elsewhere) must cost only its own row. `AT TIME ZONE` with an unknown zone fails the whole
-- statement, so scheduled work that reads stored zones passes them through this function first: the zone
-- when the database knows it, else NULL (and `AT TIME ZONE NULL` is NULL, never an error).
CREATE FUNCTION axon_zone(tz text) RETURNS text LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE AS $$
BEGIN
  PERFORM now() AT TIME ZONE tz;
  RETURN tz;
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN NULL;
END $$;
