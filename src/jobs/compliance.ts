import type { Db } from '../db/types.ts';
import {
  type ComplianceAlert,
  markAlertDelivered,
  openTenantAlerts,
  optedTenants,
  ownersOf,
  undeliveredAlerts,
} from '../domain/compliance/alerts.ts';
import type { Notifier } from '../domain/notifier.ts';
import type { Logger } from '../log.ts';
import { complianceText } from './messages.ts';
import { eachRow, MAX_LOGGED_IDS } from './sweep.ts';

export interface ComplianceDeps {
  db: Db;
  notifier: Notifier;
  logger: Logger;
  clock: () => Date;
}

async function deliver(deps: ComplianceDeps, alert: ComplianceAlert): Promise<void> {
  let delivered = true;
  for (const userId of await ownersOf(deps.db, alert.tenant_id)) {
    const d = await deps.notifier.notify({
      tenantId: alert.tenant_id,
      userId,
      text: alert.text,
      dedupKey: `compliance:${alert.filing}:${alert.due_date}:${alert.days_before}`,
    });
    delivered &&= d.delivered;
  }
  if (delivered) await markAlertDelivered(deps.db, alert.id);
}

const deliveryFailed = (deps: ComplianceDeps) => (alert: ComplianceAlert, err: unknown) =>
  deps.logger.warn(
    { err, alertId: alert.id, tenantId: alert.tenant_id },
    'compliance alert not delivered yet; will retry',
  );

/**
 * Opens the compliance alerts that are due (each once) and tells the business owners. A business whose
 * settings or zone cannot be used is logged and skipped; the others are not held back. Returns how many
 * alerts were opened.
 */
export async function sendComplianceAlerts(deps: ComplianceDeps): Promise<number> {
  const now = deps.clock();
  const tenants = await optedTenants(deps.db);
  const unknownZone = tenants.filter((t) => !t.timezone).map((t) => t.tenant_id);
  if (unknownZone.length > 0) {
    deps.logger.warn(
      { tenants: unknownZone.slice(0, MAX_LOGGED_IDS), count: unknownZone.length },
      'compliance alerts skipped: the database does not know these businesses’ time zone',
    );
  }
  const opened: ComplianceAlert[] = [];
  await eachRow(
    tenants.flatMap((t) => (t.timezone ? [{ ...t, timezone: t.timezone }] : [])),
    async (t) => {
      opened.push(
        ...(await openTenantAlerts(deps.db, t, now, (d, left, tz) => complianceText(d, left, now, tz))),
      );
    },
    (t, err) => deps.logger.error({ err, tenantId: t.tenant_id }, 'compliance alerts could not be opened'),
  );
  await eachRow(opened, (alert) => deliver(deps, alert), deliveryFailed(deps));
  return opened.length;
}

export async function redeliverComplianceAlerts(deps: ComplianceDeps, staleSeconds: number): Promise<number> {
  const alerts = await undeliveredAlerts(deps.db, staleSeconds);
  return eachRow(alerts, (alert) => deliver(deps, alert), deliveryFailed(deps));
}
