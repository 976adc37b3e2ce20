import * as chrono from 'chrono-node';
import {
  type ParsedResult,
  type Parser,
  ParsingComponents,
  type ParsingContext,
  type Refiner,
} from 'chrono-node';
import {
  addDays,
  formatInZone,
  instantAt,
  type LocalDate,
  makeDate,
  nextWeekday,
  offsetMinutes,
  splitDate,
  today,
  wallTime,
} from '../../domain/wall-clock.ts';
import {
  AFTER_WHEN,
  alt,
  BEFORE_WHEN,
  DAY_OFFSET_WORDS,
  DAY_PART_HOUR,
  DAY_PARTS,
  DAY_UNITS,
  type DayPart,
  DEADLINE_AFTER,
  DEADLINE_BEFORE,
  FRACTION_WORDS,
  HALF_PAST_WORDS,
  HINDRANCES,
  HOUR_UNITS,
  MINUTE_UNITS,
  NEXT_WORDS,
  NUMBER_WORDS,
  PAST_AFTER_DAY,
  QUANTITY_UNITS,
  QUARTER_WORDS,
  SHORT_HINDI_WEEKDAYS,
  SHORT_WEEKEND,
  SNOOZE,
  START_AFTER,
  START_BEFORE,
  WAS_WORDS,
  WEEK_UNITS,
  WEEK_WORDS,
  WEEKDAYS,
  words,
} from './lexicon.ts';
import type { Utterance } from './utterance.ts';

const SHORT = alt(Object.keys(SHORT_WEEKEND));
/** "10th wala mock test", "class 8th ke bacche", "2nd floor": an ordinal naming a class or a floor, no day. */
const NOT_A_DAY_AFTER = alt([
  'wala',
  'wali',
  'wale',
  'ka',
  'ki',
  'ke',
  'class',
  'std',
  'standard',
  'batch',
  'floor',
  'grade',
  'sem',
  'semester',
  'year',
]);
const NOT_A_DAY_BEFORE = alt(['class', 'std', 'standard', 'grade']);
/** A doing planned for the day before it: "mangal ko karte hain", "budh ko rakh lo", "shani ko hoga". */
const PLANNED_DOING = alt([
  'karte',
  'karenge',
  'kar lete',
  'kar lenge',
  'karo',
  'kar do',
  'kar dena',
  'rakh',
  'rakho',
  'rakh lo',
  'rakhte',
  'hoga',
  'hogi',
  'chalenge',
  'milte',
  'milenge',
  'aayega',
  'aayenge',
  'jayega',
  'jayenge',
]);
/** Every weekday name, the short ones too: after "next week" none of them is anything but a day. */
const ANY_WEEKDAY: Readonly<Record<string, number>> = {
  ...WEEKDAYS,
  ...SHORT_WEEKEND,
  ...SHORT_HINDI_WEEKDAYS,
};
const NEXT_WEEK = `${alt(NEXT_WORDS)}\\s+${alt(WEEK_WORDS)}`;

/**
 * Dates and times, through chrono-node in the user's time zone. chrono's English casual parsers do the
 * English ("tomorrow 5pm", "2nd April at 3:30 pm", "in 2 hours", "31/03" day first, as in India); parsers
 * added here do the Hinglish ("kal", "parso", "somvar", "shaam 6 baje", "saade 11 baje", "2 ghante
 * baad", "30 tarikh") and the house conventions that chrono does differently: day parts at fixed hours
 * (morning 9, afternoon 14, evening 18, night 21), a weekday always the next one after today, "next
 * week" next Monday, and shop hours for a bare hour (1–7 → pm, 8–11 → am).
 */

export interface DateContext {
  now: Date;
  timezone: string;
}

/** What a message said about when: an exact instant ("in 2 hours") or a day and/or a clock time. */
export type When =
  | { kind: 'instant'; instant: Date }
  | { kind: 'local'; date?: LocalDate; hour?: number; minute?: number };

/** A resolved time: a due date or an ISO instant with the zone's offset. */
export type Resolved = { date: LocalDate; at?: undefined } | { at: string; date?: undefined };

// ---- the chrono engine ----

const NUMBER = alt(['\\d{1,2}', ...Object.keys(NUMBER_WORDS)]);
const QUARTER = alt(Object.keys(QUARTER_WORDS));
const DAY_PART = alt(Object.keys(DAY_PARTS));
/** A Hindi past tense in the next few words: "subah mistri aaya tha", "shaam ko aaye the". */
const PAST_NEAR = '(?:\\s+\\S+){0,3}?\\s+(?:tha|thi|\\S+(?:ye|ae)\\s+the)(?:\\s|$)';
/** Events named by the part of the day they fill: "mehndi night", "sangeet night", "DJ night". */
const EVENING_EVENT = alt(
  'mehndi mehendi sangeet cocktail dj movie gala qawwali ghazal garba dandiya bachelor karaoke party'.split(
    ' ',
  ),
);
/** What a part of the day names when it stands before it: "night shift", "morning batch", "evening show". */
const SLOT_NOUN = alt(
  'booking shift batch show event party function programme program class slot duty walk guard cream suit lamp'.split(
    ' ',
  ),
);
const AMOUNT = alt(['\\d{1,4}(?:\\.\\d+)?', ...Object.keys(NUMBER_WORDS), ...Object.keys(FRACTION_WORDS)]);
const UNIT = alt([...HOUR_UNITS, ...MINUTE_UNITS, ...DAY_UNITS, ...WEEK_UNITS]);
const CLOCK_DIGITS = `(?:${QUARTER}\\s+)?\\d{1,2}(?:[:.]\\d{2})?`;
const CLOCK_WORDS = `(?:${QUARTER}\\s+)?${NUMBER}(?:[:.]\\d{2})?`;
const OCLOCK = '(?:baje|oclock|o clock)';
/** An hour of the clock said bare: "5", "11:30". */
const BARE_HOUR = '(?:1[0-2]|0?[1-9])(?:[:.][0-5]\\d)?';
const MONTH_NAME = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*';
/** A number that a unit follows is an amount or a span, not a time of day. */
const NOT_AN_AMOUNT = `(?!\\s+${alt([...QUANTITY_UNITS, ...HOUR_UNITS, ...MINUTE_UNITS, ...DAY_UNITS, ...WEEK_UNITS])}(?:\\s|$))`;

interface Spec {
  date?: LocalDate;
  hour?: number;
  minute?: number;
  /** A span from now: minutes for clock units, days for calendar units. */
  after?: { minutes?: number; days?: number };
  /** The hour is a day part's own ("shaam" 18:00), which a clock time said beside it overrides. */
  partHour?: boolean;
}

/** A chrono parser over one whole-token pattern; `extract` gets the user's today. */
function parser(source: string, extract: (m: RegExpMatchArray, todayDate: LocalDate) => Spec | null): Parser {
  const pattern = new RegExp(`(?<=^|\\s)(?:${source})(?=\\s|$)`);
  return {
    pattern: () => pattern,
    extract: (context: ParsingContext, match: RegExpMatchArray) => {
      const spec = extract(match, referenceDate(context));
      return spec ? toComponents(context, spec) : null;
    },
  };
}

function referenceDate(context: ParsingContext): LocalDate {
  const offset = context.reference.getTimezoneOffset();
  return new Date(context.reference.instant.getTime() + offset * 60_000).toISOString().slice(0, 10);
}

/** The tag of a day part's own hour, which a clock time said beside it overrides (see takeWhen). */
const PART_HOUR = 'offline/part-hour';

function toComponents(context: ParsingContext, spec: Spec): ParsingComponents {
  if (spec.after) {
    const duration =
      spec.after.minutes !== undefined ? { minute: spec.after.minutes } : { day: spec.after.days ?? 0 };
    return ParsingComponents.createRelativeFromReference(context.reference, duration).addTag(
      'offline/relative',
    );
  }
  const c = context.createParsingComponents();
  if (spec.date) {
    const [year, month, day] = splitDate(spec.date);
    c.assign('year', year).assign('month', month).assign('day', day);
  }
  if (spec.hour !== undefined) {
    c.assign('hour', spec.hour)
      .assign('minute', spec.minute ?? 0)
      .assign('meridiem', spec.hour >= 12 ? 1 : 0);
  }
  return c.addTag(spec.partHour ? PART_HOUR : 'offline/spec');
}

/** The 24-hour clock hour for an hour as said, given the day part said with it (if any). */
export function clockHour(hour: number, part: DayPart | undefined): number {
  if (hour > 12) return hour;
  switch (part) {
    case 'morning':
      return hour === 12 ? 0 : hour;
    case 'afternoon':
    case 'noon':
      return hour === 12 || hour >= 8 ? hour : hour + 12;
    case 'evening':
    case 'eod':
      return hour === 12 ? 12 : hour + 12;
    case 'night':
    case 'tonight':
      return hour >= 6 && hour < 12 ? hour + 12 : hour === 12 ? 0 : hour;
    default:
      // Shop hours: "5 baje" is five in the evening, "10 baje" ten in the morning.
      return hour >= 1 && hour <= 7 ? hour + 12 : hour;
  }
}

/** "saade 5", "6:30", "paanch", "10" → hour and minute as said (before am/pm is decided). */
function readClock(text: string): { hour: number; minute: number } | null {
  const m = new RegExp(`^(?:(${QUARTER})\\s+)?(${NUMBER})(?:[:.](\\d{2}))?`).exec(text.trim());
  if (!m?.[2]) return null;
  let hour = /^\d+$/.test(m[2]) ? Number(m[2]) : (NUMBER_WORDS[m[2]] ?? Number.NaN);
  let minute = m[3] ? Number(m[3]) : 0;
  const quarter = m[1] ? (QUARTER_WORDS[m[1]] ?? 0) : 0;
  if (quarter < 0) {
    hour -= 1;
    minute = 60 + quarter;
  } else minute += quarter;
  if (!(hour >= 0 && hour <= 23 && minute >= 0 && minute < 60)) return null;
  return { hour, minute };
}

function timeOf(
  clock: string | undefined,
  partWord: string | undefined,
  todayDate: LocalDate,
  thisOne = false,
): Spec | null {
  const part = partWord ? DAY_PARTS[partWord] : undefined;
  // "this morning" is today's, gone by or not ("changed the menu this morning")
  const date = part === 'tonight' || thisOne ? todayDate : undefined;
  if (!clock) return part ? { date, hour: DAY_PART_HOUR[part], minute: 0, partHour: true } : null;
  const said = readClock(clock);
  if (!said) return null;
  return { date, hour: clockHour(said.hour, part), minute: said.minute };
}

function amountOf(word: string): number {
  if (/^\d/.test(word)) return Number(word);
  return NUMBER_WORDS[word] ?? FRACTION_WORDS[word] ?? Number.NaN;
}

/** "2 ghante", "aadha ghanta", "45 minutes", "3 din" → minutes or days. */
export function spanOf(amountWord: string, unitWord: string): { minutes?: number; days?: number } | null {
  const amount = amountOf(amountWord);
  if (!(amount > 0)) return null;
  if (HOUR_UNITS.includes(unitWord)) return { minutes: Math.round(amount * 60) };
  if (MINUTE_UNITS.includes(unitWord)) return { minutes: Math.round(amount) };
  if (DAY_UNITS.includes(unitWord)) return { days: Math.round(amount) };
  if (WEEK_UNITS.includes(unitWord)) return { days: Math.round(amount * 7) };
  return null;
}

const hinglishParsers: Parser[] = [
  // "2 ghante baad", "aadhe ghante mein", "after 2 hours", "in 3 days", "3 din baad"; a move "by 2 days",
  // "ek din aage" counts from now too
  parser(
    `(?:(after|in|within|by)\\s+)?(${AMOUNT})\\s*(${UNIT})(?:\\s+(baad|bad|mein|me|main|later|ke baad|aage))?`,
    (m) => {
      if (!m[1] && !m[4]) return null;
      const after = spanOf(m[2] ?? '', m[3] ?? '');
      return after ? { after } : null;
    },
  ),
  // "aaj", "kal", "parso", "day after tomorrow"; with a past tense after it ("kal aaya tha") a day gone by
  parser(
    `(${alt(Object.keys(DAY_OFFSET_WORDS))})${PAST_AFTER_DAY}|${alt(Object.keys(DAY_OFFSET_WORDS))}`,
    (m, todayDate) => ({
      date: addDays(
        todayDate,
        m[1] === undefined ? (DAY_OFFSET_WORDS[m[0]] ?? 0) : -(DAY_OFFSET_WORDS[m[1]] ?? 0),
      ),
    }),
  ),
  // "next week tuesday", "agle hafte mangal ko", "friday next week" → that day of next week (the longer
  // reading wins over "next week" alone)
  parser(
    `${NEXT_WEEK}\\s+(?:(?:ka|ke|ki|on)\\s+)?(${alt(Object.keys(ANY_WEEKDAY))})|(${alt(Object.keys(ANY_WEEKDAY))})\\s+(?:of\\s+)?${NEXT_WEEK}`,
    (m, todayDate) => ({ date: dayOfNextWeek(todayDate, ANY_WEEKDAY[m[1] ?? m[2] ?? ''] ?? 1) }),
  ),
  // "agle hafte", "next week" → next Monday
  parser(`${alt(NEXT_WORDS)}\\s+${alt(WEEK_WORDS)}(?:\\s+(?:mein|me|main))?`, (_m, todayDate) => ({
    date: nextWeekday(todayDate, 1),
  })),
  // "somvar", "on monday", "next friday", "agle budhvar" → the next such day after today
  parser(
    `(?:(?:on|this|next|coming|agle|agla|is|iss)\\s+)?(${alt(Object.keys(WEEKDAYS))})`,
    (m, todayDate) => ({
      date: nextWeekday(todayDate, WEEKDAYS[m[1] ?? ''] ?? 1),
    }),
  ),
  // "by sat", "next sun", "sat tak", "sat 11am": the short forms left out of WEEKDAYS ("sun lo" is
  // "listen"), only with a tie word or a time after
  parser(
    `(?:on|this|next|coming|by|till|until|before|to)\\s+(${SHORT})|(${SHORT})(?=\\s+(?:tak|ko|se pehle|\\d|${DAY_PART}))`,
    (m, todayDate) => ({ date: nextWeekday(todayDate, SHORT_WEEKEND[m[1] ?? m[2] ?? ''] ?? 6) }),
  ),
  // "30 tarikh", "on the 1st" → the next such day of the month, today included; so is a bare number with
  // "ko" ("…, 28 ko": no hour is said so), or with "tak" when no hour could be meant ("27 tak"), the tie read
  // with it (chrono drops a reading that is a number alone)
  parser(
    `(?:on\\s+)?(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:tarikh|tareekh|tareek|tarik|date)|(?<!${NOT_A_DAY_BEFORE}\\s+)(?:on\\s+)?(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)(?!\\s+${NOT_A_DAY_AFTER})|(?<!${MONTH_NAME}\\s+)(?:(\\d{1,2})\\s+ko|(1[3-9]|2\\d|3[01])\\s+${alt(DEADLINE_AFTER)})`,
    (m, todayDate) => dayOfMonth(Number(m[1] ?? m[2] ?? m[3] ?? m[4]), todayDate),
  ),
  // "mangal ko karte hain", "budh tak": a Hindi weekday said short, with "tak", or with "ko" and a doing
  // after it ("Mangal ko call karna" is Mangal, a name)
  parser(
    `(${alt(Object.keys(SHORT_HINDI_WEEKDAYS))})\\s+(?:tak|ko(?=\\s+(?:\\S+\\s+)?${PLANNED_DOING}))`,
    (m, todayDate) => ({ date: nextWeekday(todayDate, SHORT_HINDI_WEEKDAYS[m[1] ?? ''] ?? 2) }),
  ),
  // "shaam", "kal subah", "shaam ko 6 baje", "subah 10", "this evening", "tonight", "this evening 5 pm",
  // "sunday afternoon around 3"; not an event's or a slot's name ("the mehndi night booking", "morning batch ki
  // fees"), nor a part of a day gone by ("gupta ji aaye the subah", "subah mistri aaya tha")
  parser(
    `(?<!${EVENING_EVENT}\\s+|(?:^|\\s)(?:tha|thi|the)\\s+)(?!(?:${DAY_PART})${PAST_NEAR})(?:(?:(this)|in the)\\s+)?(${DAY_PART})(?!\\s+${SLOT_NOUN}(?:\\s|$))(?:\\s+(?:ko|ke|ki|mein|me|main))?(?:\\s+(?:(?:around|at|about)\\s+)?(${CLOCK_DIGITS}(?:\\s*(?:${OCLOCK}|[ap]\\.?m\\.?))?|${CLOCK_WORDS}\\s+baje))?`,
    (m, todayDate) => timeOf(m[3], m[2], todayDate, m[1] !== undefined),
  ),
  // "month end", "mahine ke end tak", "mahine ke aakhir mein" → the month's last day
  parser(
    `(?:(?:this|is|iss)\\s+)?(?:month|mahine|mahina|maheene|mahene)(?:\\s+(?:ke|ka|ki))?\\s*-?\\s*(?:end|aakhir|akhir|aakhri|last)|monthend`,
    (_m, todayDate) => ({ date: lastOfMonth(todayDate) }),
  ),
  // "do it day after", "day after pls", "day after at 5 pm": the day after tomorrow, said short, nothing
  // but a time after it ("day after the wedding" is no day)
  parser(
    `day after(?=\\s*$|\\s+(?:pls|please|plz|then|tak|ko|at|by|around|in the|${DAY_PART}|\\d)(?:\\s|$|\\d|:|am|pm))`,
    (_m, todayDate) => ({ date: addDays(todayDate, 2) }),
  ),
  // "6 baje", "saade 11 baje", "10 baje subah", "paanch baje"
  parser(`(${CLOCK_WORDS})\\s*baje(?:\\s+(${DAY_PART}))?`, (m, todayDate) => timeOf(m[1], m[2], todayDate)),
  // "6 in the evening", "10 subah"
  parser(`(${CLOCK_DIGITS})\\s+(?:in\\s+the\\s+|at\\s+)?(${DAY_PART})`, (m, todayDate) =>
    timeOf(m[1], m[2], todayDate),
  ),
  // "by 5", "by 5 pls", "till 11:30", "before 4", "4 tak", "4 se pehle": a bare hour in a deadline is a clock
  // time in shop hours, and so is one to start from ("after 6", "6 ke baad") (not the 5th: "5 tarikh tak",
  // "april 5 tak" name a day; "by 6 pm", "by 5 shaam" are read whole)
  parser(
    `${alt([...DEADLINE_BEFORE, ...START_BEFORE])}\\s+(${BARE_HOUR})${NOT_AN_AMOUNT}(?!\\s*(?:[ap]\\.?m\\.?|${OCLOCK}|${DAY_PART}|${MONTH_NAME})(?:\\s|$))|(?<!${MONTH_NAME}\\s+)(${BARE_HOUR})\\s+${alt([...DEADLINE_AFTER, ...START_AFTER])}`,
    (m, todayDate) => timeOf(m[1] ?? m[2], undefined, todayDate),
  ),
  // "kal saade 4", "sawa 11": a quarter word makes a bare number a clock time, unless an amount or a span
  // follows ("saade 4 lakh", "sawa 2 ghante")
  parser(`(${QUARTER}\\s+${NUMBER})${NOT_AN_AMOUNT}`, (m, todayDate) => timeOf(m[1], undefined, todayDate)),
  // "dedh baje", "dhai baje"
  parser(`(${alt(Object.keys(HALF_PAST_WORDS))})\\s*baje(?:\\s+(${DAY_PART}))?`, (m) => {
    const said = HALF_PAST_WORDS[m[1] ?? ''];
    if (!said) return null;
    const part = m[2] ? DAY_PARTS[m[2]] : undefined;
    return { hour: clockHour(said.hour, part), minute: said.minute };
  }),
];

/** `weekday` (0 = Sunday) of the week that starts next Monday. */
function dayOfNextWeek(todayDate: LocalDate, weekday: number): LocalDate {
  return addDays(nextWeekday(todayDate, 1), (weekday + 6) % 7);
}

function lastOfMonth(todayDate: LocalDate): LocalDate {
  const [year, month] = splitDate(todayDate);
  return addDays(makeDate(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) ?? todayDate, -1);
}

function dayOfMonth(day: number, todayDate: LocalDate): Spec | null {
  const [year, month, todayDay] = splitDate(todayDate);
  if (day >= todayDay) {
    const date = makeDate(year, month, day);
    if (date) return { date };
  }
  const nextMonth = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  const date = makeDate(nextMonth.year, nextMonth.month, day);
  return date ? { date } : null;
}

// chrono's own weekday and day-part parsers follow other conventions ("monday" may be last Monday,
// "evening" is 20:00); ours replace them. Time-zone abbreviations are dropped: owners never type them,
// but "5 baje GST …" (the tax) would otherwise become Gulf Standard Time. A month alone ("april", "march
// 2026") names a period, not a day; chrono's reading of it also runs on over the blanks of words used up
// ("on 3 april, ~~not tomorrow~~" would lose the 3rd to "april" and its blanks). The rest of the English
// casual configuration stays.
const REPLACED = new Set([
  'ENWeekdayParser',
  'ENCasualTimeParser',
  'ENMonthNameParser',
  'ExtractTimezoneAbbrRefiner',
]);
const engine = new chrono.Chrono(chrono.en.configuration.createCasualConfiguration(true));
engine.parsers = [...hinglishParsers, ...engine.parsers.filter((p) => !REPLACED.has(p.constructor.name))];
engine.refiners = engine.refiners
  .filter((r) => !REPLACED.has(r.constructor.name))
  .map((r) => (r.constructor.name === 'ENMergeRelativeFollowByDateRefiner' ? spanFirst(r) : r));

/**
 * chrono merges "<span> after" with the date after it ("3 days after 2 april"), reading the span from the
 * first result's text; our short "day after" (at 5 pm) has none, and chrono would throw on it.
 */
function spanFirst(merge: Refiner): Refiner {
  return {
    refine: (context, results) =>
      results.some((r) => SHORT_DAY_AFTER.test(r.text)) ? results : merge.refine(context, results),
  };
}
/** Our short "day after" (the day after tomorrow), as chrono has read it. */
const SHORT_DAY_AFTER = /^day after$/;

/** "phone is off since monday": a day gone by that something has lasted from, no day ahead. */
const SINCE = /(?:^|\s)since\s+$/;
/** "changed it last minute": a manner, not a minute ago. */
const LAST_MINUTE = /^(?:(?:at )?the )?last (?:minute|moment|second)$/;

/** "ran it for an hour", "closed for 2 days": how long, no time ahead, unless a thing is moved by it. */
const FOR_A_SPAN = /^for\s/;
const MOVED_BY = new RegExp(`(?<=^|\\s)${alt(SNOOZE)}(?=\\s|$)`);

/**
 * chrono's reading of the words still free, at the turn's moment. The intent and argument steps ask it of
 * the same words several times a message (is a time said, is one taken back, which is it), so the last
 * few readings are kept; they are only read, never changed.
 */
const readings = new Map<string, ParsedResult[]>();
const READINGS_KEPT = 8;

function parseFree(u: Utterance, ctx: DateContext): ParsedResult[] {
  const text = u.freeNorm;
  if (text.trim() === '') return [];
  const key = `${ctx.now.getTime()} ${ctx.timezone} ${text}`;
  const kept = readings.get(key);
  if (kept) return kept.filter((r) => !ownsThing(u, r));
  const reference = { instant: ctx.now, timezone: offsetMinutes(ctx.now, ctx.timezone) };
  const read = engine
    .parse(text, reference)
    .filter(
      (r) =>
        !LAST_MINUTE.test(r.text.trim()) &&
        !(FOR_A_SPAN.test(r.text) && !MOVED_BY.test(text)) &&
        !SINCE.test(text.slice(0, r.index)),
    );
  readings.set(key, read);
  const oldest = readings.size > READINGS_KEPT ? readings.keys().next().value : undefined;
  if (oldest !== undefined) readings.delete(oldest);
  return read.filter((r) => !ownsThing(u, r));
}

/**
 * "last month's sales figures", "this week's orders": a period owning a thing is part of its name, no day
 * ("tomorrow's delivery" is still tomorrow's).
 */
function ownsThing(u: Utterance, r: ParsedResult): boolean {
  if (!/^(?:last|this|next|previous|past)\s/.test(r.text)) return false;
  const range = u.tokenRange(r.index, r.index + r.text.length);
  return range !== null && /['’]s$/i.test(u.tokens[range.to - 1]?.raw ?? '');
}

// ---- reading results ----

const BEFORE = words(alt(BEFORE_WHEN));
const AFTER = words(alt(AFTER_WHEN));

/** Whether the free text says an hour of the day ("kal 4 baje", "at 11"), without using it up. */
export function saysHour(u: Utterance, ctx: DateContext): boolean {
  const when = takeWhen(u.copy(), ctx);
  return when?.kind === 'local' && when.hour !== undefined;
}

/** Whether the free text says anything about when (without using it up). */
export function mentionsWhen(u: Utterance, ctx: DateContext): boolean {
  return parseFree(u, ctx).length > 0;
}

const RETRACT = new Set([
  ...['nahi', 'nahin', 'nai', 'not', 'no', 'but', 'balki'],
  // "aaj nahi ho payega, kal karenge": the day it cannot be
  ...['ho', 'hoga', 'hogi', 'payega', 'paayega', 'payegi', 'paayegi', 'sakega', 'sakegi', 'sakta', 'sakti'],
]);

/**
 * "kal nahi parso", "not monday, tuesday", "friday instead of today": a day said and taken back for
 * another. Returns the tokens of the one taken back with its "nahi"/"not"/"instead of", or null.
 */
export function retractedWhen(u: Utterance, ctx: DateContext): { from: number; to: number } | null {
  const spans = parseFree(u, ctx).flatMap((r) => u.tokenRange(r.index, r.index + r.text.length) ?? []);
  for (let k = 0; k + 1 < spans.length; k++) {
    const [a, b] = [spans[k], spans[k + 1]];
    if (!a || !b) continue;
    const between = Array.from({ length: b.from - a.to }, (_, j) => u.normOf(a.to + j));
    const notBefore = a.from > 0 && ['not', 'nahi'].includes(u.normOf(a.from - 1)) ? a.from - 1 : -1;
    // "on friday instead of today": the second is the one taken back
    if (between.join(' ') === 'instead of') return { from: a.to, to: b.to };
    // "kal subah ki jagah ab parso 12 baje", "monday ke badle tuesday": the first is the one taken back
    if (IN_PLACE_OF.test(between.join(' '))) return { from: a.from, to: b.from };
    // "order kal bhejna hai, aaj nahi": the day said, then the one it replaces taken back after it
    if (between.length <= TAKEN_BACK_AFTER && ['nahi', 'nahin', 'nai'].includes(u.normOf(b.to)))
      return { from: b.from, to: b.to + 1 };
    if (!between.every((w) => RETRACT.has(w))) continue;
    // English "not" stands before the day it takes back ("tomorrow, not today"), Hindi "nahi" after it
    if (notBefore < 0 && between.includes('not')) return { from: a.to, to: b.to };
    if (
      between.some((w) => w === 'nahi' || w === 'nahin' || w === 'nai') ||
      (notBefore >= 0 && between.length <= 1)
    ) {
      return { from: notBefore >= 0 ? notBefore : a.from, to: b.from };
    }
  }
  return null;
}

/** "ki jagah", "ke badle", "ke bajaye" (in place of), maybe with "ab" (now) after. */
const IN_PLACE_OF = /^(?:ki|ke|ka) (?:jagah|jagha|jageh|badle|bajaye|bajay)(?: ab)?$/;

/** How many words may stand between a day said and another taken back after it ("kal bhejna hai aaj nahi"). */
const TAKEN_BACK_AFTER = 4;

/**
 * Words saying a day cannot be: "can't take the class today", "won't be ready today", "aaj nahi hoga", "aaj
 * mat bhejo", "no one is home today", "the mistri is busy today", "skip the stock count today".
 */
const CANNOT = new Set([
  ...['cant', 'cannot', 'wont', 'couldnt', 'unable', 'not', 'no', 'nahi', 'nahin', 'nai', 'mat', 'skip'],
  ...HINDRANCES,
]);

/**
 * "can't take the demo class today, reschedule it to thursday 5:30": a day said in a clause saying it cannot
 * be, before another day in a clause after it, is taken back for that one. Returns its tokens, or null.
 */
export function dayThatCannotBe(u: Utterance, ctx: DateContext): { from: number; to: number } | null {
  const spans = parseFree(u, ctx).flatMap((r) => u.tokenRange(r.index, r.index + r.text.length) ?? []);
  const [a, b] = spans;
  if (!a || !b) return null;
  const end = u.firstClauseBreak(a.from);
  if (end < 0 || end >= b.from) return null;
  let from = a.from;
  while (from > 0 && !u.tokens[from - 1]?.breakAfter) from--;
  const clause = Array.from({ length: end + 1 - from }, (_, j) => u.normOf(from + j));
  return clause.some((w) => CANNOT.has(w)) ? a : null;
}

const EARLIER_TODAY = words(
  '(?:this|today|aaj) (?:morning|subah|afternoon|dopahar)|earlier today|aaj (?:pehle|pahle)',
);

/**
 * "printing ink delivered this morning", "aaj subah aa gaya": a part of today already begun, which a report
 * of a thing done tells when it came about, not a time ahead.
 */
export function saysEarlierToday(u: Utterance, ctx: DateContext): boolean {
  const said = u.find(EARLIER_TODAY)[0];
  if (!said) return false;
  const part = /afternoon|dopahar/.test(said.text) ? 'afternoon' : 'morning';
  return wallTime(ctx.now, ctx.timezone).hour >= DAY_PART_HOUR[part];
}

/**
 * "mailed it to him at 9" said at 10:30: an hour with no day, gone by today, which a report of a thing done
 * tells when it came about, not a time ahead.
 */
export function saysHourGone(u: Utterance, ctx: DateContext): boolean {
  const said = takeWhen(u.copy(), ctx);
  if (said?.kind !== 'local' || said.date !== undefined || said.hour === undefined) return false;
  const now = wallTime(ctx.now, ctx.timezone);
  return said.hour * 60 + (said.minute ?? 0) < now.hour * 60 + now.minute;
}

/** "the CCTV installation will now happen on saturday": a "now" beside another time only says it changed. */
function besideNow(results: ParsedResult[]): ParsedResult[] {
  const others = results.filter((r) => r.text.trim() !== 'now');
  return others.length > 0 ? others : results;
}

const saysDay = (r: ParsedResult) => r.start.isCertain('day') || r.start.isCertain('weekday');

/** Where the free words say a day: each one's tokens. */
const daysSaid = (u: Utterance, ctx: DateContext) =>
  parseFree(u, ctx)
    .filter(saysDay)
    .flatMap((r) => u.tokenRange(r.index, r.index + r.text.length) ?? []);

/**
 * "aaj dukaan band hai, stock count kal karenge": when the request's own clause (tokens `from` to `to`) says a
 * day, a day said in a clause before it is the reason's, set aside.
 */
export function setAsideEarlierDays(u: Utterance, ctx: DateContext, from: number, to: number): void {
  if (retractedWhen(u, ctx)) return; // "aaj nahi ho payega, kal karenge": taken back with its words
  const days = daysSaid(u, ctx);
  if (!days.some((d) => d.from >= from && d.to <= to)) return;
  for (const d of days) if (d.to <= from) u.use(d.from, d.to, 'filler');
}

/**
 * "half the nurses are on leave today …, tomorrow 4pm works": a day said in a clause giving the reason
 * (`isReason`, tokens `from` to `to`) is set aside when another clause says one.
 */
export function setAsideReasonDays(
  u: Utterance,
  ctx: DateContext,
  isReason: (from: number, to: number) => boolean,
): void {
  if (retractedWhen(u, ctx)) return; // "aaj nahi ho payega, kal karenge": taken back with its words
  const days = daysSaid(u, ctx);
  const reasons = days.filter((d) => {
    const c = u.clauseAround(d.from);
    return isReason(c.from, c.to);
  });
  if (reasons.length === 0 || reasons.length === days.length) return;
  for (const d of reasons) u.use(d.from, d.to, 'filler');
}

/**
 * Finds when the message says, marks those words used (with the little words that tie them to the
 * sentence: "on", "by", "to", "ko", "tak", "pe"), and returns it. Several pieces combine: "kal … 5 baje"
 * is tomorrow at 17:00 even with other words between.
 */
export function takeWhen(u: Utterance, ctx: DateContext): When | null {
  const retracted = retractedWhen(u, ctx);
  if (retracted) u.use(retracted.from, retracted.to, 'filler');
  const cannot = retracted ? null : dayThatCannotBe(u, ctx);
  if (cannot) u.use(cannot.from, cannot.to, 'filler');
  const results = besideNow(namingDaysAside(u, parseFree(u, ctx)));
  if (results.length === 0) return null;
  let instant: Date | undefined;
  let date: LocalDate | undefined;
  let clock: { hour: number; minute: number } | undefined;
  // "kal shaam 7:30pm", "tonight 8pm": the clock said wins over the day part's hour
  let partClock: { hour: number; minute: number } | undefined;
  // the date so far ends a span ("the mill owner is at a wedding till sunday"): a day said after it wins
  let dateEndsSpan = false;
  for (const r of results) {
    const range = u.tokenRange(r.index, r.index + r.text.length);
    // "move the demo from friday 4pm to monday": the span's end is where it goes
    const s = r.end && range !== null && u.normOf(range.from - 1) === 'from' ? r.end : r.start;
    const tags = r.tags();
    if (tags.has('result/relativeDateAndTime')) instant ??= s.date();
    else {
      if (s.isCertain('day') || s.isCertain('weekday') || s.isCertain('month')) {
        const day = makeDate(s.get('year') ?? 0, s.get('month') ?? 0, s.get('day') ?? 0) ?? undefined;
        // "Deepak called yesterday …, get back to him on friday": a day gone by is background to one ahead
        // "have to make it again tonight. … will get their barfi on saturday now": the day said to be the new
        // one wins, with no hour of the day before it
        const saidNew = range !== null && saysNewOne(u, range) && date !== undefined;
        if (saidNew) clock = partClock = undefined;
        if (
          date === undefined ||
          dateEndsSpan ||
          saidNew ||
          (date < today(ctx.now, ctx.timezone) && day && day >= date)
        ) {
          date = day;
          dateEndsSpan = range !== null && endsSpan(u, range) && results.length > 1;
        }
      }
      if (s.isCertain('hour')) {
        const hour = s.get('hour') ?? 0;
        const said = {
          hour: s.isCertain('meridiem') ? hour : clockHour(hour, undefined),
          minute: s.get('minute') ?? 0,
        };
        if (tags.has(PART_HOUR)) partClock ??= said;
        else clock ??= said;
      }
    }
    if (range) markWithTies(u, range.from, range.to);
  }
  clock ??= partClock;
  // "Gupta ji ka cheque kal aaya tha, bank mein jama karna hai": a day gone by, said alone, is background
  if (date !== undefined && date < today(ctx.now, ctx.timezone)) date = undefined;
  if (instant) return { kind: 'instant', instant };
  if (!date && !clock) return null;
  return { kind: 'local', date, hour: clock?.hour, minute: clock?.minute };
}

/** "saturday now", "friday instead", "ab monday ko": a day said to be the new one. */
const saysNewOne = (u: Utterance, range: { from: number; to: number }) =>
  NEW_ONE_AFTER.has(u.normOf(range.to)) || u.normOf(range.from - 1) === 'ab';
const NEW_ONE_AFTER: ReadonlySet<string> = new Set(['now', 'instead']);

/** "till sunday", "until the 5th": the end of a span (someone away, a shop shut); a Hindi "tak" is a deadline. */
const endsSpan = (u: Utterance, range: { from: number; to: number }) =>
  UNTIL.has(u.normOf(range.from - 1)) || UNTIL.has(u.normOf(range.from));
const UNTIL: ReadonlySet<string> = new Set(['till', 'until', 'upto', 'untill']);

const POSSESSIVE = new Set(['ka', 'ki', 'ke', 'wala', 'wali', 'wale']);
/** "milna tha aaj", "aaj jaana tha", "was due today": the day a thing was to be. */
const WAS: ReadonlySet<string> = new Set(WAS_WORDS);
const DUE_ON = new Set(['due', 'for', 'on', 'planned', 'scheduled']);

/**
 * "kal ki meeting parso kar do", "hall dekhne jaana tha aaj, unhone bola kal shaam 6 baje", "subah wala batch
 * monday se": with another day said, a day tied to a thing by "ka"/"ki"/"ke"/"wala", or the day it was to be,
 * names the thing (the meeting set for tomorrow, the visit that was today, the morning batch), and the other
 * is when.
 */
function namingDaysAside(u: Utterance, results: ParsedResult[]): ParsedResult[] {
  const names = (r: ParsedResult) => {
    const range = u.tokenRange(r.index, r.index + r.text.length);
    if (range === null) return false;
    // the "tha" in the day's own clause: "jaana tha aaj", "aaj tha"; not "parcel bheja tha, unko aaj …"
    const before = (i: number) => WAS.has(u.normOf(i)) && !u.tokens[i]?.breakAfter;
    const after = WAS.has(u.normOf(range.to)) && !u.tokens[range.to - 1]?.breakAfter;
    const wasDue = before(range.from - 2) && DUE_ON.has(u.normOf(range.from - 1));
    return POSSESSIVE.has(u.normOf(range.to)) || after || before(range.from - 1) || wasDue;
  };
  const rest = results.filter((r) => !names(r));
  return rest.length > 0 && rest.length < results.length ? rest : results;
}

function markWithTies(u: Utterance, from: number, to: number): void {
  u.use(from, to, 'when');
  // one tie word on each side: "by friday", "to monday", "kal tak", "somvar ko", "5 baje pe"
  u.useMatch(
    u.find(BEFORE).find((m) => m.to === from),
    'when',
  );
  u.useMatch(
    u.find(AFTER).find((m) => m.from === to),
    'when',
  );
}

const SPAN = words(
  `(?:(?:for|by|in|after)\\s+)?(${AMOUNT})\\s*(${UNIT})(?:\\s+(?:ke liye|ke baad|baad|bad|tak|later|mein|me|more|aur))?`,
);

/** A span of time ("for 2 hours", "1 ghante ke liye", "30 min baad") in minutes; marks it used. */
export function takeSpan(u: Utterance): number | null {
  for (const m of u.find(SPAN)) {
    const span = spanOf(m.groups[0] ?? '', m.groups[1] ?? '');
    if (!span) continue;
    u.useMatch(m, 'when');
    return span.minutes ?? (span.days ?? 0) * 1440;
  }
  return null;
}

/**
 * A When as the tools want it. A clock time with no day is the next time that clock shows (today if
 * still ahead, else tomorrow). A day with no time is a due date, or `dayOnlyHour`:00 that day when given
 * (follow-ups and snoozes need an instant).
 */
export function resolveWhen(when: When, ctx: DateContext, dayOnlyHour?: number): Resolved {
  const tz = ctx.timezone;
  if (when.kind === 'instant') {
    const minute = new Date(Math.floor(when.instant.getTime() / 60_000) * 60_000);
    return { at: formatInZone(minute, tz) };
  }
  if (when.hour !== undefined) {
    let date = when.date;
    if (!date) {
      const now = wallTime(ctx.now, tz);
      const ahead = when.hour * 60 + (when.minute ?? 0) > now.hour * 60 + now.minute;
      date = ahead ? now.date : addDays(now.date, 1);
    }
    return { at: formatInZone(instantAt(date, when.hour, when.minute ?? 0, tz), tz) };
  }
  const date = when.date ?? today(ctx.now, tz);
  if (dayOnlyHour === undefined) return { date };
  return { at: formatInZone(instantAt(date, dayOnlyHour, 0, tz), tz) };
}

/** A time the tools were given (`resolveWhen`'s `at`) that is now, to the minute: "running smooth now". */
export const isNow = (at: string, ctx: DateContext): boolean =>
  Math.abs(Date.parse(at) - ctx.now.getTime()) < 60_000;

/** How long ago a time may be and still be now: "abhi", said as the minute turns. */
const GONE_AFTER_MS = 5 * 60_000;

/** A time already gone ("changed the menu this morning"): when a thing happened, never a day to move to. */
export const isGone = (at: string, ctx: DateContext): boolean =>
  Date.parse(at) < ctx.now.getTime() - GONE_AFTER_MS;

/** `hour`:00 on the day after today, the follow-up default when no day was said. */
export function tomorrowAt(ctx: DateContext, hour: number): string {
  return formatInZone(
    instantAt(addDays(today(ctx.now, ctx.timezone), 1), hour, 0, ctx.timezone),
    ctx.timezone,
  );
}
