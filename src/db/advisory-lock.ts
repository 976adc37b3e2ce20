import pg from 'pg';

/**
 * Session-level advisory locks on a connection of their own, for things that must run in one process at a
 * time for as long as they live (a WhatsApp socket). The lock goes when its connection goes, so a crashed
 * process frees it, and `lost` tells the holder that it no longer has it.
 */

export interface HeldAdvisoryLock {
  release(): Promise<void>;
  lost: Promise<void>;
}

// The first key of the two-key form: a namespace no other lock in AxonBOS uses.
const NAMESPACE = 727_005;
// A silent network drop shows only when the connection is used, so the holder pings it.
const HEARTBEAT_MS = 15_000;

export function postgresAdvisoryLocks(url: string, prefix: string) {
  return {
    async acquire(name: string): Promise<HeldAdvisoryLock | null> {
      const client = new pg.Client({ connectionString: url, keepAlive: true });
      let markLost: () => void = () => {};
      const lost = new Promise<void>((resolve) => {
        markLost = resolve;
      });
      let released = false;
      client.on('error', () => markLost());
      client.on('end', () => {
        if (!released) markLost();
      });
      await client.connect();
      try {
        const rows = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
          [NAMESPACE, `${prefix}:${name}`],
        );
        if (!rows.rows[0]?.locked) {
          released = true;
          await client.end();
          return null;
        }
      } catch (err) {
        released = true;
        await client.end().catch(() => {});
        throw err;
      }
      const heartbeat = setInterval(() => {
        client.query('SELECT 1').catch(() => markLost());
      }, HEARTBEAT_MS);
      heartbeat.unref();
      lost.then(() => clearInterval(heartbeat));
      return {
        lost,
        async release() {
          if (released) return;
          released = true;
          clearInterval(heartbeat);
          // Ending the connection drops the lock with it.
          await client.end().catch(() => {});
        },
      };
    },
  };
}
