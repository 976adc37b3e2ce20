/**
 * A server-to-server integration through `@axonbos/sdk`, doing every operation of the seed API reference
 * with an API key: sign-in once to make the key, then tasks, follow-ups, memory, chat, connectors, my day
 * and a webhook subscription whose signed delivery it verifies. `test/sdk/integration.test.ts` runs it
 * against the real server on each database; `npm run sdk:integration` runs it on its own, against a
 * server it starts on 127.0.0.1 with an in-memory database, and prints each step.
 */
import { AxonClient, verifyWebhook } from '@axonbos/sdk';
import type { WebhookReceiver } from '../../test/fakes/webhook-receiver.ts';

export interface IntegrationSetup {
  baseUrl: string;
  /** A phone that can sign in, and its code (AUTH_TEST_PHONES outside production). */
  phone: string;
  otp: string;
  /** Where the webhook is delivered; the server must allow a private URL (WEBHOOK_ALLOW_PRIVATE). */
  receiver: WebhookReceiver;
}

/** One line per step: the operation and what it showed. */
export type Step = [operation: string, outcome: string];

export async function runIntegration({ baseUrl, phone, otp, receiver }: IntegrationSetup): Promise<Step[]> {
  const steps: Step[] = [];
  const step = (operation: string, outcome: string) => steps.push([operation, outcome]);

  // The one thing a person does: sign in and make the integration's key.
  const anonymous = new AxonClient({ baseUrl });
  step('sendOtp', `code sent, valid ${(await anonymous.sendOtp({ phone })).expires_in} s`);
  const { access_token } = await anonymous.verifyOtp({ phone, otp });
  step('verifyOtp', 'signed in');
  const owner = new AxonClient({ baseUrl, token: access_token });
  const created = await owner.createApiKey({ name: 'Billing server', scopes: ['*'] });
  step('createApiKey', `${created.prefix}…${created.last4}`);

  const axon = new AxonClient({ baseUrl, apiKey: created.key });
  const me = await axon.getMe();
  step('getMe', `${me.role} of ${me.tenant_id}, ${me.rate_limit_per_minute} calls/min`);

  const task = await axon.createTask({
    title: 'Follow up with ABC Traders',
    due_date: '2026-03-26',
    priority: 'high',
  });
  step('createTask', task.id);
  step('listTasks', `${(await axon.listTasks({ status: 'open' })).tasks.length} open`);
  step('getTask', (await axon.getTask(task.id)).title);
  step('updateTask', (await axon.updateTask(task.id, { notes: 'Invoice 1042' })).notes ?? '');
  step('completeTask', (await axon.completeTask(task.id)).status);

  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  const followUp = await axon.createFollowUp({
    contact_name: 'Ramesh',
    subject: 'Payment for invoice 1042',
    due_at: yesterday,
  });
  step('createFollowUp', followUp.id);
  const overdue = [];
  for await (const f of axon.paginate.listFollowUps({ overdue: 'true' })) overdue.push(f.id);
  step('listFollowUps', `${overdue.length} overdue`);
  step('getFollowUp', (await axon.getFollowUp(followUp.id)).subject);
  step('updateFollowUp', (await axon.updateFollowUp(followUp.id, { channel: 'whatsapp' })).channel);
  step('snoozeFollowUp', (await axon.snoozeFollowUp(followUp.id, { minutes: 30 })).due_at);
  step('completeFollowUp', (await axon.completeFollowUp(followUp.id, { outcome: 'Paid by UPI' })).status);

  step('createMemory', (await axon.createMemory({ content: 'ABC Traders always pays late' })).outcome);
  const found = await axon.searchMemory({ q: 'ABC Traders pays' });
  step('searchMemory', found.memories[0]?.content ?? 'nothing');

  const reply = await axon.chat({ message: 'remind me to call ABC Traders tomorrow at 5pm' });
  step('chat', reply.reply);
  step('listConversations', `${(await axon.listConversations()).conversations.length} conversation(s)`);

  step('listConnectors', `${(await axon.listConnectors()).connectors.length} connectors`);
  const day = await axon.getMyDay();
  step('getMyDay', `${day.date}: ${day.priorities.length} priorities`);

  const hook = await axon.createWebhook({ url: receiver.url, events: ['task.created'] });
  step('createWebhook', hook.id);
  const before = receiver.received.length;
  const announced = await axon.createTask({ title: 'Pay GST by 20th' });
  const [delivery] = (await receiver.waitFor(before + 1)).slice(before);
  if (!delivery) throw new Error('no webhook delivery arrived');
  const event = verifyWebhook(delivery.body, delivery.headers, hook.secret);
  if (event.type !== 'task.created' || event.data.id !== announced.id) throw new Error('a different event');
  step('verifyWebhook', `${event.type} ${event.data.id}`);
  step('listWebhookDeliveries', `${(await axon.listWebhookDeliveries(hook.id)).deliveries.length} delivery`);
  step('deleteWebhook', String((await axon.deleteWebhook(hook.id)).deleted));

  step('deleteTask', (await axon.deleteTask(announced.id)).id);
  step('deleteFollowUp', (await axon.deleteFollowUp(followUp.id)).id);
  return steps;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startWebhookReceiver } = await import('../../test/fakes/webhook-receiver.ts');
  const { loadConfig } = await import('../../src/config.ts');
  const { createRuntime, closeServer } = await import('../../src/main.ts');
  const phone = '+919000009999';
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: 'memory://',
    AUTH_TEST_PHONES: `${phone}:123456`,
    WEBHOOK_ALLOW_PRIVATE: 'true',
  });
  const runtime = await createRuntime(config);
  await runtime.webhookRelay.start();
  const server = runtime.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const receiver = await startWebhookReceiver();
  try {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const steps = await runIntegration({
      baseUrl: `http://127.0.0.1:${port}`,
      phone,
      otp: '123456',
      receiver,
    });
    for (const [operation, outcome] of steps) process.stdout.write(`${operation.padEnd(22)} ${outcome}\n`);
  } finally {
    await receiver.close();
    await closeServer(server);
    await runtime.close();
  }
}
