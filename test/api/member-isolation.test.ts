import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeOpenAI, modelSettings, startFakeOpenAI } from '../fakes/openai.ts';
import { type SignedIn, signedIn, startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// One business, three people: an owner and two members. The tasks are the business's; what each tells the
// Digital Employee (memories, conversations) stays theirs, over the API and in the chat's recalled context.
describeEachDb('members: what each person keeps to themselves', (get) => {
  let fake: FakeOpenAI;
  let api: TestApi;
  const people: Record<'owner' | 'ravi' | 'suresh', SignedIn> = {} as never;
  const facts = {
    owner: 'Sharma Traders pays within 30 days',
    ravi: 'Sharma Traders gives Ravi a 5% discount',
    suresh: 'Sharma Traders owes Suresh a call back',
  };

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    api = await startTestApi(get().db, { ...modelSettings(fake), RATE_LIMIT_SELF_SERVICE: '1000' });
    people.owner = await signedIn(api, 0);
    for (const [n, name] of [
      [1, 'Ravi'],
      [2, 'Suresh'],
    ] as const) {
      const added = await people.owner.call('POST', '/members', { phone: testPhone(n), name });
      expect(added.status).toBe(201);
    }
    people.ravi = await signedIn(api, 1);
    people.suresh = await signedIn(api, 2);
    for (const who of ['owner', 'ravi', 'suresh'] as const) {
      const kept = await people[who].call('POST', '/memory', { content: facts[who] });
      expect(kept.status).toBe(201);
    }
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const get_ = (who: keyof typeof people, path: string) => people[who].call('GET', path);

  it('lists and searches only your own memories, and refuses anyone else’s by id', async () => {
    for (const who of ['owner', 'ravi', 'suresh'] as const) {
      const list = await get_(who, '/memory');
      expect(list.body.data.memories.map((m: { content: string }) => m.content)).toEqual([facts[who]]);
      const search = await get_(who, `/memory/search?q=${encodeURIComponent('Sharma Traders')}`);
      expect(search.body.data.memories.map((m: { content: string }) => m.content)).toEqual([facts[who]]);
    }
    const ravis = (await get_('ravi', '/memory')).body.data.memories[0].id;
    expect((await get_('suresh', `/memory/${ravis}`)).status).toBe(404);
    expect((await get_('owner', `/memory/${ravis}`)).status).toBe(404);
    const forget = await api.request('DELETE', `/api/v1/memory/${ravis}`, { token: people.suresh.token });
    expect(forget.status).toBe(404);
    expect((await get_('ravi', `/memory/${ravis}`)).status).toBe(200);
  });

  it('keeps conversations to the person who had them; the chat recalls only their memories', async () => {
    const conversations: Record<string, string> = {};
    for (const who of ['owner', 'ravi', 'suresh'] as const) {
      fake.requests.length = 0;
      fake.script({ text: 'Noted.' });
      const turn = await api.request('POST', '/api/v1/chat', {
        token: people[who].token,
        body: { message: 'What do I know about Sharma Traders?' },
      });
      expect(turn.status).toBe(200);
      conversations[who] = turn.body.data.conversation_id;
      // What the model was given as this person's memories: their own fact, no one else's.
      const system = String(fake.requests[0]?.messages[0]?.content);
      for (const other of ['owner', 'ravi', 'suresh'] as const) {
        if (other === who) expect(system).toContain(facts[other]);
        else expect(system).not.toContain(facts[other]);
      }
    }
    for (const who of ['owner', 'ravi', 'suresh'] as const) {
      const list = await get_(who, '/conversations');
      expect(list.body.data.conversations.map((c: { id: string }) => c.id)).toEqual([conversations[who]]);
      for (const other of ['owner', 'ravi', 'suresh'] as const) {
        if (other !== who)
          expect((await get_(who, `/conversations/${conversations[other]}`)).status).toBe(404);
      }
    }
    // Nor can a member carry on someone else's conversation.
    const hijack = await api.request('POST', '/api/v1/chat', {
      token: people.ravi.token,
      body: { message: 'hello', conversation_id: conversations.suresh },
    });
    expect(hijack.status).toBe(404);
  });

  it('shares the business’s tasks with everyone in it', async () => {
    const made = await api.request('POST', '/api/v1/tasks', {
      token: people.suresh.token,
      body: { title: 'Count the stock', assignee_id: people.ravi.userId },
    });
    expect(made.status).toBe(201);
    for (const who of ['owner', 'ravi', 'suresh'] as const) {
      const tasks = await get_(who, '/tasks');
      expect(tasks.body.data.tasks.map((t: { id: string }) => t.id)).toContain(made.body.data.id);
    }
  });
});
