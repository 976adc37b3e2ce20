import type { Db } from '../../db/types.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { fetchPage, type Page } from '../pagination.ts';
import type {
  Action,
  Conversation,
  ConversationChannel,
  ConversationListQuery,
  Turn,
  TurnListQuery,
} from './schema.ts';

/** Conversations and their turns. A user sees only their own conversations. */

interface ConversationRow {
  id: string;
  channel: ConversationChannel;
  turn_count: number;
  created_at: Date;
  updated_at: Date;
}

interface TurnRow {
  id: string;
  seq: number;
  user_message: string;
  reply: string;
  actions: Action[];
  model: string;
  input_tokens: number;
  output_tokens: number;
  latency_ms: number;
  error: string | null;
  created_at: Date;
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  channel: r.channel,
  turn_count: r.turn_count,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});

const toTurn = (r: TurnRow): Turn => ({
  id: r.id,
  seq: r.seq,
  user_message: r.user_message,
  reply: r.reply,
  actions: r.actions,
  model: r.model,
  input_tokens: r.input_tokens,
  output_tokens: r.output_tokens,
  latency_ms: r.latency_ms,
  error: r.error,
  created_at: r.created_at.toISOString(),
});

export interface NewTurn {
  userMessage: string;
  reply: string;
  actions: Action[];
  model: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  error: string | null;
}

/**
 * The conversation a message belongs to (the one named, or a new one) and its last `limit` turns, oldest
 * first: the history the next turn sees. One transaction, as a turn's first step.
 */
export async function openConversation(
  db: Db,
  ctx: Ctx,
  channel: ConversationChannel,
  id: string | undefined,
  limit: number,
): Promise<{ conversation: Conversation; history: Turn[] }> {
  return db.tenant(ctx.tenantId, async (tx) => {
    if (!id) {
      const [row] = await tx.query<ConversationRow>(
        `INSERT INTO conversations (id, tenant_id, user_id, channel) VALUES ($1, $2, $3, $4)
         RETURNING id, channel, turn_count, created_at, updated_at`,
        [newId('conv'), ctx.tenantId, ctx.userId, channel],
      );
      return { conversation: toConversation(row as ConversationRow), history: [] };
    }
    const [row] = await tx.query<ConversationRow>(
      'SELECT id, channel, turn_count, created_at, updated_at FROM conversations WHERE id = $1 AND user_id = $2',
      [id, ctx.userId],
    );
    if (!row) throw notFound('conversation', id);
    const history = await tx.query<TurnRow>(
      `SELECT * FROM (
         SELECT id, seq, user_message, reply, actions, model, input_tokens, output_tokens, latency_ms, error, created_at
         FROM turns WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2
       ) recent ORDER BY seq ASC`,
      [id, limit],
    );
    return { conversation: toConversation(row), history: history.map(toTurn) };
  });
}

/** The last `limit` turns, oldest first: the history the next turn sees. */
export async function recentTurns(db: Db, ctx: Ctx, conversationId: string, limit: number): Promise<Turn[]> {
  const rows = await db.tenant(ctx.tenantId, (tx) =>
    tx.query<TurnRow>(
      `SELECT * FROM (
         SELECT id, seq, user_message, reply, actions, model, input_tokens, output_tokens, latency_ms, error, created_at
         FROM turns WHERE conversation_id = $1 ORDER BY seq DESC LIMIT $2
       ) recent ORDER BY seq ASC`,
      [conversationId, limit],
    ),
  );
  return rows.map(toTurn);
}

export async function recordTurn(db: Db, ctx: Ctx, conversationId: string, t: NewTurn): Promise<Turn> {
  return db.tenant(ctx.tenantId, async (tx) => {
    const [conv] = await tx.query<{ seq: number }>(
      'UPDATE conversations SET turn_count = turn_count + 1, updated_at = now() WHERE id = $1 RETURNING turn_count AS seq',
      [conversationId],
    );
    if (!conv) throw notFound('conversation', conversationId);
    const [row] = await tx.query<TurnRow>(
      `INSERT INTO turns (id, tenant_id, conversation_id, seq, user_message, reply, actions, model, input_tokens,
         output_tokens, latency_ms, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       RETURNING id, seq, user_message, reply, actions, model, input_tokens, output_tokens, latency_ms, error, created_at`,
      [
        newId('turn'),
        ctx.tenantId,
        conversationId,
        conv.seq,
        t.userMessage,
        t.reply,
        JSON.stringify(t.actions),
        t.model,
        t.inputTokens,
        t.outputTokens,
        t.latencyMs,
        t.error,
      ],
    );
    return toTurn(row as TurnRow);
  });
}

export function listConversations(db: Db, ctx: Ctx, q: ConversationListQuery): Promise<Page<Conversation>> {
  return db.tenant(ctx.tenantId, async (tx) => {
    const page = await fetchPage<ConversationRow>(tx, {
      from: 'conversations',
      where: 'user_id = $1 AND ($2::text IS NULL OR channel = $2)',
      order: 'updated_at DESC, id DESC',
      params: [ctx.userId, q.channel ?? null],
      page: q.page,
      limit: q.limit,
    });
    return { total: page.total, items: page.items.map(toConversation) };
  });
}

export async function getConversationTurns(
  db: Db,
  ctx: Ctx,
  id: string,
  q: TurnListQuery,
): Promise<{ conversation: Conversation } & Page<Turn>> {
  return db.tenant(ctx.tenantId, async (tx) => {
    const [conv] = await tx.query<ConversationRow>(
      'SELECT id, channel, turn_count, created_at, updated_at FROM conversations WHERE id = $1 AND user_id = $2',
      [id, ctx.userId],
    );
    if (!conv) throw notFound('conversation', id);
    const page = await fetchPage<TurnRow>(tx, {
      from: 'turns',
      where: 'conversation_id = $1',
      order: 'seq ASC',
      params: [id],
      page: q.page,
      limit: q.limit,
    });
    return { conversation: toConversation(conv), total: page.total, items: page.items.map(toTurn) };
  });
}
