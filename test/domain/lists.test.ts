import { beforeAll, describe, expect, it } from 'vitest';
import type { Db, QueryOptions, Tx } from '../../src/db/types.ts';
import { AuditQuery, listAudit } from '../../src/domain/audit.ts';
import { LIST_QUERIES, listRecords } from '../../src/domain/business/reads.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { getConversationTurns, listConversations } from '../../src/domain/conversations/store.ts';
import { FollowUpListQuery } from '../../src/domain/follow-ups/schema.ts';
import { listFollowUps } from '../../src/domain/follow-ups/service.ts';
import { newId } from '../../src/domain/ids.ts';
import { listMembers } from '../../src/domain/members/service.ts';
import { createLexicalEmbedder } from '../../src/domain/memory/lexical-embedder.ts';
import { MemoryListQuery } from '../../src/domain/memory/schema.ts';
import { createMemoryService } from '../../src/domain/memory/service.ts';
import type { Page } from '../../src/domain/pagination.ts';
import { TaskListQuery } from '../../src/domain/tasks/schema.ts';
import { listTasks } from '../../src/domain/tasks/service.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { listDeliveries, listWebhooks } from '../../src/domain/webhooks/service.ts';
import { actingAs } from '../support/business.ts';
import { describeEachDb } from '../support/db.ts';

// Every paginated list, on every page (past the end too), with and without a filter: the total is the
// number of matching rows, the pages together are those rows in order, and each call is one statement in
// one batch tenant transaction (a single round trip on Postgres).

interface Calls {
  tenantBatch: number;
  statements: number;
  /** Anything else: db.tenant, db.transaction, db.unscoped, a bare db.query or db.exec. */
  other: number;
}

/** The database, counting how each list reaches it; `take()` returns the counts since the last take. */
function counting(db: Db): { db: Db; take(): Calls } {
  let calls: Calls = { tenantBatch: 0, statements: 0, other: 0 };
  const inner = (tx: Tx): Tx => ({
    query: <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
      calls.statements++;
      return tx.query<R>(sql, params, options);
    },
    exec: (sql) => {
      calls.statements++;
      return tx.exec(sql);
    },
    queue: (sql, params, options) => {
      calls.statements++;
      tx.queue(sql, params, options);
    },
  });
  const other = <T>(run: () => Promise<T>) => {
    calls.other++;
    return run();
  };
  const one = db.tenantBatch;
  if (!one) throw new Error('both databases have batch transactions');
  return {
    db: {
      kind: db.kind,
      driver: db.driver,
      query: (sql, params, options) => other(() => db.query(sql, params, options)),
      exec: (sql) => other(() => db.exec(sql)),
      transaction: (fn) => other(() => db.transaction((tx) => fn(inner(tx)))),
      tenant: (id, fn) => other(() => db.tenant(id, (tx) => fn(inner(tx)))),
      tenantBatch: (id, fn) => {
        calls.tenantBatch++;
        return one(id, (tx) => fn(inner(tx)));
      },
      unscoped: (fn) => other(() => db.unscoped((tx) => fn(inner(tx)))),
      close: () => db.close(),
    },
    take() {
      const seen = calls;
      calls = { tenantBatch: 0, statements: 0, other: 0 };
      return seen;
    },
  };
}

const N = 7;
const LIMIT = 3;
const ONE_ROUND_TRIP: Calls = { tenantBatch: 1, statements: 1, other: 0 };

interface List {
  /** The ids in list order: all of them, and those the filter keeps (when the list has one). */
  all: string[];
  filtered?: string[];
  page(page: number, limit: number, filtered: boolean): Promise<Page<{ id: string }>>;
  /** The same list where nothing matches. */
  empty(page: number, limit: number): Promise<Page<{ id: string }>>;
}

/** `n` minutes ago, for rows whose order is by a timestamp. */
const ago = (n: number) => new Date(Date.now() - n * 60_000);
const range = Array.from({ length: N }, (_, i) => i + 1);
const odd = (ids: string[]) => ids.filter((_, i) => i % 2 === 0);

describeEachDb('paginated lists', (get) => {
  const lists = new Map<string, List>();
  let count: ReturnType<typeof counting>;
  let ownerCtx: Ctx;
  const listOf = (name: string) => {
    const list = lists.get(name);
    if (!list) throw new Error(`no list ${name}`);
    return list;
  };

  beforeAll(async () => {
    const raw = get().db;
    count = counting(raw);
    const db = count.db;
    const owner = await ensureOwner(raw, '+919811100001', 'Asia/Kolkata');
    const emptyOwner = await ensureOwner(raw, '+919811100002', 'Asia/Kolkata');
    const otherBusiness = await ensureOwner(raw, '+919811100003', 'Asia/Kolkata');
    const ctx = actingAs(owner);
    ownerCtx = ctx;
    const emptyCtx = actingAs(emptyOwner);
    // A second user of the owner's business: their conversations and memories are not the owner's.
    const colleague = newId('user');
    await raw.query(
      `INSERT INTO users (id, tenant_id, phone, role) VALUES ($1, $2, '+919811100004', 'member')`,
      [colleague, owner.tenantId],
    );
    const ids = (prefix: string) => range.map(() => newId(prefix));
    // Rows of the owner's business (row i, 1-based, is i minutes old) and a few of another business's.
    const seed = async (table: string, columns: string, rows: unknown[][]) => {
      const width = rows[0]?.length ?? 0;
      const values = rows.map(
        (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`)})`,
      );
      await raw.query(`INSERT INTO ${table} (${columns}) VALUES ${values.join(', ')}`, rows.flat());
    };

    // Tasks, newest first; the filter is status = open (the odd rows).
    const tasks = ids('task');
    await seed(
      'tasks',
      'id, tenant_id, title, status, source, created_at',
      tasks.map((id, i) => [
        id,
        owner.tenantId,
        `Task ${i + 1}`,
        i % 2 === 0 ? 'open' : 'done',
        'api',
        ago(i + 1),
      ]),
    );
    await seed('tasks', 'id, tenant_id, title, source', [
      [newId('task'), otherBusiness.tenantId, 'Theirs', 'api'],
    ]);
    const taskQuery = (page: number, limit: number, status?: string) =>
      TaskListQuery.parse({ page, limit, ...(status ? { status } : {}) });
    lists.set('tasks', {
      all: tasks,
      filtered: odd(tasks),
      page: (page, limit, f) => listTasks(db, ctx, taskQuery(page, limit, f ? 'open' : undefined)),
      empty: (page, limit) => listTasks(db, emptyCtx, taskQuery(page, limit)),
    });

    // Follow-ups, soonest due first; the filter is channel = visit (the odd rows).
    const followUps = ids('fu');
    await seed(
      'follow_ups',
      'id, tenant_id, subject, due_at, channel, source',
      followUps.map((id, i) => [
        id,
        owner.tenantId,
        `Call ${i + 1}`,
        ago(-i - 1),
        i % 2 === 0 ? 'visit' : 'call',
        'api',
      ]),
    );
    await seed('follow_ups', 'id, tenant_id, subject, due_at, source', [
      [newId('fu'), otherBusiness.tenantId, 'Theirs', ago(0), 'api'],
    ]);
    const followUpQuery = (page: number, limit: number, channel?: string) =>
      FollowUpListQuery.parse({ page, limit, ...(channel ? { channel } : {}) });
    lists.set('follow-ups', {
      all: followUps,
      filtered: odd(followUps),
      page: (page, limit, f) => listFollowUps(db, ctx, followUpQuery(page, limit, f ? 'visit' : undefined)),
      empty: (page, limit) => listFollowUps(db, emptyCtx, followUpQuery(page, limit)),
    });

    // Memories, newest first; the filter is kind = fact (the odd rows). A colleague's are not the owner's.
    const memories = ids('mem');
    const vector = `[${Array.from({ length: 384 }, () => '0.1').join(',')}]`;
    const memoryRow = (id: string, tenantId: string, userId: string, kind: string, i: number) => [
      id,
      tenantId,
      userId,
      `Memory ${i}`,
      kind,
      `memory ${i}`,
      'api',
      vector,
      ago(i),
    ];
    const memoryColumns = 'id, tenant_id, user_id, content, kind, content_key, source, embedding, created_at';
    await seed(
      'memories',
      memoryColumns,
      memories.map((id, i) =>
        memoryRow(id, owner.tenantId, owner.userId, i % 2 === 0 ? 'fact' : 'preference', i + 1),
      ),
    );
    await seed('memories', memoryColumns, [
      memoryRow(newId('mem'), owner.tenantId, colleague, 'fact', 0),
      memoryRow(newId('mem'), otherBusiness.tenantId, otherBusiness.userId, 'fact', 0),
    ]);
    const memory = createMemoryService({ db, embedder: createLexicalEmbedder() });
    lists.set('memory', {
      all: memories,
      filtered: odd(memories),
      page: (page, limit, f) =>
        memory.list(ctx, MemoryListQuery.parse({ page, limit, ...(f ? { kind: 'fact' } : {}) })),
      empty: (page, limit) => memory.list(emptyCtx, MemoryListQuery.parse({ page, limit })),
    });

    // Conversations, latest first; the filter is channel = whatsapp (the odd rows).
    const conversations = ids('conv');
    const conversationColumns = 'id, tenant_id, user_id, channel, updated_at';
    await seed(
      'conversations',
      conversationColumns,
      conversations.map((id, i) => [
        id,
        owner.tenantId,
        owner.userId,
        i % 2 === 0 ? 'whatsapp' : 'api',
        ago(i + 1),
      ]),
    );
    const colleagues = newId('conv');
    await seed('conversations', conversationColumns, [
      [colleagues, owner.tenantId, colleague, 'whatsapp', ago(0)],
    ]);
    lists.set('conversations', {
      all: conversations,
      filtered: odd(conversations),
      page: (page, limit, f) =>
        listConversations(db, ctx, { page, limit, ...(f ? { channel: 'whatsapp' } : {}) }),
      empty: (page, limit) => listConversations(db, emptyCtx, { page, limit }),
    });

    // A conversation's turns, in order; the colleague's conversation is not found.
    const turns = ids('turn');
    const [conversation, quiet] = conversations as [string, string];
    const turnColumns = 'id, tenant_id, conversation_id, seq, user_message, reply, model, latency_ms';
    await seed(
      'turns',
      turnColumns,
      turns.map((id, i) => [id, owner.tenantId, conversation, i + 1, `message ${i + 1}`, 'ok', 'offline', 1]),
    );
    await seed('turns', turnColumns, [
      [newId('turn'), owner.tenantId, colleagues, 1, 'theirs', 'ok', 'offline', 1],
    ]);
    lists.set('turns', {
      all: turns,
      page: (page, limit) => getConversationTurns(db, ctx, conversation, { page, limit }),
      empty: (page, limit) => getConversationTurns(db, ctx, quiet, { page, limit }),
    });
    lists.set('turns of a conversation that is not yours', {
      all: [],
      page: (page, limit) => getConversationTurns(db, ctx, colleagues, { page, limit }),
      empty: (page, limit) => getConversationTurns(db, ctx, colleagues, { page, limit }),
    });

    // The audit log, newest first; the filter is entity = task (every other row). Signing up wrote the
    // oldest rows already.
    const audit = await raw.query<{ id: string; entity: string }>(
      'SELECT id::text, entity FROM audit_log WHERE tenant_id = $1 ORDER BY id DESC',
      [owner.tenantId],
    );
    for (const i of range) {
      const entity = i % 2 === 1 ? 'task' : 'follow_up';
      const [row] = await raw.query<{ id: string }>(
        `INSERT INTO audit_log (tenant_id, actor_type, via, action, entity)
         VALUES ($1, 'user', 'api', 'test.seeded', $2) RETURNING id::text`,
        [owner.tenantId, entity],
      );
      audit.unshift({ id: row?.id as string, entity });
    }
    await raw.query(
      `INSERT INTO audit_log (tenant_id, actor_type, via, action, entity) VALUES ($1, 'user', 'api', 'test.seeded', 'task')`,
      [otherBusiness.tenantId],
    );
    const auditQuery = (page: number, limit: number, entity?: string) =>
      AuditQuery.parse({ page, limit, ...(entity ? { entity } : {}) });
    lists.set('audit', {
      all: audit.map((a) => a.id),
      filtered: audit.filter((a) => a.entity === 'task').map((a) => a.id),
      page: (page, limit, f) =>
        listAudit(db, owner.tenantId, auditQuery(page, limit, f ? 'task' : undefined)),
      empty: (page, limit) => listAudit(db, emptyOwner.tenantId, auditQuery(page, limit, 'webhook')),
    });

    // Webhooks, newest first; no filter.
    const webhooks = ids('wh');
    const endpointColumns = 'id, tenant_id, url, events, secret, created_at';
    await seed(
      'webhook_endpoints',
      endpointColumns,
      webhooks.map((id, i) => [
        id,
        owner.tenantId,
        `https://example.com/${i}`,
        ['task.created'],
        'whsec_x',
        ago(i + 1),
      ]),
    );
    lists.set('webhooks', {
      all: webhooks,
      page: (page, limit) => listWebhooks(db, ctx, { page, limit }),
      empty: (page, limit) => listWebhooks(db, emptyCtx, { page, limit }),
    });

    // A webhook's deliveries, newest first, each with its attempts; the filter is status = failed (odd).
    const [endpoint, silent] = webhooks as [string, string];
    const events = ids('evt');
    await seed(
      'events',
      'id, tenant_id, type, payload',
      events.map((id) => [id, owner.tenantId, 'task.created', {}]),
    );
    const deliveries = ids('dlv');
    await seed(
      'webhook_deliveries',
      'id, tenant_id, endpoint_id, event_id, event_type, status, attempts, max_attempts, created_at',
      deliveries.map((id, i) => [
        id,
        owner.tenantId,
        endpoint,
        events[i],
        'task.created',
        i % 2 === 0 ? 'failed' : 'succeeded',
        i % 3,
        5,
        ago(i + 1),
      ]),
    );
    // Delivery i has i % 3 attempts, seeded last first so the log's order is the list's doing.
    const attempts = deliveries.flatMap((id, i) =>
      Array.from({ length: i % 3 }, (_, a) => [owner.tenantId, id, (i % 3) - a, 500, 12, ago(i + 1)]),
    );
    await seed(
      'webhook_attempts',
      'tenant_id, delivery_id, attempt, status_code, duration_ms, attempted_at',
      attempts,
    );
    lists.set('deliveries', {
      all: deliveries,
      filtered: odd(deliveries),
      page: (page, limit, f) =>
        listDeliveries(db, ctx, endpoint, { page, limit, ...(f ? { status: 'failed' } : {}) }),
      empty: (page, limit) => listDeliveries(db, ctx, silent, { page, limit }),
    });
    lists.set('deliveries of a webhook that is not yours', {
      all: [],
      page: (page, limit) => listDeliveries(db, emptyCtx, endpoint, { page, limit }),
      empty: (page, limit) => listDeliveries(db, emptyCtx, endpoint, { page, limit }),
    });
    count.take();
  });

  /** Calls one page and checks it was one statement in one batch transaction. */
  async function onePage(call: () => Promise<Page<{ id: string }>>) {
    count.take();
    const page = await call();
    expect(count.take()).toEqual(ONE_ROUND_TRIP);
    return page;
  }

  /** Walks every page and two past the end, then a far one: each has the total, together all rows in order. */
  async function walk(
    expected: string[],
    call: (page: number, limit: number) => Promise<Page<{ id: string }>>,
  ) {
    const pages = Math.ceil(expected.length / LIMIT);
    const seen: string[] = [];
    for (const page of [...Array.from({ length: pages + 2 }, (_, i) => i + 1), 1000]) {
      const { total, items } = await onePage(() => call(page, LIMIT));
      expect({ page, total }).toEqual({ page, total: expected.length });
      expect(items.length).toBe(page <= pages ? Math.min(LIMIT, expected.length - (page - 1) * LIMIT) : 0);
      seen.push(...items.map((i) => i.id));
    }
    expect(seen).toEqual(expected);
  }

  for (const name of [
    'tasks',
    'follow-ups',
    'memory',
    'conversations',
    'turns',
    'audit',
    'webhooks',
    'deliveries',
  ]) {
    describe(name, () => {
      const list = () => listOf(name);

      it('has the total on every page, past the end too, in one round trip', async () => {
        await walk(list().all, (page, limit) => list().page(page, limit, false));
      });

      it('has the filtered total on every page, past the end too, in one round trip', async () => {
        const { filtered } = list();
        if (!filtered) return; // the list has no filter
        expect(filtered.length).toBeLessThan(list().all.length);
        await walk(filtered, (page, limit) => list().page(page, limit, true));
      });

      it('is empty, with a total of 0, on the first page and after it, in one round trip', async () => {
        for (const page of [1, 2]) {
          expect(await onePage(() => list().empty(page, LIMIT))).toMatchObject({ total: 0, items: [] });
        }
      });
    });
  }

  it('a page of turns carries its conversation', async () => {
    const [id] = listOf('conversations').all;
    const turns = await getConversationTurns(count.db, ownerCtx, id as string, { page: 1, limit: 2 });
    expect(turns.conversation).toMatchObject({ id, channel: 'whatsapp', turn_count: 0 });
    expect(turns.items).toHaveLength(2);
  });

  for (const name of [
    'turns of a conversation that is not yours',
    'deliveries of a webhook that is not yours',
  ]) {
    it(`${name}: not found, in one round trip`, async () => {
      count.take();
      await expect(listOf(name).page(1, LIMIT, false)).rejects.toMatchObject({ kind: 'not_found' });
      expect(count.take()).toEqual(ONE_ROUND_TRIP);
    });
  }

  it("a page of deliveries carries each one's attempts, in order", async () => {
    const { items } = (await listOf('deliveries').page(1, 100, false)) as Page<{
      id: string;
      attempts: number;
      attempt_log: { attempt: number; status_code: number; duration_ms: number; attempted_at: string }[];
    }>;
    expect(items).toHaveLength(N);
    for (const d of items) {
      expect(d.attempt_log.map((a) => a.attempt)).toEqual(range.slice(0, d.attempts));
      for (const a of d.attempt_log) {
        expect(a).toMatchObject({ status_code: 500, duration_ms: 12, error: null });
        expect(a.attempted_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      }
    }
  });

  // Lists whose pages the generic walk above cannot empty (a business always has its owner) or that the
  // connectors fill: each page is still one statement in one round trip, with its total.
  it('members: a page and its total in one round trip', async () => {
    const page = await onePage(() => listMembers(count.db, ownerCtx, { page: 1, limit: 1 }));
    expect(page.items).toHaveLength(1);
    expect(page.total).toBe(2);
  });

  it('business records: a filtered page and its total in one round trip', async () => {
    for (const object of ['payments', 'invoices', 'parties'] as const) {
      const query = LIST_QUERIES[object].parse({ source: 'razorpay', limit: '5' });
      const page = await onePage(
        () => listRecords(count.db, ownerCtx, object, query) as Promise<Page<{ id: string }>>,
      );
      expect(page).toEqual({ items: [], total: 0 });
    }
  });
});
