import { AsyncLocalStorage } from 'node:async_hooks';
import { type Db, inTenant, type Tx } from './types.ts';

interface Joined {
  tenantId: string;
  tx: Tx;
}

const joined = new AsyncLocalStorage<Joined>();
let running = 0;

/**
 * Runs `fn` so that every tenant transaction it opens through a `joinable` db is `tx` itself: what `fn`
 * writes commits or rolls back with what the caller writes in `tx` (an idempotency key and its saved
 * answer, together with the write the answer describes).
 */
export async function joinTransaction<T>(tenantId: string, tx: Tx, fn: () => Promise<T>): Promise<T> {
  running++;
  try {
    return await joined.run({ tenantId, tx }, fn);
  } finally {
    // While enabled, the storage puts a hook on every promise of the process (Node 20), chat turns' too:
    // it is on only while a joined transaction runs.
    if (--running === 0) joined.disable();
  }
}

function current(tenantId?: string): Tx | undefined {
  const j = joined.getStore();
  if (!j) return undefined;
  if (tenantId !== undefined && tenantId !== j.tenantId) {
    throw new Error(`a transaction of tenant ${tenantId} cannot join one of tenant ${j.tenantId}`);
  }
  return j.tx;
}

/** Work the joined transaction cannot hold: it runs as the tenant, and this must not. */
const notJoinable = (what: string) =>
  Promise.reject(new Error(`${what} cannot run inside a joined tenant transaction`));

/** `db` as itself, except inside `joinTransaction`, where its tenant transactions and queries use that one. */
export function joinable(db: Db): Db {
  return {
    kind: db.kind,
    driver: db.driver,
    query: (sql, params, options) => (current() ?? db).query(sql, params, options),
    exec: (sql) => (current() ?? db).exec(sql),
    tenant: (tenantId, fn) => {
      const tx = current(tenantId);
      return tx ? fn(tx) : db.tenant(tenantId, fn);
    },
    tenantBatch: (tenantId, fn) => {
      const tx = current(tenantId);
      return tx ? fn(tx) : inTenant(db, tenantId, fn);
    },
    transaction: (fn) => (current() ? notJoinable('A system transaction') : db.transaction(fn)),
    unscoped: (fn) => (current() ? notJoinable('An unscoped transaction') : db.unscoped(fn)),
    ...(db.listen ? { listen: db.listen.bind(db) } : {}),
    close: () => db.close(),
  };
}
