import { once } from 'node:events';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPipeline, type Pipeline } from '../../../channels/pipeline/pipeline.ts';
import * as say from '../../../channels/pipeline/replies.ts';
import { createWhatsAppChannel } from '../../../channels/whatsapp/whatsapp-channel.ts';
import { type FakeSockets, fakeSockets, waMessage } from '../../fakes/whatsapp-socket.ts';
import { startTestApi, type TestApi, testPhone } from '../../support/api.ts';
import { describeEachDb } from '../../support/db.ts';
import { seedLinkedSession, silentLogger } from './support.ts';

/** The WhatsApp channel driven by the real pipeline and the real (offline) agent, over a fake socket. */

describeEachDb('WhatsApp through the pipeline', (getDb) => {
  let api: TestApi;
  let pipeline: Pipeline;
  let fake: FakeSockets;

  beforeAll(async () => {
    const { db } = getDb();
    api = await startTestApi(db);
    await seedLinkedSession(db, 'e2e');
    fake = fakeSockets();
    pipeline = createPipeline({ db, runTurn: api.runtime.runTurn, settings: { debounceMs: 0 } });
    pipeline.register(
      createWhatsAppChannel({
        db,
        logger: silentLogger,
        session: 'e2e',
        socketFactory: fake.factory,
        sendGapMs: 0,
      }),
    );
    const starting = pipeline.start();
    (await fake.nth(1)).open();
    await starting;
  });
  afterAll(async () => {
    await pipeline?.stop();
    await api?.close();
  });

  const jidOf = (phone: string) => `${phone.slice(1)}@s.whatsapp.net`;

  it('answers a known user once, though WhatsApp delivered the message twice, and ignores our own', async () => {
    const token = await api.signIn(testPhone(53));
    const socket = await fake.nth(1);
    const message = waMessage({
      from: jidOf(testPhone(53)),
      text: 'remind me to call ABC Traders tomorrow at 5pm',
    });
    const reply = fake.nextSent();
    const duplicate = once(pipeline.events, 'duplicate');
    socket.upsert([
      message,
      waMessage({ from: jidOf(testPhone(53)), fromMe: true, text: 'typed on the phone' }),
    ]);
    socket.upsert([message]);
    const sent = await reply;
    await duplicate;
    await pipeline.idle();

    expect(sent.jid).toBe(jidOf(testPhone(53)));
    expect(sent.text).toContain('Call ABC Traders');
    expect(fake.sent).toHaveLength(1);
    const tasks = await api.request('GET', '/api/v1/tasks', { token });
    expect(tasks.body.data.tasks.map((t: { title: string; source: string }) => [t.title, t.source])).toEqual([
      ['Call ABC Traders', 'whatsapp'],
    ]);
  });

  it('gives a voice note it cannot transcribe a clear answer', async () => {
    await api.signIn(testPhone(54));
    const reply = fake.nextSent();
    (await fake.nth(1)).upsert([
      waMessage({ from: jidOf(testPhone(54)), message: { audioMessage: { ptt: true } } }),
    ]);
    expect((await reply).text).toBe(say.TEXT_ONLY);
  });
});
