import { type Db, inTenant } from '../../db/types.ts';
import { appendAudit } from '../audit.ts';
import type { Ctx } from '../context.ts';
import { DomainError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Page } from '../pagination.ts';
import {
  deleteEndpointRow,
  findDelivery,
  findEndpoint,
  insertEndpoint,
  replaceSecret,
  requeueDelivery,
  selectDeliveries,
  selectEndpoints,
  updateEndpointRow,
} from './repo.ts';
import type {
  DeliveryListQuery,
  Webhook,
  WebhookCreate,
  WebhookDelivery,
  WebhookListQuery,
  WebhookUpdate,
  WebhookWithSecret,
} from './schema.ts';
import { newWebhookSecret } from './signing.ts';
import { assertWebhookTarget } from './target.ts';

export interface WebhookPolicy {
  /** WEBHOOK_ALLOW_PRIVATE: lets URLs point at private, loopback and link-local addresses (dev, tests). */
  allowPrivate: boolean;
}

const MAX_ENDPOINTS_PER_TENANT = 20;
// Long enough for a receiver to deploy the new secret; both sign meanwhile.
const ROTATION_GRACE_SECONDS = 24 * 3600;

/** Audited without the secret: the log must never hold it. */
export async function createWebhook(
  db: Db,
  ctx: Ctx,
  input: WebhookCreate,
  policy: WebhookPolicy,
): Promise<WebhookWithSecret> {
  await assertWebhookTarget(input.url, policy.allowPrivate);
  const secret = newWebhookSecret();
  const webhook = await db.tenant(ctx.tenantId, async (tx) => {
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_endpoints');
    if ((row?.n ?? 0) >= MAX_ENDPOINTS_PER_TENANT) {
      throw new DomainError(
        'conflict',
        'webhook_limit_reached',
        `A business can have up to ${MAX_ENDPOINTS_PER_TENANT} webhooks; delete one first.`,
      );
    }
    const created = await insertEndpoint(tx, {
      id: newId('wh'),
      tenantId: ctx.tenantId,
      secret,
      url: input.url,
      events: input.events,
      description: input.description ?? null,
      enabled: input.enabled,
    });
    appendAudit(tx, ctx, {
      action: 'webhook.created',
      entity: 'webhook',
      entityId: created.id,
      after: created,
    });
    return created;
  });
  return { ...webhook, secret };
}

export async function getWebhook(db: Db, ctx: Ctx, id: string): Promise<Webhook> {
  const webhook = await db.tenant(ctx.tenantId, (tx) => findEndpoint(tx, id));
  if (!webhook) throw notFound('webhook', id);
  return webhook;
}

export function listWebhooks(db: Db, ctx: Ctx, q: WebhookListQuery): Promise<Page<Webhook>> {
  return inTenant(db, ctx.tenantId, (tx) => selectEndpoints(tx, q.page, q.limit));
}

export async function updateWebhook(
  db: Db,
  ctx: Ctx,
  id: string,
  patch: WebhookUpdate,
  policy: WebhookPolicy,
): Promise<Webhook> {
  if (patch.url) await assertWebhookTarget(patch.url, policy.allowPrivate);
  return db.tenant(ctx.tenantId, async (tx) => {
    const before = await findEndpoint(tx, id, true);
    if (!before) throw notFound('webhook', id);
    const after = await updateEndpointRow(tx, id, {
      url: patch.url ?? before.url,
      events: patch.events ?? before.events,
      description: patch.description !== undefined ? patch.description : before.description,
      enabled: patch.enabled ?? before.enabled,
    });
    appendAudit(tx, ctx, { action: 'webhook.updated', entity: 'webhook', entityId: id, before, after });
    return after;
  });
}

export async function deleteWebhook(db: Db, ctx: Ctx, id: string): Promise<void> {
  await db.tenant(ctx.tenantId, async (tx) => {
    const before = await findEndpoint(tx, id, true);
    if (!before) throw notFound('webhook', id);
    await deleteEndpointRow(tx, id);
    appendAudit(tx, ctx, { action: 'webhook.deleted', entity: 'webhook', entityId: id, before });
  });
}

export async function rotateWebhookSecret(db: Db, ctx: Ctx, id: string): Promise<WebhookWithSecret> {
  const secret = newWebhookSecret();
  const webhook = await db.tenant(ctx.tenantId, async (tx) => {
    const current = await findEndpoint(tx, id, true);
    if (!current) throw notFound('webhook', id);
    await replaceSecret(tx, id, secret, ROTATION_GRACE_SECONDS);
    appendAudit(tx, ctx, { action: 'webhook.secret_rotated', entity: 'webhook', entityId: id });
    return current;
  });
  return { ...webhook, secret };
}

export async function listDeliveries(
  db: Db,
  ctx: Ctx,
  webhookId: string,
  q: DeliveryListQuery,
): Promise<Page<WebhookDelivery>> {
  const page = await inTenant(db, ctx.tenantId, (tx) => selectDeliveries(tx, webhookId, q));
  if (!page) throw notFound('webhook', webhookId);
  return page;
}

/** Sends a finished delivery once more, now, with the same webhook-id; refused while it is still in flight. */
export async function redeliver(
  db: Db,
  ctx: Ctx,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  return db.tenant(ctx.tenantId, async (tx) => {
    const webhook = await findEndpoint(tx, webhookId);
    if (!webhook) throw notFound('webhook', webhookId);
    const delivery = await findDelivery(tx, webhookId, deliveryId);
    if (!delivery) throw notFound('delivery', deliveryId);
    if (!webhook.enabled) {
      throw new DomainError('conflict', 'webhook_disabled', 'This webhook is disabled; enable it first.');
    }
    if (delivery.status === 'pending') {
      throw new DomainError(
        'conflict',
        'delivery_in_progress',
        'This delivery is still being tried; wait until it succeeds or fails.',
      );
    }
    const requeued = await requeueDelivery(tx, deliveryId);
    appendAudit(tx, ctx, {
      action: 'webhook.redelivered',
      entity: 'webhook_delivery',
      entityId: deliveryId,
      before: { status: delivery.status, attempts: delivery.attempts },
    });
    return requeued;
  });
}
