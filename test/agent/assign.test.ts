import { afterAll, beforeAll, expect, it } from 'vitest';
import { replyFor } from '../../src/agent/offline/replies.ts';
import { type FakeOpenAI, modelSettings, startFakeOpenAI } from '../fakes/openai.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// Assigning work in the chat, through the real LangChain agent and ChatOpenAI against a local server
// speaking OpenAI's wire format: the model's tool calls name people as the user did; the tools find them
// in this business only.
describeEachDb('agent: assigning tasks to members', (get) => {
  let fake: FakeOpenAI;
  let api: TestApi;
  let owner: string;
  const team: Record<string, { id: string; phone: string }> = {};
  let gst: string;

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    api = await startTestApi(get().db, { ...modelSettings(fake), RATE_LIMIT_SELF_SERVICE: '1000' });
    owner = await api.signIn(testPhone(0));
    await api.request('PATCH', '/api/v1/me', { token: owner, body: { name: 'Suresh' } });
    for (const [n, name] of [
      [1, 'Ravi Kumar'],
      [2, 'Ravindra Singh'],
      [3, 'Amit Shah'],
      [4, 'Amit Verma'],
    ] as const) {
      const res = await api.request('POST', '/api/v1/members', {
        token: owner,
        body: { phone: testPhone(n), name },
      });
      expect(res.status).toBe(201);
      team[name] = res.body.data;
    }
    // Another business has its own Mahesh.
    const other = await api.signIn(testPhone(10));
    const mahesh = await api.request('POST', '/api/v1/members', {
      token: other,
      body: { phone: testPhone(11), name: 'Mahesh' },
    });
    team.Mahesh = mahesh.body.data;
    gst = (await api.request('POST', '/api/v1/tasks', { token: owner, body: { title: 'File GST returns' } }))
      .body.data.id;
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const chat = async (
    message: string,
    calls: { name: string; args: Record<string, unknown> }[],
    as = owner,
  ) => {
    fake.requests.length = 0;
    fake.script(...(calls.length ? [{ toolCalls: calls }] : []), { text: 'ok' });
    const res = await api.request('POST', '/api/v1/chat', { token: as, body: { message } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.actions as { tool: string; args: unknown; result: any }[];
  };
  const task = async (id: string) =>
    (await api.request('GET', `/api/v1/tasks/${id}`, { token: owner })).body.data;
  const taskTitles = async () =>
    (await api.request('GET', '/api/v1/tasks?limit=100', { token: owner })).body.data.tasks.map(
      (t: { title: string }) => t.title,
    );

  it('shows the model an assignee argument on create_task and update_task', async () => {
    await chat('hi', []);
    const tools = fake.requests[0]?.tools ?? [];
    for (const name of ['create_task', 'update_task']) {
      const params = tools.find((t) => t.function.name === name)?.function.parameters as {
        properties: Record<string, { type: string; description: string }>;
        required?: string[];
      };
      expect(params.properties.assignee).toMatchObject({ type: 'string' });
      expect(params.properties.assignee?.description).toMatch(/"me"/);
      expect(params.required ?? []).not.toContain('assignee');
    }
  });

  it('"assign the GST task to Ravi": the GST task becomes Ravi Kumar\'s, and the result names him', async () => {
    const [action] = await chat('assign the GST task to Ravi', [
      { name: 'update_task', args: { task: 'GST', assignee: 'Ravi' } },
    ]);
    expect(action?.result).toMatchObject({
      ok: true,
      task: { id: gst, assignee: { id: team['Ravi Kumar']?.id, name: 'Ravi Kumar', you: false } },
    });
    expect((await task(gst)).assignee_id).toBe(team['Ravi Kumar']?.id);
    // What the model reads back to write its reply carries the name too.
    const toolMessage = fake.requests[1]?.messages.find((m) => m.role === 'tool');
    expect(String(toolMessage?.content)).toContain('Ravi Kumar');
  });

  it('"Ravi ko bolo kal tak invoice bhej de": a task for Ravi, due tomorrow', async () => {
    const [action] = await chat('Ravi ko bolo kal tak invoice bhej de', [
      { name: 'create_task', args: { title: 'Send the invoice', due_date: '2030-01-02', assignee: 'Ravi' } },
    ]);
    expect(action?.result).toMatchObject({
      ok: true,
      task: { title: 'Send the invoice', due_date: '2030-01-02', assignee: { name: 'Ravi Kumar' } },
    });
    expect((await task(action?.result.task.id)).assignee_id).toBe(team['Ravi Kumar']?.id);
  });

  it('finds members by honorific, phone or "me"; "nobody" takes the task off everyone', async () => {
    const actions = await chat('give the GST one to Amit Verma ji, then to 9000000003, then back to me', [
      { name: 'update_task', args: { task: 'GST', assignee: 'Amit Verma ji' } },
      { name: 'update_task', args: { task: 'GST', assignee: testPhone(3).slice(3) } },
      { name: 'update_task', args: { task: 'GST', assignee: 'me' } },
    ]);
    expect(actions.map((a) => a.result.task?.assignee?.name ?? null)).toEqual([
      'Amit Verma',
      'Amit Shah',
      'Suresh',
    ]);
    expect(actions[2]?.result.task.assignee.you).toBe(true);
    const [cleared] = await chat('nobody needs to do the GST task', [
      { name: 'update_task', args: { task: 'GST', assignee: 'nobody' } },
    ]);
    expect(cleared?.result).toMatchObject({ ok: true });
    expect(cleared?.result.task).not.toHaveProperty('assignee');
    expect((await task(gst)).assignee_id).toBeNull();
  });

  it('a member says "me" and it is them', async () => {
    const ravi = await api.signIn(testPhone(1));
    const [action] = await chat(
      'assign the GST task to me',
      [{ name: 'update_task', args: { task: 'GST', assignee: 'me' } }],
      ravi,
    );
    expect(action?.result.task.assignee).toEqual({
      id: team['Ravi Kumar']?.id,
      name: 'Ravi Kumar',
      you: true,
    });
  });

  it('assigning to a stranger changes nothing, and says how to add them', async () => {
    const before = await task(gst);
    const titles = await taskTitles();
    const actions = await chat('give the GST task to Mahesh and make a task for Mahesh to count stock', [
      { name: 'update_task', args: { task: 'GST', assignee: 'Mahesh' } },
      { name: 'create_task', args: { title: 'Count stock', assignee: 'Mahesh' } },
      // Another business's member, by their phone: no one here.
      { name: 'update_task', args: { task: 'GST', assignee: team.Mahesh?.phone } },
    ]);
    for (const action of actions) {
      expect(action.result).toMatchObject({ ok: false, error: 'member_not_found' });
      expect(action.result.message).toMatch(/POST \/api\/v1\/members/);
    }
    expect(await task(gst)).toEqual(before);
    expect(await taskTitles()).toEqual(titles);
  });

  it('an ambiguous name changes nothing and lists the candidates, without their numbers', async () => {
    const before = await task(gst);
    const titles = await taskTitles();
    const [update, create] = await chat('Amit ko GST task do, aur Amit ko stock count bhi', [
      { name: 'update_task', args: { task: 'GST', assignee: 'Amit' } },
      { name: 'create_task', args: { title: 'Count stock', assignee: 'Amit' } },
    ]);
    for (const action of [update, create]) {
      expect(action?.result).toMatchObject({ ok: false, error: 'ambiguous' });
      expect(action?.result.candidates).toEqual([
        { id: team['Amit Shah']?.id, name: 'Amit Shah', role: 'member', phone_last4: testPhone(3).slice(-4) },
        {
          id: team['Amit Verma']?.id,
          name: 'Amit Verma',
          role: 'member',
          phone_last4: testPhone(4).slice(-4),
        },
      ]);
      expect(JSON.stringify(action?.result)).not.toContain(team['Amit Shah']?.phone);
    }
    expect(await task(gst)).toEqual(before);
    expect(await taskTitles()).toEqual(titles);
    // "Ravi" is not ambiguous beside Ravindra: the whole name word wins.
    const [ravi] = await chat('Ravi ko GST task do', [
      { name: 'update_task', args: { task: 'GST', assignee: 'Ravi' } },
    ]);
    expect(ravi?.result.task.assignee.name).toBe('Ravi Kumar');
  });

  it("the offline model's replies name the assignee and list members to choose from", () => {
    const clock = { now: new Date('2030-01-01T06:00:00Z'), timezone: 'Asia/Kolkata' };
    const brief = { id: gst, title: 'Send the invoice', due_date: '2030-01-02', due_at: null };
    const task = { ...brief, priority: 'medium' as const, status: 'open' as const };
    expect(
      replyFor(
        'create_task',
        { ok: true, task: { ...task, assignee: { id: 'usr_x', name: 'Ravi Kumar', you: false } } },
        clock,
      ),
    ).toBe('Done ✅ Added “Send the invoice — tomorrow”, for Ravi Kumar.');
    expect(
      replyFor(
        'update_task',
        { ok: true, task: { ...task, assignee: { id: 'usr_x', name: 'Suresh', you: true } } },
        clock,
      ),
    ).toBe('Updated ✅ “Send the invoice — tomorrow”, for you.');
    expect(
      replyFor(
        'update_task',
        {
          ok: false,
          error: 'ambiguous',
          message: '2 people in your team match "Amit".',
          candidates: [
            { id: 'usr_a', name: 'Amit Shah', role: 'member', phone_last4: '0003' },
            { id: 'usr_b', name: 'Amit Verma', role: 'member', phone_last4: '0004' },
          ],
        },
        clock,
      ),
    ).toBe(
      'Which one do you mean?\n1. Amit Shah (phone ending 0003)\n2. Amit Verma (phone ending 0004)\nReply with a few more words from it.',
    );
  });
});
