import { type Db, inTenant, PREPARED, type Queryable, type Tx } from '../../db/types.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { fetchPage, fetchPageOf, type Page } from '../pagination.ts';
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

/** One earlier exchange of a conversation, as the next turn sees it. */
export interface Exchange {
  user_message: string;
  reply: string;
}

/** A conversation opened for a turn, with its history and what the caller's own read beside it found. */
export interface OpenedConversation<B> {
  conversation: Conversation;
  history: Exchange[];
  beside: B;
}

/**
 * The conversation a message belongs to (the one named, or a new one) and its last `limit` exchanges, oldest
 * first: the history the next turn sees. One statement, sent in one round trip with `beside`, the caller's
 * other first read (a turn's memory search), which must send its statement at once (see `Db.tenantBatch`).
 */
export async function openConversation<B = undefined>(
  db: Db,
  ctx: Ctx,
  channel: ConversationChannel,
  id: string | undefined,
  limit: number,
  beside?: (tx: Queryable) => Promise<B>,
): Promise<OpenedConversation<B | undefined>> {
  const [opened, found] = await inTenant(db, ctx.tenantId, (tx) =>
    Promise.all([conversationFor(tx, ctx, channel, id, limit), beside?.(tx)]),
  );
  if (!opened) throw notFound('conversation', id ?? '');
  return { ...opened, beside: found };
}

async function conversationFor(
  tx: Queryable,
  ctx: Ctx,
  channel: ConversationChannel,
  id: string | undefined,
  limit: number,
): Promise<{ conversation: Conversation; history: Exchange[] } | undefined> {
  if (!id) {
    const [row] = await tx.query<ConversationRow>(
      `INSERT INTO conversations (id, tenant_id, user_id, channel) VALUES ($1, $2, $3, $4)
       RETURNING id, channel, turn_count, created_at, updated_at`,
      [newId('conv'), ctx.tenantId, ctx.userId, channel],
    );
    return { conversation: toConversation(row as ConversationRow), history: [] };
  }
  const [row] = await tx.query<ConversationRow & { history: [string, string][] }>(
    `SELECT c.id, c.channel, c.turn_count, c.created_at, c.updated_at,
       (SELECT coalesce(json_agg(json_build_array(h.user_message, h.reply) ORDER BY h.seq), '[]'::json)
        FROM (SELECT seq, user_message, reply FROM turns WHERE conversation_id = c.id
              ORDER BY seq DESC LIMIT $3) h) AS history
     FROM conversations c WHERE c.id = $1 AND c.user_id = $2`,
    [id, ctx.userId, limit],
    PREPARED,
  );
  if (!row) return undefined;
  return {
    conversation: toConversation(row),
    history: row.history.map(([user_message, reply]) => ({ user_message, reply })),
  };
}

/**
 * Appends a turn and counts it on its conversation, in one statement, with `beside` queuing the turn's other
 * closing writes (its memories' recall count) in the same round trip.
 */
export async function recordTurn(
  db: Db,
  ctx: Ctx,
  conversationId: string,
  t: NewTurn,
  beside?: (tx: Tx) => void,
): Promise<Turn> {
  const [row] = await inTenant(db, ctx.tenantId, (tx) => {
    const recorded = tx.query<{ id: string; seq: number; created_at: Date }>(
      `WITH counted AS (
         UPDATE conversations SET turn_count = turn_count + 1, updated_at = now() WHERE id = $3
         RETURNING turn_count
       )
       INSERT INTO turns (id, tenant_id, conversation_id, seq, user_message, reply, actions, model, input_tokens,
         output_tokens, latency_ms, error)
       SELECT $1, $2, $3, turn_count, $4, $5, $6, $7, $8, $9, $10, $11 FROM counted
       RETURNING id, seq, created_at`,
      [
        newId('turn'),
        ctx.tenantId,
        conversationId,
        t.userMessage,
        t.reply,
        JSON.stringify(t.actions),
        t.model,
        t.inputTokens,
        t.outputTokens,
        t.latencyMs,
        t.error,
      ],
      PREPARED,
    );
    beside?.(tx);
    return recorded;
  });
  if (!row) throw notFound('conversation', conversationId);
  return toTurn({
    ...row,
    user_message: t.userMessage,
    reply: t.reply,
    actions: t.actions,
    model: t.model,
    input_tokens: t.inputTokens,
    output_tokens: t.outputTokens,
    latency_ms: t.latencyMs,
    error: t.error,
  });
}

export function listConversations(db: Db, ctx: Ctx, q: ConversationListQuery): Promise<Page<Conversation>> {
  return inTenant(db, ctx.tenantId, async (tx) => {
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
  const found = await inTenant(db, ctx.tenantId, (tx) =>
    fetchPageOf<ConversationRow, TurnRow>(
      tx,
      `SELECT id AS parent_id, channel AS parent_channel, turn_count AS parent_turn_count,
              created_at AS parent_created_at, updated_at AS parent_updated_at
       FROM conversations WHERE id = $1 AND user_id = $2`,
      {
        from: 'turns',
        where: 'conversation_id = $1',
        order: 'seq ASC',
        params: [id, ctx.userId],
        page: q.page,
        limit: q.limit,
      },
    ),
  );
  if (!found) throw notFound('conversation', id);
  const { parent, page } = found;
  return { conversation: toConversation(parent), total: page.total, items: page.items.map(toTurn) };
}
