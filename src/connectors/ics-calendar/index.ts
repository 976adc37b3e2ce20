import { createRequire } from 'node:module';
import type ICALModule from 'ical.js';
import { z } from 'zod';
import { checkHost, hostOf } from '../../domain/net/address-policy.ts';
import { addDays, localDate } from '../../domain/time.ts';
import { instantAt } from '../../domain/wall-clock.ts';
import { ConnectorError, ConnectorSetupError } from '../errors.ts';
import type { Connector, ConnectorContext, Cursor, StreamPage } from '../types.ts';

/**
 * A calendar by its iCalendar address (Google Calendar's secret address, Outlook's published calendar, any
 * CalDAV export). The feed is read whole, with If-None-Match/If-Modified-Since so an unchanged one costs a
 * 304; recurring events are expanded (RRULE, RDATE, EXDATE, moved occurrences) in the business's zone
 * from yesterday through the coming weeks. The address is a secret (it reads the calendar without a
 * login), so it is kept sealed as a credential, and it must be a public address unless
 * CONNECTOR_ALLOW_PRIVATE is set.
 */

const WEEKS_AHEAD = 8;
/** Bounds on what one feed may cost: occurrences of one event, events in all. */
const MAX_OCCURRENCES = 500;
const MAX_EVENTS = 5000;
const MAX_FEED_BYTES = 10 * 1024 * 1024;

const config = z.object({});
const credentials = z.object({
  url: z
    .string()
    .trim()
    .max(2000)
    .transform((u) => u.replace(/^webcals?:\/\//i, 'https://'))
    .pipe(z.url({ protocol: /^https?$/, error: 'must be the calendar’s iCal address (https://… .ics)' }))
    .describe(
      'The calendar’s secret iCal address (Google: Settings → your calendar → Secret address in iCal format)',
    )
    .meta({ writeOnly: true }),
});
type Credentials = z.infer<typeof credentials>;
type Ctx = ConnectorContext<z.infer<typeof config>, Credentials>;

const Validators = z.object({
  etag: z.string().optional(),
  last_modified: z.string().optional(),
  /** The day the feed was last expanded: a new day widens the window, so the feed is read whole again. */
  expanded_on: z.string().optional(),
});

/** Refuses a feed on a private, loopback or link-local address, by every address its name resolves to. */
async function assertPublic(ctx: Ctx, url: URL): Promise<void> {
  if (ctx.allowPrivate) return;
  const verdict = await checkHost(hostOf(url));
  if (verdict.ok) return;
  throw new ConnectorSetupError(
    'ics-calendar',
    'refused' in verdict
      ? `The calendar address points at a private address (${verdict.refused}); AxonBOS reads only public ones.`
      : `The calendar address's host ${url.hostname} could not be found.`,
  );
}

async function fetchFeed(ctx: Ctx, validators: z.infer<typeof Validators>) {
  const url = new URL(ctx.credentials.url);
  await assertPublic(ctx, url);
  const headers: Record<string, string> = { accept: 'text/calendar, */*;q=0.5' };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.last_modified) headers['if-modified-since'] = validators.last_modified;
  const res = await ctx.http.get<unknown>(url.toString(), { headers, signal: ctx.signal });
  return res;
}

interface Occurrence {
  external_id: string;
  title: string;
  starts_at: string;
  ends_at: string | null;
  all_day: boolean;
  location: string | null;
  status: 'confirmed' | 'tentative' | 'cancelled';
  raw: Record<string, unknown>;
}

const STATUSES: Record<string, Occurrence['status']> = {
  CONFIRMED: 'confirmed',
  TENTATIVE: 'tentative',
  CANCELLED: 'cancelled',
};

/** ical.js, loaded with the first calendar read rather than at start. */
const ical = (): typeof ICALModule => createRequire(import.meta.url)('ical.js') as typeof ICALModule;

/** An ICAL time as an instant: a date is midnight in the business's zone, as is a time with no zone of its own. */
function instantOf(t: ICALModule.Time, timeZone: string): Date {
  if (t.isDate) return instantAt(t.toString().slice(0, 10), 0, 0, timeZone);
  const floating = !t.zone || t.zone.tzid === 'floating';
  if (floating)
    return new Date(
      instantAt(t.toString().slice(0, 10), t.hour, t.minute, timeZone).getTime() + t.second * 1000,
    );
  return t.toJSDate();
}

/** The feed's events from `from` to `to` (instants), each recurring one expanded. */
export function occurrences(text: string, from: Date, to: Date, timeZone: string): Occurrence[] {
  const ICAL = ical();
  let root: ICALModule.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (err) {
    throw new ConnectorSetupError(
      'ics-calendar',
      `The calendar address did not return a calendar (${(err as Error).message}).`,
    );
  }
  for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = root
    .getAllSubcomponents('vevent')
    .slice(0, MAX_EVENTS)
    .map((v) => new ICAL.Event(v));
  const masters = new Map<string, ICALModule.Event>();
  for (const e of events) if (!e.isRecurrenceException()) masters.set(e.uid, e);
  for (const e of events) if (e.isRecurrenceException()) masters.get(e.uid)?.relateException(e);
  const out: Occurrence[] = [];
  const add = (e: ICALModule.Event, id: string, start: ICALModule.Time, end: ICALModule.Time | null) => {
    const startsAt = instantOf(start, timeZone);
    const endsAt = end ? instantOf(end, timeZone) : null;
    if ((endsAt ?? startsAt) < from || startsAt > to) return;
    const status = String(e.component.getFirstPropertyValue('status') ?? 'CONFIRMED').toUpperCase();
    out.push({
      external_id: id,
      title: (e.summary || '(no title)').slice(0, 500),
      starts_at: startsAt.toISOString(),
      ends_at: endsAt?.toISOString() ?? null,
      all_day: start.isDate,
      location: e.location ? e.location.slice(0, 500) : null,
      status: STATUSES[status] ?? 'confirmed',
      raw: {
        uid: e.uid,
        start: start.toString(),
        ...(e.description && { description: e.description.slice(0, 2000) }),
      },
    });
  };
  for (const e of masters.values()) {
    if (!e.uid || !e.startDate) continue;
    if (!e.isRecurring()) {
      add(e, e.uid, e.startDate, e.endDate ?? null);
      continue;
    }
    const it = e.iterator();
    for (let n = 0, t = it.next(); t && n < MAX_OCCURRENCES; t = it.next()) {
      if (instantOf(t, timeZone) > to) break;
      const d = e.getOccurrenceDetails(t);
      if (d.endDate && instantOf(d.endDate, timeZone) < from) continue;
      n++;
      add(d.item, `${e.uid}/${d.recurrenceId.toString()}`, d.startDate, d.endDate);
    }
  }
  return out;
}

async function* readEvents(ctx: Ctx, cursor: Cursor | null): AsyncIterable<StreamPage> {
  const today = localDate(ctx.now(), ctx.timezone);
  const saved = Validators.safeParse(cursor ?? {});
  // A new day widens the window: the feed is then read whole, not asked whether it changed.
  const validators = saved.success && saved.data.expanded_on === today ? saved.data : {};
  const res = await fetchFeed(ctx, validators);
  if (res.status === 304) {
    yield { records: [], cursor: validators, carry: validators, unchanged: true };
    return;
  }
  if (typeof res.body !== 'string' || !res.body.includes('BEGIN:VCALENDAR')) {
    throw new ConnectorSetupError(
      'ics-calendar',
      'The calendar address did not return an iCalendar (.ics) feed.',
    );
  }
  if (res.body.length > MAX_FEED_BYTES) {
    throw new ConnectorError('ics-calendar', 'The calendar feed is larger than 10 MB.');
  }
  const from = instantAt(addDays(today, -1), 0, 0, ctx.timezone);
  const to = instantAt(addDays(today, WEEKS_AHEAD * 7), 0, 0, ctx.timezone);
  const next = {
    expanded_on: today,
    ...(res.headers.get('etag') && { etag: res.headers.get('etag') as string }),
    ...(res.headers.get('last-modified') && { last_modified: res.headers.get('last-modified') as string }),
  };
  yield { records: occurrences(res.body, from, to, ctx.timezone), cursor: next, carry: next };
}

export const icsCalendar: Connector<typeof config, typeof credentials> = {
  manifest: {
    id: 'ics-calendar',
    name: 'Calendar (iCal)',
    category: 'calendar',
    auth: 'none',
    description:
      'Your meetings for today and the coming weeks, from Google Calendar, Outlook or any iCal address.',
    config,
    credentials,
    streams: [
      {
        name: 'events',
        object: 'calendar_events',
        mode: 'full',
        tracksDeletes: true,
        description: `Events from yesterday through the next ${WEEKS_AHEAD} weeks, recurring ones expanded.`,
      },
    ],
    frequencyMinutes: 15,
    baseUrl: 'https://calendar.google.com/',
    rateLimit: { perSecond: 1, burst: 2 },
    setup:
      'Google Calendar: Settings → your calendar → Integrate calendar → copy the “Secret address in iCal format”. ' +
      'Outlook: Settings → Calendar → Shared calendars → Publish a calendar → copy the ICS link.',
  },
  ownerHosted: true,
  authHeaders: () => ({}),
  // A secret address that was reset answers 404 (Google) or 403: it will not work again.
  refused: (status) => status === 403 || status === 404,
  async check(ctx) {
    const res = await fetchFeed(ctx, {});
    if (typeof res.body !== 'string' || !res.body.includes('BEGIN:VCALENDAR')) {
      throw new ConnectorSetupError(
        'ics-calendar',
        'The calendar address did not return an iCalendar (.ics) feed.',
      );
    }
  },
  read(ctx, stream, cursor) {
    if (stream !== 'events') throw new Error(`ics-calendar has no stream ${stream}`);
    return readEvents(ctx, cursor);
  },
};
