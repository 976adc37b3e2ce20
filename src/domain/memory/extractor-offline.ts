import { createHash } from 'node:crypto';
import { HONORIFICS, HONORIFICS_BEFORE } from '../honorifics.ts';
import { normalisePhone } from '../phone.ts';
import { lexicalTokens } from './lexical-embedder.ts';
import { MAX_CONTENT, MAX_SUBJECT, type MemoryKind } from './schema.ts';

/**
 * The rule-based side of memory: reading a statement ("Ramesh's number is 98450 12345") into what kind of
 * memory it is and what it is about, and finding the statements worth keeping in a chat message when no
 * LLM is configured. English and everyday Hinglish, as owners type them.
 *
 * A statement may fill a *slot*: an attribute of a subject that holds one value at a time (Ramesh's phone,
 * the user's preferred reminder time). Two statements about the same slot with different values contradict
 * each other, and the newer one supersedes the older (see service.ts).
 */

export interface MemoryCandidate {
  content: string;
  kind: MemoryKind;
  /** Who or what it is about, as written ("ABC Traders"); null when it is about the user or unknown. */
  subject: string | null;
  /** The slot it fills ("phone", "email", "pref:reminder"), when it fills one. */
  attribute: string | null;
  /** The slot's value, normalised (a phone in E.164), so that a reworded same value is not a change. */
  value: string | null;
}

/** An extraction step: the rules here, or an LLM (src/agent/) with these as fallback. */
export type MemoryExtractor = (message: string) => Promise<MemoryCandidate[]>;

const MAX_PER_MESSAGE = 5;

// ---- normal forms ----

// an emoji, with its variation selector, joiner and skin tone
const EMOJI = String.raw`\p{Extended_Pictographic}\u{FE0F}\u{200D}\p{Emoji_Modifier}`;
const EMOJI_RUN = new RegExp(`[${EMOJI}]+`, 'gu');

/**
 * Content as stored: trimmed, single-spaced, without a trailing full stop, and without emoji ("… is on 14
 * april 🎂"), which say how it was felt, not what it is.
 */
export function cleanContent(text: string): string {
  return text
    .normalize('NFKC')
    .replace(EMOJI_RUN, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.;,!]+$/u, '')
    .slice(0, MAX_CONTENT)
    .trim();
}

/** Two statements with the same key say the same thing in the same words (case, punctuation aside). */
export function contentKey(content: string): string {
  return createHash('sha256').update(lexicalTokens(content).join(' ')).digest('hex').slice(0, 32);
}

/** "Ramesh ji", "ramesh", "Mr. Ramesh" → "ramesh": the form subjects are compared in. */
export function subjectKey(subject: string | null | undefined): string | null {
  if (!subject) return null;
  const words = lexicalTokens(subject).filter((w) => !HONORIFICS.has(w));
  return words.length ? words.join(' ') : null;
}

/** The numbers a statement carries ("98450 12345", "9am", "20th"): a changed number is a changed fact. */
export function numbersOf(content: string): string {
  return (content.replace(/(\d)[\s-](?=\d)/g, '$1').match(/\d+/g) ?? []).join(',');
}

/**
 * The words of a statement with every number blanked ("Rent is ₹45,000" → "rent is #"): two statements of
 * the same shape with different numbers are one fact corrected, however far apart their vectors are.
 */
export function shapeKey(content: string): string {
  return lexicalTokens(content.replace(/\d[\d,.\s-]*\d|\d/g, ' 0 '))
    .map((w) => (/^\d+$/.test(w) ? '#' : w))
    .join(' ');
}

const CHANGE_CUE =
  /(?:^|\s)(?:now|no longer|not anymore|anymore|changed|new|instead|from now on|ab se|ab|naya|nayi|naye|badal|badla|badal gaya)(?=\s|[.,!]|$)/i;

/** "Ramesh's number is now …", "ab se …": the statement replaces what was known. */
export const signalsChange = (content: string) => CHANGE_CUE.test(content);

// ---- reading one statement ----

const NAME = String.raw`([\p{L}\p{N}&][\p{L}\p{N}&.'’\- ]{0,60}?)`;
const PHONE = String.raw`(\+?\d[\d\s\-().]{7,17}\d)`;
const EMAIL = String.raw`([^\s@]+@[^\s@]+\.[^\s@]+)`;
const NUMBER_WORD = String.raw`(?:phone|mobile|contact|whatsapp|cell)?\s*(?:number|no\.?|num|phone|mobile|contact)`;

/**
 * After a shop or office, a thing it has ("X's shop licence", "office rent", "X ki dukaan ka insurance"), a
 * need ("X's shop needs a new board"), an errand there ("X ki dukaan se board hata do", "… dukaan pe parcel
 * dena hai") or one for it ("X ki dukaan ke liye tiles bhejne hain"): no address follows.
 */
const OF_THE_SHOP = String.raw`(?!\s+(?:(?:ka|ki|ke)\s+)?(?:needs?|has\s+to|must|should|licen[cs]es?|rent|lease|bills?|insurance|registration|renewal|keys?|signboard|board|audit|inspection|repairs?|se|pe|par|tak|liye|vaaste)\b)`;

interface Rule {
  pattern: RegExp;
  read(m: RegExpMatchArray, content: string): Omit<MemoryCandidate, 'content'> | null;
}

const phoneValue = (raw: string | undefined) => {
  if (!raw) return null;
  return normalisePhone(raw) ?? raw.replace(/\D/g, '');
};

/** Leading words that are not part of a name: "that", "the", "ki", "mere supplier". */
const NAME_LEADING = /^(?:(?:that|the|ki|ke|ka|and|also|aur|bhi|my|mera|meri|mere|our|hamara|humara)\s+)+/i;

function cleanName(raw: string | undefined): string | null {
  if (!raw) return null;
  const name = raw
    .replace(NAME_LEADING, '')
    .replace(/['’]s$/i, '')
    .trim();
  const words = name.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 5) return null;
  if (/^(?:i|me|we|us|main|mai|hum|mujhe|you|it|this|that|he|she|they)$/i.test(name)) return null;
  return name.slice(0, MAX_SUBJECT);
}

function firstWordOf(text: string): string | null {
  const skip = new Set([
    'a',
    'an',
    'the',
    'my',
    'to',
    'get',
    'be',
    'have',
    'receive',
    'being',
    'ko',
    'ka',
    'ki',
  ]);
  return lexicalTokens(text).find((w) => !skip.has(w) && w.length > 1) ?? null;
}

const RULES: Rule[] = [
  // Ramesh's number is 98450 12345 / Ramesh's new mobile number is now +91 …
  {
    pattern: new RegExp(
      String.raw`${NAME}['’]s\s+(?:new\s+|current\s+|latest\s+)?${NUMBER_WORD}\s+(?:is\s+)?(?:now\s+|changed\s+to\s+)?${PHONE}`,
      'iu',
    ),
    read: (m) => contact(m[1], 'phone', phoneValue(m[2])),
  },
  // number of Ramesh is … / phone number for ABC Traders: …
  {
    pattern: new RegExp(
      String.raw`${NUMBER_WORD}\s+(?:of|for)\s+${NAME}\s*(?:is|:|-)?\s*(?:now\s+)?${PHONE}`,
      'iu',
    ),
    read: (m) => contact(m[1], 'phone', phoneValue(m[2])),
  },
  // Ramesh ka number 98450 12345 hai / Ramesh ka naya number ab …
  {
    pattern: new RegExp(
      String.raw`${NAME}\s+(?:ka|ki|ke)\s+(?:naya\s+|nayi\s+|new\s+)?${NUMBER_WORD}\s+(?:ab\s+|hai\s+)?${PHONE}`,
      'iu',
    ),
    read: (m) => contact(m[1], 'phone', phoneValue(m[2])),
  },
  // Ramesh's email is … / Ramesh ka email … hai
  {
    pattern: new RegExp(
      String.raw`${NAME}(?:['’]s|\s+(?:ka|ki))\s+(?:new\s+|naya\s+)?(?:email|e-mail|mail)(?:\s+id)?\s+(?:is\s+|ab\s+)?(?:now\s+)?${EMAIL}`,
      'iu',
    ),
    read: (m) => contact(m[1], 'email', m[2]?.toLowerCase().replace(/[.,;]+$/, '') ?? null),
  },
  // Ramesh's address is … / Ramesh ki dukaan … par hai (not "Renew Deshpande sir's shop licence")
  {
    pattern: new RegExp(
      String.raw`${NAME}(?:['’]s|\s+(?:ka|ki))\s+(?:new\s+|naya\s+|nayi\s+)?(?:address|(?:shop|office|godown|dukaan|dukan)${OF_THE_SHOP})\s+(?:is\s+)?(?:now\s+)?(?:at\s+|in\s+)?(.{3,200})`,
      'iu',
    ),
    read: (m) => contact(m[1], 'address', m[2] ? lexicalTokens(m[2]).join(' ') : null),
  },
  // ABC Traders always pays late / Sharma ji hamesha 10 baje aate hain / Gupta never answers calls
  {
    pattern: new RegExp(
      String.raw`^${NAME}\s+(?:always|never|usually|often|generally|mostly|rarely|seldom|hamesha|aksar|kabhi\s+(?:bhi\s+)?nahi|kabhi\s+nahin)\s+(\S.*)$`,
      'iu',
    ),
    read: (m) => {
      const name = cleanName(m[1]);
      if (!name) return { kind: 'preference', subject: null, attribute: null, value: null };
      return { kind: 'pattern', subject: name, attribute: null, value: null };
    },
  },
  // I prefer reminders at 9am / I like WhatsApp more than calls / I don't want calls after 8pm
  {
    pattern:
      /^(?:i|we)\s+(?:(?:usually|always|really)\s+)?(?:prefer|like|love|want|would like|would rather|hate|dislike|don['’]?t like|do not like|don['’]?t want|do not want)\s+(?!to\s)(\S.*)$/iu,
    read: (m) => preference(m[1]),
  },
  // mujhe reminders subah 9 baje chahiye / mujhe WhatsApp pasand hai
  {
    pattern:
      /^(?:mujhe|mujhko|hume|humein|hamein)\s+(\S.*?)\s+(?:pasand|chahiye|chahie|acha lagta|accha lagta)/iu,
    read: (m) => preference(m[1]),
  },
];

function contact(rawName: string | undefined, attribute: string, value: string | null) {
  const name = cleanName(rawName);
  if (!name) return null;
  return { kind: 'contact' as const, subject: name, attribute, value };
}

function preference(object: string | undefined) {
  const word = object ? firstWordOf(object) : null;
  return { kind: 'preference' as const, subject: null, attribute: word ? `pref:${word}` : null, value: null };
}

/**
 * Ignored as a subject at the start of a plain fact: sentence openers, not names; and days and months, which
 * end a name ("Bhalla ji Tuesday ko …" is about Bhalla ji).
 */
const NOT_SUBJECTS = new Set([
  ...'i me my we our us you your the a an this that these those it its there here he she they please remember note ok okay yes no main mera meri mere hum humara hamara aaj kal abhi agar jab'.split(
    ' ',
  ),
  ...'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december'.split(
    ' ',
  ),
]);

/** A plain fact's subject: the capitalised words it opens with ("GST filing …" → GST, "Sharma ji …"). */
function leadingName(content: string): string | null {
  const words = content.split(/\s+/);
  const taken: string[] = [];
  for (const w of words) {
    // "Dr. (Mrs.) Vaidya": a title in brackets after the first is part of the name, as typed
    if (taken.length > 0 && HONORIFICS_BEFORE.has(/^\((\p{L}+)\.?\)$/u.exec(w)?.[1]?.toLowerCase() ?? '')) {
      taken.push(w);
      continue;
    }
    const bare = w.replace(/[,.:;!?]+$/, '');
    const capital = /^[\p{Lu}\p{N}][\p{L}\p{N}&.'’-]*$/u.test(bare);
    if (taken.length === 0 && (!capital || NOT_SUBJECTS.has(bare.toLowerCase()))) return null;
    if (capital && !NOT_SUBJECTS.has(bare.toLowerCase())) taken.push(bare.replace(/['’]s$/, ''));
    else if (taken.length > 0 && HONORIFICS.has(bare.toLowerCase().replace(/['’]s$/, ''))) {
      taken.push(bare.replace(/['’]s$/, '')); // "Kohli sir's anniversary"
    } else break;
    // "Dr. Pillai", "K. R. Nair": a title's or an initial's full stop is part of the name, as typed, and
    // ends nothing
    if (w === `${bare}.` && (HONORIFICS_BEFORE.has(bare.toLowerCase()) || /^\p{Lu}$/u.test(bare))) {
      taken[taken.length - 1] = w;
      continue;
    }
    if (bare !== w || taken.length >= 4) break;
  }
  return taken.length ? taken.join(' ').slice(0, MAX_SUBJECT) : null;
}

/**
 * What a statement is: its kind, subject and slot. `hint` is what the caller already knows (an API
 * client's kind or subject, an LLM's reading); the rules fill in the rest.
 */
export function analyseStatement(
  text: string,
  hint: { kind?: MemoryKind | undefined; subject?: string | null | undefined } = {},
): MemoryCandidate {
  const content = cleanContent(text);
  let read: Omit<MemoryCandidate, 'content'> | null = null;
  for (const rule of RULES) {
    const m = content.match(rule.pattern);
    if (m) {
      read = rule.read(m, content);
      if (read) break;
    }
  }
  const found = read ?? {
    kind: 'fact' as const,
    subject: leadingName(content),
    attribute: null,
    value: null,
  };
  return {
    content,
    kind: hint.kind ?? found.kind,
    subject: hint.subject === undefined ? found.subject : hint.subject?.trim() || null,
    attribute: found.attribute,
    value: found.value,
  };
}

// ---- finding statements in a chat message ----

/**
 * Words that open a message before what it says, a stop after them: "ok one thing,", "and btw,", "one more
 * thing -", "acha sun,", "aur haan,", "bhai sun,", "suno,". The offline parser sets them aside as well.
 */
export const OPENERS = [
  ...['also', 'aur', 'haan', 'han', 'listen', 'dekho', 'dekh', 'dekhiye', 'bhai', 'bhaiya', 'chalo', 'ji'],
  ...['one thing', 'one more thing', 'ek baat', 'ek aur baat', 'ek baat aur', 'sir', 'ek kaam hai', 'right'],
  ...['sun', 'sun lo', 'suno', 'sunno', 'suniye', 'alright', 'yeah', 'yes', 'theek hai', 'thik hai'],
  // "haan toh woh Sharma ji ka …": the "that" of a run-on opening, which names nothing
  ...['woh', 'wo'],
];
/**
 * Openers that never start what is said, so need no stop after them, nor do the openers after them: "btw
 * Shinde saheb ki dukaan …", "ok so ping Kapoor uncle …", "haan toh Rao sir ka cheque …", "ek kaam karo
 * Sharma ji ka bill banao …", "so the thing is Pereira aunty …", "acha ek baat Gupta ji ko …", "yaad se …".
 */
export const LONE_OPENERS = [
  ...['btw', 'by the way', 'ps', 'ok', 'okay', 'ok so', 'okay so', 'so', 'hmm', 'hmm ok', 'yaar', 'arre'],
  ...['arey', 'acha', 'accha', 'achha', 'acchha', 'haan toh', 'haan to', 'han toh', 'toh', 'ek kaam karo'],
  ...['ek kaam kar', 'ek kaam kijiye', 'and', 'oh', 'oh and', 'actually', 'basically'],
  ...['the thing is', 'thing is', 'the point is', 'baat ye hai ki', 'baat yeh hai ki', 'baat ye hai'],
  ...['baat yeh hai', 'woh kya hai ki', 'wo kya hai ki'],
  // "yaad se Dr Pandey ko … call karna hai": "be sure to", no name
  ...['yaad se', 'dhyan se', 'dhyaan se'],
];
const OPENER = `(?:${[...OPENERS, ...LONE_OPENERS].join('|')})`;
const LONE_OPENER = `(?:${LONE_OPENERS.join('|')})`;
const STOP = String.raw`[,.;:!\-–—]`;
// a run of openers closed by a stop or a lone opener, or opened by a lone opener, before a fact whose cue
// comes at its end ("suno, X, yaad rakhna", "btw X, yaad rakhna", "ok so X, remember that", "acha ek baat
// X, yaad rakhna"); a lone opener is a whole word ("So" is not the start of "Sonu")
const OPENING = String.raw`(?:(?:${OPENER}\s+)*(?:${OPENER}\s*${STOP}+|${LONE_OPENER}\s+)|${LONE_OPENER}\s+(?:${OPENER}\s+)*)\s*`;
// "pls", "just", "ye baat", "isko" and the openers: words that lead into a cue ("ek baat yaad rakhna, …",
// "acha sun, yaad rakhna ki …", "one more thing - remember …", "…, isko yaad rakhna")
const POLITE = String.raw`(?:(?:please|pls|plz|kindly|just|(?:ye|yeh)(?: baat)?|isko|ise|is baat (?:ko|ka)|${OPENER})(?:\s|${STOP})+)*`;
// "remember", and its common misspellings ("remeber", "rember", "remembr")
const REMEMBER = '(?:remember|remeber|rember|remembr|rememebr|rememeber|remembar|remmber|rmbr)';
// "remember karna ki …", "remember rakhna": the English cue with a Hindi verb after it
const REMEMBER_KAR = String.raw`${REMEMBER}(?:\s+(?:karna|karo|kar\s+lo|kar\s+lena|kariye|rakhna|rakho))?`;
// "yaad rakhna (hai)", and "dhyan (mein) rakhna", "dhyan rahe", the same said as "keep in mind"
const YAAD_RAKH = String.raw`(?:(?:yaa?d|dhyan(?:\s+(?:me|mein|main))?)\s+ra?kh(?:na(?:\s+hai)?|o|ie|iye|iyo|iyega|\s+lo|\s+lena|\s+lijiye)|(?:yaa?d|dhyan)\s+rahe)`;
const FUTURE = String.raw`(?:the\s+)?future(?:\s+ref(?:erence)?)?`;
// "for later", "for future reference", "for your knowledge": a note for the record, not a reminder
const FOR_LATER = String.raw`for\s+(?:later|${FUTURE}|(?:(?:your|ur)\s+)?(?:ref(?:erence)?|knowledge|info(?:rmation)?)|(?:the\s+)?record)`;
// "for future Mr Lal takes …": the future, unlike "the record" or "later", opens no chore's words, so needs no stop
const FOR_FUTURE = String.raw`for\s+${FUTURE}`;
// "just so you know": told to be known, as "fyi" is
const SO_YOU_KNOW = String.raw`(?:just\s+)?so\s+(?:that\s+)?you\s+know`;
// "note kar lo", "note karo", "note kar lena", "note karke rakho", "save kar lo": the Hinglish "note it"
const NOTE_KAR = String.raw`(?:note|save)\s+(?:kar(?:o|lo|\s+lo|\s+lena|\s+le|\s+lijiye|\s+dena|\s+do)|karke\s+rakh(?:o|na|\s+lo))`;
// "make a note", "take note", "keep a note": a note asked for
const TAKE_NOTE = String.raw`(?:(?:make|take|keep)\s+(?:a\s+)?)?note`;
// a bare "note" or "remember" closes a message only after a stop or a "please" ("…, note", "pls remember"):
// "credit note" is a thing, "I don't remember" says nothing to keep; an emoji closes what is said as a stop
// does ("X 📲 pls yaad rakhna", "X 👍 note it down")
const ALONE = String.raw`(?<=[,.;:!\-–—(${EMOJI}]\s*|(?:please|pls|plz|kindly)\s+)(?:${TAKE_NOTE}(?: down)?|${REMEMBER}|fyi|${FOR_LATER}|${SO_YOU_KNOW})`;
// "pls note Iyer aunty is allergic …", "noted that …": a note asked for politely, or taken ("please note down
// the stock" is a chore)
const PLEASE_NOTE = String.raw`(?:(?:please|pls|plz|kindly)\s+note(?!\s+down)|noted(?=\s*(?:that\b|[:\-–,])))`;
// "note: …", "note down that …", "make a note - …", "save this, …": a note given as such is kept, not a task;
// "for future reference, …" and "heads up: …" as well, a stop after them ("for the record the GST …" may be a
// task's words) unless it is the future
const KEEP_CUE = String.raw`(?:${REMEMBER_KAR}|${PLEASE_NOTE}|(?:fyi|for (?:your|ur) info(?:rmation)?)(?:[\s,]+${FOR_LATER})?|(?:${FOR_LATER}|heads up)(?=\s*[:\-–,])|${FOR_FUTURE}|${SO_YOU_KNOW}|note that|(?:${TAKE_NOTE}|save)(?: (?:of )?(?:this|it))?(?: down)?(?=\s*(?:that\b|[:\-–,]))|keep (?:(?:that|this|it) )?in mind|${YAAD_RAKH}|${NOTE_KAR})`;

/** "remember (that) X", "yaad rakhna (ki) X", "note that X", "keep in mind: that X". */
const KEEP_BEFORE = new RegExp(
  String.raw`^${POLITE}${KEEP_CUE}(?:\s*[:\-–,])?(?:\s*(?:that|this|ki)\b)?(?:\s*[:\-–,])?\s+(\S.*)$`,
  'iu',
);
// "can you …", "kya aap …": the cue asked of the assistant
const ASKED = String.raw`(?:(?:can|could|will|would)\s+(?:you|u)\s+(?:(?:please|pls|plz|kindly)\s+)?)`;
// "yaad rakhoge", "yaad rakh sakte ho", "note kar loge", "note kar lenge": the Hinglish cue's "will you" forms
const YOU_WILL_KEEP = String.raw`(?:(?:yaa?d|dhyan)\s+rakh|note\s+kar)(?:oge|ogi|enge|engi|\s+(?:sakte|sakti)\s+(?:ho|hai)|\s+sakoge|\s+loge|\s+lenge)`;
/**
 * The cue asked as a question, what to keep after its "that"/"ki": "can you remember that X?", "could you note
 * down that X", "kya aap yaad rakh sakte ho ki X?", "note kar loge ki X". Without a "that" it asks what is known
 * ("can you remember Rao ji's number?").
 */
const KEEP_ASKED = new RegExp(
  String.raw`^${POLITE}(?:${ASKED}(?:${REMEMBER}|note(?:\s+down)?|(?:make|take)\s+a\s+note|keep\s+(?:it\s+)?in\s+mind)\s+that|(?:kya\s+(?:aap|ap|tum)\s+)?${YOU_WILL_KEEP}\s+ki)\s+(\S.*?)[\s?]*$`,
  'iu',
);
/**
 * A polite word or what the note is for after a closing cue: "…, yaad rakhna please", "…, dhyan rakhna pls",
 * "…, note it down for future".
 */
const PLEASE_AFTER = String.raw`(?:[\s,]+(?:please|pls|plz|na|ji|${FOR_LATER}))?`;
/**
 * "X, yaad rakhna", "X — remember that", "X hai — yaad rakhna", "X. pls remember", "X, note it", "X - note karo",
 * "X (fyi)".
 */
const KEEP_AFTER = new RegExp(
  String.raw`^(?:${OPENING})?(\S.*?)[\s,.;:!(${EMOJI}\-–—]+${POLITE}(?:${REMEMBER} (?:that|this|it)|note (?:that|this|it)(?: down)?|${ALONE}|keep (?:(?:that|this|it) )?in mind|${YAAD_RAKH}|${NOTE_KAR})${PLEASE_AFTER}[\s.!)${EMOJI}]*$`,
  'iu',
);
/** A cue that stands in the middle of a fact: "X, please note, Y", "X — remember — Y", "X, yaad rahe, Y". */
const MID_CUE = `(?:${REMEMBER}|note(?: (?:this|that|it)(?: down)?)?|${NOTE_KAR}|${YAAD_RAKH}|keep (?:(?:that|this|it) )?in mind|fyi|${FOR_LATER}|${SO_YOU_KNOW})`;
/**
 * "Bhalla uncle's shop, please note, stays closed …", "Sharma aunty (please note) doesn't eat onion": the
 * fact is the words on both sides of the cue.
 */
const KEEP_WITHIN = new RegExp(
  String.raw`^(?:${OPENING})?(\S.*?)(?:\s*[,;(]|\s+[\-–—]+)\s*${POLITE}${MID_CUE}\s*(?:[,;)]|[\-–—]+(?=\s))\s*(\S.*)$`,
  'iu',
);
/** "note kar lena meter reading 6 tak": writing a thing down by a time is a chore, as "note down …" is. */
const NOTE_BY = new RegExp(
  String.raw`^${POLITE}${NOTE_KAR}\s.*\s(?:tak|se\s+pehle|(?:by|before)(?:\s+\S+){1,2})[\s.!]*$`,
  'iu',
);
/** "remember to call …" asks for a reminder, not a memory. */
const TASK_LIKE = /^(?:to\s|ki\s+(?:kal|aaj|parso)\b|(?:kal|aaj|parso|tomorrow|today)\b)/i;

const QUESTION =
  /\?\s*$|^(?:what|whats|what's|who|whom|whose|when|where|which|why|how|do|does|did|is|are|can|could|will|would|should|kya|kaun|kab|kahan|kaise|kitna|kitne)\b/i;
const FORGET =
  /\b(?:forget|bhool\s+ja|bhul\s+ja|bhool\s+jao|bhul\s+jao|delete|remove|hata\s+do|mita\s+do)\b/i;

const LEADING_JOINER = /^(?:(?:and|also|plus|aur|bhi|but|par|ok|okay)[\s,]+)+/i;

/** A message split at sentence and clause ends, for messages that say several things. */
function clauses(message: string): string[] {
  return message
    .split(/(?<=[.!?])\s+|\n+|;\s*|,\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The explicit memory in a message ("remember that …"), or null. Shared with the offline chat model. */
export function explicitStatement(message: string): string | null {
  const text = message.trim();
  if (NOTE_BY.test(text)) return null;
  const within = text.match(KEEP_WITHIN);
  const m =
    text.match(KEEP_BEFORE) ??
    text.match(KEEP_ASKED) ??
    text.match(KEEP_AFTER) ??
    within ??
    noteOfDetail(text);
  const said = m?.[1] ? cleanContent(m === within ? `${m[1]} ${m[2]}` : m[1]) : '';
  if (!said || TASK_LIKE.test(said)) return null;
  return said;
}

/** "note Rekha didi ka naya number …": a bare "note" opens a detail ("note down the stock" is a task). */
const NOTE_BARE = new RegExp(String.raw`^${POLITE}note(?:\s+down)?\s+(\S.*)$`, 'iu');

function noteOfDetail(text: string): RegExpMatchArray | null {
  const m = text.match(NOTE_BARE);
  return m?.[1] && analyseStatement(m[1]).kind !== 'fact' ? m : null;
}

/**
 * The statements worth remembering in one chat message, by rule: an explicit "remember …", or a sentence
 * that fills a slot (a contact's number), states a pattern ("X always …") or a preference ("I prefer …").
 * Questions and requests to forget give nothing.
 */
export function extractMemories(message: string): MemoryCandidate[] {
  if (FORGET.test(message) && !/\b(?:don['’]?t|do not|mat)\s+(?:forget|bhool|bhul)/i.test(message)) return [];
  const explicit = explicitStatement(message);
  if (explicit) return [analyseStatement(explicit)];
  const found: MemoryCandidate[] = [];
  for (const clause of clauses(message)) {
    // "… Also Ramesh's number is …": the joining word is not part of what is kept.
    const sentence = clause.replace(LEADING_JOINER, '');
    if (QUESTION.test(sentence)) continue;
    const c = analyseStatement(sentence);
    if (c.kind !== 'fact' && c.content.length >= 8) found.push(c);
    if (found.length >= MAX_PER_MESSAGE) break;
  }
  return found;
}

export const offlineExtractor: MemoryExtractor = async (message) => extractMemories(message);
