import { z } from 'zod';
import { PREPARED, type Tx } from '../db/types.ts';
import { AUDIT_INSERT, type AuditEntry, auditParams } from './audit.ts';
import type { Ctx } from './context.ts';
import { FollowUp } from './follow-ups/schema.ts';
import { newId } from './ids.ts';
import { Task } from './tasks/schema.ts';

/** Every event AxonBOS announces, with the shape of its `data`: the one source of truth for both. */

const Detail = (description: string) => z.record(z.string(), z.unknown()).meta({ description });

export const eventPayloads = {
  'task.created': Task,
  'task.completed': Task,
  'transaction.settled': Detail('A payment or invoice settled, as reported by a connector.'),
  'reminder.triggered': Detail(
    'A reminder fired for a task or follow-up; names the record and when it was due.',
  ),
  'compliance.alert': Detail('A compliance due date is near: the filing, its due date and days left.'),
  'connector.disconnected': Detail('A connector lost its connection or credentials and needs attention.'),
  'follow_up.created': FollowUp,
  'follow_up.updated': FollowUp,
  'follow_up.completed': FollowUp,
  'follow_up.snoozed': FollowUp,
  'follow_up.deleted': FollowUp,
} as const;

export type EventType = keyof typeof eventPayloads;
export const EventType = z.enum(Object.keys(eventPayloads) as [EventType, ...EventType[]]);
export type EventData<T extends EventType> = z.input<(typeof eventPayloads)[T]>;

export const eventId = () => newId('evt');

/**
 * Records an event in the outbox inside the caller's transaction, so it exists exactly when the change it
 * describes commits (and never when that rolls back). Delivery to webhooks happens later, from the outbox.
 * Pass the domain `Ctx`, or a tenant id for system work (jobs) that has no acting user.
 */
export function emitEvent<T extends EventType>(
  tx: Tx,
  who: Ctx | string,
  type: T,
  data: EventData<T>,
): string {
  const id = eventId();
  const tenantId = typeof who === 'string' ? who : who.tenantId;
  tx.queue('INSERT INTO events (id, tenant_id, type, payload) VALUES ($1, $2, $3, $4)', [
    id,
    tenantId,
    type,
    JSON.stringify(data),
  ]);
  return id;
}

/**
 * Audits a change and announces it as the event of the same name, in one statement: one round trip instead
 * of two, inside the caller's transaction like `appendAudit` and `emitEvent`.
 */
export function auditAndEmit<T extends EventType>(
  tx: Tx,
  ctx: Ctx,
  type: T,
  entry: Omit<AuditEntry, 'action'>,
  data: EventData<T>,
): string {
  const id = eventId();
  tx.queue(
    `WITH audited AS (${AUDIT_INSERT})
     INSERT INTO events (id, tenant_id, type, payload) VALUES ($11, $1, $12, $13)`,
    [...auditParams(ctx, { ...entry, action: type }), id, type, JSON.stringify(data)],
    PREPARED,
  );
  return id;
}
