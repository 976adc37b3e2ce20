import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as say from '../../channels/pipeline/replies.ts';
import { channelOtpSender } from '../../channels/router/otp-sender.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-bot-api.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { seedBooks } from '../support/books.ts';
import { describeEachDb } from '../support/db.ts';

/** Real grammY, long polling and webhook, against a local fake Bot API server; the real app behind it. */

const digits = (phone: string) => phone.slice(1);

describeEachDb('Telegram channel (long polling)', (getDb) => {
  let telegram: FakeTelegram;
  let api: TestApi;

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    api = await startTestApi(getDb().db, {
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      CHANNEL_DEBOUNCE_MS: '0',
    });
    await api.runtime.pipeline.start();
  });
  afterAll(async () => {
    await api?.close();
    await telegram?.close();
  });

  /** Sends a message as a Telegram user and waits for the bot's answer. */
  async function say_(options: Parameters<FakeTelegram['push']>[0]) {
    const reply = telegram.nextSent();
    telegram.push(options);
    const [message] = await reply;
    return message as NonNullable<typeof message>;
  }

  it('asks an unknown user to share their phone with the contact button', async () => {
    const reply = await say_({ chatId: 501, text: '/start' });
    expect(reply.chat_id).toBe('501');
    expect(reply.text).toBe(say.LINK_PROMPT);
    expect(reply.reply_markup?.keyboard?.[0]?.[0]?.request_contact).toBe(true);
  });

  it('links a contact shared by its owner, signing up a new number', async () => {
    const reply = await say_({
      chatId: 501,
      contact: { phone_number: digits(testPhone(51)), user_id: 501 },
    });
    expect(reply.text).toBe(say.WELCOME_NEW);
    const token = await api.signIn(testPhone(51));
    const me = await api.request('GET', '/api/v1/me', { token });
    expect(me.body.data.phone).toBe(testPhone(51));
  });

  it("refuses someone else's contact: it proves nothing, and reveals nothing", async () => {
    const reply = await say_({
      chatId: 502,
      contact: { phone_number: digits(testPhone(51)), user_id: 501 },
    });
    expect(reply.text).toBe(say.LINK_PROMPT);
    const help = await say_({ chatId: 502, text: 'what are my tasks' });
    expect(help.text).toBe(say.LINK_PROMPT);
  });

  it('links an existing user by their number, and a message becomes a task', async () => {
    const token = await api.signIn(testPhone(52));
    const linked = await say_({
      chatId: 503,
      contact: { phone_number: `+${digits(testPhone(52))}`, user_id: 503 },
    });
    expect(linked.text).toBe(say.LINKED);

    const reply = await say_({ chatId: 503, text: 'remind me to call ABC Traders tomorrow at 5pm' });
    expect(reply.text).toContain('Call ABC Traders');
    const tasks = await api.request('GET', '/api/v1/tasks', { token });
    expect(tasks.body.data.tasks.map((t: { title: string; source: string }) => [t.title, t.source])).toEqual([
      ['Call ABC Traders', 'telegram'],
    ]);
  });

  it('answers /tasks, /myday and /help', async () => {
    expect((await say_({ chatId: 503, text: '/tasks' })).text).toContain('Call ABC Traders');
    expect((await say_({ chatId: 503, text: '/myday' })).text).not.toBe(say.HELP);
    expect((await say_({ chatId: 503, text: '/help' })).text).toBe(say.HELP);
  });

  it('records the updates of one poll chat by chat, each chat in the order its messages came', async () => {
    const texts = ['first', 'second', 'third'];
    let last = 0;
    for (const text of texts) {
      telegram.push({ chatId: 504, text: `504 ${text}` });
      last = telegram.push({ chatId: 505, text: `505 ${text}` }).update_id;
    }
    // Confirmed means every update of the poll was recorded first.
    await telegram.confirmed(last);
    const rows = await getDb().db.query<{ chat: string; text: string }>(
      "SELECT chat, text FROM inbound_messages WHERE chat IN ('504', '505') ORDER BY id",
    );
    for (const chat of ['504', '505']) {
      expect(rows.filter((r) => r.chat === chat).map((r) => r.text)).toEqual(
        texts.map((t) => `${chat} ${t}`),
      );
    }
    // Their answers (these are strangers: the sign-up answer) go out before the next test listens.
    await api.runtime.pipeline.idle();
  });

  it('in a group, answers only what mentions the bot, read without the mention, and records nothing else', async () => {
    await api.signIn(testPhone(58));
    await say_({ chatId: 506, contact: { phone_number: digits(testPhone(58)), user_id: 506 } });
    const chatter = telegram.push({ chatId: -9001, fromId: 506, group: true, text: 'lunch at 2?' });
    const reply = await say_({
      chatId: -9001,
      fromId: 506,
      group: true,
      text: '@axon_test_bot remind me to call Mehta tomorrow',
    });
    expect(reply.text).toContain('Call Mehta');
    const rows = await getDb().db.query<{ message_id: string; text: string }>(
      "SELECT message_id, text FROM inbound_messages WHERE chat = '-9001'",
    );
    expect(rows.map((r) => r.text)).toEqual(['remind me to call Mehta tomorrow']);
    expect(rows.map((r) => r.message_id)).not.toContain(String(chatter.update_id));
  });

  it('answers a ranking of the books with its chart, the answer as the caption', async () => {
    await api.signIn(testPhone(45));
    await say_({ chatId: 509, contact: { phone_number: digits(testPhone(45)), user_id: 509 } });
    await seedBooks(
      api.runtime.db,
      (await ensureOwner(api.runtime.db, testPhone(45), 'Asia/Kolkata')).tenantId,
    );
    const reply = await say_({ chatId: 509, text: 'who owes me the most?' });
    expect(reply.text.split('\n')[0]).toBe('Customers owe you, today: ₹1,75,500 (1.76 lakh)');
    expect(reply.photo?.bytes.subarray(0, 4).toString('hex')).toBe('89504e47');
    // One number needs no picture.
    const one = await say_({ chatId: 509, text: 'ABC Traders ka kitna baaki hai?' });
    expect(one.photo).toBeUndefined();
    expect(one.text).toContain('₹1,18,000');
  });

  it('gives a voice note a clear answer', async () => {
    expect((await say_({ chatId: 503, voice: true })).text).toBe(say.TEXT_ONLY);
  });

  it('imports a bank statement an owner sends as a document, once however often it is sent', async () => {
    const statement = readFileSync(new URL('../fixtures/bank/hdfc.csv', import.meta.url));
    const first = await say_({
      chatId: 503,
      document: { name: 'Acct_Statement_APR26.csv', bytes: statement },
    });
    expect(first.text).toBe(
      '🏦 Statement added: 6 entries from 1 Apr 2026 to 7 Apr 2026. 6 new, 0 already here.',
    );
    const token = await api.signIn(testPhone(52));
    const lines = await api.request('GET', '/api/v1/bank-transactions?limit=100', { token });
    expect(lines.body.data.bank_transactions).toHaveLength(6);
    const again = await say_({ chatId: 503, document: { name: 'statement.csv', bytes: statement } });
    expect(again.text).toContain('0 new, 6 already here');
    const axis = readFileSync(new URL('../fixtures/bank/axis.csv', import.meta.url), 'utf8');
    const broken = await say_({
      chatId: 503,
      document: { name: 'statement.csv', bytes: Buffer.from(axis.replace('8500.00', '85OO.00')) },
    });
    expect(broken.text).toMatch(/^I could not read “statement.csv”: /);
    const photo = await say_({
      chatId: 503,
      document: { name: 'shop.jpg', bytes: Buffer.from('x'), mimeType: 'image/jpeg' },
    });
    expect(photo.text).toMatch(/^I can read bank statements sent as a CSV or Excel file/);
  });

  it('delivers a notification once per dedup key, on Telegram', async () => {
    const token = await api.signIn(testPhone(52));
    const me = await api.request('GET', '/api/v1/me', { token });
    const n = {
      tenantId: me.body.data.tenant_id,
      userId: me.body.data.user_id,
      text: '⏰ Reminder: Call ABC Traders — 5:00 pm',
      dedupKey: 'reminder:test:1',
    };
    const sent = telegram.nextSent();
    expect(await api.runtime.notifier.notify(n)).toEqual({ via: 'telegram', delivered: true });
    expect((await sent)[0]).toMatchObject({ chat_id: '503', text: n.text });
    const before = telegram.sent.length;
    expect(await api.runtime.notifier.notify(n)).toEqual({ via: 'telegram', delivered: true });
    expect(telegram.sent.length).toBe(before);
  });

  it('sends a sign-in code over Telegram to a linked number, else falls back', async () => {
    const fallback: string[] = [];
    const sender = channelOtpSender({
      db: getDb().db,
      pipeline: api.runtime.pipeline,
      fallback: { name: 'capture', send: async (phone) => void fallback.push(phone) },
    });
    const sent = telegram.nextSent();
    await sender.send(testPhone(52), '246810');
    expect((await sent)[0]).toMatchObject({ chat_id: '503' });
    expect((await sent)[0]?.text).toContain('246810');
    await sender.send(testPhone(53), '135790');
    expect(fallback).toEqual([testPhone(53)]);
  });

  it('waits out a 429 and still answers (auto-retry)', async () => {
    telegram.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests', retry_after: 1 });
    const reply = await say_({ chatId: 503, text: '/help' });
    expect(reply.text).toBe(say.HELP);
    // The refused call was made again: more calls than messages sent as text.
    expect(telegram.calls.filter((c) => c.method === 'sendMessage').length).toBeGreaterThan(
      telegram.sent.filter((m) => !m.photo).length,
    );
  });
});

describe('Telegram channel (webhook)', () => {
  describeEachDb('webhook', (getDb) => {
    let telegram: FakeTelegram;
    let openai: FakeOpenAI;
    let api: TestApi;
    const publicUrl = 'https://axon.example.com/telegram/webhook';
    const secret = 'test-secret-123';

    beforeAll(async () => {
      telegram = await startFakeTelegram();
      openai = await startFakeOpenAI();
      api = await startTestApi(getDb().db, {
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_WEBHOOK_URL: publicUrl,
        TELEGRAM_WEBHOOK_SECRET: secret,
        CHANNEL_DEBOUNCE_MS: '0',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: `${openai.url}/v1`,
      });
      await api.runtime.pipeline.start();
    });
    afterAll(async () => {
      await api?.close();
      await telegram?.close();
      await openai?.close();
    });

    const local = () => ({ url: `${api.url}/telegram/webhook` });

    it('registers the webhook with its secret token', () => {
      expect(telegram.webhook).toEqual({ url: publicUrl, secret });
    });

    it('refuses a post without the secret token', async () => {
      const update = telegram.update({ chatId: 601, text: 'hello' });
      expect(await telegram.postToWebhook(update, { ...local(), secret: 'wrong' })).toBe(401);
    });

    it('acknowledges at once while a slow model (5 s) works in the background', async () => {
      const linked = telegram.nextSent();
      const contact = telegram.update({
        chatId: 601,
        contact: { phone_number: digits(testPhone(54)), user_id: 601 },
      });
      expect(await telegram.postToWebhook(contact, local())).toBe(200);
      expect((await linked)[0]?.text).toBe(say.WELCOME_NEW);

      openai.delayMs = 5000;
      openai.script({ text: 'Noted 👍' });
      let turnDone = false;
      const processed = once(api.runtime.pipeline.events, 'processed').then(() => {
        turnDone = true;
      });
      const reply = telegram.nextSent();
      const started = Date.now();
      const status = await telegram.postToWebhook(telegram.update({ chatId: 601, text: 'hello' }), local());
      const ackMs = Date.now() - started;
      expect(status).toBe(200);
      expect(turnDone).toBe(false);
      expect(ackMs).toBeLessThan(1000);
      await processed;
      expect((await reply)[0]?.text).toBe('Noted 👍');
    }, 20_000);

    it('ignores an update Telegram posts again (same update_id)', async () => {
      openai.delayMs = 0;
      openai.script({ text: 'Your day is clear 🙂' });
      const update = telegram.update({ chatId: 601, text: 'what is my day' });
      const reply = telegram.nextSent();
      expect(await telegram.postToWebhook(update, local())).toBe(200);
      expect((await reply)[0]?.text).toBe('Your day is clear 🙂');
      const duplicate = once(api.runtime.pipeline.events, 'duplicate');
      const before = telegram.sent.length;
      expect(await telegram.postToWebhook(update, local())).toBe(200);
      await duplicate;
      await api.runtime.pipeline.idle();
      expect(telegram.sent.length).toBe(before);
      expect(openai.requests.length).toBe(2);
    });
  });
});
