import { once } from 'node:events';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPipeline, type Pipeline, type PipelineSettings } from '../../channels/pipeline/pipeline.ts';
import * as say from '../../channels/pipeline/replies.ts';
import type { TurnRunner } from '../../src/agent/runner.ts';
import type { Db } from '../../src/db/types.ts';
import { takeLease } from '../../src/domain/channels/repo.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { describeEachDb } from '../support/db.ts';
import { type MemoryChannel, memoryChannel } from '../support/memory-channel.ts';
import { offlineTurnRunner } from '../support/offline-runner.ts';

/** The pipeline behind every channel, driven through an in-memory channel on both databases. */

const jid = (phone: string) => `${phone.slice(1)}@s.whatsapp.net`;

describeEachDb('channel pipeline', (getDb) => {
  let db: Db;
  let runTurn: TurnRunner;
  const running: Pipeline[] = [];

  beforeAll(() => {
    db = getDb().db;
    runTurn = offlineTurnRunner(db);
  });
  afterAll(async () => {
    for (const p of running) await p.stop();
  });

  async function startPipeline(
    settings: Partial<PipelineSettings> = {},
    turn: TurnRunner = runTurn,
    channel: MemoryChannel = memoryChannel(),
  ) {
    const pipeline = createPipeline({
      db,
      runTurn: turn,
      settings: { debounceMs: 0, retryBaseMs: 5, ...settings },
    });
    pipeline.register(channel);
    await pipeline.start();
    running.push(pipeline);
    return { pipeline, channel };
  }

  /** A WhatsApp-style message: the number is vouched for by the channel. */
  const fromPhone = (phone: string, messageId: string, text: string) => ({
    chat: jid(phone),
    sender: { id: jid(phone), phone },
    messageId,
    text,
  });

  it('answers a known number as its user, and a burst of messages as one turn', async () => {
    await ensureOwner(db, '+919811100001', 'Asia/Kolkata');
    const { pipeline, channel } = await startPipeline({ debounceMs: 1000 });
    const processed = once(pipeline.events, 'processed');
    await channel.inbound(fromPhone('+919811100001', 'burst-1', 'add task pay supplier'));
    await channel.inbound(fromPhone('+919811100001', 'burst-2', 'add task call bank'));
    await channel.inbound(fromPhone('+919811100001', 'burst-3', 'add task order stock'));
    const [{ messageIds, turnId }] = await processed;
    await pipeline.idle();
    expect(messageIds).toEqual(['burst-1', 'burst-2', 'burst-3']);
    expect(channel.sends.map((s) => s.dedupKey)).toEqual([`turn:${turnId}`]);
    expect(pipeline.activeChats).toBe(0);
  });

  it('gives an unknown number the sign-up answer when sign-up is closed, and creates nothing', async () => {
    const { pipeline, channel } = await startPipeline({ allowSignup: false });
    await channel.inbound(fromPhone('+919811100002', 'closed-1', 'show my tasks'));
    await pipeline.idle();
    expect(channel.sends.map((s) => s.text)).toEqual([say.SIGNUP_CLOSED]);
    expect(await db.query('SELECT 1 FROM users WHERE phone = $1', ['+919811100002'])).toEqual([]);
  });

  it('signs up an unknown number when sign-up is open, and still answers its message', async () => {
    const { pipeline, channel } = await startPipeline();
    await channel.inbound(fromPhone('+919811100003', 'open-1', 'add task file GST return'));
    await pipeline.idle();
    expect(channel.sends).toHaveLength(1);
    expect(channel.sends[0]?.text).toContain(say.WELCOME_NEW);
    expect(channel.sends[0]?.text).toContain('File GST return');
  });

  it('never records group chatter, and answers a mention read without the mention', async () => {
    await ensureOwner(db, '+919811100004', 'Asia/Kolkata');
    const { pipeline, channel } = await startPipeline({ groups: { whatsapp: true, telegram: true } });
    const ignored: string[] = [];
    pipeline.events.on('ignored', (m) => ignored.push(m.messageId));
    const group = { chat: '1203630@g.us', sender: { id: jid('+919811100004'), phone: '+919811100004' } };
    const addressing = (addressed: boolean) => ({ addressed, mentions: ['@919000000001'] });
    await channel.inbound({ ...group, messageId: 'g-1', text: 'lunch?', group: addressing(false) });
    await channel.inbound({
      ...group,
      messageId: 'g-2',
      text: '@919000000001 show my tasks',
      group: addressing(true),
    });
    await pipeline.idle();
    expect(ignored).toEqual(['g-1']);
    const recorded = await db.query<{ message_id: string; text: string }>(
      "SELECT message_id, text FROM inbound_messages WHERE chat = '1203630@g.us'",
    );
    expect(recorded).toEqual([{ message_id: 'g-2', text: 'show my tasks' }]);
    expect(channel.sends).toHaveLength(1);
  });

  it("leaves a channel's groups alone when they are off there", async () => {
    await ensureOwner(db, '+919811100014', 'Asia/Kolkata');
    const { pipeline, channel } = await startPipeline({ groups: { whatsapp: false, telegram: true } });
    await channel.inbound({
      chat: '1203631@g.us',
      sender: { id: jid('+919811100014'), phone: '+919811100014' },
      messageId: 'g-off',
      text: '@919000000001 show my tasks',
      group: { addressed: true, mentions: ['@919000000001'] },
    });
    await pipeline.idle();
    expect(channel.sends).toEqual([]);
    expect(await db.query("SELECT 1 FROM inbound_messages WHERE message_id = 'g-off'")).toEqual([]);
  });

  it('answers a message again after a crash mid-turn, with one reply', async () => {
    await ensureOwner(db, '+919811100005', 'Asia/Kolkata');
    let crash = () => {};
    const crashed = new Promise<void>((resolve) => {
      crash = resolve;
    });
    // The turn commits, then the process "dies" before the message is marked processed.
    const crashingTurn: TurnRunner = async (req) => {
      await runTurn(req);
      crash();
      throw new Error('process killed');
    };
    const first = await startPipeline({ maxAttempts: 100, retryBaseMs: 60_000 }, crashingTurn);
    await first.channel.inbound(fromPhone('+919811100005', 'crash-1', 'add task renew licence'));
    await crashed;
    await first.pipeline.stop();
    expect(first.channel.sends).toEqual([]);

    const second = await startPipeline();
    await second.pipeline.idle();
    expect(second.channel.sends).toHaveLength(1);
    expect(second.channel.sends[0]?.text).toContain('Renew licence');
  });

  it('sends a reply queued before a crash exactly once after restart', async () => {
    await ensureOwner(db, '+919811100006', 'Asia/Kolkata');
    const down = memoryChannel();
    down.failSends = true;
    const first = await startPipeline({ retryBaseMs: 60_000 }, runTurn, down);
    const failed = once(first.pipeline.events, 'send_failed');
    await down.inbound(fromPhone('+919811100006', 'down-1', 'show my tasks'));
    await failed;
    await first.pipeline.stop();

    const second = await startPipeline();
    await second.pipeline.idle();
    expect(second.channel.sends).toHaveLength(1);
    const again = await startPipeline();
    await again.pipeline.idle();
    expect(again.channel.sends).toEqual([]);
  });

  it('waits for a chat held by another process, and takes it over when that lease runs out', async () => {
    await ensureOwner(db, '+919811100007', 'Asia/Kolkata');
    const chat = jid('+919811100007');
    const chatKey = JSON.stringify(['whatsapp', '+919000000999', chat]);
    expect(await takeLease(db, chatKey, 'a-process-that-died', 1000)).toBe(true);
    const { pipeline, channel } = await startPipeline({ leaseMs: 1000 });
    await channel.inbound(fromPhone('+919811100007', 'lease-1', 'show my tasks'));
    await pipeline.idle();
    expect(channel.sends).toHaveLength(1);
  });

  it('sets a failing message aside with an apology after its attempts', async () => {
    await ensureOwner(db, '+919811100008', 'Asia/Kolkata');
    const broken: TurnRunner = async () => {
      throw new Error('database exploded');
    };
    const { pipeline, channel } = await startPipeline({ maxAttempts: 3 }, broken);
    await channel.inbound(fromPhone('+919811100008', 'broken-1', 'show my tasks'));
    await pipeline.idle();
    expect(channel.sends.map((s) => s.text)).toEqual([say.FAILED]);
  });

  it('refuses a malformed message before recording it', async () => {
    const { channel } = await startPipeline();
    await expect(channel.inbound({ ...fromPhone('+919811100009', '', 'hi') })).rejects.toThrow();
  });
});
