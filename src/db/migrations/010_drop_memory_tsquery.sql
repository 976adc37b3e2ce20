-- Both memory searches now build the query's words in their own statement (repo.ts QUERY_WORDS), one OR
-- query and one query per word for the rarity ranking; this function is no longer called.
DROP FUNCTION memory_tsquery(text);
