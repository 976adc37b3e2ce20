import { beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/types.ts';
import { emitEvent } from '../../src/domain/events.ts';
import {
  completeFollowUp,
  createFollowUp,
  deleteFollowUp,
  snoozeFollowUp,
  updateFollowUp,
} from '../../src/domain/follow-ups/service.ts';
import { completeTask, createTask, updateTask } from '../../src/domain/tasks/service.ts';
import { newBusiness } from '../support/business.ts';
import { describeEachDb } from '../support/db.ts';

describeEachDb('events outbox', (get) => {
  let db: Db;
  let n = 0;
  beforeAll(() => {
    db = get().db;
  });

  const business = () => newBusiness(db, `+9190000${String(8000 + n++).padStart(5, '0')}`);

  const eventsOf = (tenantId: string) =>
    db.query<{ type: string; payload: { id?: string; status?: string } }>(
      'SELECT type, payload FROM events WHERE tenant_id = $1 ORDER BY created_at, id',
      [tenantId],
    );

  it('task and follow-up changes write their events in the same transaction', async () => {
    const ctx = await business();
    const task = await createTask(db, ctx, { title: 'Send quotation', priority: 'high' }, 'api');
    await updateTask(db, ctx, task.id, { title: 'Send quotation to Mehta' });
    await completeTask(db, ctx, task.id);
    await completeTask(db, ctx, task.id);
    const due = new Date(Date.now() + 86_400_000).toISOString();
    const fu = await createFollowUp(db, ctx, { subject: 'Call Rahul', due_at: due, channel: 'call' }, 'api');
    await updateFollowUp(db, ctx, fu.id, { subject: 'Call Rahul about ₹50,000' });
    await snoozeFollowUp(db, ctx, fu.id, { minutes: 30 });
    await completeFollowUp(db, ctx, fu.id, 'Will pay Friday');
    await deleteFollowUp(db, ctx, fu.id);
    const events = await eventsOf(ctx.tenantId);
    expect(events.map((e) => e.type)).toEqual([
      'task.created',
      'task.completed',
      'follow_up.created',
      'follow_up.updated',
      'follow_up.snoozed',
      'follow_up.completed',
      'follow_up.deleted',
    ]);
    expect(events[1]?.payload).toMatchObject({ id: task.id, status: 'done' });
    expect(events[6]?.payload).toMatchObject({ id: fu.id });
  });

  it('an event rolled back with its change never exists', async () => {
    const ctx = await business();
    await expect(
      db.tenant(ctx.tenantId, async (tx) => {
        emitEvent(tx, ctx, 'compliance.alert', { filing: 'GSTR-3B', due_date: '2026-04-20' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await eventsOf(ctx.tenantId)).toEqual([]);
  });

  it('a job can emit for a tenant by id; row-level security keeps events inside their tenant', async () => {
    const [a, b] = [await business(), await business()];
    await db.tenant(a.tenantId, async (tx) =>
      emitEvent(tx, a.tenantId, 'reminder.triggered', { entity: 'task', id: 'task_x', late: false }),
    );
    const seenByB = await db.tenant(b.tenantId, (tx) => tx.query('SELECT id FROM events'));
    expect(seenByB).toEqual([]);
    await expect(
      db.tenant(b.tenantId, async (tx) =>
        emitEvent(tx, a.tenantId, 'connector.disconnected', { connector: 'tally' }),
      ),
    ).rejects.toThrow();
    expect((await eventsOf(a.tenantId)).map((e) => e.type)).toEqual(['reminder.triggered']);
  });
});
