import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FakeOpenAI, modelSettings, startFakeOpenAI } from '../fakes/openai.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

// A model that does not answer costs the user one turn's time limit, not longer: the turn ends with the
// clear answer and is recorded with its error.
describeEachDb('a turn past its time limit', (get) => {
  let fake: FakeOpenAI;
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    api = await startTestApi(get().db, { ...modelSettings(fake), AGENT_TURN_TIMEOUT_MS: '1000' });
    token = await api.signIn(testPhone(41));
  });
  afterAll(async () => {
    await api.close();
    await fake.close();
  });

  it('ends with the clear answer while the model is still thinking, and the next turn works', async () => {
    fake.delayMs = 60_000;
    const slow = await api.request('POST', '/api/v1/chat', { token, body: { message: 'what is my day' } });
    expect(slow.status).toBe(200);
    expect(slow.body.data.reply).toMatch(/^Sorry, I can't think clearly right now/);
    // Ended by the turn's own limit (1 s), not by the model client's (5 s).
    const [turn] = await get().db.query<{ error: string }>('SELECT error FROM turns WHERE id = $1', [
      slow.body.data.turn_id,
    ]);
    expect(turn?.error).toBe('TimeoutError: the turn took too long');
    fake.delayMs = 0;
    fake.script({ text: 'Your day is clear 🙂' });
    const next = await api.request('POST', '/api/v1/chat', { token, body: { message: 'what is my day' } });
    expect(next.body.data.reply).toBe('Your day is clear 🙂');
  }, 30_000);
});
