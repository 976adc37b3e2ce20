import { mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { migrate } from '../../src/db/migrate.ts';
import { together } from '../../src/db/types.ts';
import { createLogger } from '../../src/log.ts';
import { describeEachDb } from '../support/db.ts';

/** Counts the writes to sockets (each a system call) until `stop`. */
function countSocketWrites(): { count: number; stop(): void } {
  const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => unknown>;
  const originals = { _write: proto._write, _writev: proto._writev };
  const counter = { count: 0, stop: () => Object.assign(proto, originals) };
  for (const name of ['_write', '_writev'] as const) {
    const original = originals[name];
    proto[name] = function (this: unknown, ...args: unknown[]) {
      counter.count++;
      return original.apply(this, args);
    };
  }
  return counter;
}

describeEachDb('database', (get, kind) => {
  it('records every migration once and re-running applies nothing', async () => {
    const { db } = get();
    const rows = await db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toContain(1);
    expect(await migrate(db)).toEqual([]);
  });

  it('has the vector extension', async () => {
    const [row] = await get().db.query<{ d: number }>("SELECT '[1,0]'::vector <=> '[0,1]'::vector AS d");
    expect(row?.d).toBeCloseTo(1);
  });

  it('row-level security hides every tenant row from the app role without the tenant setting', async () => {
    const { db } = get();
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO tenants (id, name) VALUES ('ten_rls_a', 'A'), ('ten_rls_b', 'B')");
      await tx.query(
        "INSERT INTO tasks (id, tenant_id, title, source) VALUES ('task_rls_a', 'ten_rls_a', 'a', 'api'), ('task_rls_b', 'ten_rls_b', 'b', 'api')",
      );
    });
    const asOwner = await db.query('SELECT id FROM tasks WHERE id LIKE $1', ['task_rls_%']);
    expect(asOwner).toHaveLength(2);
    const unscoped = await db.unscoped((tx) => tx.query('SELECT id FROM tasks'));
    expect(unscoped).toEqual([]);
    const tenants = await db.unscoped((tx) => tx.query('SELECT id FROM tenants'));
    expect(tenants).toEqual([]);
    const scoped = await db.tenant('ten_rls_a', (tx) => tx.query<{ id: string }>('SELECT id FROM tasks'));
    expect(scoped.map((r) => r.id)).toEqual(['task_rls_a']);
    await expect(
      db.tenant('ten_rls_a', (tx) =>
        tx.query(
          "INSERT INTO tasks (id, tenant_id, title, source) VALUES ('task_x', 'ten_rls_b', 'x', 'api')",
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('a prepared statement, planned once per connection, still sees only the tenant of each transaction', async () => {
    const { db } = get();
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO tenants (id, name) VALUES ('ten_prep_a', 'A'), ('ten_prep_b', 'B')");
      await tx.query(
        "INSERT INTO tasks (id, tenant_id, title, source) VALUES ('task_prep_a', 'ten_prep_a', 'a', 'api'), ('task_prep_b', 'ten_prep_b', 'b', 'api')",
      );
    });
    // Past the fifth execution Postgres may switch to a generic plan; the tenant must still bind each run.
    for (let i = 0; i < 8; i++) {
      const tenant = i % 2 ? 'ten_prep_b' : 'ten_prep_a';
      const rows = await db.tenant(tenant, (tx) =>
        tx.query<{ id: string }>('SELECT id FROM tasks WHERE title = ANY($1)', [['a', 'b']], {
          prepare: true,
        }),
      );
      expect(rows.map((r) => r.id)).toEqual([i % 2 ? 'task_prep_b' : 'task_prep_a']);
    }
  });

  it('a transaction whose statement fails keeps nothing, and the connection serves the next one', async () => {
    const { db } = get();
    await db.query("INSERT INTO tenants (id, name) VALUES ('ten_pipe', 'P') ON CONFLICT DO NOTHING");
    const insert = (id: string) =>
      `INSERT INTO tasks (id, tenant_id, title, source) VALUES ('${id}', 'ten_pipe', 't', 'api')`;
    await expect(
      db.tenant('ten_pipe', async (tx) => {
        // Sent together, answered in order: the duplicate fails and takes the first insert with it.
        await Promise.all([tx.query(insert('task_pipe_1')), tx.query(insert('task_pipe_1'))]);
      }),
    ).rejects.toThrow(/duplicate key/);
    const after = await db.tenant('ten_pipe', (tx) =>
      Promise.all([
        tx.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks'),
        tx.query<{ tenant: string }>("SELECT current_setting('app.tenant_id') AS tenant"),
      ]),
    );
    expect(after).toEqual([[{ n: 0 }], [{ tenant: 'ten_pipe' }]]);
  });

  it('statements sent together in a transaction fail together, and none is kept', async () => {
    const { db } = get();
    await db.query("INSERT INTO tenants (id, name) VALUES ('ten_tog', 'T') ON CONFLICT DO NOTHING");
    const insert = (id: string) =>
      `INSERT INTO tasks (id, tenant_id, title, source) VALUES ('${id}', 'ten_tog', 't', 'api')`;
    await expect(
      db.tenant('ten_tog', (tx) =>
        together(tx.query(insert('task_tog_1')), tx.query('SELECT 1 / 0'), tx.query(insert('task_tog_2'))),
      ),
    ).rejects.toThrow(/division by zero/);
    // Neither insert is kept: not the one before the failure, nor the one queued behind it.
    const left = await db.query<{ id: string }>("SELECT id FROM tasks WHERE id LIKE 'task_tog_%'");
    expect(left).toEqual([]);
    const [a, b] = await db.tenant('ten_tog', (tx) =>
      together(tx.query<{ n: number }>('SELECT 1 AS n'), tx.query<{ n: number }>('SELECT 2 AS n')),
    );
    expect([a, b]).toEqual([[{ n: 1 }], [{ n: 2 }]]);
  });

  it('queued writes commit with their transaction, run in order, and a failing one keeps nothing', async () => {
    const { db } = get();
    await db.query("INSERT INTO tenants (id, name) VALUES ('ten_q', 'Q') ON CONFLICT DO NOTHING");
    const insert = (id: string) =>
      `INSERT INTO tasks (id, tenant_id, title, source) VALUES ('${id}', 'ten_q', 't', 'api')`;
    const seen = await db.tenant('ten_q', async (tx) => {
      tx.queue(insert('task_q_1'));
      // A statement sent after a queued write runs after it.
      return tx.query<{ n: number }>("SELECT count(*)::int AS n FROM tasks WHERE id = 'task_q_1'");
    });
    expect(seen).toEqual([{ n: 1 }]);
    await db.tenant('ten_q', async (tx) => {
      await tx.query(insert('task_q_2'));
      tx.queue(insert('task_q_3'));
    });
    await expect(
      db.tenant('ten_q', async (tx) => {
        tx.queue(insert('task_q_4'));
        tx.queue(insert('task_q_1'));
        return 'answered before the failure was known';
      }),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      db.tenant('ten_q', async (tx) => {
        tx.queue(insert('task_q_5'));
        throw new Error('the caller gave up');
      }),
    ).rejects.toThrow('the caller gave up');
    const kept = await db.query<{ id: string }>("SELECT id FROM tasks WHERE id LIKE 'task_q_%' ORDER BY id");
    expect(kept.map((r) => r.id)).toEqual(['task_q_1', 'task_q_2', 'task_q_3']);
    // A queued write in a batch transaction is one of its statements.
    const batch = db.tenantBatch;
    if (!batch) throw new Error('both databases implement tenantBatch');
    await batch('ten_q', async (tx) => tx.queue(insert('task_q_6')));
    const last = await db.query<{ id: string }>("SELECT id FROM tasks WHERE id = 'task_q_6'");
    expect(last).toEqual([{ id: 'task_q_6' }]);
  });

  it.runIf(kind === 'postgres')(
    'a transaction whose failed statement was caught does not commit the rest',
    async () => {
      const { db } = get();
      await db.query("INSERT INTO tenants (id, name) VALUES ('ten_caught', 'C') ON CONFLICT DO NOTHING");
      await expect(
        db.tenant('ten_caught', async (tx) => {
          await tx.query(
            "INSERT INTO tasks (id, tenant_id, title, source) VALUES ('task_caught', 'ten_caught', 't', 'api')",
          );
          await tx.query('SELECT 1 / 0').catch(() => 'swallowed');
          return 'done';
        }),
      ).rejects.toThrow(/rolled back/);
      expect(await db.query("SELECT id FROM tasks WHERE id = 'task_caught'")).toEqual([]);
    },
  );

  it.runIf(kind === 'postgres')(
    'the writes a transaction ends with leave with its COMMIT: one write to the server for both',
    async () => {
      const { db } = get();
      await db.query("INSERT INTO tenants (id, name) VALUES ('ten_w', 'W') ON CONFLICT DO NOTHING");
      const insert = (id: string) =>
        `INSERT INTO tasks (id, tenant_id, title, source) VALUES ('${id}', 'ten_w', 't', 'api')`;
      await db.tenant('ten_w', (tx) => tx.query('SELECT 1'));
      const writes = countSocketWrites();
      try {
        await db.tenant('ten_w', async (tx) => {
          await tx.query(insert('task_w_1'));
          tx.queue(insert('task_w_2'));
          tx.queue(insert('task_w_3'));
        });
      } finally {
        writes.stop();
      }
      // BEGIN with the first insert; the two queued inserts with COMMIT.
      expect(writes.count).toBe(2);
      const kept = await db.query<{ id: string }>(
        "SELECT id FROM tasks WHERE id LIKE 'task_w_%' ORDER BY id",
      );
      expect(kept.map((r) => r.id)).toEqual(['task_w_1', 'task_w_2', 'task_w_3']);
    },
  );

  it.runIf(kind === 'postgres')(
    'a batch transaction is one write to the server: BEGIN, its statements and COMMIT',
    async () => {
      const { db } = get();
      const batch = db.tenantBatch;
      if (!batch) throw new Error('Postgres implements tenantBatch');
      await db.query("INSERT INTO tenants (id, name) VALUES ('ten_bw', 'B') ON CONFLICT DO NOTHING");
      await batch('ten_bw', (tx) => tx.query('SELECT 1'));
      const writes = countSocketWrites();
      try {
        await batch('ten_bw', (tx) =>
          Promise.all([
            tx.query(
              "INSERT INTO tasks (id, tenant_id, title, source) VALUES ('task_bw', 'ten_bw', 't', 'api')",
            ),
            tx.query('SELECT count(*) FROM tasks'),
          ]),
        );
      } finally {
        writes.stop();
      }
      expect(writes.count).toBe(1);
    },
  );

  it('a batch transaction binds the tenant, commits its write, and keeps nothing of a failure', async () => {
    const { db } = get();
    const one = db.tenantBatch;
    if (!one) throw new Error('both databases implement tenantBatch');
    await db.query(
      "INSERT INTO tenants (id, name) VALUES ('ten_one_a', 'A'), ('ten_one_b', 'B') ON CONFLICT DO NOTHING",
    );
    const insert = (id: string, tenant: string) =>
      `INSERT INTO tasks (id, tenant_id, title, source) VALUES ('${id}', '${tenant}', 't', 'api') RETURNING id`;
    expect(await one('ten_one_a', (tx) => tx.query(insert('task_one_a', 'ten_one_a')))).toEqual([
      { id: 'task_one_a' },
    ]);
    // Row-level security holds: the other tenant's row is refused, inside the same single round trip.
    await expect(one('ten_one_a', (tx) => tx.query(insert('task_one_b', 'ten_one_b')))).rejects.toThrow(
      /row-level security/,
    );
    // A statement that writes and then fails keeps nothing.
    await expect(
      one('ten_one_b', (tx) =>
        tx.query(
          `WITH ins AS (${insert('task_one_c', 'ten_one_b')}) SELECT 1 / (count(*) - 1) AS boom FROM ins`,
        ),
      ),
    ).rejects.toThrow(/division by zero/);
    const seen = await one('ten_one_b', (tx) =>
      tx.query<{ id: string; tenant: string }>(
        "SELECT id, current_setting('app.tenant_id') AS tenant FROM tasks WHERE id LIKE 'task_one_%'",
      ),
    );
    expect(seen).toEqual([]);
    expect(await one('ten_one_a', (tx) => tx.query<{ id: string }>('SELECT id FROM tasks'))).toEqual([
      { id: 'task_one_a' },
    ]);
    // The connections are back in the pool with no tenant bound and no transaction open.
    const [owner] = await db.query<{ tenant: string | null }>(
      "SELECT nullif(current_setting('app.tenant_id', true), '') AS tenant",
    );
    expect(owner?.tenant ?? null).toBeNull();
  });

  it('a batch transaction runs the statements sent at once, in order and all or none, and refuses a late one', async () => {
    const { db } = get();
    const batch = db.tenantBatch;
    if (!batch) throw new Error('both databases implement tenantBatch');
    await db.query("INSERT INTO tenants (id, name) VALUES ('ten_one_c', 'C') ON CONFLICT DO NOTHING");
    const insert = (id: string) =>
      `INSERT INTO tasks (id, tenant_id, title, source) VALUES ('${id}', 'ten_one_c', 't', 'api') RETURNING id`;
    const count = "SELECT count(*)::int AS n FROM tasks WHERE id LIKE 'task_c_%'";
    // Sent together, run in order: the count sees the insert sent before it.
    const [inserted, counted] = await batch('ten_one_c', (tx) =>
      Promise.all([tx.query<{ id: string }>(insert('task_c_1')), tx.query<{ n: number }>(count)]),
    );
    expect(inserted).toEqual([{ id: 'task_c_1' }]);
    expect(counted).toEqual([{ n: 1 }]);
    // One failure keeps nothing of the batch, and no result is handed over.
    await expect(
      batch('ten_one_c', (tx) => Promise.all([tx.query(insert('task_c_2')), tx.query('SELECT 1 / 0')])),
    ).rejects.toThrow(/division by zero/);
    expect(await db.query(count)).toEqual([{ n: 1 }]);
    // A statement after the first await would not be in the transaction: refused, and nothing of it runs.
    await expect(
      batch('ten_one_c', async (tx) => {
        await tx.query('SELECT 1');
        await tx.query(insert('task_c_3'));
      }),
    ).rejects.toThrow(/after its batch transaction was sent/);
    await expect(
      batch('ten_one_c', async (tx) => {
        await Promise.resolve();
        tx.queue(insert('task_c_4'));
      }),
    ).rejects.toThrow(/after its batch transaction was sent/);
    expect(await db.query(count)).toEqual([{ n: 1 }]);
    expect(await batch('ten_one_c', async () => 'nothing sent')).toBe('nothing sent');
  });

  it('refuses to update or delete the audit log', async () => {
    const { db } = get();
    await db.query("INSERT INTO tenants (id, name) VALUES ('ten_audit', 'A') ON CONFLICT DO NOTHING");
    await db.query(
      "INSERT INTO audit_log (tenant_id, actor_type, via, action, entity) VALUES ('ten_audit', 'system', 'job', 'test', 'tenant')",
    );
    await expect(db.query('UPDATE audit_log SET action = $1', ['x'])).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });
});

describe('embedded data directory', () => {
  it('a second process on the same DATA_DIR gets a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axon-lock-'));
    const first = await openDatabase({ DATA_DIR: dir, DATABASE_POOL_SIZE: 1 }, createLogger('silent'));
    try {
      const { fork } = await import('node:child_process');
      const child = fork(join(import.meta.dirname, '../support/open-data-dir.ts'), [dir], {
        execArgv: ['--import', 'tsx'],
        stdio: 'pipe',
      });
      let stderr = '';
      child.stderr?.on('data', (d) => {
        stderr += d;
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(3);
      expect(stderr).toMatch(/in use by another AxonBOS process/);
    } finally {
      await first.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reopens its data after a clean close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axon-reopen-'));
    try {
      const a = await openDatabase({ DATA_DIR: dir, DATABASE_POOL_SIZE: 1 }, createLogger('silent'));
      await a.query("INSERT INTO tenants (id, name) VALUES ('ten_keep', 'Kept')");
      await a.close();
      const b = await openDatabase({ DATA_DIR: dir, DATABASE_POOL_SIZE: 1 }, createLogger('silent'));
      expect(await b.query('SELECT name FROM tenants')).toEqual([{ name: 'Kept' }]);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
