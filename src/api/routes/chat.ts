import { z } from 'zod';
import type { TurnRunner } from '../../agent/runner.ts';
import type { Db } from '../../db/types.ts';
import {
  Action,
  Conversation,
  ConversationListQuery,
  conversationId,
  Turn,
  TurnListQuery,
} from '../../domain/conversations/schema.ts';
import { getConversationTurns, listConversations } from '../../domain/conversations/store.ts';
import { requiredText } from '../../domain/fields.ts';
import { requestIdOf } from '../envelope.ts';
import { defineRoute } from '../route.ts';

const ChatRequest = z
  .strictObject({
    message: requiredText(4000).meta({ example: 'remind me to call ABC Traders tomorrow at 5pm' }),
    conversation_id: conversationId
      .optional()
      .meta({ description: 'Continue this conversation; omit to start one' }),
  })
  .meta({ id: 'ChatRequest' });

const ChatReply = z
  .object({
    reply: z.string().meta({ example: 'Done ✅ Added “Call ABC Traders — tomorrow, 5:00 pm”.' }),
    conversation_id: z.string(),
    turn_id: z.string().meta({ description: 'This turn; memories learned from it name it as their source' }),
    actions: z.array(Action),
  })
  .meta({ id: 'ChatReply' });

const IdParams = z.strictObject({ id: conversationId });

export const chatRoutes = (db: Db, runTurn: TurnRunner) => [
  defineRoute({
    method: 'post',
    path: '/chat',
    operationId: 'chat',
    summary: 'Send a message to your Digital Employee',
    description:
      'It acts through its tools (tasks, follow-ups, my day) and answers in plain words; `actions` lists what it did.',
    tag: 'Chat',
    access: 'user',
    body: ChatRequest,
    response: ChatReply,
    // A turn waits on the model: it must not hold a transaction open meanwhile.
    idempotency: 'separate',
    errors: { 404: 'No such conversation' },
    handler: async ({ session, body, res }) => {
      const turn = await runTurn({
        principal: session,
        channel: 'api',
        message: body.message,
        conversationId: body.conversation_id,
        requestId: requestIdOf(res),
        apiKeyId: session.apiKey?.id,
      });
      return {
        data: {
          reply: turn.reply,
          conversation_id: turn.conversation_id,
          turn_id: turn.turn_id,
          actions: turn.actions,
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/conversations',
    operationId: 'listConversations',
    summary: 'Your conversations with the Digital Employee, latest first',
    tag: 'Chat',
    access: 'user',
    query: ConversationListQuery,
    response: z.object({ conversations: z.array(Conversation) }).meta({ id: 'ConversationList' }),
    handler: async ({ ctx, query }) => {
      const page = await listConversations(db, ctx, query);
      return {
        data: { conversations: page.items },
        page: { page: query.page, total: page.total, limit: query.limit },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/conversations/{id}',
    operationId: 'getConversation',
    summary: 'A conversation and its turns, oldest first',
    tag: 'Chat',
    access: 'user',
    params: IdParams,
    query: TurnListQuery,
    response: z
      .object({ conversation: Conversation, turns: z.array(Turn) })
      .meta({ id: 'ConversationTurns' }),
    errors: { 404: 'No such conversation' },
    handler: async ({ ctx, params, query }) => {
      const page = await getConversationTurns(db, ctx, params.id, query);
      return {
        data: { conversation: page.conversation, turns: page.items },
        page: { page: query.page, total: page.total, limit: query.limit },
      };
    },
  }),
];
