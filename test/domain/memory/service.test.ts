import { beforeAll, expect, it } from 'vitest';
import type { Db } from '../../../src/db/types.ts';
import type { Ctx } from '../../../src/domain/context.ts';
import { createLexicalEmbedder } from '../../../src/domain/memory/lexical-embedder.ts';
import { createMemoryService, type MemoryService } from '../../../src/domain/memory/service.ts';
import { describeEachDb } from '../../support/db.ts';
import { people } from '../../support/memory.ts';

describeEachDb('memory service', (get) => {
  let db: Db;
  let memory: MemoryService;
  const who = people(() => db, 1000);
  beforeAll(() => {
    db = get().db;
    memory = createMemoryService({ db, embedder: createLexicalEmbedder() });
  });

  const say = (ctx: Ctx, content: string) => memory.remember(ctx, { content, source: 'api' });
  const live = async (ctx: Ctx) => (await memory.list(ctx, { page: 1, limit: 100 })).items;
  const found = async (ctx: Ctx, q: string) => (await memory.search(ctx, { q, limit: 10 })).map((h) => h.id);

  it('reads kind and subject from the statement', async () => {
    const ctx = await who.owner();
    const m = await say(ctx, "Ramesh's number is 98450 12345.");
    expect(m).toMatchObject({
      outcome: 'created',
      kind: 'contact',
      subject: 'Ramesh',
      content: "Ramesh's number is 98450 12345",
      source: 'api',
      supersedes: null,
    });
  });

  it('an exact duplicate, in other case and punctuation, is unchanged and adds nothing', async () => {
    const ctx = await who.owner();
    const first = await say(ctx, 'ABC Traders always pays late');
    const again = await say(ctx, 'abc traders ALWAYS pays late!!');
    expect(again).toMatchObject({ id: first.id, outcome: 'unchanged' });
    expect(await live(ctx)).toHaveLength(1);
  });

  it('a near-duplicate about the same subject updates the memory in place', async () => {
    const ctx = await who.owner();
    const first = await say(ctx, 'ABC Traders always pays late');
    const restated = await say(ctx, 'ABC Traders always pays very late');
    expect(restated).toMatchObject({
      id: first.id,
      outcome: 'updated',
      content: 'ABC Traders always pays very late',
    });
    // The same slot and value in Hinglish is the same memory too.
    const phone = await say(ctx, "Ramesh's number is 98450 12345");
    const hinglish = await say(ctx, 'Ramesh ka number 98450 12345 hai');
    expect(hinglish).toMatchObject({ id: phone.id, outcome: 'updated' });
    expect(await live(ctx)).toHaveLength(2);
  });

  it('a similar statement about someone else is a new memory', async () => {
    const ctx = await who.owner();
    await say(ctx, 'ABC Traders always pays late');
    const other = await say(ctx, 'XYZ Traders always pays late');
    expect(other.outcome).toBe('created');
    expect(await live(ctx)).toHaveLength(2);
  });

  it('a contradiction supersedes: the old one stays for audit but is never returned', async () => {
    const ctx = await who.owner();
    const old = await say(ctx, "Ramesh's number is 98450 12345");
    const now = await say(ctx, "Ramesh's number is now 98450 99999");
    expect(now).toMatchObject({ outcome: 'superseded', supersedes: old.id });
    expect(now.id).not.toBe(old.id);

    expect(await found(ctx, "Ramesh's number")).toEqual([now.id]);
    expect((await live(ctx)).map((m) => m.id)).toEqual([now.id]);
    const all = await memory.list(ctx, { page: 1, limit: 10, include_superseded: true });
    expect(all.items.find((m) => m.id === old.id)?.superseded_by).toBe(now.id);
    expect((await memory.recall(ctx, 'Ramesh number', 5)).map((h) => h.id)).toEqual([now.id]);

    // Saying the old number again is a change back, not a revival of the superseded row.
    const back = await say(ctx, "Ramesh's number is 98450 12345");
    expect(back.outcome).toBe('unchanged');
    expect(await found(ctx, "Ramesh's number")).toEqual([now.id]);
  });

  it('a changed number in a near-duplicate is a correction, not a restatement', async () => {
    const ctx = await who.owner();
    const old = await say(ctx, 'Rent for the godown is ₹45,000 a month');
    const fixed = await say(ctx, 'Rent for the godown is ₹48,000 a month');
    expect(fixed).toMatchObject({ outcome: 'superseded', supersedes: old.id });
  });

  it('forget removes the memory and its older versions from search and list; audit keeps no content', async () => {
    const ctx = await who.owner();
    const keep = await say(ctx, 'Gupta ji hamesha cash mein dete hain');
    const old = await say(ctx, "Suresh's email is suresh@example.in");
    const current = await say(ctx, "Suresh's email is now suresh.k@example.in");
    expect(current.supersedes).toBe(old.id);

    expect(await memory.forget(ctx, current.id)).toEqual({ id: current.id, versions_removed: 2 });
    expect(await found(ctx, 'Suresh email')).toEqual([]);
    expect(
      (await memory.list(ctx, { page: 1, limit: 10, include_superseded: true })).items.map((m) => m.id),
    ).toEqual([keep.id]);
    await expect(memory.get(ctx, current.id)).rejects.toMatchObject({ code: 'memory_not_found' });
    await expect(memory.forget(ctx, current.id)).rejects.toMatchObject({ code: 'memory_not_found' });

    const audit = await db.query<{ action: string; before: unknown; after: unknown }>(
      "SELECT action, before, after FROM audit_log WHERE tenant_id = $1 AND entity = 'memory' ORDER BY id",
      [ctx.tenantId],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'memory.created',
      'memory.created',
      'memory.superseded',
      'memory.forgotten',
    ]);
    expect(audit.at(-1)?.before).toMatchObject({ id: current.id, kind: 'contact', versions_removed: 2 });
    const text = JSON.stringify(audit);
    for (const secret of ['suresh', 'Suresh', 'example.in', 'cash']) expect(text).not.toContain(secret);
  });

  it("another business and another user of the same business see nothing of a user's memories", async () => {
    const owner = await who.owner();
    const colleague = await who.member(owner);
    const stranger = await who.owner();
    const m = await say(owner, "Mehta ji's number is 98200 11122");
    for (const other of [colleague, stranger]) {
      expect(await found(other, 'Mehta number')).toEqual([]);
      expect(await memory.recall(other, 'Mehta number', 5)).toEqual([]);
      expect(await live(other)).toEqual([]);
      await expect(memory.get(other, m.id)).rejects.toMatchObject({ code: 'memory_not_found' });
      await expect(memory.forget(other, m.id)).rejects.toMatchObject({ code: 'memory_not_found' });
      // Their own identical statement is theirs: no dedup across people.
      expect((await say(other, "Mehta ji's number is 98200 11122")).outcome).toBe('created');
    }
    expect(await found(owner, 'Mehta number')).toEqual([m.id]);
  });

  it('search fuses words and vectors, filters by kind, and scores best first', async () => {
    const ctx = await who.owner();
    await say(ctx, 'I prefer reminders at 9am');
    const late = await say(ctx, 'Kapoor Sons always pays late');
    await say(ctx, "Kapoor's number is 99887 76655");
    const hits = await memory.search(ctx, { q: 'who pays late', limit: 10 });
    expect(hits[0]?.id).toBe(late.id);
    expect(hits[0]).toMatchObject({ kind: 'pattern', subject: 'Kapoor Sons', source: 'api' });
    for (let i = 1; i < hits.length; i++)
      expect(hits[i - 1]?.score).toBeGreaterThanOrEqual(hits[i]?.score ?? 0);
    const contacts = await memory.search(ctx, { q: 'Kapoor', limit: 10, kind: 'contact' });
    expect(contacts.map((h) => h.kind)).toEqual(['contact']);
  });

  it('recall counts what it returns, and returns nothing irrelevant', async () => {
    const ctx = await who.owner();
    const m = await say(ctx, "Anil's number is 98765 43210");
    expect(await memory.recall(ctx, 'zzzz qqqq', 5)).toEqual([]);
    await memory.recall(ctx, "Anil's number", 5);
    expect((await memory.get(ctx, m.id)).recall_count).toBe(1);
  });

  it('refuses an empty statement', async () => {
    const ctx = await who.owner();
    await expect(say(ctx, ' ... ')).rejects.toMatchObject({ code: 'empty_memory' });
  });
});
