import { z } from 'zod';
import { idOf } from '../fields.ts';
import { pageFields } from '../pagination.ts';

export const ConversationChannel = z.enum(['api', 'whatsapp', 'telegram', 'console']);
export type ConversationChannel = z.infer<typeof ConversationChannel>;

export const conversationId = idOf('conv');

export const Action = z
  .object({
    tool: z.string(),
    args: z.record(z.string(), z.unknown()),
    result: z.unknown(),
  })
  .meta({ id: 'Action', description: 'A tool the Digital Employee used, with its arguments and result' });
export type Action = z.infer<typeof Action>;

export const Turn = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    user_message: z.string(),
    reply: z.string(),
    actions: z.array(Action),
    model: z.string(),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    latency_ms: z.number().int(),
    error: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'Turn' });
export type Turn = z.infer<typeof Turn>;

export const Conversation = z
  .object({
    id: z.string(),
    channel: ConversationChannel,
    turn_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof Conversation>;

export const ConversationListQuery = z.strictObject({
  channel: ConversationChannel.optional(),
  ...pageFields,
});
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;
export const TurnListQuery = z.strictObject(pageFields);
export type TurnListQuery = z.infer<typeof TurnListQuery>;
