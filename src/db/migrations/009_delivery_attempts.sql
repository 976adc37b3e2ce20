-- The redelivery sweep takes a compliance alert by moving this on, so that several processes sweeping at
-- once never send the same alert twice (reminders and briefings use updated_at and sent_at the same way).
ALTER TABLE compliance_alerts ADD COLUMN attempted_at timestamptz NOT NULL DEFAULT now();
DROP INDEX compliance_alerts_undelivered;
CREATE INDEX compliance_alerts_undelivered ON compliance_alerts (attempted_at) WHERE delivered_at IS NULL;
