-- Wrong codes are counted per code and per client (IP), so a stranger who knows a number cannot lock its
-- owner out: their wrong tries spend their own budget, not the owner's code.
CREATE TABLE otp_wrong_tries (
  id bigserial PRIMARY KEY,
  code_id bigint NOT NULL REFERENCES otp_codes (id) ON DELETE CASCADE,
  ip text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX otp_wrong_tries_code ON otp_wrong_tries (code_id, ip);
CREATE INDEX otp_wrong_tries_ip ON otp_wrong_tries (ip, created_at DESC);

-- A number in AUTH_TEST_PHONES verifies without asking first: it is given its fixed code then, as a row
-- like any other so the same limits count it, but not as a send.
ALTER TABLE otp_codes ADD COLUMN sent boolean NOT NULL DEFAULT true;
