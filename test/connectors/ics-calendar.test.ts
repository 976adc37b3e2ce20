import { afterAll, beforeAll, expect, it } from 'vitest';
import { icsCalendar } from '../../src/connectors/ics-calendar/index.ts';
import { type ConnectorRuntime, createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { runSync } from '../../src/connectors/sync-engine.ts';
import type { Connector } from '../../src/connectors/types.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../src/connectors/vault.ts';
import type { Db } from '../../src/db/types.ts';
import { type ConnectionRow, queueRun } from '../../src/domain/connections/repo.ts';
import { type FakeIcsCalendar, startFakeIcsCalendar } from '../fakes/ics-calendar.ts';
import { connectedBusiness } from '../support/connections.ts';
import { describeEachDb } from '../support/db.ts';
import { capturingLogger } from '../support/logger.ts';

const calendar = icsCalendar as unknown as Connector;
const vault = createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] });

const KOLKATA = `BEGIN:VTIMEZONE
TZID:Asia/Kolkata
BEGIN:STANDARD
TZOFFSETFROM:+0530
TZOFFSETTO:+0530
TZNAME:IST
DTSTART:19700101T000000
END:STANDARD
END:VTIMEZONE`;

const event = (lines: string) => `BEGIN:VEVENT\n${lines.trim()}\nEND:VEVENT`;
const feed = (...events: string[]) =>
  `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\n${KOLKATA}\n${events.join('\n')}\nEND:VCALENDAR\n`.replaceAll(
    '\n',
    '\r\n',
  );

const STANDUP = event(`
DTSTART;TZID=Asia/Kolkata:20260302T110000
DTEND;TZID=Asia/Kolkata:20260302T113000
RRULE:FREQ=WEEKLY;BYDAY=MO,WE
EXDATE;TZID=Asia/Kolkata:20260330T110000
UID:standup@axon.test
SUMMARY:Standup with staff
LOCATION:Shop
`);
const MOVED = event(`
DTSTART;TZID=Asia/Kolkata:20260401T150000
DTEND;TZID=Asia/Kolkata:20260401T153000
RECURRENCE-ID;TZID=Asia/Kolkata:20260401T110000
UID:standup@axon.test
SUMMARY:Standup (moved)
`);
const CLOSED = event(`
DTSTART;VALUE=DATE:20260326
DTEND;VALUE=DATE:20260327
UID:closed@axon.test
SUMMARY:Shop closed (Gudi Padwa)
`);
// No zone of its own: read in the business's.
const MEHTA = event(`
DTSTART:20260325T160000
DTEND:20260325T163000
UID:mehta@axon.test
SUMMARY:Call Mehta about the order
`);
const LATER = event(`
DTSTART:20261201T053000Z
UID:later@axon.test
SUMMARY:Far away
`);

describeEachDb('calendar by iCal address', (get) => {
  let fake: FakeIcsCalendar;
  let db: Db;
  let clock = new Date('2026-03-25T04:00:00Z');
  const runtime = (allowPrivate: boolean): ConnectorRuntime =>
    createConnectorRuntime({
      db,
      vault,
      logger: capturingLogger().logger,
      rateLimits: { 'ics-calendar': { perSecond: 10_000, burst: 100 } },
      http: { timeoutMs: 5000, retries: 0, backoffMs: 10, maxWaitMs: 1000 },
      now: () => clock,
      connectors: [calendar],
      allowPrivate,
    });

  const connect = (phone: string) =>
    connectedBusiness(db, vault, phone, { connector: 'ics-calendar', credentials: { url: fake.url } });
  async function sync(c: ConnectionRow, allowPrivate = true) {
    const { run } = await db.tenant(c.tenant_id, (tx) =>
      queueRun(tx, { tenantId: c.tenant_id, connectionId: c.id }, 'manual'),
    );
    return runSync(runtime(allowPrivate), run.id);
  }
  const events = (c: ConnectionRow) =>
    db.tenant(c.tenant_id, (tx) =>
      tx.query<{ title: string; starts_at: Date; all_day: boolean; live: boolean }>(
        'SELECT title, starts_at, all_day, deleted_at IS NULL AS live FROM calendar_events ORDER BY starts_at, title',
      ),
    );
  let c: ConnectionRow;

  beforeAll(async () => {
    db = get().db;
    fake = await startFakeIcsCalendar();
    fake.ics = feed(STANDUP, MOVED, CLOSED, MEHTA, LATER);
    c = await connect('+919800000821');
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('expands recurring events in the business’s zone, skipping excluded dates and moving overrides', async () => {
    expect((await sync(c))?.status).toBe('succeeded');
    const all = await events(c);
    const at = (title: string) => all.filter((e) => e.title === title).map((e) => e.starts_at.toISOString());
    const standups = at('Standup with staff');
    expect(standups).toContain('2026-03-25T05:30:00.000Z');
    expect(standups).not.toContain('2026-03-30T05:30:00.000Z');
    expect(standups).not.toContain('2026-04-01T05:30:00.000Z');
    expect(at('Standup (moved)')).toEqual(['2026-04-01T09:30:00.000Z']);
    // From yesterday: not the standups of early March; eight weeks ahead: not December.
    expect(standups[0]).toBe('2026-03-25T05:30:00.000Z');
    expect(standups.at(-1)).toBe('2026-05-18T05:30:00.000Z');
    expect(at('Far away')).toEqual([]);
    expect(at('Call Mehta about the order')).toEqual(['2026-03-25T10:30:00.000Z']);
    expect(all.find((e) => e.title.startsWith('Shop closed'))).toMatchObject({
      starts_at: new Date('2026-03-25T18:30:00Z'),
      all_day: true,
    });
  });

  it('asks whether the feed changed, and an unchanged one deletes nothing', async () => {
    const before = (await events(c)).filter((e) => e.live).length;
    expect((await sync(c))?.status).toBe('succeeded');
    expect(fake.requests.at(-1)).toMatchObject({ status: 304 });
    expect(fake.requests.at(-1)?.ifNoneMatch).toMatch(/^"[0-9a-f]{16}"$/);
    expect((await events(c)).filter((e) => e.live)).toHaveLength(before);
  });

  it('takes an event removed from the feed as deleted, and reads the feed whole on a new day', async () => {
    fake.ics = feed(STANDUP, MOVED, CLOSED, LATER);
    expect((await sync(c))?.status).toBe('succeeded');
    expect((await events(c)).find((e) => e.title.startsWith('Call Mehta'))?.live).toBe(false);
    clock = new Date('2026-03-26T04:00:00Z');
    expect((await sync(c))?.status).toBe('succeeded');
    expect(fake.requests.at(-1)).toMatchObject({ ifNoneMatch: undefined, status: 200 });
  });

  it('reads only public addresses unless told otherwise', async () => {
    const other = await connect('+919800000822');
    const run = await sync(other, false);
    expect(run?.status).toBe('failed');
    expect(run?.error).toContain('points at a private address (127.0.0.1)');
  });

  it('takes a reset secret address as disconnected', async () => {
    fake.reset = true;
    expect((await sync(c))?.status).toBe('failed');
    const [row] = await db.tenant(c.tenant_id, (tx) =>
      tx.query<{ status: string }>('SELECT status FROM connections WHERE id = $1', [c.id]),
    );
    expect(row?.status).toBe('disconnected');
  });
});
