import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import { type EventType, eventPayloads } from '../../domain/events.ts';
import {
  DeliveryListQuery,
  deliveryId,
  Webhook,
  WebhookCreate,
  WebhookDelivery,
  WebhookListQuery,
  WebhookUpdate,
  WebhookWithSecret,
  webhookId,
} from '../../domain/webhooks/schema.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookPolicy,
} from '../../domain/webhooks/service.ts';
import { defineRoute } from '../route.ts';

const IdParams = z.strictObject({ id: webhookId });
const DeliveryParams = z.strictObject({ id: webhookId, delivery_id: deliveryId });
const WebhookList = z.object({ webhooks: z.array(Webhook) }).meta({ id: 'WebhookList' });
const DeliveryList = z.object({ deliveries: z.array(WebhookDelivery) }).meta({ id: 'WebhookDeliveryList' });
const Deleted = z.object({ id: z.string(), deleted: z.literal(true) });
const notFound = { 404: 'No such webhook in this business' };
const refused = { 400: 'The request is not valid, or the URL is refused (private address, cannot resolve)' };

const SIGNING =
  'Each delivery is a POST of {id, type, timestamp, data} signed per Standard Webhooks: headers webhook-id ' +
  '(the event id, the same on every attempt), webhook-timestamp and webhook-signature (v1,<base64 HMAC-SHA256 ' +
  'of "id.timestamp.body">). Only a 2xx answer within 15 s succeeds; failures are retried with backoff, ' +
  'Retry-After is honoured and 410 Gone disables the endpoint.';

/** Webhook management is for the business owner: an endpoint receives every matching event of the business. */
export const webhookRoutes = (db: Db, policy: WebhookPolicy) => [
  defineRoute({
    method: 'post',
    path: '/webhooks',
    operationId: 'createWebhook',
    summary: 'Create a webhook endpoint',
    description:
      'The signing secret (whsec_…) is in this response only: a replay of the request (same ' +
      `Idempotency-Key) returns the endpoint without it. ${SIGNING}`,
    tag: 'Webhooks',
    access: 'owner',
    body: WebhookCreate,
    response: WebhookWithSecret,
    replayAs: Webhook,
    status: 201,
    errors: { ...refused, 409: 'The business has as many webhooks as allowed' },
    handler: async ({ ctx, body }) => ({ data: await createWebhook(db, ctx, body, policy) }),
  }),
  defineRoute({
    method: 'get',
    path: '/webhooks',
    operationId: 'listWebhooks',
    summary: 'List webhook endpoints',
    tag: 'Webhooks',
    access: 'owner',
    query: WebhookListQuery,
    response: WebhookList,
    handler: async ({ ctx, query }) => {
      const page = await listWebhooks(db, ctx, query);
      return {
        data: { webhooks: page.items },
        page: { page: query.page, total: page.total, limit: query.limit },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/webhooks/{id}',
    operationId: 'getWebhook',
    summary: 'Get a webhook endpoint',
    tag: 'Webhooks',
    access: 'owner',
    params: IdParams,
    response: Webhook,
    errors: notFound,
    handler: async ({ ctx, params }) => ({ data: await getWebhook(db, ctx, params.id) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/webhooks/{id}',
    operationId: 'updateWebhook',
    summary: 'Change a webhook endpoint',
    description: 'Set enabled=true to resume an endpoint that was disabled (for example after a 410).',
    tag: 'Webhooks',
    access: 'owner',
    params: IdParams,
    body: WebhookUpdate,
    response: Webhook,
    errors: { ...notFound, ...refused },
    handler: async ({ ctx, params, body }) => ({
      data: await updateWebhook(db, ctx, params.id, body, policy),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/webhooks/{id}',
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook endpoint',
    description: 'Its deliveries and their log go with it.',
    tag: 'Webhooks',
    access: 'owner',
    params: IdParams,
    response: Deleted,
    errors: notFound,
    handler: async ({ ctx, params }) => {
      await deleteWebhook(db, ctx, params.id);
      return { data: { id: params.id, deleted: true as const } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks/{id}/rotate-secret',
    operationId: 'rotateWebhookSecret',
    summary: 'Rotate the signing secret',
    description:
      'Returns the new secret, shown only now. For 24 hours both the old and the new secret sign each ' +
      'delivery (two v1 signatures), so the receiver can switch without losing events. A replay of the ' +
      'request (same Idempotency-Key) returns the endpoint without the secret.',
    tag: 'Webhooks',
    access: 'owner',
    params: IdParams,
    response: WebhookWithSecret,
    replayAs: Webhook,
    errors: notFound,
    handler: async ({ ctx, params }) => ({ data: await rotateWebhookSecret(db, ctx, params.id) }),
  }),
  defineRoute({
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'List deliveries and their attempts',
    description: 'Newest first; each delivery carries its attempt log (status code, error, duration, time).',
    tag: 'Webhooks',
    access: 'owner',
    params: IdParams,
    query: DeliveryListQuery,
    response: DeliveryList,
    errors: notFound,
    handler: async ({ ctx, params, query }) => {
      const page = await listDeliveries(db, ctx, params.id, query);
      return {
        data: { deliveries: page.items },
        page: { page: query.page, total: page.total, limit: query.limit },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/webhooks/{id}/deliveries/{delivery_id}/redeliver',
    operationId: 'redeliverWebhookDelivery',
    summary: 'Send a delivery again',
    description:
      'One more attempt, now, with the same webhook-id. Refused while the delivery is still being retried, ' +
      'or while the endpoint is disabled.',
    tag: 'Webhooks',
    access: 'owner',
    params: DeliveryParams,
    response: WebhookDelivery,
    status: 202,
    errors: { 404: 'No such webhook or delivery', 409: 'Still in flight, or the endpoint is disabled' },
    handler: async ({ ctx, params }) => ({
      data: await redeliver(db, ctx, params.id, params.delivery_id),
    }),
  }),
];

/** Documents each event as an OpenAPI 3.1 webhook: what an endpoint receives, and the headers that sign it. */
export function registerWebhookEvents(registry: OpenAPIRegistry): void {
  const headers = z.object({
    'webhook-id': z.string().meta({ description: 'The event id; the same on every attempt' }),
    'webhook-timestamp': z.string().meta({ description: 'Unix seconds when this attempt was sent' }),
    'webhook-signature': z
      .string()
      .meta({ description: 'v1,<base64 HMAC-SHA256>, space-separated if several' }),
  });
  for (const [type, data] of Object.entries(eventPayloads) as [EventType, z.ZodType][]) {
    registry.registerWebhook({
      method: 'post',
      path: type,
      operationId: `on${type.replace(/(^|[._])(\w)/g, (_, __, c: string) => c.toUpperCase())}`,
      summary: type,
      // What an endpoint receives is signed (webhook-signature), not authenticated by a scheme of ours.
      security: [],
      description: SIGNING,
      tags: ['Webhooks'],
      request: {
        headers,
        body: {
          content: {
            'application/json': {
              schema: z.object({
                id: z.string().meta({ example: 'evt_01jq2n3v4w5x6y7z8a9b0c' }),
                type: z.literal(type),
                timestamp: z.string().meta({ description: 'When the event happened' }),
                data,
              }),
            },
          },
        },
      },
      responses: { 200: { description: 'Any 2xx acknowledges the event; 410 Gone disables the endpoint' } },
    });
  }
}
