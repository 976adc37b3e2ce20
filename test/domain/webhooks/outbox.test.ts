import { expect, it } from 'vitest';
import { createTask } from '../../../src/domain/tasks/service.ts';
import { ensureOwner } from '../../../src/domain/tenants.ts';
import { fanOutEvents, msUntilNextDue } from '../../../src/domain/webhooks/outbox.ts';
import { createWebhook } from '../../../src/domain/webhooks/service.ts';
import { actingAs } from '../../support/business.ts';
import { describeEachDb } from '../../support/db.ts';

// The relay sleeps until the next delivery falls due: with none pending it must hear "none", not "now"
// (which had an idle relay look again at once, for ever: most of an idle server's CPU).
describeEachDb('the outbox’s next due time', (get) => {
  it('is none while no delivery is pending, and now once one is due', async () => {
    const { db } = get();
    expect(await msUntilNextDue(db)).toBeNull();
    const owner = await ensureOwner(db, '+919800000601', 'Asia/Kolkata');
    const ctx = actingAs(owner);
    await createWebhook(
      db,
      ctx,
      { url: 'http://127.0.0.1:9/hook', events: ['task.created'], enabled: true },
      {
        allowPrivate: true,
      },
    );
    await createTask(db, ctx, { title: 'Order stock', priority: 'medium' }, 'api');
    await db.transaction((tx) => fanOutEvents(tx, 10, 3));
    expect(await msUntilNextDue(db)).toBe(0);
  });
});
