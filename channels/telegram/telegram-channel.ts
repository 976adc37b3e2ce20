import { setTimeout as delay } from 'node:timers/promises';
import { autoRetry } from '@grammyjs/auto-retry';
import express, { type RequestHandler } from 'express';
import { Bot, type Context, GrammyError, InputFile, webhookCallback } from 'grammy';
import type { Message, Update } from 'grammy/types';
import { isE164 } from '../../src/domain/phone.ts';
import type { Channel, InboundMessage, MediaKind } from '../channel.ts';
import { MAX_FILE_BYTES } from '../pipeline/inbound.ts';

/**
 * Telegram through grammY: long polling by default, or a webhook behind our Express app. Either way an
 * update is handed to the pipeline, which records it (its update_id is the dedup key) before any work,
 * so the webhook is acknowledged at once and a slow model never makes Telegram retry.
 */

export interface TelegramSettings {
  token: string;
  apiRoot: string;
  /** Public HTTPS URL of our webhook route; unset means long polling. */
  webhookUrl?: string | undefined;
  webhookSecret?: string | undefined;
  log?: { error(fields: Record<string, unknown>, msg: string): void };
}

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

const abortableDelay = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => {});

export interface TelegramChannel extends Channel {
  /** Express handlers for the webhook route (JSON body, secret-token check), when webhook mode is set. */
  readonly webhook: RequestHandler[] | null;
}

const MEDIA: [keyof Message, MediaKind][] = [
  ['voice', 'voice'],
  ['audio', 'audio'],
  ['photo', 'image'],
  ['video', 'video'],
  ['video_note', 'video'],
  ['document', 'document'],
  ['sticker', 'sticker'],
  ['location', 'location'],
  ['contact', 'contact'],
];

/** Telegram sends numbers with or without the "+"; only a valid E.164 number is kept. */
function e164(raw: string): string | undefined {
  const phone = `+${raw.replace(/[^\d]/g, '')}`;
  return isE164(phone) ? phone : undefined;
}

export function normaliseUpdate(
  update: Update,
  bot: { id: number; username: string },
): InboundMessage | null {
  const m = update.message;
  if (!m?.from || m.from.is_bot) return null;
  const text = m.text ?? m.caption ?? '';
  // A contact is a verified number only when its owner shared it: user_id equals the sender.
  const phone = m.contact && m.contact.user_id === m.from.id ? e164(m.contact.phone_number) : undefined;
  const inGroup = m.chat.type !== 'private';
  const mention = `@${bot.username}`;
  const addressed =
    text.toLowerCase().includes(mention.toLowerCase()) || m.reply_to_message?.from?.id === bot.id;
  const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ');
  return {
    channel: 'telegram',
    account: String(bot.id),
    chat: String(m.chat.id),
    sender: { id: String(m.from.id), ...(phone ? { phone } : {}), ...(name ? { name } : {}) },
    messageId: String(update.update_id),
    text,
    media: MEDIA.find(([field]) => m[field] !== undefined)?.[1] ?? null,
    timestamp: new Date(m.date * 1000),
    ...(inGroup ? { group: { addressed, mentions: [mention] } } : {}),
  };
}

/** Telegram's longest photo caption. */
const CAPTION_LIMIT = 1024;

const SHARE_PHONE = {
  keyboard: [[{ text: '📱 Share my phone number', request_contact: true }]],
  one_time_keyboard: true,
  resize_keyboard: true,
};

export function createTelegramChannel(settings: TelegramSettings): TelegramChannel {
  const bot = new Bot(settings.token, { client: { apiRoot: settings.apiRoot } });
  // 429s and 5xx are waited out and retried by the API client itself, for every call.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60 }));
  let deliver: ((m: InboundMessage) => Promise<void>) | null = null;
  let polling: Promise<void> | null = null;
  let stopPolling: AbortController | null = null;
  let running = false;

  /** A document's bytes, fetched as the Bot API serves files; none when too large or not to be had. */
  async function fileOf(doc: NonNullable<Message['document']>): Promise<NonNullable<InboundMessage['file']>> {
    const name = doc.file_name ?? 'file';
    const size = doc.file_size ?? 0;
    if (size > MAX_FILE_BYTES) return { name, size, bytes: null };
    try {
      const file = await bot.api.getFile(doc.file_id);
      if (!file.file_path) return { name, size, bytes: null };
      const res = await fetch(`${settings.apiRoot}/file/bot${settings.token}/${file.file_path}`);
      if (!res.ok) throw new Error(`Telegram answered ${res.status} for the file`);
      const bytes = Buffer.from(await res.arrayBuffer());
      return { name, size: bytes.length, bytes: bytes.length > MAX_FILE_BYTES ? null : bytes };
    } catch (err) {
      settings.log?.error({ err, file: name }, 'telegram: could not fetch a document');
      return { name, size, bytes: null };
    }
  }

  bot.on('message', async (ctx: Context) => {
    const normalised = normaliseUpdate(ctx.update, ctx.me);
    if (!normalised) return;
    const doc = ctx.message?.document;
    const message = doc ? { ...normalised, file: await fileOf(doc) } : normalised;
    if (!deliver) throw new Error('telegram channel is not running');
    if (settings.webhookUrl) {
      // An error answers the webhook with 500, and Telegram sends the update again.
      await deliver(message);
      return;
    }
    // Polling confirms an update once this returns, so it returns only when the update is recorded.
    for (let attempt = 0; running; attempt++) {
      try {
        await deliver(message);
        return;
      } catch (err) {
        settings.log?.error({ err, attempt }, 'telegram: could not record an update; retrying');
        await new Promise((r) => setTimeout(r, Math.min(30_000, 250 * 2 ** attempt)));
      }
    }
  });

  const webhook: RequestHandler[] | null = settings.webhookUrl
    ? [
        express.json({ limit: '1mb' }),
        webhookCallback(bot, 'express', {
          ...(settings.webhookSecret ? { secretToken: settings.webhookSecret } : {}),
        }),
      ]
    : null;

  /**
   * Long polling, with each batch's chats recorded side by side (grammY's own loop takes updates one at a
   * time, so a busy database made every chat wait for all the others). The next `getUpdates` confirms the
   * batch only once every update of it is recorded, so a crash loses nothing.
   */
  async function poll(signal: AbortSignal): Promise<void> {
    let offset = 0;
    while (!signal.aborted) {
      let updates: Update[];
      try {
        updates = await bot.api.getUpdates(
          { offset, timeout: 30, allowed_updates: ['message'] },
          // grammY types its signal with its own AbortController shim; Node's is the same at run time.
          signal as Parameters<typeof bot.api.getUpdates>[1],
        );
      } catch (err) {
        if (signal.aborted) break;
        // Unauthorised or another poller on this token: retrying cannot help.
        if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 409)) throw err;
        settings.log?.error({ err }, 'telegram: getUpdates failed; retrying');
        await abortableDelay(
          err instanceof GrammyError ? (err.parameters.retry_after ?? 3) * 1000 : 3000,
          signal,
        );
        continue;
      }
      // Chats side by side; one chat's updates in order, so its messages keep the order they were sent in.
      const byChat = new Map<number, Update[]>();
      for (const u of updates) {
        const chat = u.message?.chat.id ?? 0;
        const list = byChat.get(chat);
        if (list) list.push(u);
        else byChat.set(chat, [u]);
      }
      await Promise.all(
        [...byChat.values()].map(async (chatUpdates) => {
          for (const u of chatUpdates)
            await bot.handleUpdate(u).catch((err) => settings.log?.error({ err }, 'telegram: update failed'));
        }),
      );
      const last = updates.at(-1);
      if (last) offset = last.update_id + 1;
    }
    // Confirm what was recorded, so Telegram does not send it again after a restart.
    if (offset > 0) await bot.api.getUpdates({ offset, limit: 1, timeout: 0 }).catch(() => {});
  }

  return {
    name: 'telegram',
    webhook,
    async start(onMessage) {
      deliver = onMessage;
      running = true;
      await bot.init();
      if (settings.webhookUrl) {
        await bot.api.setWebhook(settings.webhookUrl, {
          allowed_updates: ['message'],
          ...(settings.webhookSecret ? { secret_token: settings.webhookSecret } : {}),
        });
        return;
      }
      await bot.api.deleteWebhook();
      stopPolling = new AbortController();
      polling = poll(stopPolling.signal).catch((err) => {
        if (running) settings.log?.error({ err }, 'telegram: polling stopped');
      });
    },
    async stop() {
      running = false;
      stopPolling?.abort();
      await polling;
      polling = null;
      stopPolling = null;
      deliver = null;
    },
    async send(message) {
      const extra = message.requestPhone ? { reply_markup: SHARE_PHONE } : {};
      if (!message.image) {
        await bot.api.sendMessage(message.chat, message.text, extra);
        return;
      }
      // A caption holds 1,024 characters: a longer answer follows the picture as its own message.
      const fits = message.text.length <= CAPTION_LIMIT;
      await bot.api.sendPhoto(message.chat, new InputFile(message.image, 'chart.png'), {
        ...(fits ? { caption: message.text } : {}),
        ...extra,
      });
      if (!fits) await bot.api.sendMessage(message.chat, message.text, extra);
    },
  };
}
