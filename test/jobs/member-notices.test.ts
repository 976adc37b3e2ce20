import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OutboundMessage } from '../../channels/channel.ts';
import { createPipeline, type Pipeline } from '../../channels/pipeline/pipeline.ts';
import { channelNotifier } from '../../channels/router/notifier.ts';
import { OfflineChatModel } from '../../src/agent/offline/model.ts';
import { loadPrompts } from '../../src/agent/prompts.ts';
import { createTurnRunner } from '../../src/agent/runner.ts';
import type { Db } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { addMember } from '../../src/domain/members/service.ts';
import type { Notifier } from '../../src/domain/notifier.ts';
import { createTask, updateTask } from '../../src/domain/tasks/service.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { sendAssignmentNotices } from '../../src/jobs/assignments.ts';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler.ts';
import { createLogger } from '../../src/log.ts';
import { actingAs } from '../support/business.ts';
import { describeEachDb } from '../support/db.ts';
import { type MemoryChannel, memoryChannel } from '../support/memory-channel.ts';
import { type CapturingNotifier, capturingNotifier } from '../support/notifier.ts';

/**
 * A member's work reaches them on their own chat: the reminder of a task assigned to them, and the news that
 * someone assigned it. Through the real scheduler and the real channel router, with an in-memory WhatsApp.
 */

const OWNER = '+919820000001';
const RAVI = '+919820000002';
const jid = (phone: string) => `${phone.slice(1)}@s.whatsapp.net`;
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

describeEachDb('members: reminders and assignments on their own channel', (get) => {
  let db: Db;
  let pipeline: Pipeline;
  let channel: MemoryChannel;
  /** Where a message goes for someone with no linked chat (the owner here). */
  let unlinked: CapturingNotifier;
  let scheduler: Scheduler;
  let owner: Ctx;
  let ravi: Ctx;

  /** The first message to `chat` whose text matches, sent already or when it comes. */
  function sentTo(chat: string, text: RegExp, timeoutMs = 10_000): Promise<OutboundMessage> {
    const match = (m: { chat?: string; text: string }) => m.chat === chat && text.test(m.text);
    const already = channel.sends.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pipeline.events.off('sent', onSent);
        reject(new Error(`no message like ${text} to ${chat}; sent: ${JSON.stringify(channel.sends)}`));
      }, timeoutMs);
      const onSent = () => {
        const found = channel.sends.find(match);
        if (!found) return;
        clearTimeout(timer);
        pipeline.events.off('sent', onSent);
        resolve(found);
      };
      pipeline.events.on('sent', onSent);
    });
  }

  beforeAll(async () => {
    db = get().db;
    const o = await ensureOwner(db, OWNER, 'Asia/Kolkata');
    owner = actingAs(o);
    const member = await addMember(db, owner, { phone: RAVI, name: 'Ravi Kumar', role: 'member' });
    ravi = { ...owner, userId: member.id };
    // Briefings have their own suite.
    await db.query(
      "UPDATE users SET briefing_enabled = false, name = CASE WHEN id = $1 THEN 'Suresh Shah' ELSE name END WHERE tenant_id = $2",
      [o.userId, o.tenantId],
    );

    channel = memoryChannel('whatsapp');
    pipeline = createPipeline({
      db,
      runTurn: createTurnRunner({
        db,
        model: new OfflineChatModel({}),
        modelName: 'offline',
        prompts: loadPrompts(),
        historyTurns: 10,
        turnTimeoutMs: 30_000,
      }),
      settings: { debounceMs: 0 },
    });
    pipeline.register(channel);
    await pipeline.start();
    // Ravi writes once from his own WhatsApp: his number is linked to him, in this business.
    await channel.inbound({
      chat: jid(RAVI),
      sender: { id: jid(RAVI), phone: RAVI },
      messageId: 'hi-1',
      text: 'hi',
    });
    await pipeline.idle();

    // Assigned while no scheduler runs: the notice is a row, sent once one starts.
    await createTask(
      db,
      owner,
      { title: 'Pay electricity bill', priority: 'medium', assignee_id: ravi.userId as string },
      'api',
    );

    unlinked = capturingNotifier();
    scheduler = await startScheduler({
      db,
      notifier: channelNotifier(db, pipeline, unlinked),
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await pipeline?.stop();
  });

  it('sends an assignment made while no scheduler ran, once one starts', async () => {
    const sent = await sentTo(jid(RAVI), /Pay electricity bill/);
    expect(sent.text).toBe('📌 Ravi, Suresh assigned you: Pay electricity bill');
  });

  it("tells the assignee who assigned them, then reminds them, on the assignee's own chat", async () => {
    const task = await createTask(
      db,
      owner,
      {
        title: 'Send invoice to Mehta',
        priority: 'medium',
        assignee_id: ravi.userId as string,
        due_at: inMs(1500),
        remind_at: inMs(1500),
      },
      'api',
    );
    const told = await sentTo(jid(RAVI), /assigned you: Send invoice to Mehta/);
    expect(told.text).toMatch(
      /^📌 Ravi, Suresh assigned you: Send invoice to Mehta — due today, \d{1,2}:\d{2} (am|pm)$/,
    );
    const reminded = await sentTo(jid(RAVI), /^⏰ Reminder: Send invoice to Mehta/);
    expect(reminded.text).toMatch(/^⏰ Reminder: Send invoice to Mehta — \d{1,2}:\d{2} (am|pm)$/);
    // Nothing about it went to the owner, who set it.
    expect(unlinked.sent.filter((n) => n.text.includes('Send invoice'))).toEqual([]);
    const [reminder] = await db.query<{ user_id: string }>(
      'SELECT user_id FROM reminders WHERE entity_id = $1',
      [task.id],
    );
    expect(reminder?.user_id).toBe(ravi.userId);
  });

  it('tells no one who assigned a task to themselves, and the owner when a member hands one back', async () => {
    const own = await createTask(
      db,
      ravi,
      { title: 'Sweep the shop', priority: 'low', assignee_id: ravi.userId as string },
      'api',
    );
    const mine = await createTask(
      db,
      owner,
      { title: 'Call the CA', priority: 'low', assignee_id: owner.userId as string },
      'api',
    );
    // Ravi gives a task to the owner, who has no linked chat: it goes where the router sends such messages.
    const before = unlinked.sent.length;
    await updateTask(db, ravi, own.id, { assignee_id: owner.userId as string });
    const [handed] = (await unlinked.waitFor(before + 1)).slice(before);
    expect(handed).toMatchObject({
      userId: owner.userId,
      text: '📌 Suresh, Ravi assigned you: Sweep the shop',
    });
    await scheduler.sendAssignmentNotices();
    const notices = await db.query<{ task_id: string }>(
      'SELECT task_id FROM assignment_notices WHERE task_id = ANY($1)',
      [[own.id, mine.id]],
    );
    expect(notices).toEqual([{ task_id: own.id }]);
  });

  it('sends a notification’s picture with its text as the caption, on the member’s chat', async () => {
    const picture = Buffer.from('89504e470d0a1a0a', 'hex');
    const delivery = await channelNotifier(db, pipeline, unlinked).notify({
      tenantId: ravi.tenantId,
      userId: ravi.userId as string,
      text: 'Last week, drawn',
      image: picture,
      dedupKey: 'picture:1',
    });
    expect(delivery).toEqual({ via: 'whatsapp', delivered: true });
    const sent = await sentTo(jid(RAVI), /^Last week, drawn$/);
    expect(sent.image).toEqual(picture);
  });
});

describeEachDb('assignment notices: the sender', (get) => {
  let db: Db;
  let owner: Ctx;
  let ravi: Ctx;
  const logger = createLogger('silent');
  const clock = () => new Date();

  beforeAll(async () => {
    db = get().db;
    const o = await ensureOwner(db, OWNER, 'Asia/Kolkata');
    owner = actingAs(o);
    ravi = {
      ...owner,
      userId: (await addMember(db, owner, { phone: RAVI, name: 'Ravi', role: 'member' })).id,
    };
  });

  const assign = (title: string) =>
    createTask(db, owner, { title, priority: 'low', assignee_id: ravi.userId as string }, 'api');
  const deliveredVia = async (taskId: string) =>
    (
      await db.query<{ delivered_via: string | null }>(
        'SELECT delivered_via FROM assignment_notices WHERE task_id = $1',
        [taskId],
      )
    )[0]?.delivered_via;

  it('skips a notice whose task changed hands, or was done, before it went out', async () => {
    const moved = await assign('Order stationery');
    await updateTask(db, owner, moved.id, { assignee_id: owner.userId as string });
    const done = await assign('Fix the fan');
    await updateTask(db, owner, done.id, { status: 'done' });
    const notifier = capturingNotifier();
    expect(await sendAssignmentNotices({ db, notifier, logger, clock }, 60)).toBe(0);
    expect(notifier.sent).toEqual([]);
    expect(await deliveredVia(moved.id)).toBe('skipped');
    expect(await deliveredVia(done.id)).toBe('skipped');
  });

  it('keeps going past a notice that fails, and sends it on a later run', async () => {
    const bad = await assign('Collect cheque');
    const good = await assign('Book the tempo');
    const sent: string[] = [];
    let down = true;
    const notifier: Notifier = {
      async notify(n) {
        if (down && n.text.includes('Collect cheque')) throw new Error('channel down');
        sent.push(n.text);
        return { via: 'log', delivered: true };
      },
    };
    expect(await sendAssignmentNotices({ db, notifier, logger, clock }, 60)).toBe(1);
    // The owner here never gave a name: the message says what happened without one.
    expect(sent).toEqual(['📌 Ravi, you have a new task: Book the tempo']);
    expect(await deliveredVia(good.id)).toBe('log');
    expect(await deliveredVia(bad.id)).toBeNull();
    // Taken a moment ago: another sender leaves it alone until the lease runs out, then it goes.
    down = false;
    expect(await sendAssignmentNotices({ db, notifier, logger, clock }, 60)).toBe(0);
    expect(await sendAssignmentNotices({ db, notifier, logger, clock }, 0)).toBe(1);
    expect(await deliveredVia(bad.id)).toBe('log');
  });

  it('hands each notice to one sender only, however many run at once', async () => {
    const tasks = await Promise.all(['Call bank', 'Pay GST', 'Ship order'].map(assign));
    const sent: string[] = [];
    const notifier: Notifier = {
      async notify(n) {
        sent.push(n.dedupKey);
        return { via: 'log', delivered: true };
      },
    };
    await Promise.all([1, 2, 3].map(() => sendAssignmentNotices({ db, notifier, logger, clock }, 60)));
    expect(sent).toHaveLength(tasks.length);
    expect(new Set(sent).size).toBe(tasks.length);
  });
});
