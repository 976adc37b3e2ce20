import { afterAll, beforeAll, expect, it } from 'vitest';
import { runIntegration } from '../../bench/sdk/integration.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.ts';
import { startTestApi, TEST_CODE, type TestApi } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';
import { SDK_PHONE } from './support.ts';

// The "done when": a key-authenticated integration doing every seed operation through the SDK.

const SEED_OPERATIONS = [
  'sendOtp',
  'verifyOtp',
  'createApiKey',
  'createTask',
  'listTasks',
  'getTask',
  'updateTask',
  'completeTask',
  'deleteTask',
  'createFollowUp',
  'listFollowUps',
  'getFollowUp',
  'updateFollowUp',
  'snoozeFollowUp',
  'completeFollowUp',
  'deleteFollowUp',
  'searchMemory',
  'chat',
  'listConnectors',
  'getMyDay',
  'createWebhook',
  'verifyWebhook',
];

describeEachDb('SDK integration', (get) => {
  let api: TestApi;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    api = await startTestApi(get().db, { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '10ms' });
    await api.runtime.webhookRelay.start();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await api?.close();
    await receiver?.close();
  });

  it('does every seed operation with an API key, through the SDK only', async () => {
    const steps = await runIntegration({ baseUrl: api.url, phone: SDK_PHONE(2), otp: TEST_CODE, receiver });
    const done = new Map(steps);
    for (const operation of SEED_OPERATIONS) expect(done.has(operation), operation).toBe(true);
    expect(done.get('listFollowUps')).toBe('1 overdue');
    expect(done.get('searchMemory')).toBe('ABC Traders always pays late');
    expect(done.get('completeTask')).toBe('done');
    expect(done.get('chat')?.length).toBeGreaterThan(0);
    // The key's own writes are the key's in the audit log (a chat turn's are the agent's).
    const audit = await api.request('GET', `/api/v1/audit?entity_id=${done.get('createTask')}`, {
      token: await api.signIn(SDK_PHONE(2)),
    });
    const actors = audit.body.data.entries.map((e: { actor_type: string }) => e.actor_type);
    expect(actors).toEqual(['api_key', 'api_key', 'api_key']);
  });
});
