import { type DateContext, takeWhen } from './dates.ts';
import type { BuiltTool } from './intents.ts';
import { alt, words } from './lexicon.ts';
import { Utterance } from './utterance.ts';

/**
 * The morning briefing's own settings, by chat: "send my briefing at 7am", "morning briefing band karo",
 * "subah ka summary 7:30 baje bhejna". Only a message that names the briefing and says when, off or on
 * is a change; "my briefing" alone still asks for the day itself.
 */

const BRIEFING = words(
  alt([
    'briefing',
    'morning briefing',
    'daily briefing',
    'daily brief',
    'morning brief',
    'morning summary',
    'daily summary',
    'morning update',
    'my day message',
    'my day summary',
    'subah ka summary',
    'subah ka message',
    'subah ka update',
    'subah ki briefing',
  ]),
);
const OFF = words(
  alt([
    'stop',
    'turn off',
    'switch off',
    'disable',
    'pause',
    'no more',
    'dont send',
    'do not send',
    'off',
    'band',
    'band karo',
    'band kar do',
    'mat bhejo',
    'mat bhejna',
    'nahi chahiye',
    'nahin chahiye',
  ]),
);
const ON = words(
  alt([
    'turn on',
    'switch on',
    'enable',
    'resume',
    'restart',
    'start',
    'on',
    'chalu',
    'chalu karo',
    'shuru',
    'shuru karo',
    'wapas',
    'phir se',
  ]),
);
/** "change my briefing to 6": a bare clock number, which chrono does not take for a time. */
const BARE_HOUR = words('(?:at|to|for|pe|par)\\s+(\\d{1,2})(?:[:.](\\d{2}))?');
/** Said outright, a briefing hour can be afternoon or evening; unsaid, a briefing is a morning thing. */
const AFTER_NOON = words(
  alt(['pm', 'p m', 'evening', 'shaam', 'sham', 'raat', 'night', 'afternoon', 'dopahar']),
);

export function briefingIntent(u: Utterance, ctx: DateContext): BuiltTool | null {
  if (!u.has(BRIEFING)) return null;
  if (u.has(OFF) || u.has(ON)) return 'set_briefing';
  // A clock time changes the briefing; a day alone ("briefing for today") still asks for it.
  const probe = new Utterance(u.raw(u.freeIndexes()));
  probe.takeAll(BRIEFING, 'noun');
  return briefingClock(probe, ctx) ? 'set_briefing' : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

function briefingClock(u: Utterance, ctx: DateContext): { hour: number; minute: number } | null {
  const when = takeWhen(u, ctx);
  if (when?.kind === 'local' && when.hour !== undefined) return { hour: when.hour, minute: when.minute ?? 0 };
  const bare = u.find(BARE_HOUR)[0];
  const hour = Number(bare?.groups[0]);
  const minute = Number(bare?.groups[1] ?? 0);
  return bare && hour >= 1 && hour <= 12 && minute < 60 ? { hour, minute } : null;
}

export function briefingArgs(u: Utterance, ctx: DateContext): Record<string, unknown> | null {
  // "morning briefing", "subah ka summary": the day part names the briefing, it is not its time.
  u.takeAll(BRIEFING, 'noun');
  if (u.has(OFF) && !u.has(ON)) return { enabled: false };
  const clock = briefingClock(u, ctx);
  if (clock) {
    // A bare 1–7 reads as pm elsewhere (shop hours); a briefing hour is morning unless said otherwise.
    const evening = u.has(AFTER_NOON, { all: true });
    const hour = clock.hour >= 13 && clock.hour <= 19 && !evening ? clock.hour - 12 : clock.hour;
    return { time: `${pad(hour)}:${pad(clock.minute)}`, enabled: true };
  }
  return u.has(ON) ? { enabled: true } : null;
}
