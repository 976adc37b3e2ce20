import { expect, it } from 'vitest';
import { createPipeline, type Pipeline } from '../../channels/pipeline/pipeline.ts';
import type { Db, Queryable, Tx } from '../../src/db/types.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { describeEachDb } from '../support/db.ts';
import { type MemoryChannel, memoryChannel } from '../support/memory-channel.ts';
import { offlineTurnRunner } from '../support/offline-runner.ts';

/**
 * The soak: inbound messages (5,000 on Postgres, SOAK_MESSAGES; 1,000 on PGlite, SOAK_MESSAGES_PGLITE) across 50 chats, one in ten a duplicate delivery, and
 * the process "killed" halfway (its database and network fail mid-turn; its chat leases are left behind).
 * A second process picks up. Every unique message must get exactly one reply the person sees, none lost.
 */

/** 5,000 on Postgres; fewer on PGlite, one connection in this process, so the suite stays within minutes. */
const totalFor = (kind: string) =>
  Number(
    (kind === 'postgres' ? process.env.SOAK_MESSAGES : process.env.SOAK_MESSAGES_PGLITE) ||
      (kind === 'postgres' ? 5000 : 1000),
  );
const CHATS = 50;
const PHRASES = ["what's my day", 'show my tasks', 'add task call supplier', 'add task pay electricity bill'];

class Killed extends Error {
  override name = 'Killed';
}

/** A Db that works until `kill()`, then fails every call: what the rest of a dead process would see. */
function killableDb(db: Db): { db: Db; kill(): void } {
  let dead = false;
  const guard = () => {
    if (dead) throw new Killed('process killed');
  };
  const wrap = (q: Queryable): Queryable => ({
    query: async <R = Record<string, unknown>>(sql: string, params?: readonly unknown[]) => {
      guard();
      const rows = await q.query<R>(sql, params);
      guard();
      return rows;
    },
    exec: async (sql) => {
      guard();
      await q.exec(sql);
    },
  });
  const wrapTx = (tx: Tx): Tx => ({
    ...wrap(tx),
    queue: (sql, params, options) => {
      guard();
      tx.queue(sql, params, options);
    },
  });
  return {
    kill: () => {
      dead = true;
    },
    db: {
      ...db,
      ...wrap(db),
      transaction: async (fn) => {
        guard();
        return db.transaction((tx) => fn(wrapTx(tx)));
      },
      tenant: async (id, fn) => {
        guard();
        return db.tenant(id, (tx) => fn(wrapTx(tx)));
      },
      unscoped: async (fn) => {
        guard();
        return db.unscoped((tx) => fn(wrapTx(tx)));
      },
    },
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describeEachDb('channel soak', (getDb, kind) => {
  const TOTAL = totalFor(kind);
  it(`${TOTAL} messages across ${CHATS} chats, 10% duplicates, a crash halfway: one reply each`, async () => {
    const real = getDb().db;
    const phones = Array.from({ length: CHATS }, (_, i) => `+9198220${String(i).padStart(5, '0')}`);
    for (const phone of phones) await ensureOwner(real, phone, 'Asia/Kolkata');

    // Deliveries in arrival order: chats interleaved; every tenth a repeat of an earlier message of its chat.
    const deliveries: { chat: number; id: string; text: string }[] = [];
    const sent = new Map<number, { id: string; text: string }[]>();
    for (let n = 0; n < TOTAL; n++) {
      const chat = n % CHATS;
      const earlier = sent.get(chat) ?? [];
      const repeat = n % 10 === 9 && earlier.length > 0 ? earlier[(n * 7) % earlier.length] : undefined;
      const message = repeat ?? { id: `soak-${chat}-${n}`, text: `${PHRASES[n % PHRASES.length]} ${n}` };
      if (!repeat) sent.set(chat, [...earlier, message]);
      deliveries.push({ chat, ...message });
    }
    const unique = new Set(deliveries.map((d) => d.id));

    const rssBefore = process.memoryUsage().rss;
    const settings = { debounceMs: 0, maxBatch: 1, leaseMs: 1000, retryBaseMs: 50 };
    const start = async (db: Db): Promise<{ pipeline: Pipeline; channel: MemoryChannel }> => {
      const runTurn = offlineTurnRunner(db);
      const pipeline = createPipeline({ db, runTurn, settings });
      const channel = memoryChannel();
      pipeline.register(channel);
      await pipeline.start();
      return { pipeline, channel };
    };
    const feed = async (channel: MemoryChannel, slice: typeof deliveries) => {
      for (const d of slice) {
        const phone = phones[d.chat] as string;
        const jid = `${phone.slice(1)}@s.whatsapp.net`;
        await channel.inbound({ chat: jid, sender: { id: jid, phone }, messageId: d.id, text: d.text });
      }
    };

    const started = performance.now();
    const doomed = killableDb(real);
    const first = await start(doomed.db);
    const half = Math.floor(TOTAL / 2);
    const someAnswered = new Promise<void>((resolve) => {
      const onSent = () => {
        if (first.channel.sends.length < half / 10) return;
        first.pipeline.events.off('sent', onSent);
        resolve();
      };
      first.pipeline.events.on('sent', onSent);
    });
    await feed(first.channel, deliveries.slice(0, half));
    await someAnswered;
    // Killed while chats are mid-turn: in-flight work fails, nothing more is sent, leases stay behind.
    doomed.kill();
    first.channel.failSends = true;
    await first.pipeline.stop();

    const second = await start(real);
    await feed(second.channel, deliveries.slice(half));
    await second.pipeline.idle();
    const seconds = (performance.now() - started) / 1000;
    const rssAfter = process.memoryUsage().rss;

    const rows = await real.query<{ message_id: string; turn_id: string | null; processed: boolean }>(
      "SELECT message_id, turn_id, processed_at IS NOT NULL AS processed FROM inbound_messages WHERE message_id LIKE 'soak-%'",
    );
    const seen = new Map([...first.channel.seen, ...second.channel.seen]);
    const rawSends = first.channel.sends.length + second.channel.sends.length;
    process.stdout.write(
      `[soak ${kind}] ${TOTAL} deliveries (${unique.size} unique) in ${seconds.toFixed(1)} s; ` +
        `replies seen ${seen.size}, sends ${rawSends} (before the crash ${first.channel.sends.length}); ` +
        `RSS before ${mb(rssBefore)}, after ${mb(rssAfter)}; chats still queued ${second.pipeline.activeChats}\n`,
    );

    expect(rows).toHaveLength(unique.size);
    expect(rows.every((r) => r.processed && r.turn_id)).toBe(true);
    // Exactly one reply per unique message: the replies seen are precisely those of the recorded turns.
    expect(new Set(seen.keys())).toEqual(new Set(rows.map((r) => `turn:${r.turn_id}`)));
    expect(second.pipeline.activeChats).toBe(0);
    await second.pipeline.stop();
  }, 240_000);
});
