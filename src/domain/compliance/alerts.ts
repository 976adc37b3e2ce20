import type { Db, Tx } from '../../db/types.ts';
import { appendAudit } from '../audit.ts';
import { emitEvent } from '../events.ts';
import { localDate, zonedFormat } from '../time.ts';
import { type Deadline, daysBetween, deadlinesBetween, horizon, thresholdReached } from './calendar.ts';

/** Alerts go out once the business's local day has reached this hour, not at midnight. */
export const ALERT_HOUR = 9;

export interface ComplianceAlert {
  id: string;
  tenant_id: string;
  filing: string;
  due_date: string;
  days_before: number;
  text: string;
}

export interface OptedTenant {
  tenant_id: string;
  /** Null when the database does not know the business's zone: its alerts wait until it is fixed. */
  timezone: string | null;
  filings: string[];
  alert_days: number[];
}

/** The businesses that opted into at least one filing. */
export async function optedTenants(db: Db): Promise<OptedTenant[]> {
  return db.query<OptedTenant>(
    `SELECT s.tenant_id, axon_zone(t.timezone) AS timezone, s.filings, s.alert_days FROM compliance_settings s
     JOIN tenants t ON t.id = s.tenant_id WHERE cardinality(s.filings) > 0`,
  );
}

const hourFormat = zonedFormat('en-GB', { hour: '2-digit', hourCycle: 'h23' });

/**
 * Opens the alerts one opted-in business is owed now: for each upcoming due date, the threshold it has
 * reached (3 or 1 days before, by default), unless that or a nearer one was already sent. Each alert row,
 * its audit entry and its `compliance.alert` event commit together; the unique key makes it once only.
 */
export async function openTenantAlerts(
  db: Db,
  t: OptedTenant & { timezone: string },
  now: Date,
  describe: (d: Deadline, daysLeft: number, timezone: string) => string,
): Promise<ComplianceAlert[]> {
  const hour = Number(hourFormat(t.timezone).format(now));
  if (hour < ALERT_HOUR) return [];
  const today = localDate(now, t.timezone);
  const opened: ComplianceAlert[] = [];
  for (const d of deadlinesBetween(t.filings, today, horizon(today, t.alert_days))) {
    const threshold = thresholdReached(today, d.due_date, t.alert_days);
    if (threshold === null) continue;
    const left = daysBetween(today, d.due_date);
    const alert = await db.transaction((tx) =>
      insertAlert(tx, t, d, threshold, left, describe(d, left, t.timezone), now),
    );
    if (alert) opened.push(alert);
  }
  return opened;
}

async function insertAlert(
  tx: Tx,
  t: OptedTenant & { timezone: string },
  d: Deadline,
  threshold: number,
  daysLeft: number,
  text: string,
  now: Date,
): Promise<ComplianceAlert | null> {
  const [row] = await tx.query<ComplianceAlert>(
    `INSERT INTO compliance_alerts (tenant_id, filing, due_date, days_before, text)
     SELECT $1, $2, $3, $4, $5
     WHERE NOT EXISTS (SELECT 1 FROM compliance_alerts
                       WHERE tenant_id = $1 AND filing = $2 AND due_date = $3 AND days_before <= $4)
     ON CONFLICT (tenant_id, filing, due_date, days_before) DO NOTHING
     RETURNING id::text, tenant_id, filing, due_date::text, days_before, text`,
    [t.tenant_id, d.code, d.due_date, threshold, text],
  );
  if (!row) return null;
  const detail = {
    filing: d.code,
    name: d.name,
    due_date: d.due_date,
    days_left: daysLeft,
    alert_days_before: threshold,
    at: now.toISOString(),
  };
  appendAudit(
    tx,
    { tenantId: t.tenant_id, userId: null, actor: 'system', via: 'job', timezone: t.timezone },
    { action: 'compliance.alert', entity: 'compliance', entityId: d.code, after: detail },
  );
  emitEvent(tx, t.tenant_id, 'compliance.alert', detail);
  return row;
}

/** Owners to tell about their business's compliance (not one who was removed). */
export async function ownersOf(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    "SELECT id FROM users WHERE tenant_id = $1 AND role = 'owner' AND removed_at IS NULL ORDER BY created_at",
    [tenantId],
  );
  return rows.map((r) => r.id);
}

export async function markAlertDelivered(db: Db, id: string): Promise<void> {
  await db.query('UPDATE compliance_alerts SET delivered_at = now() WHERE id = $1', [id]);
}

/** Takes alerts opened but never confirmed delivered, judged by the database's clock. */
export async function undeliveredAlerts(db: Db, staleSeconds: number): Promise<ComplianceAlert[]> {
  // Taking an alert moves its attempted_at on, so another process's sweep leaves it alone meanwhile.
  return db.query<ComplianceAlert>(
    `WITH stale AS (
       SELECT id FROM compliance_alerts
       WHERE delivered_at IS NULL AND attempted_at < now() - $1 * interval '1 second'
       ORDER BY attempted_at LIMIT 100 FOR UPDATE SKIP LOCKED
     )
     UPDATE compliance_alerts a SET attempted_at = now() FROM stale WHERE a.id = stale.id
     RETURNING a.id::text, a.tenant_id, a.filing, a.due_date::text, a.days_before, a.text`,
    [staleSeconds],
  );
}
