import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

/**
 * A local server speaking the Telegram Bot API's wire format (`POST /bot<token>/<method>`, JSON in,
 * `{ok, result}` out): getMe, getUpdates with offset and long-polling timeout, sendMessage, setWebhook,
 * deleteWebhook. Tests inject updates, which are either polled or POSTed to the registered webhook with the
 * secret-token header, as Telegram does.
 */

export interface SentMessage {
  chat_id: string;
  /** The text, or a photo's caption. */
  text: string;
  /** A photo uploaded with sendPhoto (multipart, as grammY sends an InputFile). */
  photo?: { name: string; type: string; bytes: Buffer };
  reply_markup?: { keyboard?: { text: string; request_contact?: boolean }[][] } & Record<string, unknown>;
}

export interface FakeUpdate {
  update_id: number;
  message?: Record<string, unknown>;
}

export interface MessageOptions {
  chatId: number;
  fromId?: number;
  text?: string;
  contact?: { phone_number: string; user_id?: number; first_name?: string };
  voice?: boolean;
  /** A file sent as a document; fetched as the Bot API serves it (getFile, then /file/bot<token>/<path>). */
  document?: { name: string; bytes: Buffer; mimeType?: string; caption?: string };
  updateId?: number;
  /** Posted in a group chat (chatId is the group's) rather than a private chat. */
  group?: boolean;
}

export interface FakeTelegram {
  apiRoot: string;
  token: string;
  botId: number;
  sent: SentMessage[];
  /** Every call by method name, in order. */
  calls: { method: string; body: Record<string, unknown> }[];
  webhook: { url: string; secret?: string } | null;
  /** Builds a message update as Telegram would send it, with the next update_id unless one is given. */
  update(options: MessageOptions): FakeUpdate;
  /** Builds an update and queues it for getUpdates. */
  push(options: MessageOptions): FakeUpdate;
  /**
   * POSTs an update to the registered webhook as Telegram does (to `url` instead when given, e.g. the local
   * address behind the public one); resolves with the HTTP status.
   */
  postToWebhook(update: FakeUpdate, options?: { url?: string; secret?: string }): Promise<number>;
  /** Resolves with the next `count` messages sent (counting from now). */
  nextSent(count?: number): Promise<SentMessage[]>;
  /** Resolves once a getUpdates call confirms this update (asks from a later offset), as Telegram counts it. */
  confirmed(updateId: number): Promise<void>;
  /** The next call to `method` fails with this error (429 carries retry_after). */
  failNext(method: string, error: { error_code: number; description: string; retry_after?: number }): void;
  close(): Promise<void>;
}

export async function startFakeTelegram(token = '123456:TEST-token'): Promise<FakeTelegram> {
  const botId = Number(token.split(':')[0]);
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const pending: FakeUpdate[] = [];
  const failures = new Map<string, { error_code: number; description: string; retry_after?: number }>();
  const files = new Map<string, Buffer>();
  let nextUpdateId = 1000;
  let nextMessageId = 1;

  const fake: FakeTelegram = {
    apiRoot: '',
    token,
    botId,
    sent: [],
    calls: [],
    webhook: null,
    update(o) {
      const from = { id: o.fromId ?? o.chatId, is_bot: false, first_name: 'Owner' };
      const message: Record<string, unknown> = {
        message_id: nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: o.group
          ? { id: o.chatId, type: 'group', title: 'Shop staff' }
          : { id: o.chatId, type: 'private', first_name: 'Owner' },
        from,
      };
      if (o.text !== undefined) message.text = o.text;
      if (o.contact) message.contact = { first_name: 'Owner', ...o.contact };
      if (o.voice) message.voice = { file_id: 'voice-1', file_unique_id: 'v1', duration: 3 };
      if (o.document) {
        const fileId = `doc-${files.size + 1}`;
        files.set(fileId, o.document.bytes);
        message.document = {
          file_id: fileId,
          file_unique_id: `u${fileId}`,
          file_name: o.document.name,
          mime_type: o.document.mimeType ?? 'text/csv',
          file_size: o.document.bytes.length,
        };
        if (o.document.caption) message.caption = o.document.caption;
      }
      const update_id = o.updateId ?? nextUpdateId++;
      nextUpdateId = Math.max(nextUpdateId, update_id + 1);
      return { update_id, message };
    },
    push(o) {
      const update = fake.update(o);
      pending.push(update);
      events.emit('update');
      return update;
    },
    async postToWebhook(update, options = {}) {
      if (!fake.webhook) throw new Error('no webhook set');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const token = options.secret ?? fake.webhook.secret;
      if (token) headers['x-telegram-bot-api-secret-token'] = token;
      const res = await fetch(options.url ?? fake.webhook.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(update),
      });
      await res.text();
      return res.status;
    },
    nextSent(count = 1) {
      const start = fake.sent.length;
      return new Promise((resolve) => {
        const check = () => {
          if (fake.sent.length - start < count) return;
          events.off('sent', check);
          resolve(fake.sent.slice(start, start + count));
        };
        events.on('sent', check);
      });
    },
    confirmed(updateId) {
      return new Promise((resolve) => {
        const check = (offset: number) => {
          if (offset <= updateId) return;
          events.off('offset', check);
          resolve();
        };
        events.on('offset', check);
      });
    },
    failNext(method, error) {
      failures.set(method, error);
    },
    close: async () => {},
  };

  function reply(res: import('node:http').ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  async function getUpdates(body: Record<string, unknown>, req: IncomingMessage): Promise<FakeUpdate[]> {
    const offset = Number(body.offset ?? 0);
    events.emit('offset', offset);
    const limit = Number(body.limit ?? 100);
    const timeout = Number(body.timeout ?? 0);
    // Asking from `offset` confirms everything before it, as the real API does.
    while (pending.length > 0 && (pending[0] as FakeUpdate).update_id < offset) pending.shift();
    if (pending.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          events.off('update', done);
          req.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, timeout * 1000);
        events.on('update', done);
        req.on('close', done);
      });
    }
    return pending.filter((u) => u.update_id >= offset).slice(0, limit);
  }

  /** A message (text or photo) the bot sent: kept, answered as the Bot API answers it, announced. */
  function delivered(
    res: import('node:http').ServerResponse,
    body: Record<string, unknown>,
    sent: SentMessage,
  ) {
    fake.sent.push(sent);
    reply(res, 200, {
      ok: true,
      result: {
        message_id: nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(body.chat_id), type: 'private' },
        ...(sent.photo
          ? { photo: [{ file_id: `photo${nextMessageId}`, width: 1200, height: 750 }] }
          : { text: body.text }),
      },
    });
    events.emit('sent');
  }

  const server: Server = createServer(async (req, res) => {
    const download = /^\/file\/bot([^/]+)\/documents\/([\w-]+)$/.exec(req.url ?? '');
    if (download) {
      const bytes = download[1] === token ? files.get(download[2] as string) : undefined;
      res.writeHead(bytes ? 200 : 404, { 'content-type': 'application/octet-stream' });
      res.end(bytes ?? '');
      return;
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const raw = await buffer(req);
    if (!match || match[1] !== token) {
      reply(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const method = match[2] as string;
    const body = await bodyOf(raw, req.headers['content-type'] ?? '');
    fake.calls.push({ method, body });
    const failure = failures.get(method);
    if (failure) {
      failures.delete(method);
      const { retry_after, ...rest } = failure;
      reply(res, failure.error_code, {
        ok: false,
        ...rest,
        ...(retry_after !== undefined ? { parameters: { retry_after } } : {}),
      });
      return;
    }
    switch (method) {
      case 'getMe':
        reply(res, 200, {
          ok: true,
          result: {
            id: botId,
            is_bot: true,
            first_name: 'Axon',
            username: 'axon_test_bot',
            can_join_groups: true,
          },
        });
        return;
      case 'getUpdates':
        if (fake.webhook) {
          reply(res, 409, {
            ok: false,
            error_code: 409,
            description: "Conflict: can't use getUpdates method while webhook is active",
          });
          return;
        }
        reply(res, 200, { ok: true, result: await getUpdates(body, req) });
        return;
      case 'setWebhook':
        fake.webhook = {
          url: String(body.url),
          ...(body.secret_token ? { secret: String(body.secret_token) } : {}),
        };
        reply(res, 200, { ok: true, result: true });
        return;
      case 'getFile': {
        const bytes = files.get(String(body.file_id));
        if (!bytes) {
          reply(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
          return;
        }
        reply(res, 200, {
          ok: true,
          result: {
            file_id: body.file_id,
            file_unique_id: `u${body.file_id}`,
            file_size: bytes.length,
            file_path: `documents/${body.file_id}`,
          },
        });
        return;
      }
      case 'deleteWebhook':
        fake.webhook = null;
        reply(res, 200, { ok: true, result: true });
        return;
      case 'sendPhoto':
        delivered(res, body, {
          chat_id: String(body.chat_id),
          text: String(body.caption ?? ''),
          photo: body.photo as SentMessage['photo'],
          ...(body.reply_markup ? { reply_markup: JSON.parse(String(body.reply_markup)) } : {}),
        });
        return;
      case 'sendMessage':
        delivered(res, body, {
          ...body,
          chat_id: String(body.chat_id),
          text: String(body.text),
        } as SentMessage);
        return;
      default:
        reply(res, 200, { ok: true, result: true });
    }
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  fake.apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** A Bot API request's fields: JSON, or multipart form data with files (an upload). */
async function bodyOf(raw: Buffer, type: string): Promise<Record<string, unknown>> {
  if (raw.length === 0) return {};
  if (!type.startsWith('multipart/form-data'))
    return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  if (!boundary) throw new Error('multipart without a boundary');
  const fields: Record<string, unknown> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) break;
    const part = raw.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    const contentType = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1];
    const filename = /filename\*?="?(?:utf-8'')?([^";\r\n]*)/i.exec(head)?.[1];
    // A file part names its file or its type; a field has neither.
    fields[name] =
      filename === undefined && contentType === undefined
        ? content.toString('utf8')
        : { name: filename ?? name, type: contentType ?? '', bytes: Buffer.from(content) };
    at = next;
  }
  // A file may be sent apart and named by "attach://<field>".
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string' && value.startsWith('attach://')) fields[key] = fields[value.slice(9)];
  }
  return fields;
}
