import type { Db } from '../../db/types.ts';
import { appendAudit } from '../audit.ts';
import { emitEvent } from '../events.ts';
import { claimReminder, type FiredReminder } from './repo.ts';

/** A reminder fired more than this after its due time is marked late (the process was down or behind). */
export const LATE_AFTER_MS = 60_000;

/**
 * Fires one reminder: claims it, audits it and announces `reminder.triggered`, all in one transaction, so
 * the event and the audit row exist exactly when the reminder counts as fired. Null when another process
 * already fired it, or it moved or was cancelled since its job was queued.
 */
export async function fireReminder(
  db: Db,
  job: { reminderId: string; dueAt: string },
  now: Date,
): Promise<FiredReminder | null> {
  return db.transaction(async (tx) => {
    const r = await claimReminder(tx, job.reminderId, job.dueAt, now, LATE_AFTER_MS);
    if (!r) return null;
    const detail = {
      reminder_id: r.id,
      kind: r.kind,
      entity_id: r.entity_id,
      title: r.title,
      user_id: r.notify_user_id,
      due_at: r.due_at.toISOString(),
      fired_at: now.toISOString(),
      late: r.late === true,
    };
    appendAudit(
      tx,
      { tenantId: r.tenant_id, userId: null, actor: 'system', via: 'job', timezone: r.timezone },
      { action: 'reminder.triggered', entity: r.kind, entityId: r.entity_id, after: detail },
    );
    emitEvent(tx, r.tenant_id, 'reminder.triggered', detail);
    return r;
  });
}
