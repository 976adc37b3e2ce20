import type { Db } from '../db/types.ts';
import {
  type AssignmentNotice,
  markNoticeSent,
  takeAssignmentNotices,
} from '../domain/members/assignment-notices.ts';
import type { Notifier } from '../domain/notifier.ts';
import type { Logger } from '../log.ts';
import { assignmentText } from './messages.ts';

export interface AssignmentDeps {
  db: Db;
  notifier: Notifier;
  logger: Logger;
  clock: () => Date;
}

const BATCH = 100;

async function deliver(deps: AssignmentDeps, n: AssignmentNotice): Promise<boolean> {
  // Reassigned, done or deleted since, or the assignee left: there is nothing left to tell anyone.
  if (!n.current) {
    await markNoticeSent(deps.db, n.id, 'skipped');
    return false;
  }
  const delivery = await deps.notifier.notify({
    tenantId: n.tenant_id,
    userId: n.user_id,
    text: assignmentText(n, deps.clock()),
    dedupKey: `assignment:${n.id}`,
  });
  if (delivery.delivered) await markNoticeSent(deps.db, n.id, delivery.via);
  return delivery.delivered;
}

/**
 * Sends every assignment notice no sender holds (new ones, and those a sender took `leaseSeconds` ago and
 * never confirmed). A notice that fails is logged and left for the next run; the others go out regardless.
 * Returns how many were delivered.
 */
export async function sendAssignmentNotices(deps: AssignmentDeps, leaseSeconds: number): Promise<number> {
  let delivered = 0;
  for (;;) {
    const notices = await takeAssignmentNotices(deps.db, leaseSeconds, BATCH);
    const outcomes = await Promise.all(
      notices.map((n) =>
        deliver(deps, n).catch((err) => {
          deps.logger.warn({ err, noticeId: n.id }, 'assignment notice not delivered yet');
          return false;
        }),
      ),
    );
    delivered += outcomes.filter(Boolean).length;
    if (notices.length < BATCH) return delivered;
  }
}
