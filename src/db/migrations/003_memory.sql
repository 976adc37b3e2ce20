-- Long-term memory: what the Digital Employee learns from each user, found by meaning (pgvector HNSW,
-- cosine) and by words (full text), fused by reciprocal rank (src/domain/memory/).
--
-- The vector column's dimension belongs to the deployment's embedder. This migration creates it for the
-- offline lexical embedder (384). The embedder in use is recorded in memory_embedder at first start; a
-- first start with another embedder (the table still empty) retypes the column and rebuilds the index, and
-- after that a different embedder is refused until `axon memory reembed` has re-embedded every row into a
-- staging column and swapped it in (src/domain/memory/index-state.ts).

CREATE TABLE memories (
  id text PRIMARY KEY,
  tenant_id text NOT NULL REFERENCES tenants (id),
  user_id text NOT NULL REFERENCES users (id),
  content text NOT NULL CHECK (length(content) BETWEEN 1 AND 1000),
  kind text NOT NULL CHECK (kind IN ('fact', 'preference', 'contact', 'pattern')),
  -- Who or what it is about, as written, and the form it is compared in ("Ramesh ji" → "ramesh").
  subject text,
  subject_key text,
  -- The slot the statement fills (Ramesh's "phone") and its value normalised; a new value supersedes.
  attribute text,
  value text,
  -- Exact-duplicate detection: a hash of the content's words.
  content_key text NOT NULL,
  -- Extra words for full-text search (a phone's digits as one run, the slot).
  keywords text NOT NULL DEFAULT '',
  source text NOT NULL CHECK (source IN ('conversation', 'api')),
  conversation_id text REFERENCES conversations (id) ON DELETE SET NULL,
  turn_id text REFERENCES turns (id) ON DELETE SET NULL,
  embedding vector(384) NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(subject, '')), 'A')
    || setweight(to_tsvector('english', content), 'B')
    || setweight(to_tsvector('simple', keywords), 'C')
  ) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_recalled_at timestamptz,
  recall_count integer NOT NULL DEFAULT 0,
  -- A contradicted memory stays (for audit) but is never recalled. Forgetting a memory deletes it and,
  -- through this cascade, the older versions it replaced: forgotten means gone.
  superseded_by text REFERENCES memories (id) ON DELETE CASCADE
);

CREATE INDEX memories_embedding ON memories USING hnsw (embedding vector_cosine_ops);
CREATE INDEX memories_tsv ON memories USING gin (tsv);
CREATE INDEX memories_owner ON memories (tenant_id, user_id, created_at DESC, id DESC);
CREATE INDEX memories_content_key ON memories (tenant_id, user_id, content_key);
CREATE INDEX memories_slot ON memories (tenant_id, user_id, subject_key, attribute) WHERE superseded_by IS NULL;
CREATE INDEX memories_superseded_by ON memories (superseded_by) WHERE superseded_by IS NOT NULL;

ALTER TABLE memories ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memories
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE, DELETE ON memories TO axon_app;

-- The words of a search as an OR query over the same dictionary as `tsv`: any word may match, and ranking
-- rewards the memories that match more of them. NULL when the text has no searchable word.
CREATE FUNCTION memory_tsquery(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(string_agg(DISTINCT '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''', ' | '), '')::tsquery
  FROM unnest(tsvector_to_array(to_tsvector('english', q))) AS lexeme
$$;

-- The deployment's embedder (one row), and the target of a re-embedding in progress.
CREATE TABLE memory_embedder (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  embedder text NOT NULL,
  dimension integer NOT NULL CHECK (dimension > 0),
  reembed_target text,
  reembed_dimension integer CHECK (reembed_dimension > 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
