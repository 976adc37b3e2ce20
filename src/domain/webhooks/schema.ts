import { z } from 'zod';
import { EventType } from '../events.ts';
import { idOf, text } from '../fields.ts';
import { pageFields } from '../pagination.ts';

export const webhookId = idOf('wh');
export const deliveryId = idOf('whd');

const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2048)
  .refine((u) => {
    // Refinements run even after the URL check failed, so an unparsable value must not throw here.
    const url = URL.canParse(u) ? new URL(u) : null;
    return !url?.username && !url?.password;
  }, 'must not carry a user name or password')
  .meta({ example: 'https://example.com/hooks/axon' });

const events = z
  .array(EventType)
  .min(1, 'name at least one event')
  .max(EventType.options.length)
  .refine((list) => new Set(list).size === list.length, 'must not repeat an event')
  .meta({ description: 'The events this endpoint receives', example: ['task.created', 'task.completed'] });

const description = text(500).nullable();

export const WebhookCreate = z
  .strictObject({
    url: webhookUrl,
    events,
    description: description.optional(),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'WebhookCreate' });
export type WebhookCreate = z.output<typeof WebhookCreate>;

export const WebhookUpdate = z
  .strictObject({ url: webhookUrl, events, description, enabled: z.boolean() })
  .partial()
  .refine((u) => Object.keys(u).length > 0, 'name at least one field to change')
  .meta({ id: 'WebhookUpdate' });
export type WebhookUpdate = z.infer<typeof WebhookUpdate>;

export const Webhook = z
  .object({
    id: z.string().meta({ example: 'wh_01jq2n3v4w5x6y7z8a9b0c' }),
    url: z.string(),
    events: z.array(EventType),
    description: z.string().nullable(),
    enabled: z.boolean(),
    disabled_reason: z
      .string()
      .nullable()
      .meta({ description: 'Why delivery stopped, when the endpoint was disabled automatically' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof Webhook>;

export const WebhookWithSecret = Webhook.extend({
  secret: z.string().meta({
    description: 'The signing secret. Shown only now: store it; it cannot be read again.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).meta({ id: 'WebhookWithSecret' });
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;

export const DeliveryStatus = z.enum(['pending', 'succeeded', 'failed']);

export const WebhookAttempt = z
  .object({
    attempt: z.number().int(),
    status_code: z.number().int().nullable(),
    error: z.string().nullable(),
    duration_ms: z.number().int(),
    attempted_at: z.string(),
  })
  .meta({ id: 'WebhookAttempt' });
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDelivery = z
  .object({
    id: z.string().meta({ example: 'whd_01jq2n3v4w5x6y7z8a9b0c' }),
    webhook_id: z.string(),
    event_id: z.string().meta({ description: 'Also the webhook-id header of every attempt' }),
    event_type: EventType,
    status: DeliveryStatus,
    attempts: z.number().int(),
    max_attempts: z.number().int(),
    next_attempt_at: z.string().nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    completed_at: z.string().nullable(),
    attempt_log: z.array(WebhookAttempt),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookListQuery = z.strictObject({ ...pageFields });
export type WebhookListQuery = z.infer<typeof WebhookListQuery>;

export const DeliveryListQuery = z.strictObject({ status: DeliveryStatus.optional(), ...pageFields });
export type DeliveryListQuery = z.infer<typeof DeliveryListQuery>;
