import pg from 'pg';
import { expect, it } from 'vitest';
import { createWhatsAppChannel } from '../../channels/whatsapp/whatsapp-channel.ts';
import { postgresAdvisoryLocks } from '../../src/db/advisory-lock.ts';
import { seedLinkedSession, silentLogger } from '../channels/whatsapp/support.ts';
import { fakeSockets } from '../fakes/whatsapp-socket.ts';
import { describeEachDb } from '../support/db.ts';

describeEachDb('Postgres advisory locks', (get, kind) => {
  if (kind !== 'postgres') {
    it.skip('need real Postgres (PGlite is one process by its data-dir lock)', () => {});
    return;
  }
  const url = () => {
    const u = get().url;
    if (!u) throw new Error('no url');
    return u;
  };

  it('lets one holder at a time have a name, and frees it on release', async () => {
    const locks = postgresAdvisoryLocks(url(), 'test');
    const first = await locks.acquire('acct');
    expect(first).not.toBeNull();
    expect(await locks.acquire('acct')).toBeNull();
    const other = await locks.acquire('another');
    expect(other).not.toBeNull();
    await first?.release();
    const again = await locks.acquire('acct');
    expect(again).not.toBeNull();
    await again?.release();
    await other?.release();
  });

  it('tells the holder when its connection is gone, and the name is free again', async () => {
    const locks = postgresAdvisoryLocks(url(), 'test');
    const held = await locks.acquire('killed');
    if (!held) throw new Error('not acquired');
    const admin = new pg.Client({ connectionString: url() });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = 727005 AND granted
         AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    await admin.end();
    await held.lost;
    const next = await locks.acquire('killed');
    expect(next).not.toBeNull();
    await next?.release();
  });

  it('gives one WhatsApp account one socket across processes: the second stands by', async () => {
    const { db } = get();
    await seedLinkedSession(db, 'shared');
    const lock = postgresAdvisoryLocks(url(), 'whatsapp');
    const a = fakeSockets();
    const b = fakeSockets();
    const make = (factory: typeof a.factory) =>
      createWhatsAppChannel({
        db,
        logger: silentLogger,
        session: 'shared',
        socketFactory: factory,
        lock,
        lockRetryMs: 60_000,
      });
    const first = make(a.factory);
    const second = make(b.factory);
    const starting = first.start(async () => {});
    (await a.nth(1)).open();
    await starting;
    await second.start(async () => {});
    expect(first.connection.status).toBe('open');
    expect(second.connection.status).toBe('standby');
    expect(b.sockets).toHaveLength(0);
    await first.stop();
    await second.stop();
  });
});
