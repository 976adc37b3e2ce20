import type { Queryable } from '../../db/types.ts';

/** SQL for the channel tables (migration 004): links, inbound messages, outbound messages, chat leases. */

export interface ChatKey {
  channel: string;
  account: string;
  chat: string;
}

export const chatKeyOf = (k: ChatKey): string => `${k.channel}:${k.account}:${k.chat}`;

export interface ChannelLink {
  channel: string;
  account: string;
  externalId: string;
  chat: string;
  userId: string;
  tenantId: string;
  phone: string;
  conversationId: string | null;
}

interface LinkRow {
  channel: string;
  account: string;
  external_id: string;
  chat: string;
  user_id: string;
  tenant_id: string;
  phone: string;
  conversation_id: string | null;
}

const LINK_COLUMNS = 'channel, account, external_id, chat, user_id, tenant_id, phone, conversation_id';

const toLink = (r: LinkRow): ChannelLink => ({
  channel: r.channel,
  account: r.account,
  externalId: r.external_id,
  chat: r.chat,
  userId: r.user_id,
  tenantId: r.tenant_id,
  phone: r.phone,
  conversationId: r.conversation_id,
});

export async function findLink(
  db: Queryable,
  channel: string,
  account: string,
  externalId: string,
): Promise<ChannelLink | null> {
  const [row] = await db.query<LinkRow>(
    `SELECT ${LINK_COLUMNS} FROM channel_links WHERE channel = $1 AND account = $2 AND external_id = $3`,
    [channel, account, externalId],
  );
  return row ? toLink(row) : null;
}

/** A user's links, most recently used first. */
export async function linksOfUser(db: Queryable, userId: string): Promise<ChannelLink[]> {
  const rows = await db.query<LinkRow>(
    `SELECT ${LINK_COLUMNS} FROM channel_links WHERE user_id = $1 ORDER BY updated_at DESC`,
    [userId],
  );
  return rows.map(toLink);
}

/** Links of whoever owns this phone number. */
export async function linksOfPhone(db: Queryable, phone: string): Promise<ChannelLink[]> {
  const rows = await db.query<LinkRow>(
    `SELECT ${LINK_COLUMNS} FROM channel_links WHERE phone = $1 ORDER BY updated_at DESC`,
    [phone],
  );
  return rows.map(toLink);
}

export async function upsertLink(db: Queryable, link: Omit<ChannelLink, 'conversationId'>): Promise<void> {
  await db.query(
    `INSERT INTO channel_links (channel, account, external_id, chat, user_id, tenant_id, phone)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (channel, account, external_id) DO UPDATE
       SET chat = EXCLUDED.chat, user_id = EXCLUDED.user_id, tenant_id = EXCLUDED.tenant_id,
           phone = EXCLUDED.phone, updated_at = now(),
           conversation_id = CASE WHEN channel_links.user_id = EXCLUDED.user_id
                                  THEN channel_links.conversation_id END`,
    [link.channel, link.account, link.externalId, link.chat, link.userId, link.tenantId, link.phone],
  );
}

export async function setLinkConversation(
  db: Queryable,
  link: Pick<ChannelLink, 'channel' | 'account' | 'externalId'>,
  conversationId: string,
): Promise<void> {
  await db.query(
    `UPDATE channel_links SET conversation_id = $4, updated_at = now()
     WHERE channel = $1 AND account = $2 AND external_id = $3`,
    [link.channel, link.account, link.externalId, conversationId],
  );
}

export interface NewInbound extends ChatKey {
  messageId: string;
  senderId: string;
  senderPhone: string | null;
  senderName: string | null;
  text: string;
  media: string | null;
  inGroup: boolean;
  mentioned: boolean;
  sentAt: Date;
  file?: InboundFile | undefined;
}

/** A document sent with a message: its bytes, unless it was too large to fetch. */
export interface InboundFile {
  name: string;
  size: number;
  bytes: Buffer | null;
}

/** Records a message; false when (channel, account, message id) was already recorded: a duplicate. */
export async function recordInbound(db: Queryable, m: NewInbound): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO inbound_messages (channel, account, chat, message_id, sender_id, sender_phone, sender_name,
                                   text, media, in_group, mentioned, sent_at, file_name, file_size, file_bytes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (channel, account, message_id) DO NOTHING RETURNING id`,
    [
      m.channel,
      m.account,
      m.chat,
      m.messageId,
      m.senderId,
      m.senderPhone,
      m.senderName,
      m.text,
      m.media,
      m.inGroup,
      m.mentioned,
      m.sentAt,
      m.file?.name ?? null,
      m.file?.size ?? null,
      m.file?.bytes ?? null,
    ],
  );
  return rows.length > 0;
}

export interface PendingInbound {
  id: string;
  messageId: string;
  senderId: string;
  senderPhone: string | null;
  senderName: string | null;
  text: string;
  media: string | null;
  file: InboundFile | null;
}

interface PendingRow {
  id: string;
  message_id: string;
  sender_id: string;
  sender_phone: string | null;
  sender_name: string | null;
  text: string;
  media: string | null;
  file_name: string | null;
  file_size: number | null;
  file_bytes: Buffer | Uint8Array | null;
}

/** The chat's oldest unprocessed messages, in arrival order. */
export async function pendingInbound(db: Queryable, k: ChatKey, limit: number): Promise<PendingInbound[]> {
  const rows = await db.query<PendingRow>(
    `SELECT id::text AS id, message_id, sender_id, sender_phone, sender_name, text, media, file_name, file_size,
            file_bytes
     FROM inbound_messages
     WHERE channel = $1 AND account = $2 AND chat = $3 AND processed_at IS NULL
     ORDER BY id LIMIT $4`,
    [k.channel, k.account, k.chat, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    messageId: r.message_id,
    senderId: r.sender_id,
    senderPhone: r.sender_phone,
    senderName: r.sender_name,
    text: r.text,
    media: r.media,
    file:
      r.file_name === null
        ? null
        : {
            name: r.file_name,
            size: Number(r.file_size ?? 0),
            bytes: r.file_bytes === null ? null : Buffer.from(r.file_bytes),
          },
  }));
}

export async function markProcessed(db: Queryable, ids: string[], turnId: string | null): Promise<void> {
  await db.query(
    'UPDATE inbound_messages SET processed_at = now(), turn_id = $2, file_bytes = NULL WHERE id = ANY($1::bigint[])',
    [ids, turnId],
  );
}

/** Chats with work left over (unprocessed messages or unsent replies): what a restart picks up. */
export async function chatsWithWork(db: Queryable): Promise<ChatKey[]> {
  return db.query<ChatKey>(
    `SELECT channel, account, chat FROM inbound_messages WHERE processed_at IS NULL
     UNION
     SELECT channel, account, chat FROM outbound_messages WHERE sent_at IS NULL`,
  );
}

export interface Outbound extends ChatKey {
  dedupKey: string;
  text: string;
  requestPhone: boolean;
  /** A PNG sent with `text` as its caption. */
  image?: Buffer | undefined;
}

/** Queues a reply; false when one with this dedup key already exists. */
export async function queueOutbound(db: Queryable, o: Outbound): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO outbound_messages (dedup_key, channel, account, chat, text, request_phone, image)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedup_key) DO NOTHING RETURNING dedup_key`,
    [o.dedupKey, o.channel, o.account, o.chat, o.text, o.requestPhone, o.image ?? null],
  );
  return rows.length > 0;
}

interface OutboundRow {
  dedup_key: string;
  channel: string;
  account: string;
  chat: string;
  text: string;
  request_phone: boolean;
  image: Uint8Array | null;
}

const toOutbound = (r: OutboundRow): Outbound => ({
  dedupKey: r.dedup_key,
  channel: r.channel,
  account: r.account,
  chat: r.chat,
  text: r.text,
  requestPhone: r.request_phone,
  // pg hands bytea over as a Buffer, PGlite as a Uint8Array.
  ...(r.image ? { image: Buffer.from(r.image) } : {}),
});

export async function unsentOutbound(db: Queryable, k: ChatKey): Promise<Outbound[]> {
  const rows = await db.query<OutboundRow>(
    `SELECT dedup_key, channel, account, chat, text, request_phone, image FROM outbound_messages
     WHERE channel = $1 AND account = $2 AND chat = $3 AND sent_at IS NULL ORDER BY created_at, dedup_key`,
    [k.channel, k.account, k.chat],
  );
  return rows.map(toOutbound);
}

export async function getOutbound(
  db: Queryable,
  dedupKey: string,
): Promise<(Outbound & { sent: boolean }) | null> {
  const [row] = await db.query<OutboundRow & { sent: boolean }>(
    `SELECT dedup_key, channel, account, chat, text, request_phone, image, sent_at IS NOT NULL AS sent
     FROM outbound_messages WHERE dedup_key = $1`,
    [dedupKey],
  );
  return row ? { ...toOutbound(row), sent: row.sent } : null;
}

export async function markSent(db: Queryable, dedupKey: string): Promise<void> {
  await db.query(
    'UPDATE outbound_messages SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE dedup_key = $1',
    [dedupKey],
  );
}

export async function markSendFailed(db: Queryable, dedupKey: string, error: string): Promise<void> {
  await db.query(
    'UPDATE outbound_messages SET attempts = attempts + 1, last_error = $2 WHERE dedup_key = $1',
    [dedupKey, error.slice(0, 500)],
  );
}

/** Takes (or renews) the chat's lease; false while another holder's lease is live. */
export async function takeLease(
  db: Queryable,
  chatKey: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO channel_chat_leases (chat_key, holder, expires_at)
     VALUES ($1, $2, now() + make_interval(secs => $3::float8 / 1000))
     ON CONFLICT (chat_key) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE channel_chat_leases.holder = EXCLUDED.holder OR channel_chat_leases.expires_at < now()
     RETURNING holder`,
    [chatKey, holder, ttlMs],
  );
  return rows.length > 0;
}

export async function releaseLease(db: Queryable, chatKey: string, holder: string): Promise<void> {
  await db.query('DELETE FROM channel_chat_leases WHERE chat_key = $1 AND holder = $2', [chatKey, holder]);
}
