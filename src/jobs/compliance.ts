import type { Db } from '../db/types.ts';
import {
  type ComplianceAlert,
  markAlertDelivered,
  openComplianceAlerts,
  ownersOf,
  undeliveredAlerts,
} from '../domain/compliance/alerts.ts';
import type { Notifier } from '../domain/notifier.ts';
import { complianceText } from './messages.ts';

export interface ComplianceDeps {
  db: Db;
  notifier: Notifier;
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

/** Opens the compliance alerts that are due (each once) and tells the business owners. */
export async function sendComplianceAlerts(deps: ComplianceDeps): Promise<number> {
  const now = deps.clock();
  const alerts = await openComplianceAlerts(deps.db, now, (d, left, tz) => complianceText(d, left, now, tz));
  for (const alert of alerts) await deliver(deps, alert);
  return alerts.length;
}

export async function redeliverComplianceAlerts(deps: ComplianceDeps, staleSeconds: number): Promise<number> {
  const alerts = await undeliveredAlerts(deps.db, staleSeconds);
  for (const alert of alerts) await deliver(deps, alert);
  return alerts.length;
}
