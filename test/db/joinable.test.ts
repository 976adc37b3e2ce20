import { describe, expect, it } from 'vitest';
import { joinable, joinTransaction } from '../../src/db/joinable.ts';
import { describeEachDb } from '../support/db.ts';

const TENANT_OF = "SELECT nullif(current_setting('app.tenant_id', true), '') AS tenant";

describeEachDb('a joinable db', (get, kind) => {
  describe('', () => {
    it('runs inside each joined transaction as that one, while others overlap, and as itself after', async () => {
      const { db } = get();
      await db.query(
        "INSERT INTO tenants (id, name) VALUES ('ten_join_a', 'A'), ('ten_join_b', 'B') ON CONFLICT DO NOTHING",
      );
      const app = joinable(db);
      const tenantSeen = async () => (await app.query<{ tenant: string | null }>(TENANT_OF))[0]?.tenant;
      let releaseA = () => {};
      const aMayEnd = new Promise<void>((resolve) => {
        releaseA = resolve;
      });
      // A is still running when B starts and ends: A must keep seeing its own transaction after B. PGlite
      // runs one transaction at a time, so there B waits for A instead.
      const a = db.tenant('ten_join_a', (tx) =>
        joinTransaction('ten_join_a', tx, async () => {
          const before = await tenantSeen();
          await aMayEnd;
          return [before, await tenantSeen(), await app.tenant('ten_join_a', async () => tenantSeen())];
        }),
      );
      const runB = () => db.tenant('ten_join_b', (tx) => joinTransaction('ten_join_b', tx, tenantSeen));
      let b: string | null | undefined;
      if (kind === 'postgres') b = await runB();
      releaseA();
      if (kind === 'pglite') b = await runB();
      expect(await a).toEqual(['ten_join_a', 'ten_join_a', 'ten_join_a']);
      expect(b).toBe('ten_join_b');
      // Outside any joined transaction: the db itself, with no tenant bound.
      expect(await tenantSeen()).toBeNull();
      await expect(
        db.tenant('ten_join_a', (tx) =>
          joinTransaction('ten_join_a', tx, () => app.tenant('ten_join_b', tenantSeen)),
        ),
      ).rejects.toThrow(/cannot join one of tenant ten_join_a/);
    });
  });
});
