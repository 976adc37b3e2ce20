import type { FollowUpChannel } from '../../domain/follow-ups/schema.ts';
import { HONORIFICS, isHonorific } from '../../domain/honorifics.ts';
import { significantWords } from '../../domain/lookup.ts';
import { LONE_OPENERS, OPENERS } from '../../domain/memory/extractor-offline.ts';
import type { Priority } from '../../domain/tasks/schema.ts';
import {
  alt,
  CHANNEL_AFTER,
  CHANNEL_BEFORE,
  CHANNELS,
  FOLLOW_UP_NOUNS,
  FOLLOW_UP_VERBS,
  GREETING_WORDS,
  LEADING_FILLERS,
  NEXT_CHORE,
  NEXT_CHORE_JOINED,
  OWES,
  PHONE_AFTER,
  PHONE_BEFORE,
  PHONE_LABELS,
  PHONE_OWNERS,
  PLAN_NOUNS,
  PRIORITY_HIGH,
  PRIORITY_LOW,
  PRIORITY_URGENT,
  PRONOUNS,
  REACH_OUT,
  REFERENCE_EDGE,
  SET_IT,
  TASK_NOUNS,
  THING_PRONOUNS,
  TOPIC_MARKERS,
  TRAILING_FILLERS,
  TRAILING_WORDS,
  words,
} from './lexicon.ts';
import type { Utterance } from './utterance.ts';

/**
 * The things in a message besides its intent and its time: priority, channel, phone, the words naming a
 * task or a follow-up, and a follow-up's contact and subject. Each `take…` marks the words it used, so
 * what is left over is the title.
 */

// ---- priority ----

const PRIORITIES: [Priority, RegExp][] = [
  ['low', words(`${alt(PRIORITY_LOW)}(?:\\s+hai)?`)],
  ['urgent', words(`${alt(PRIORITY_URGENT)}(?:\\s+hai)?`)],
  ['high', words(`${alt(PRIORITY_HIGH)}(?:\\s+hai)?`)],
];

/** "urgent"/"zaroori"/"jaldi"/"asap" → urgent, "important"/"high priority" → high, "no rush" → low. */
export function takePriority(u: Utterance): Priority | undefined {
  for (const [priority, pattern] of PRIORITIES) {
    if (u.takeAll(pattern, 'priority').length > 0) return priority;
  }
  return undefined;
}

export const mentionsPriority = (u: Utterance): boolean => PRIORITIES.some(([, p]) => u.has(p));

// ---- channel ----

const CHANNEL_PATTERNS = (Object.entries(CHANNELS) as [FollowUpChannel, readonly string[]][]).map(
  ([channel, names]) =>
    [channel, words(`(?:${alt(CHANNEL_BEFORE)}\\s+)?${alt(names)}(?:\\s+${alt(CHANNEL_AFTER)})?`)] as const,
);

/** "send Joshi bhaiya a msg about …", "drop Mrs Rao a text re …": who between the verb and the way. */
export const SEND_THEM_A = words(
  `(?:send|drop|give|shoot)\\s+(?:\\S+\\s+){1,4}?an?\\s+${alt([...CHANNELS.whatsapp, ...CHANNELS.email, 'call', 'ring'])}`,
);

/** A way to reach someone is named: a call, a message, a mail or a visit. */
export const mentionsChannel = (u: Utterance): boolean =>
  CHANNEL_PATTERNS.some(([, pattern]) => channelsSaid(u, pattern).length > 0);

const CHANNEL_WORDS: ReadonlySet<string> = new Set(Object.values(CHANNELS).flat());
/**
 * "bank visit ka follow up": a channel word before ka/ki/ke names a thing, not how to follow up ("message
 * karna ki cake ready hai" says what to tell).
 */
const channelsSaid = (u: Utterance, pattern: RegExp) =>
  u
    .find(pattern)
    .filter((m) => !(['ka', 'ki', 'ke'].includes(u.normOf(m.to)) && CHANNEL_WORDS.has(u.normOf(m.to - 1))));

const REACH = words(alt(REACH_OUT));

/** Someone is to be reached: a way named, or only the reaching ("contact Anil", "Iyer sir se baat karni"). */
export const mentionsReach = (u: Utterance): boolean => mentionsChannel(u) || u.has(REACH);

/** Someone is to be reached, said after token `from`: "Karthik's no is 99400 11223, call him tomorrow". */
export const reachAfter = (u: Utterance, from: number): boolean =>
  [...CHANNEL_PATTERNS.flatMap(([, p]) => channelsSaid(u, p)), ...u.find(REACH)].some((m) => m.from > from);

/** Marks the words that only say to reach someone. */
export const takeReach = (u: Utterance): void => void u.takeAll(REACH, 'cue');

/** The first channel named: call/phone → call, whatsapp/msg → whatsapp, email/mail → email, milna/visit → visit. */
export function takeChannel(u: Utterance): FollowUpChannel | undefined {
  let best: { channel: FollowUpChannel; from: number } | undefined;
  for (const [channel, pattern] of CHANNEL_PATTERNS) {
    const m = channelsSaid(u, pattern)[0];
    if (m && (!best || m.from < best.from)) best = { channel, from: m.from };
  }
  if (!best) return undefined;
  // the verb before who: "send Joshi bhaiya a msg", "drop Mrs Rao a text"
  for (const m of u.find(SEND_THEM_A)) u.use(m.from, m.from + 1, 'channel');
  // every word of that channel: "whatsapp msg karke" is one way, said twice
  for (const [channel, pattern] of CHANNEL_PATTERNS) {
    if (channel === best.channel) for (const m of channelsSaid(u, pattern)) u.useMatch(m, 'channel');
  }
  return best.channel;
}

// ---- phone ----

/**
 * Marks the words that label or tie in a phone number, so that they land in no name or subject: "mob:
 * 98450 12345", "uska number 98450 12345 hai", "Ramesh ka no. 98450 12345", "Ramesh at 98450 12345",
 * "98450 12345 pe".
 */
export function takePhoneLabels(u: Utterance): void {
  u.tokens.forEach((t, p) => {
    if (!t.phone) return;
    let from = p;
    const free = (i: number) => u.isFree(i);
    while (free(from - 1) && PHONE_LABELS.has(u.normOf(from - 1))) from--;
    if (from < p && free(from - 1) && PHONE_OWNERS.has(u.normOf(from - 1))) from--;
    if (from === p && free(p - 1) && PHONE_BEFORE.has(u.normOf(p - 1))) from--;
    let to = p + 1;
    while (free(to) && PHONE_AFTER.has(u.normOf(to))) to++;
    u.use(from, p, 'filler');
    u.use(p + 1, to, 'filler');
  });
}

// ---- nouns ----

export const TASK_NOUN = words(alt(TASK_NOUNS));
export const PLAN_NOUN = words(alt(PLAN_NOUNS));
/** "follow up", plus the verb that goes with it in Hinglish ("follow up karna hai"). */
export const FOLLOW_UP_NOUN = words(
  `${alt([...FOLLOW_UP_NOUNS, 'chase', 'chasing'])}(?:\\s+${alt([...FOLLOW_UP_VERBS, ...SET_IT])})?(?:\\s+hai)?`,
);

// ---- greetings ----

const STRONG_GREETINGS = new Set([
  'hi',
  'hii',
  'hiii',
  'hello',
  'helo',
  'hey',
  'heya',
  'namaste',
  'namaskar',
  'namaskaar',
  'pranam',
  'gm',
  'thanks',
  'thank',
  'thx',
  'shukriya',
  'dhanyavad',
  'bye',
  'goodbye',
]);

/** How many leading tokens are a greeting ("hi", "good morning", "ram ram bhai"); 0 if none. */
export function greetingLength(u: Utterance): number {
  let n = 0;
  while (n < u.length && GREETING_WORDS.has(u.normOf(n))) {
    n++;
    if (u.tokens[n - 1]?.breakAfter) break;
  }
  const run = Array.from({ length: n }, (_, i) => u.normOf(i));
  const greets =
    run.some((w) => STRONG_GREETINGS.has(w)) ||
    /(?:^|\s)(?:good (?:morning|afternoon|evening|night)|ram ram|take care)(?:\s|$)/.test(run.join(' '));
  return greets ? n : 0;
}

/** "Fwd: Mr. Thomas enquired …": a forwarded message's mark, which opens it and names nothing. */
const FORWARDED = ['fwd', 'fw', 'forwarded', 'forwarded message'];
const ANY_OPENER = alt([...OPENERS, ...LONE_OPENERS, ...FORWARDED]);
const OPENER_RUN = new RegExp(`^${ANY_OPENER}(?: ${ANY_OPENER})*$`);
const LONE_OPENER_END = new RegExp(`(?:^| )${alt(LONE_OPENERS)}$`);
const LONE_OPENER_START = new RegExp(`^${alt(LONE_OPENERS)}(?: |$)`);
/** The most words an opening runs to: "ok one more thing,", "acha bhai sun,". */
const MAX_OPENING = 6;

/**
 * How many tokens from `from` only open the message: "ok one thing, …", "acha sun, …", "one more thing -
 * …", up to a clause break, or with none a run closed or opened by a lone opener ("btw …", "haan toh woh …",
 * "acha ek baat …"); 0 if none. Set aside like a greeting, they are no part of a title, a name or a fact.
 */
export function openerLength(u: Utterance, from = 0): number {
  let n = 0;
  for (let i = from; i < Math.min(u.length - 1, from + MAX_OPENING); i++) {
    const run = u.tokens
      .slice(from, i + 1)
      .map((t) => t.norm)
      .join(' ');
    const opens = OPENER_RUN.test(run);
    const closed = u.tokens[i]?.breakAfter || LONE_OPENER_END.test(run) || LONE_OPENER_START.test(run);
    if (opens && closed) n = i + 1 - from;
    else if (u.tokens[i]?.breakAfter) break;
  }
  return n;
}

// ---- phrases left over ----

/** Drops filler words from both ends of a run of tokens. */
export function trimEdges(
  u: Utterance,
  indexes: readonly number[],
  leading: ReadonlySet<string>,
  trailing: ReadonlySet<string>,
): number[] {
  const word = (k: number) => u.normOf(indexes[k] ?? -1);
  let from = 0;
  let to = indexes.length;
  // two-word fillers first ("can you", "kar do"), then one-word ones
  for (let moved = true; moved && from < to; ) {
    moved = false;
    if (to - from >= 2 && leading.has(`${word(from)} ${word(from + 1)}`)) from += 2;
    else if (leading.has(word(from))) from += 1;
    else continue;
    moved = true;
  }
  for (let moved = true; moved && to > from; ) {
    moved = false;
    if (to - from >= 2 && trailing.has(`${word(to - 2)} ${word(to - 1)}`)) to -= 2;
    else if (trailing.has(word(to - 1))) to -= 1;
    else continue;
    moved = true;
  }
  return indexes.slice(from, to);
}

const REF_LEADING = new Set([...LEADING_FILLERS, ...REFERENCE_EDGE]);
const REF_TRAILING = new Set([...TRAILING_FILLERS, ...REFERENCE_EDGE]);

const POINTS_BACK: ReadonlySet<string> = new Set([...THING_PRONOUNS.en, ...THING_PRONOUNS.hi]);

/**
 * The words left in a range, as the user typed them, without fillers at the ends: names a task or follow-up
 * ("Rao ji's order, move it to friday": the pronoun only points back at the words naming it).
 */
export function reference(u: Utterance, from = 0, to = u.length): string {
  return u.raw(referenceIndexes(u, from, to));
}

function referenceIndexes(u: Utterance, from: number, to: number): number[] {
  const named = trimEdges(u, u.freeIndexes(from, to), REF_LEADING, REF_TRAILING);
  const said = named.filter((i) => !POINTS_BACK.has(u.normOf(i)));
  return said.length > 0 ? said : named;
}

/**
 * A report's reference with its clauses kept apart by commas ("stabilizer aa gaya fridge wala, lag bhi
 * gaya" → "stabilizer fridge wala, lag"): when the whole names no task, the lookup tries it clause by
 * clause (lookup.ts), since the owner's chatter around a report is a clause of its own.
 */
export function clausedReference(u: Utterance): string {
  const clauses: number[][] = [];
  for (const i of referenceIndexes(u, 0, u.length)) {
    const clause = clauses.at(-1);
    const last = clause?.at(-1);
    if (clause && last !== undefined && !breaksBetween(u, last, i)) clause.push(i);
    else clauses.push([i]);
  }
  return clauses.map((c) => u.raw(c)).join(', ');
}

/** A clause ends after token `a` or after a token between it and `b`. */
function breaksBetween(u: Utterance, a: number, b: number): boolean {
  const end = u.firstClauseBreak(a);
  return end >= 0 && end < b;
}

/**
 * The reference within the clause holding token `at`, when the message has other clauses and this one names
 * a task by two words or more of its own: "hardware hasn't come yet, push wardrobe installation to tuesday"
 * (the news before the request names no task). Otherwise undefined: "Rao ji's order, move it to friday".
 */
export function clauseReference(u: Utterance, at: number): string | undefined {
  const { from, to } = u.clauseAround(at);
  if (from === 0 && to === u.length) return undefined;
  const ref = reference(u, from, to);
  const own = ownWords(ref);
  if (own >= 2) return ref;
  // "Khurana meeting: make it next wednesday, he is out of town": a request naming nothing of its own
  // points back at the clauses before it, not at a reason said after
  const before = own === 0 && from > 0 ? reference(u, 0, from) : '';
  return before === '' ? undefined : before;
}

const ownWords = (ref: string) =>
  significantWords(
    ref
      .split(/\s+/)
      .filter((w) => !POINTS_BACK.has(w.toLowerCase()))
      .join(' '),
  ).length;

const TITLE_LEADING = new Set([
  ...LEADING_FILLERS,
  // "remind me about the GST": what the reminder is about, not a word of the chore
  'about',
  'add',
  'note',
  'task',
  'todo',
  'need',
  'must',
  'should',
  'got',
  'new',
  'create',
  'set',
  'remind',
  'reminder',
]);

/** Words that carry no content on their own: a title of only these ("jaldi karo") is no title. */
const EMPTY_WORDS = new Set([
  ...LEADING_FILLERS,
  ...TRAILING_FILLERS,
  ...TITLE_LEADING,
  'kar',
  'karo',
  'karna',
  'do',
  'dena',
  'lena',
  'me',
  'it',
  'this',
  'that',
  'ye',
  'yeh',
  'wo',
  'woh',
  'something',
  'kuch',
]);

/**
 * "note down the stock count", "note kar lena stock count", "set aside 4 lehengas", "set up the new
 * counter": a cue word that is the first half of the chore's verb stays in its title.
 */
const CUE_AS_VERB = words('note (?:down|kar)|set (?:aside|up|apart)');

/** "Sharma ji ka", "bank jaane ka": a ka/ki/ke ties the words before it to what follows. */
const GENITIVE: ReadonlySet<string> = new Set(['ka', 'ki', 'ke']);
const TIE = words(alt([...GENITIVE, 'ke liye']));

/**
 * "mujhe reminder bhej dena kal bank jaane ka", "dawai lene ki yaad dila dena", "kal 10 baje ka reminder laga
 * do": the ka/ki/ke tying the chore or the time to the reminder words (standing right after the time, right
 * before the reminder words, or closing its clause) goes with them.
 */
export function takeReminderTies(u: Utterance): void {
  for (const m of u.find(TIE)) {
    const clauseEnd = u.firstClauseBreak(m.from);
    const closes = u.freeIndexes(m.to, clauseEnd < 0 ? u.length : clauseEnd + 1).length === 0;
    const beside = u.usedAs(m.from - 1) === 'when' || u.usedAs(m.to) === 'cue';
    if (closes || beside) u.useMatch(m, 'cue');
  }
}

/**
 * "bank jaane" of "bank jaane ka reminder": an oblique infinitive whose tie was taken is said as a title says
 * a chore, "bank jaana" (not "phone", "machine": English words ending in "ne").
 */
const OBLIQUE = /(?<=\p{L}[^oi\s])ne$/u;
const plainAtEnd = (u: Utterance, kept: readonly number[]) => {
  const last = kept.at(-1) ?? -1;
  const tied = GENITIVE.has(u.normOf(last + 1)) && u.usedAs(last + 1) === 'cue';
  const typed = kept.map((i) => u.tokens[i]?.raw ?? '');
  if (tied && OBLIQUE.test(typed.at(-1) ?? '')) typed.push(typed.pop()?.replace(OBLIQUE, 'na') ?? '');
  return typed.filter((w) => w !== '').join(' ');
};

const POINTS_BACK_HI: ReadonlySet<string> = new Set(THING_PRONOUNS.hi);
const THING_OPENERS = new Set('the this that these those our my his her their a an'.split(' '));
// "the AC is broken, get it repaired": a clause of its own, not a thing named
export const CLAUSE_VERBS: ReadonlySet<string> = new Set(
  'is are was were has have had hai hain tha thi'.split(' '),
);
/** The most words a thing named ahead of its doing runs to: "the invoices for Rao ji's new shop". */
const MAX_THING_WORDS = 6;

/**
 * "Mehta ji's order", "the GST file", "Sharma ji ka order": words that name a thing, not a clause with a verb
 * of its own ("pack the order"): an article or a possessive opens them, the possessive after one name (with
 * its honorifics).
 */
function namesAThing(u: Utterance, head: readonly number[]): boolean {
  if (head.length === 0 || head.length > MAX_THING_WORDS) return false;
  if (head.some((i) => CLAUSE_VERBS.has(u.normOf(i)))) return false;
  if (THING_OPENERS.has(u.normOf(head[0] ?? -1))) return true;
  const raw = (i: number) => u.tokens[i]?.raw ?? '';
  const honorific = (i: number) => isHonorific(raw(i).replace(/'s$/u, '').toLowerCase());
  return head.slice(0, 3).some((i, k) => {
    const owner = head.slice(0, k + 1);
    const possessive = /'s$/u.test(raw(i)) || GENITIVE.has(u.normOf(i + 1));
    return (
      possessive &&
      owner.every((j) => honorific(j) || isCapitalised(u, j)) &&
      owner.filter((j) => !honorific(j)).length === 1
    );
  });
}

/**
 * "Mehta ji's order, deliver it by friday", "the GST file — submit it by monday": a thing named, then a
 * clause doing something to it by a pronoun. The title is the doing with the thing in the pronoun's place
 * ("Deliver Mehta ji's order"); a Hindi pronoun ("Mehta ji ka order, isko kal tak deliver kar dena") only
 * goes, the thing already standing before its verb. `left` are the title's words in order; undefined if
 * there is no such clause.
 */
function thingThenDoing(u: Utterance, left: readonly number[]): number[] | undefined {
  const p = left.find((i) => POINTS_BACK.has(u.normOf(i)) && u.tokens.slice(0, i).some((t) => t.breakAfter));
  if (p === undefined) return undefined;
  const start = u.tokens.findLastIndex((t, i) => t.breakAfter && i < p) + 1;
  const head = left.filter((i) => i < start);
  const tail = left.filter((i) => i >= start && i !== p);
  const at = left.indexOf(p) - head.length;
  if (head.length === 0) return undefined;
  if (POINTS_BACK_HI.has(u.normOf(p))) return at === 0 ? [...head, ...tail] : undefined;
  // a verb (maybe after a "pls") before the pronoun: "deliver it", "pls get it printed"
  if (at < 1 || at > 2 || !namesAThing(u, head)) return undefined;
  return [...tail.slice(0, at), ...head, ...tail.slice(at)];
}

/** What is left of a "make a task" message, phone numbers included: its title ("" when nothing is). */
export function title(u: Utterance): string {
  const said = u.tokens.flatMap((_, i) => (u.isFree(i) || u.usedAs(i) === 'phone' ? [i] : []));
  const left = thingThenDoing(u, said) ?? said;
  const verb = u.find(CUE_AS_VERB)[0]?.text.split(' ')[0];
  const leading = verb ? new Set([...TITLE_LEADING].filter((w) => w !== verb)) : TITLE_LEADING;
  // a Hinglish imperative stays as typed ("pack karo"); only a trailing "hai" and the like go
  const kept = trimEdges(u, left, leading, TRAILING_WORDS);
  return kept.some((i) => !EMPTY_WORDS.has(u.normOf(i))) ? capitalise(plainAtEnd(u, kept)) : '';
}

/** A title reads as a heading: "Call ABC Traders", whatever case the message was typed in. */
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// ---- a follow-up's contact and subject ----

type Role = 'contact' | 'subject';
interface Marker {
  words: string[];
  /** The role of the words before (suffix) or after (prefix) the marker. */
  role: Role;
  side: 'prefix' | 'suffix';
}

const MARKERS: Marker[] = [
  ...['with'].map((w) => ({ words: [w], role: 'contact' as const, side: 'prefix' as const })),
  ...[...TOPIC_MARKERS, 'for', 'on'].map((w) => ({
    words: [w],
    role: 'subject' as const,
    side: 'prefix' as const,
  })),
  // "Naidu sir still owes 1.5 lakh": who owes it is whom to follow up
  ...['se', 'ko', 'ke saath', 'ke sath', ...OWES].map((w) => ({
    words: w.split(' '),
    role: 'contact' as const,
    side: 'suffix' as const,
  })),
  ...[
    'ke liye',
    'ke baare mein',
    'ke baare me',
    'ke baare main',
    'ke baare',
    'ki baat',
    'ke sambandh mein',
    'ka',
    'ki',
    'ke',
  ].map((w) => ({ words: w.split(' '), role: 'subject' as const, side: 'suffix' as const })),
].sort((a, b) => b.words.length - a.words.length);

/** "schedule a follow up with …": verbs that open the request, and end no subject ("the exam schedule"). */
const OPENING_VERBS = ['set', 'add', 'create', 'schedule'];
const FOLLOW_UP_FILLERS = new Set([
  ...LEADING_FILLERS,
  ...Object.values(PRONOUNS).flat(),
  'karna',
  'karni',
  'karo',
  'kar',
  'hai',
  'lena',
  'lene',
  'leni',
  'collect',
  'vasool',
  // "missed call from Suresh 98450 12345", "missed call aaya tha Shabnam ka …": who called
  'missed',
  'aaya',
  'aya',
  'aayi',
  'tha',
  'thi',
  // "Verma ji ne callback manga hai", "Rajiv called from …": who asked, who called
  'ne',
  'called',
  // "Pillai sir ko remind kar dena sample ke liye"
  'dena',
  'from',
  ...OPENING_VERBS,
  'remind',
  'me',
  'a',
  'please',
  // "… asked for the rates so call her back", "… late hai toh unko call karna": joining the reach on
  'so',
  'toh',
  // "need to ask Kavya about …", "we must talk to …": the owner's need, not who
  'we',
  'need',
  'must',
  'should',
]);

// Honorifics belong to the name they follow: "Ramesh bhai", "Sharma ji", "Mehta sir".
// "… se 8 hazaar wapas lene hai": money to get back is the money
const FOLLOW_UP_TRAILING = new Set([
  ...[...FOLLOW_UP_FILLERS].filter((w) => !HONORIFICS.has(w) && !OPENING_VERBS.includes(w)),
  ...['wapas', 'vapas', 'waapas'],
  // "… baat karni hai banarasi butidar ke rate pe": what the talk is on
  ...['pe', 'par'],
]);
const CONTACT_TRAILING = new Set([...FOLLOW_UP_TRAILING, ...PHONE_LABELS]);

const FROM: Marker = { words: ['from'], role: 'contact', side: 'prefix' };
/**
 * "Call Smt Kamala Devi to confirm the pickup", "message Mrs Rego that the curtains are ready": after who,
 * what for or what to say ("follow up to Ayesha" names her).
 */
const SAYING = new Set(['to', 'that']);
/** "whatsapp Mrs Lobo the catering quote", "email Prof Ghosh a copy": an article right after who opens what. */
const ARTICLES = new Set(['the', 'a', 'an']);
const saying = (w: string): Marker => ({ words: [w], role: 'subject', side: 'prefix' });

function markerAt(u: Utterance, chunk: readonly number[], at: number): Marker | undefined {
  return MARKERS.find((m) => m.words.every((w, k) => u.normOf(chunk[at + k] ?? -1) === w));
}

const isGenitive = (m: Marker) => m.words.length === 1 && GENITIVE.has(m.words[0] ?? '');

/**
 * "tiles ke rate ka": a ka/ki/ke between two words of a phrase ties them into one ("tiles ke rate"),
 * unless the words before it name someone: "Arjun Das ka payment" is Arjun Das's, about the payment.
 */
function joinsPhrase(u: Utterance, chunk: readonly number[], at: number, run: readonly number[]): boolean {
  const marker = markerAt(u, chunk, at);
  if (!marker || !isGenitive(marker) || namesSomeone(u, run)) return false;
  return run.length > 0 && at + 1 < chunk.length && !markerAt(u, chunk, at + 1);
}

/**
 * "about feed supply for next batch": a "for" or "on" inside a subject already opened by its marker says more
 * of it, unless a name follows ("about the rates for Sharma ji" is for him).
 */
function extendsTopic(
  u: Utterance,
  chunk: readonly number[],
  at: number,
  run: readonly number[],
  opened: Marker | undefined,
): boolean {
  const next = chunk[at + 1];
  if (opened?.role !== 'subject' || opened.side !== 'prefix' || run.length === 0 || next === undefined)
    return false;
  return QUALIFIERS.has(u.normOf(chunk[at] ?? -1)) && !readsAsName(u, next) && !markerAt(u, chunk, at + 1);
}
const QUALIFIERS: ReadonlySet<string> = new Set(['for', 'on']);

/**
 * "Balwinder ka missed call", "Yusuf ka 15k baaki hai": whose call it was, or whose money is due, names
 * the contact.
 */
function ownerOf(u: Utterance, chunk: readonly number[], at: number): Marker | undefined {
  const marker = markerAt(u, chunk, at);
  const next = u.normOf(chunk[at + 1] ?? -1);
  if (!marker || !isGenitive(marker) || !(next === 'missed' || /^\d/.test(next))) return undefined;
  return { ...marker, role: 'contact' };
}

/** A phone number stands between two tokens. */
const phoneBetween = (u: Utterance, a: number, b: number) =>
  u.tokens.slice(a + 1, b).some((t) => t.phone !== undefined);

/** A word capitalised as a name is ("Priya", "D'Souza", "D'souza", an initial "K."; not "GST", nor "priya"). */
export const isCapitalised = (u: Utterance, i: number) =>
  u.tokens[i]?.initial === true || /^\p{Lu}(?:'\p{L})?\p{Ll}/u.test(u.tokens[i]?.raw ?? '');

/** A word of a name as the message spells it: capitalised, or an honorific ("Priya", "bhai"). */
export const readsAsName = (u: Utterance, i: number) => isCapitalised(u, i) || isHonorific(u.normOf(i));

/** Words that read as a person: an honorific among them ("Ramesh ji"), or a capital past the first word. */
export const namesSomeone = (u: Utterance, indexes: readonly number[]) =>
  indexes.some((i) => HONORIFICS.has(u.normOf(i))) ||
  indexes.some((i) => i > 0 && /^\p{Lu}/u.test(u.tokens[i]?.raw ?? ''));

const SAID_LEADING = new Set([...REF_LEADING, ...TOPIC_MARKERS]);

const OPENS_NEXT_CHORE: ReadonlySet<string> = new Set(NEXT_CHORE);
const NEXT_CHORE_JOIN = words(alt(NEXT_CHORE_JOINED));

/**
 * What a follow-up is about ends where a second chore begins: "the rates and then pack the Sharma order" →
 * "the rates", "her order is ready, also update the register" → "her order is ready".
 */
function beforeNextChore(u: Utterance, indexes: readonly number[]): number[] {
  const joins = new Set(u.find(NEXT_CHORE_JOIN, { all: true }).map((m) => m.from));
  const at = indexes.findIndex(
    (i, k) =>
      k > 0 &&
      (joins.has(i) ||
        (u.tokens[indexes[k - 1] ?? -1]?.breakAfter === true && OPENS_NEXT_CHORE.has(u.normOf(i)))),
  );
  return at < 0 ? [...indexes] : indexes.slice(0, at);
}

/**
 * "tell Mrs Kapoor (that) her order is ready", "let Dr Rao know about the reports": who is told, the words
 * from `from` to `to`, and what, the free words after them as said, without the "that" or "about" opening
 * them ("need to" before the telling is neither); with nothing after, the news said before the telling
 * ("the cake is ready, tell Lobo aunty", "maal aa gaya, Yadav ji ko bata dena").
 */
export function contactAndMessage(
  u: Utterance,
  told: { cues: readonly { from: number }[]; from: number; to: number },
): { contact?: string; subject?: string } {
  const contact = u.raw(u.freeIndexes(told.from, told.to));
  const after = trimEdges(u, beforeNextChore(u, u.freeIndexes(told.to)), SAID_LEADING, FOLLOW_UP_TRAILING);
  const start = Math.min(told.from, ...told.cues.map((c) => c.from));
  const said =
    after.length > 0 ? after : trimEdges(u, u.freeIndexes(0, start), SAID_LEADING, FOLLOW_UP_TRAILING);
  return { contact: contact || undefined, subject: u.raw(said) || undefined };
}

/** At most a marker and an article between words before a subject and the subject ("… for the …"). */
const TOPIC_GAP = 3;

/**
 * Splits what is left of a follow-up message into who and what. English marks them with prepositions
 * ("with Ramesh about the payment"), Hinglish with postpositions ("Ramesh se payment ke liye"); a ka/ki/ke
 * inside a phrase is part of it ("tiles ke rate ka"). Words with no marker fill the contact first, then
 * the subject. Someone reached back by a pronoun (`who`: "Mr Khan needs the invoice, email him") is the
 * contact, and what was said of them the subject unless a marker names one.
 */
export function contactAndSubject(
  u: Utterance,
  collecting = false,
  who?: { from: number; to: number },
): { contact?: string; subject?: string } {
  if (who) {
    const named = u.raw(u.freeIndexes(who.from, who.to)).replace(/['’]s$/u, '');
    u.use(who.from, who.to, 'marker');
    const rest = contactAndSubject(u, collecting);
    // "… wants the revised quote, call him about it": the thing pointed at is what was said
    const pointsBack = rest.subject !== undefined && POINTS_BACK.has(rest.subject.toLowerCase());
    return { contact: named, subject: (pointsBack ? undefined : rest.subject) ?? rest.contact };
  }
  const found: {
    role?: Role;
    indexes: number[];
    genitive?: boolean;
    byPhone?: boolean;
    /** The subject marker that closed the words ("pending freight" before "for Amritsar trip"). */
    beforeTopic?: boolean;
    /** Which chunk (between commas) the words are in. */
    chunk?: number;
  }[] = [];
  for (const [at, chunk] of u.chunks().entries()) {
    let run: number[] = [];
    let before: Marker | undefined;
    const close = (after: Marker | undefined, byPhone = false) => {
      const indexes = trimEdges(u, run, FOLLOW_UP_FILLERS, FOLLOW_UP_TRAILING);
      if (indexes.length > 0) {
        const role =
          before?.side === 'prefix' ? before.role : after?.side === 'suffix' ? after.role : undefined;
        const genitive = before?.side !== 'prefix' && after !== undefined && isGenitive(after);
        const beforeTopic = role === undefined && after?.side === 'prefix' && after.role === 'subject';
        found.push({ role, indexes, genitive, byPhone, beforeTopic, chunk: at });
      }
      run = [];
    };
    for (let i = 0; i < chunk.length; ) {
      // a phone ends the phrase before it: "Ramesh 98450 12345 payment" is Ramesh's number
      if (i > 0 && phoneBetween(u, chunk[i - 1] ?? 0, chunk[i] ?? 0)) {
        close(undefined, true);
        before = undefined;
      }
      const word = u.normOf(chunk[i] ?? -1);
      // "collect the payment from Mehta ji": whom the money comes from
      const from = collecting && word === 'from' ? FROM : undefined;
      // (typed in lower case: "Mr A. B. Singh" has an initial)
      const article = ARTICLES.has(word) && /^\p{Ll}/u.test(u.tokens[chunk[i] ?? -1]?.raw ?? '');
      const sent = article && run.every((j) => readsAsName(u, j));
      const says = run.length > 0 && (SAYING.has(word) || sent) ? saying(word) : undefined;
      const marker =
        from ??
        says ??
        ownerOf(u, chunk, i) ??
        (joinsPhrase(u, chunk, i, run) || extendsTopic(u, chunk, i, run, before)
          ? undefined
          : markerAt(u, chunk, i));
      if (marker) {
        close(marker);
        before = marker;
        i += marker.words.length;
      } else {
        run.push(chunk[i] ?? -1);
        i++;
      }
    }
    close(undefined);
  }
  const unmarked = found.filter((f) => f.role === undefined);
  // the words right before a phone number, with no marker, name whose number it is
  let contact = found.find((f) => f.role === 'contact') ?? unmarked.find((f) => f.byPhone);
  const subjects = found.filter((f) => f.role === 'subject');
  // "Dr Rao ka follow up report ke baare mein", "Ramesh ji ka follow up kal, bakaya payment": whose
  // follow-up it is, when the subject is said apart
  const whose = subjects.find(
    (f) => f.genitive && (subjects.length > 1 || (unmarked.length > 0 && namesSomeone(u, f.indexes))),
  );
  if (!contact && whose) contact = whose;
  let subject = subjects.find((f) => f !== contact);
  for (const f of unmarked.filter((x) => x !== contact)) {
    if (!contact) contact = f;
    else if (!subject) subject = f;
  }
  // "Balwinder Singh, 098140 67321, pending freight for Amritsar trip": with the contact named apart, words
  // left before the subject's marker are the subject's own ("Mr Kamath owes us 18k for the chairs": the
  // amount beside the contact is not)
  const lead =
    contact && subject
      ? unmarked.find((f) => f !== contact && f !== subject && f.beforeTopic && f.chunk !== contact.chunk)
      : undefined;
  const leadEnd = lead?.indexes.at(-1) ?? -1;
  const subjectStart = subject?.indexes[0] ?? -1;
  if (lead && subject && subjectStart > leadEnd && subjectStart - leadEnd <= TOPIC_GAP) {
    const from = lead.indexes[0] ?? leadEnd;
    const to = subject.indexes.at(-1) ?? subjectStart;
    subject = { indexes: Array.from({ length: to - from + 1 }, (_, k) => from + k) };
  }
  const text = (f: { indexes: number[] } | undefined, trailing = FOLLOW_UP_TRAILING) =>
    f ? u.raw(trimEdges(u, beforeNextChore(u, f.indexes), REF_LEADING, trailing)) || undefined : undefined;
  // "Karthik's no is …", "98450 22331 is Mohan's number": whose number it is names them
  return { contact: text(contact, CONTACT_TRAILING)?.replace(/['’]s$/u, ''), subject: text(subject) };
}
