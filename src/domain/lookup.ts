import { ABBREVIATIONS, GLOSSARY } from './glossary.ts';
import { HONORIFICS } from './honorifics.ts';

/**
 * Finding a record from how a person names it. Members ("Ravi Kumar"): every significant word must appear
 * in the name (`significantWords`, `wordsCondition`). Tasks and follow-ups ("filed the returns", "godown
 * ka kiraya", "the GST one"): named loosely, by stems, a slip in a long word and a small business glossary
 * (glossary.ts), and ranked by how much of what was said a record covers and how much of the record was
 * said (`rankByName`).
 */

/**
 * Words that say what kind of record is meant ("the GST task", "Ramesh wala follow up"), not which one;
 * unless a name holds them too ("Follow up with Khanna on Diwali order").
 */
const KIND_WORDS: ReadonlySet<string> = new Set(['task', 'tasks', 'todo', 'follow', 'up', 'followup']);

// Words that name the kind of thing or glue a sentence together, in English and Hinglish.
const FILLER = new Set([
  ...KIND_WORDS,
  'the',
  'a',
  'an',
  'to',
  'for',
  'with',
  'of',
  'on',
  'my',
  'and',
  'wala',
  'wali',
  'waala',
  'ka',
  'ki',
  'ke',
  'ko',
  'se',
  'one',
  'that',
  'this',
  'vo',
  'woh',
  'yeh',
  // how long it took, not what was done: "finally" is no "final" ("picked the colours finally")
  'finally',
]);

export function significantWords(ref: string): string[] {
  return ref
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && !FILLER.has(w))
    .slice(0, 8);
}

const escapeLike = (w: string) => w.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * A condition that each word appears in one of `columns` (case-insensitive), as $1…$n, with its parameters.
 * Callers skip the query when there are no words: nothing was named.
 */
export function wordsCondition(columns: readonly string[], words: readonly string[]) {
  return {
    where: words
      .map((_, i) => `(${columns.map((c) => `coalesce(${c}, '') ILIKE $${i + 1}`).join(' OR ')})`)
      .join(' AND '),
    params: words.map((w) => `%${escapeLike(w)}%`),
  };
}

// ---- tasks and follow-ups: named loosely, ranked by how well they match ----

/** Words that say nothing about which task: little words of both languages, honorifics, vague verbs. */
const NAME_FILLERS = new Set([
  ...FILLER,
  ...HONORIFICS,
  ...'in at by from about is was be been it its their his her our your all got get thoda abhi'.split(' '),
  // auxiliaries and particles: "the rice bags have arrived", "tenant ne rent de diya", "can we do …",
  // "signboard is fixed now", "talked to Bhatia re delivery"
  ...'has have had do ne now re reg regarding needs need should must will can could would cant cannot wont'.split(
    ' ',
  ),
  // the halves of an apostrophe's word ("won't"), and words tying a reason to the request ("…, so the delivery")
  ...'won couldn didn doesn isn wasn so then toh tab'.split(' '),
  // "the GST work", "cold storage walon ko": words that point at a thing without naming it
  ...'are were am work job stuff guy over wale walon waale waalon lets'.split(' '),
  // a verb's particle: "chamber cleaned out properly", "sent out the invites"
  'out',
  // "Singh ji ke yahan": at someone's place, which the name says its own way ("Singh ji ki site pe")
  ...'yahan yahaan yaha wahan wahaan waha'.split(' '),
  // when it was done, which no title holds: "samples went out today"
  ...'today aaj yesterday tonight day ab kal parso tomorrow morning subah evening shaam'.split(' '),
  // who did it and what it is for: "we hired a new delivery guy", "car service ke liye chhod aaya"
  ...'we us he she they him them maine humne hamne liye lie'.split(' '),
  ...'unka unki unke uska uski uske'.split(' '),
  // how it went, which no title says: "…, working fine now", "…, bahut accha lag raha hai", "phir se chalu ho gaya"
  ...'fine good great nice perfect properly working chalu again phir fir badhiya accha achha acha mast ekdum bahut raha rahi rahe'.split(
    ' ',
  ),
  // thanks said with it: "rent paid, thanks"
  ...'thanks thank thx ty shukriya dhanyavad'.split(' '),
  ...'mein me main par pe hai hain tha thi ho hua hue hui gaya gayi gaye kar karo karna karni karne karke'.split(
    ' ',
  ),
  ...'karwana karwani kiya kiye aur bhi hi sab sabki sabka sabke saare sare jo wo ye already just finally'.split(
    ' ',
  ),
]);

/**
 * A light stemmer for English and romanised Hindi, so inflections meet: "deposited"/"deposit",
 * "cheques"/"cheque", "servicing"/"service", "bhejna"/"bheja"/"bhejo", "kiraya"/"kiraye". It only has to
 * send the forms of one word to one stem, not to produce a word.
 */
export function stem(word: string): string {
  // "8th ke result cards" is class 8's
  const ordinal = /^(\d+)(?:st|nd|rd|th)$/.exec(word);
  if (ordinal?.[1]) return ordinal[1];
  let w = word;
  // "milenge", "bhejega", "karungi": the future, which names the doing as its root does ("aa payenge" is
  // "can come", no paying; "challenge" and "avenge" are English)
  const future = FUTURE.exec(w);
  if (future && future.index >= 3 && !/(?:ll|v)$|^paa?y?$/.test(w.slice(0, future.index)))
    return w.slice(0, future.index);
  if (w.length > 4 && /(?:x|ch|sh|ss|us)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !/(?:ss|us)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 6 && /wan[ai]$/.test(w)) w = w.slice(0, -4);
  else if (w.length > 4 && /n[ai]$/.test(w)) w = w.slice(0, -2);
  // "bhejne", "milne": the oblique infinitive ("invoice bhejne ka kaam", "CA se milne ka kaam")
  else if (w.length > 4 && /[^aeiou]ne$/.test(w)) w = w.slice(0, -2);
  if (w.length > 4 && /[aeio]$/.test(w)) w = w.slice(0, -1);
  return w;
}

const FUTURE = /(?:eng|eg|ung|og)[aei]$/;

/**
 * A stem as it sounds, for romanised Hindi spelt either way: a long vowel written doubled or single
 * ("kaagaz"/"kagaz", "dukaan"/"dukan", "khareed"/"kharid", "zaroori"/"zaruri").
 */
const sound = (s: string) =>
  s
    .replace(/([aiu])\1+/g, '$1')
    .replace(/ee+/g, 'i')
    .replace(/oo+/g, 'u');

/** Glossary group numbers by word, by stem and by its sound. */
const GROUPS_OF = new Map<string, number[]>();
GLOSSARY.forEach((group, n) => {
  for (const word of group.words) {
    for (const key of new Set([word, stem(word), sound(stem(word))]))
      GROUPS_OF.set(key, [...(GROUPS_OF.get(key) ?? []), n]);
  }
});

/** The glossary groups found so far for words it lacks, those of the word each is a slip of ("recieved"). */
const SLIPPED = new Map<string, readonly number[]>();
/** Owners type words without end: the memo is emptied at this size rather than grow with a server's life. */
const SLIPPED_AT_MOST = 10_000;

/** The glossary groups of a word (or of its stem), or of the glossary word it is one slip from. */
function groupsOf(word: string, wordStem: string): readonly number[] {
  const known = [word, wordStem, sound(wordStem)].flatMap((key) => GROUPS_OF.get(key) ?? []);
  if (known.length > 0 || word.length < TYPO_AT) return known;
  let slipped = SLIPPED.get(word);
  if (!slipped) {
    const of = [...GROUPS_OF.keys()].find((k) => k.length >= TYPO_AT && slipApart(word, k));
    slipped = of === undefined ? [] : (GROUPS_OF.get(of) ?? []);
    if (SLIPPED.size >= SLIPPED_AT_MOST) SLIPPED.clear();
    SLIPPED.set(word, slipped);
  }
  return slipped;
}

/** One word of a name as it is matched. */
interface Term {
  stem: string;
  /** The stem as it sounds (`sound`), which is what is compared. */
  sound: string;
  groups: ReadonlySet<number>;
  /** It can name an action ("order" can, and a thing too). */
  acts: boolean;
  /** It names only an action. */
  action: boolean;
  /**
   * What the word tells about which one is meant: an action (pay, send, call) or a role (distributor) says
   * less than a thing.
   */
  weight: number;
}

const ACTION_WEIGHT = 0.5;
const ROLE_WEIGHT = 0.5;
const VERB_FORM = /^\p{L}{3,}(?:ed|ing)$/u;

/**
 * Money someone else gave or sent is money received: "reddy ji ne 20k bhej diye" is "Collect advance from
 * Reddy ji", not "Send … to Reddy ji" (the done word may be gone already: the parser takes it as the cue).
 */
const MONEY_THEY_GAVE =
  /(?<![\p{L}])(?:ne|usne|unhone|unone)\s+(?:\S+\s+){0,2}?(?:\d+k?|₹\s?\d[\d,]*|paisa|paise|payment|advance|rupaye|rupees|amount|balance|kisht|emi|hazaar|hazar|lakh)\s+(?:bhej|de|transfer kar|daal|dal)(?:\s*(?:diye|diya|di|dia))?(?![\p{L}])/gu;

/**
 * Money someone named paid is money received: "rathod paid the 4500 on gpay", "the hotel manager cleared
 * the pending amt" collect it; the payer opens the clause. A payment said with no one before it ("paid the
 * electrician") or by the owner ("I paid …", "we cleared …") stays a payment.
 */
const THEY_PAID =
  /(?<=(?:^|[,.;:!?])\s*(?:\S+\s+){1,4})(?<!(?:^|\s)(?:i|we|u|you|maine|humne|hum)\s+)(?:(?:has|have|finally|just|already)\s+)?(?:paid|cleared|settled)(?=\s+(?:us\s+|me\s+)?(?:the|our|his|her|their|full|all|pending|balance|baaki|₹|rs\b|\d))(?=(?:\s+\S+){0,3}?\s+(?:\d|₹|rs\b|amount|amt|dues|payment|pymt|pmt|bill|balance|bhada|freight|fees|rent|kiraya|advance|money|paisa))/gu;

/** Money paid to us is money received: "Ramesh paid us for the honey", "he settled me in cash". */
const PAID_US = /(?<![\p{L}])(?:paid|cleared|settled)\s+(?:us|me)(?![\p{L}])/gu;

/** How money moved, said after "on"/"via": no deed of its own ("rathod paid the 4500 on gpay"). */
const BY_CHANNEL = /\b(?:on|via|through|thru|by)\s+(?:gpay|paytm|phonepe|upi|neft|rtgs|imps)\b/gu;

/** Money given is a payment: "Ramesh ko paisa de diya", "Ramesh ko 20k bhej diye" pay Ramesh. */
const MONEY_GIVEN =
  /(?<![\p{L}\p{N}])(?:paisa|paise|rupaye|rupees|\d+k?|₹\s?\d[\d,]*)\s+(?:de|dena|diya|diye|di|dedo|de diya|de diye|de di|bhej diya|bhej diye|bhej di)(?![\p{L}])/gu;

/**
 * An order given, with no one it went to, is placed: "caps ka order de diya" ordered them ("Mehta ji ko order
 * de diya" handed it over).
 */
const ORDER_PLACED =
  /(?<!\bko\s+(?:\S+\s+)?)(?<![\p{L}])order\s+(?:de|dena|diya|diye|di|dedo|de diya|de diye|de di|de dena)(?![\p{L}])/gu;

/**
 * A term kept on for another one is a renewal: "signed the AMC for one more year", "ek saal aur badha diya".
 */
const ANOTHER_TERM =
  /\b(?:for\s+)?(?:one\s+more|another)\s+(?:year|month|term)\b|\bek\s+(?:saal|sal|mahina)\s+aur\b/gu;

/**
 * An amount however typed, as digits: "15k", "15 hazaar", "15,000" and "1.5 lakh" are "15000", "150000".
 */
const AMOUNT =
  /(?<![\p{L}\p{N}])(\d[\d,]*(?:\.\d+)?)(?:\s*(k|hazaar|hazar|thousand|lakh|lac)|(l))(?![\p{L}])|(?<=\d),(?=\d)/giu;
const SCALE: Readonly<Record<string, number>> = {
  k: 1e3,
  hazaar: 1e3,
  hazar: 1e3,
  thousand: 1e3,
  lakh: 1e5,
  lac: 1e5,
  l: 1e5,
};
/** "1.2L" is a lakh only typed close; "5 l" may be litres. */
const spelledAmount = (_: string, digits?: string, scale?: string, closeL?: string) =>
  digits === undefined
    ? ''
    : String(
        Math.round(Number(digits.replaceAll(',', '')) * (SCALE[(scale ?? closeL ?? '').toLowerCase()] ?? 1)),
      );

/**
 * A day part naming a batch, a shift or a class is part of its name, not when a thing was done: "subah wala
 * naya batch" is "Naya subah ka batch shuru karna", not the evening one.
 */
const DAY_PART_SLOT =
  /(?<![\p{L}])(?:(subah|morning)|(shaam|sham|evening)|(raat|night))(?=\s+(?:wala|wali|wale|ka|ki|ke|batch|shift|class|slot)(?![\p{L}]))/giu;
const slotOf = (_: string, morning?: string, evening?: string) =>
  morning ? 'morningslot' : evening ? 'eveningslot' : 'nightslot';

/** A thing gone out is sent: "the cashew consignment went out this morning". */
const GONE_OUT = /\b(?:went|gone|goes)\s+out\b/gu;

/** A name's letter before an apostrophe belongs to it: "D'Souza" is "dsouza", as owners type it. */
const NAME_APOSTROPHE = /(?<![\p{L}])(\p{L})['’](?=\p{L}{3})/gu;

/** "confirmed he got the samples": a word passed on, no booking confirmed. */
const CONFIRMED_THAT = /\bconfirm(?:ed|s)?\s+(?=(?:he|she|they|that|ki)\b)/gu;

/** The "dena" of a telling is no giving: "truck wale ko bhi bata dena" tells them, pays them nothing. */
const TELLING_AUX = /(?<![\p{L}])(bata|bol|keh|samjha)\s+(?:dena|do|diya|di|denge|dijiye)(?![\p{L}])/gu;

/** "we'll", "she'll": the contraction says nothing, and "ll" alone is a name's ("LL test for Rohan"). */
const WILL_CONTRACTED = /['’]ll(?![\p{L}])/gu;

/** "ma'am" is one word, the honorific: "Kavita ma'am's spectacles". */
const MAAM = /\bma['’]am\b/gu;

/** A place at the back, or a time ago, no return: "stored in the back", "sent it an hour back". */
const NO_RETURN =
  /\b(?:(?:in|at|to|from)\s+the|(?:an?|\d+|few|some)\s+(?:min|mins|minutes|hour|hours|hrs|days?|weeks?))\s+back\b/gu;

/** A fault said to have stopped: "tap not dripping anymore", "no longer tripping". */
export const FAULT_STOPPED =
  "(?:not|isn'?t|aren'?t|no longer)\\s+(?:dripping|leaking|tripping|sparking)(?:\\s+(?:anymore|now))?";

/**
 * A machine working well again is mended: "generator is back and running smooth now", "ab mast thanda kar
 * raha hai", "tap isn't dripping anymore" (the words stay, "repaired" is added). Not "up and running" nor "chalu ho
 * gaya", said as often of a thing just put in.
 */
const WORKS_WELL = new RegExp(
  `(?<![\\p{L}])(?:(?:running|working|cooling|chal\\s+(?:raha|rahi|rahe))(?:\\s+\\p{L}+)?\\s+(?:fine|smooth|smoothly|properly|perfectly|again|theek|badhiya)|(?:sahi|theek|badhiya|mast)\\s+(?:thanda|kaam)\\s+kar\\s+(?:raha|rahi|rahe)|${FAULT_STOPPED})(?![\\p{L}])`,
  'gu',
);

/** A top-up is a refill: "finished the gas top up", "topped up the oil". */
const TOP_UP = /\btop(?:ped|ping)?[\s-]*ups?\b/gu;

/** A tyre gone flat is a puncture: "the i10 tyre went flat again", "flat tyre". */
const FLAT_TYRE = /\b(?:flat\s+(?:tyre|tire)s?|(?:tyre|tire)s?\s+(?:(?:went|is|got|gone|was)\s+)?flat)\b/gu;

/** "laga" after a doing says it began, no fitting: "fridge thanda karne laga", "chalne lagi". */
const BEGAN = /(?<=\p{L}ne)\s+(?:laga|lagi|lage)(?![\p{L}])/gu;

/**
 * The words of a text, short forms spelt out (`ABBREVIATIONS`); a number is a word, however short ("site 2",
 * "class 5").
 */
const wordsOf = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(AMOUNT, spelledAmount)
    .replace(MONEY_THEY_GAVE, 'received')
    .replace(MONEY_GIVEN, 'pay')
    .replace(ORDER_PLACED, 'ordered')
    .replace(THEY_PAID, 'received')
    .replace(PAID_US, 'received')
    .replace(BY_CHANNEL, '')
    .replace(ANOTHER_TERM, 'renew')
    .replace(GONE_OUT, 'sent')
    .replace(NO_RETURN, '')
    .replace(FLAT_TYRE, 'tyre puncture')
    .replace(TOP_UP, 'refill')
    .replace(WORKS_WELL, '$& repaired')
    .replace(DAY_PART_SLOT, slotOf)
    .replace(MAAM, 'madam')
    .replace(WILL_CONTRACTED, '')
    .replace(TELLING_AUX, '$1')
    .replace(CONFIRMED_THAT, '')
    .replace(NAME_APOSTROPHE, '$1')
    .replace(BEGAN, '')
    .split(/[^\p{L}\p{N}]+/u)
    .flatMap((w) => ABBREVIATIONS[w]?.split(' ') ?? [w])
    .filter((w) => w.length >= 2 || /^\d$/.test(w));

/** The words of a name as they are matched; with `withKinds`, the words of a record's kind as well. */
export function termsOf(text: string, withKinds = false): Term[] {
  const terms = new Map<string, Term>();
  for (const word of wordsOf(text)) {
    if (NAME_FILLERS.has(word) && !(withKinds && KIND_WORDS.has(word))) continue;
    const s = stem(word);
    const groups = new Set(groupsOf(word, s));
    const of = [...groups].map((n) => GLOSSARY[n]);
    const acts = of.some((g) => g?.action) || (groups.size === 0 && VERB_FORM.test(word));
    const action = acts && !of.some((g) => g?.action === false);
    const role = of.length > 0 && of.every((g) => g?.role);
    const weight = action ? ACTION_WEIGHT : role ? ROLE_WEIGHT : 1;
    if (!terms.has(s)) terms.set(s, { stem: s, sound: sound(s), groups, acts, action, weight });
  }
  return [...terms.values()];
}

/**
 * Two words are one as said: one stem (however its long vowels are spelt), a prefix of the other (four
 * letters at least), or long words one slip apart ("manger" for "manager", "quotaton" for "quotation"), one
 * of them unknown to the glossary (two words it knows, "paint" and "print", are two words).
 */
function literally(a: Term, b: Term): boolean {
  if (a.sound === b.sound) return true;
  // a number is itself only: 2500 is no start of 25000
  if (/^\d+$/.test(a.sound) || /^\d+$/.test(b.sound)) return false;
  const [short, long] = a.sound.length <= b.sound.length ? [a.sound, b.sound] : [b.sound, a.sound];
  // (or the noun of a short verb: "payment" is "pay" as said, "shipment" "ship")
  if ((short.length >= 4 || long === `${short}ment`) && long.startsWith(short)) return true;
  const unknown = a.groups.size === 0 || b.groups.size === 0;
  return short.length >= TYPO_AT && unknown && oneSlip(short, long);
}

const slipApart = (a: string, b: string) => (a.length <= b.length ? oneSlip(a, b) : oneSlip(b, a));

/** The shortest words a slip is allowed in: shorter ones are too often other words. */
const TYPO_AT = 6;

/** `short` becomes `long` by one letter changed, added or left out, or two next to each other swapped. */
function oneSlip(short: string, long: string): boolean {
  if (long.length - short.length > 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  if (short.length === long.length) {
    const swapped = short[i] === long[i + 1] && short[i + 1] === long[i];
    return short.slice(i + 1) === long.slice(i + 1) || (swapped && short.slice(i + 2) === long.slice(i + 2));
  }
  return short.slice(i) === long.slice(i + 1);
}

/** Two words name the same thing: the same word as said, or words of one glossary group. */
function same(a: Term, b: Term): boolean {
  if (literally(a, b)) return true;
  for (const n of a.groups) if (b.groups.has(n)) return true;
  return false;
}

const isAction = (t: Term) => t.action;

/**
 * How much of what was said (`said`) a name covers, by weight: 0 to 1. An action said that a name with no
 * action of its own lacks is left out ("quotation bhej" names "Kapoor quotation"), when the glossary knows it
 * as one: a word that only looks like a verb may be the thing done ("plumbing ho gayi" does not name
 * "Khanna ji ko design dikhana"); against another action it counts ("Ramesh ko call" does not name "Pay
 * Ramesh").
 */
function coverage(
  said: readonly Term[],
  name: readonly Term[],
  strict = false,
  match: (a: Term, b: Term) => boolean = same,
): number {
  const nameActs = strict || name.some((n) => n.acts);
  let total = 0;
  let found = 0;
  for (const t of said) {
    const hit = name.some((n) => match(t, n));
    if (!hit && isAction(t) && t.groups.size > 0 && !nameActs) continue;
    total += t.weight;
    if (hit) found += t.weight;
  }
  return total > 0 ? found / total : 0;
}

/** Whether the glossary knows a word as an action ("bhej", "mangwa", "paid"). */
export function isActionWord(word: string): boolean {
  const [term] = termsOf(word);
  return term !== undefined && term.groups.size > 0 && isAction(term);
}

/** The glossary's verbs in their past tense ("renewed", "delivered"), listed once for `isPastTenseSlip`. */
const PAST_TENSE_ACTIONS = GLOSSARY.flatMap((group) =>
  group.action ? group.words.filter((w) => w.endsWith('ed')) : [],
);

/**
 * Whether a word is the past tense of a glossary verb typed with a slip ("renewd", "recieved", "deliverd"),
 * so a report typed in a hurry still says what was done.
 */
export function isPastTenseSlip(word: string): boolean {
  if (word.length < TYPO_AT || !word.endsWith('d') || GROUPS_OF.has(word)) return false;
  return PAST_TENSE_ACTIONS.some((w) => slipApart(word, w));
}

/**
 * Patterns (for ILIKE) that every record a name could mean matches at least one of: the first letters of
 * each word said and of the glossary words it stands for. A cheap first pass; `rankByName` decides.
 */
export function namePatterns(ref: string): string[] {
  const heads = new Set<string>();
  const terms = termsOf(ref);
  for (const t of terms) {
    heads.add(t.stem.slice(0, 4));
    for (const n of t.groups) for (const w of GLOSSARY[n]?.words ?? []) heads.add(stem(w).slice(0, 4));
  }
  // a record may hold the short form of what was spelt out, or of what was said short
  const stems = new Set(terms.map((t) => t.stem));
  for (const [short, words] of Object.entries(ABBREVIATIONS))
    if (words.split(' ').some((w) => stems.has(stem(w)))) heads.add(short);
  // a name typed whole may be kept with its apostrophe ("dsouza" for "D'Souza")
  const apostrophed = [...heads].map((h) => `%${escapeLike(h.slice(0, 1))}_${escapeLike(h.slice(1))}%`);
  return [...[...heads].map((h) => `%${escapeLike(h)}%`), ...apostrophed];
}

/** How many records the cheap first pass hands to the ranking. */
export const CANDIDATES = 200;
/** A name must cover this much of what was said to be meant at all. */
const MATCH_AT = 0.75;
/**
 * Or, with words of the owner's own around it ("showroom AC repaired, working fine now", "pune wala parcel
 * courier me book"), at least half of what was said and half of the name, two thirds of both together, with
 * no action said against another.
 */
const LOOSELY_AT = 0.5;
const LOOSELY_TOGETHER = 2 / 3;
/** Candidates this close to the best are as likely: the user has to say which. */
const CLOSE = 0.1;

interface Scored<T> {
  item: T;
  /** The name's words as matched. */
  name: readonly Term[];
  /** How much of what was said the name covers. */
  score: number;
  /** How much of the name what was said covers. */
  named: number;
  /** An action was said against one of the name's (`actsOtherwise`). */
  against: Against;
}

/**
 * An action said that the name does not hold, against an action of the name's that was not said: "Ramesh
 * ko call" is not "Pay Ramesh", however much else fits. A `deed`, done to the thing itself on either side,
 * is another task whatever else fits ("shop board printed" is not "Paint the shop board", "sold the old
 * printer" not "Repair old printer"); `kin` actions may be one deed told another way, two hand-overs from
 * either side ("tenant ne rent de diya" is "Collect rent from tenant") or two ways to mend a thing
 * ("mistri compressor badal ke gaya" is "Fridge ka compressor theek karwana"), so they only stop a loose fit.
 */
type Against = false | 'kin' | 'deed';

/** "new" in either language: a deed alone ("new rates are live"), a word on the thing beside another. */
const NEW: ReadonlySet<string> = new Set(['new', 'naya', 'nayi', 'naye'].map(stem));
const BACK: ReadonlySet<string> = new Set(['back', 'wapas', 'vapas'].map(stem));
const handsOver = (t: Term) => [...t.groups].some((n) => GLOSSARY[n]?.handOver === true);
const mends = (t: Term) => [...t.groups].some((n) => GLOSSARY[n]?.mends === true);

function actsOtherwise(said: readonly Term[], name: readonly Term[]): Against {
  const unmatchedActions = (from: readonly Term[], to: readonly Term[]) =>
    from.filter((t) => t.groups.size > 0 && isAction(t) && !to.some((n) => same(t, n)));
  const saidAll = unmatchedActions(said, name);
  let nameOnly = unmatchedActions(name, said);
  // "new" beside another deed describes the thing ("collected her new glasses"), it is no deed of its own; a
  // thing "back" is back from its mend ("innova cooling is back") when mending is the name's deed
  // (nor is it beside another deed of the name's: "Jar ke liye naye caps order karna" is the order)
  if (name.some((t) => t.acts && !NEW.has(t.stem))) nameOnly = nameOnly.filter((t) => !NEW.has(t.stem));
  const mended = nameOnly.length > 0 && nameOnly.every(mends);
  const saidOnly = (saidAll.length > 1 ? saidAll.filter((t) => !NEW.has(t.stem)) : saidAll).filter(
    (t) => !(mended && BACK.has(t.stem)),
  );
  if (saidOnly.length === 0 || nameOnly.length === 0) return false;
  const unmatched = [...saidOnly, ...nameOnly];
  // a mend told another way, beside what else the mechanic did ("refilled the gas and changed a pipe")
  const mendTold = mended && saidOnly.some(mends);
  return unmatched.every(handsOver) || mendTold ? 'kin' : 'deed';
}

/**
 * How closely a name must fit: `loose` lets the owner's own words stand around it; `whole` wants every word
 * said, its actions too, in the name (in other words at most), for a message that may as well add a new
 * task ("Pack Mehta ji's order" is not "Deliver Mehta ji order"); `mentioned` reads a whole message for
 * the record it mentions (`mentionedIn`), however much else it says.
 */
export const FITS = ['loose', 'whole', 'mentioned'] as const;
export type Fit = (typeof FITS)[number];

/**
 * What the record is looked for to do: a move's own words ("can't go to chandni chowk today, will get the
 * lights tomorrow") say when, not what is done to it, so no action of a message mentioning it is against it.
 */
export type Purpose = 'name' | 'move';

/**
 * `clause`: one clause of a report, tried alone (`byClause`): it must cover enough of the clause; the loose
 * fit is for the chatter the clause was cut from.
 */
type Fitting = Fit | 'clause';

/** Whether a name is meant: it covers enough of what was said, or fits loosely with nothing against it. */
function isMeant(s: Scored<unknown>, said: readonly Term[], fit: Fitting): boolean {
  if (s.against === 'deed') return false;
  if (fit === 'whole') return !s.against && coverage(said, s.name, true) === 1;
  if (fit === 'clause') return !s.against && s.score >= MATCH_AT;
  if (s.score >= MATCH_AT) return true;
  const loosely = Math.min(s.score, s.named) >= LOOSELY_AT && s.score + s.named >= 2 * LOOSELY_TOGETHER;
  return loosely && !s.against;
}

/**
 * Among candidates about as likely, the ones clearly ahead on `measure`, or all of them when none is.
 */
function ahead<S>(close: readonly S[], measure: (s: S) => number): readonly S[] {
  const values = close.map(measure);
  const most = Math.max(...values);
  const best = close.filter((_, k) => (values[k] ?? 0) >= most - CLOSE);
  return best.length === 1 ? best : close;
}

/**
 * The records a person means by `ref` ("filed the returns", "godown ka kiraya", "Sharma ji wala"), best
 * first, in the order given when equal: none when nothing fits (`isMeant`); one when one is clearly best
 * (or is the only one whose whole name was said); else every close one, so the caller can ask which.
 */
export function rankByName<T>(
  ref: string,
  items: readonly T[],
  nameOf: (item: T) => string,
  fit: Fit = 'loose',
  to: Purpose = 'name',
): T[] {
  if (fit === 'mentioned') return mentionedIn(ref, items, nameOf, to);
  const found = rank(ref, items, nameOf, fit);
  return found.length > 0 ? found : byClause(ref, items, nameOf, fit === 'whole' ? 'whole' : 'clause');
}

/** The name's own deed is said, or a hand-over of its kind told another way. */
function doesDeed(said: readonly Term[], name: readonly Term[]): boolean {
  const deeds = name.filter((n) => isAction(n) && n.groups.size > 0);
  const saidDeeds = said.filter((t) => isAction(t) && t.groups.size > 0);
  return deeds.some((n) =>
    saidDeeds.some((t) => same(t, n) || (handsOver(t) && handsOver(n) && kinOf(t, n))),
  );
}

/**
 * A record said not done yet: its own deed in a clause saying so ("abhi banaya nahi hai"), or no fewer of its
 * things there than in the rest ("cement aa gayi, ret abhi nahi aayi" for "Cement aur ret mangwana"; not
 * "Deliver paint to Kulkarni" beside "… Kulkarni hasn't paid for the pipes yet").
 */
function deniedHere(
  name: readonly Term[],
  things: readonly Term[],
  notYet: readonly Term[],
  reported: readonly Term[],
): boolean {
  const countIn = (terms: readonly Term[]) => things.filter((n) => terms.some((t) => same(t, n))).length;
  const deedDenied = name.some((n) => isAction(n) && n.groups.size > 0 && notYet.some((t) => same(t, n)));
  return deedDenied || (countIn(notYet) > 0 && countIn(notYet) >= countIn(reported));
}

/**
 * A thing handed to someone or given back: "mehta aunty ko achaar de aaye", "Gupta ji ko sample bhej diya",
 * "kulkarni ji ka token wapas kar diya".
 */
const GIVEN_TO =
  /(?<![\p{L}])ko\s+(?:\S+\s+){0,3}?(?:de|dena|diya|diye|di|bhej\p{L}*|pahuncha\p{L}*|deliver\p{L}*)(?![\p{L}])|(?<![\p{L}])(?:wapas|vapas|waapas)\s+(?:kar|de)\s+(?:diya|diye|di|dia)(?![\p{L}])|(?<![\p{L}])refund(?:ed)?(?![\p{L}])/iu;
const getsIn = (name: readonly Term[]) => name.some((n) => isAction(n) && handsOver(n) && incoming(n));

/** Two hand-overs the same way: sending and delivering, not sending and fetching. */
const kinOf = (a: Term, b: Term) => incoming(a) === incoming(b);
const incoming = (t: Term) => [...t.groups].some((n) => GLOSSARY[n]?.incoming === true);

/** A clause saying a thing is not done, or not yet: "ret abhi nahi aayi", "the AC still makes noise". */
const NOT_DONE = new Set(['not', 'no', 'never', 'nahi', 'nahin', 'nai', 'still', 'yet', 'pending', 'baaki']);
/**
 * A machine's symptom said to be gone, or no damage found, which is good news: "running smooth no heating",
 * "no rattling noise", "200 pcs counted, none broken", "tap not dripping anymore". Not "no issue" nor "koi
 * dikkat nahi", said as often of a plan kept as of a thing mended.
 */
export const NO_TROUBLE = new RegExp(
  `(?<![\\p{L}])(?:(?:no|none|nothing)\\s+(?:\\p{L}+\\s+)?(?:heating|noise|leak|leakage|leaking|sparking|vibration|smell|smoke|damage|damaged|broken|breakage)|${FAULT_STOPPED})(?![\\p{L}])`,
  'giu',
);
/** "no" as a number's short form: "tracking no forwarded", "bill no 42". */
export const NUMBER_NO =
  /(?<![\p{L}])(?:tracking|bill|invoice|order|receipt|challan|awb|lr|docket|serial|phone|mobile|vehicle|gaadi|token|ref|account|a\/c)\s+no(?![\p{L}])/giu;
/** The balance of a sum, nothing left undone: "cleared the pending amt", "baaki paisa de diya". */
export const BALANCE_SUM =
  /(?<![\p{L}])(?:pending|baaki|baki|remaining|bakaya)\s+(?:amt|amount|payment|pymt|pmt|paisa|paise|dues|money|rakam|fees)(?![\p{L}])/gu;
/** The words that only look like a denial (a sum's balance, a number's "no", a symptom gone), blanked out. */
export const withoutSeemingDenials = (text: string): string =>
  text.replace(BALANCE_SUM, ' ').replace(NUMBER_NO, ' ').replace(NO_TROUBLE, ' ');
const deniesDone = (clause: string) =>
  withoutSeemingDenials(clause.toLowerCase())
    .split(/[^\p{L}'’]+/u)
    .some((w) => NOT_DONE.has(w) || /n['’]t$/.test(w) || /^(?:is|has|have|did|was|were|are)nt$/.test(w));

/** A thing gone wrong: "truck kharab ho gaya", "the pump broke down". */
const TROUBLE = /\b(?:kharab|broke|broken|toot|tut|jal)\b/iu;

/** A clause of counts alone ("all 50") is too little to name a task by. */
const namesAThing = (clause: string) => termsOf(clause).some((t) => !/^\d+$/.test(t.stem));
/** A clause naming a thing, not only doings, counts and denials ("abhi dekhe nahi" names none). */
const namesOwnThing = (clause: string) =>
  termsOf(clause).some((t) => !t.acts && !/^\d+$/.test(t.stem) && !NOT_DONE.has(t.stem));

/** Others' doing to come, opening a clause: "they will clear the payment", "he'll send it". */
const THEIR_FUTURE = /^\s*(?:they|he|she)\s*(?:will|['’]ll)\s/i;

/** Where the parser cut a report into clauses (entities.ts, `clausedReference`). */
const CLAUSE_MARK = /\s*,\s*/;

/**
 * Words whose chatter hides the task ("stabilizer fridge wala, lag"; "sofa delivery for Mr Iyer, he is
 * travelling"): the records its clauses naming a thing each name alone, in full, with no action said against
 * the record's (`Fitting`; with a whole fit, every word of the clause in the name). One record named, by one
 * clause or by several, is meant; clauses naming different records are all returned, so the caller asks
 * which.
 */
function byClause<T>(ref: string, items: readonly T[], nameOf: (item: T) => string, fit: Fitting): T[] {
  const all = ref.split(CLAUSE_MARK);
  if (all.length < 2) return [];
  // what others will do names none of the owner's records wholly ("they will clear the payment" is no "Pay
  // staff salaries")
  const clauses = all.filter(
    (c) => namesAThing(c) && !deniesDone(c) && !(fit === 'whole' && THEIR_FUTURE.test(c)),
  );
  const found = [...new Set(clauses.flatMap((c) => rank(c, items, nameOf, fit)))];
  // as close, the ones whose own deed another clause says ("Bittu's generator - we'll return it on friday
  // now" is "Return generator to Bittu", not "Pay Bittu for generator"), else a hand-over of its kind
  const said = termsOf(ref);
  const deeds = said.filter((t) => isAction(t) && t.groups.size > 0);
  const named = found.map((item) => ({ item, name: termsOf(nameOf(item)) }));
  const narrowed = (keep: (name: readonly Term[]) => boolean) => {
    const kept = named.filter((n) => keep(n.name)).map((n) => n.item);
    return kept.length > 0 && kept.length < found.length ? kept : undefined;
  };
  const ownDeed = (name: readonly Term[]) => name.some((n) => isAction(n) && deeds.some((t) => same(t, n)));
  return narrowed(ownDeed) ?? narrowed((name) => doesDeed(said, name)) ?? found;
}

function rank<T>(ref: string, items: readonly T[], nameOf: (item: T) => string, fit: Fitting): T[] {
  const said = termsOf(ref);
  if (said.length === 0) return [];
  const scored = items
    .map((item) => {
      const name = termsOf(nameOf(item));
      const against = actsOtherwise(said, name);
      return { item, name, score: coverage(said, name), named: coverage(name, said, true), against };
    })
    .filter((s) => isMeant(s, said, fit))
    .sort((a, b) => b.score - a.score || b.named - a.named);
  const best = scored[0];
  if (!best) return [];
  const close = scored.filter((s) => s.score >= best.score - CLOSE);
  const whole = close.filter((s) => s.named === 1);
  if (whole.length === 1) return whole.map((s) => s.item);
  // as close, the ones whose deed is said, or a hand-over told another way ("Bhatia ji ka sofa bhejenge" is
  // "… sofa deliver karna", not "… sofa ka kapda lana"; "kiraya denge" is "Pay office rent")
  const deeded = close.filter((s) => doesDeed(said, s.name));
  if (deeded.length > 0 && deeded.length < close.length) return deeded.map((s) => s.item);
  // Then the one that explains clearly more of what was said: the kind words among it ("Diwali order follow
  // up" is "Follow up with Khanna on Diwali order", not "Place Diwali decoration order"), and its actions
  // even where the other name has none ("new menus got printed" is "Print new menu cards", not "Laminate
  // menu for tables"); then the one that holds the words as said rather than their synonyms ("loan file
  // submit" is "Bank jaake loan file submit karna", not "Loan ki EMI bharna").
  const saidWhole = termsOf(ref, true);
  const explains = (s: Scored<T>) => coverage(saidWhole, termsOf(nameOf(s.item), true), true);
  const asSaid = (s: Scored<T>) => coverage(said, s.name, true, literally);
  return ahead(ahead(close, explains), asSaid).map((s) => s.item);
}

/**
 * Where a message breaks into clauses: a stop, a comma, a colon, a dash between words; not a comma or a point
 * inside a number ("62,400", "1.5 lakh"), nor a title's point ("Mrs. Rao", "Dr. Bose").
 */
export const CLAUSE_BREAK =
  /[;!?\n]+|\s[-–—]+\s|(?<!\d|\b(?:mrs?|ms|dr|st|smt|sh|prof|col|capt|adv))[,.:]+|(?<=\d)[,.:]+(?!\d)/iu;

/**
 * A record mentioned in a whole message, told in the owner's own way ("Surat cotton consignment left the
 * godown this morning" mentions "Dispatch 20 thaans of cotton to Surat"): the message says two of the
 * things its name holds, or more than half of its name and of its things, or (reported done) its deed and a
 * thing no other record holds, or such a thing alone come in or told done in a few words, and the clauses that
 * say them tell
 * no action against its own (`actsOtherwise`: "sold the old printer" is not "Repair old printer"); what the
 * other clauses do is news beside it ("brake pads reached Sharma Motors, their mechanic signed the
 * challan"). How much of the name is said decides, not how much of the message the name explains: a report
 * says much no task holds. A move that mentions no record so well moves the one record holding a thing it says
 * ("rent will go on 1st april instead" for "Pay shop rent"). Records about as well mentioned are all returned,
 * for the caller to ask which, and so are those that only hold the one thing said ("Podar wala maal bhej diya"
 * for "Podar school ko shirts bhejna" and "… pants bhejna").
 */
function mentionedIn<T>(message: string, items: readonly T[], nameOf: (item: T) => string, to: Purpose): T[] {
  const texts = message.split(CLAUSE_BREAK);
  // a thing come in: "new" tells which thing, no deed ("naye card aa gaye")
  const arrived = ARRIVED.test(message);
  const handedOut = GIVEN_TO.test(message);
  const shortReport =
    texts.length === 1 &&
    message.split(/\s+/).length <= SHORT &&
    DONE_SAID.test(message) &&
    !RAN_OUT.test(message);
  const clauses = texts.map((c) =>
    termsOf(c).filter(
      (t) =>
        !AUXILIARIES.has(t.stem) && !(arrived && NEW.has(t.stem)) && !(to === 'move' && GOES.has(t.stem)),
    ),
  );
  // what clauses telling a thing gone wrong say ("truck kharab ho gaya, cement wala kaam friday pe daal do")
  const troubled = clauses.filter((_, k) => TROUBLE.test(texts[k] ?? '')).flat();
  // what clauses saying a thing is not done yet say, in a report ("cement aa gayi, ret abhi nahi aayi"); one
  // naming no thing of its own points back at the clause before it ("… resume forward kiye hai, abhi dekhe nahi")
  const denies = texts.map((c) => to === 'name' && deniesDone(c));
  const pointsBack = (k: number) => denies[k] === true && !namesOwnThing(texts[k] ?? '');
  const deniedAt = (k: number) => denies[k] === true || pointsBack(k + 1);
  const notYet = clauses.filter((_, k) => deniedAt(k)).flat();
  const reported = clauses.filter((_, k) => !deniedAt(k)).flat();
  const all = clauses.flat();
  const says = (n: Term, terms: readonly Term[]) => terms.some((t) => same(t, n));
  const names = items.map((item) => termsOf(nameOf(item)));
  const handedAny = all.some((t) => isAction(t) && handsOver(t) && !BACK.has(t.stem));
  const judged = items.map((item, k) => {
    const name = names[k] ?? [];
    // a word read as a doing only by its ending ("tasting", "painting") is a thing a report says as written; a
    // move needs more ("postpone the sewing machine service" is no "Buy sewing machine needles")
    const things = name.filter((n) => !n.acts || (to === 'name' && n.groups.size === 0));
    const scope = clauses.filter((c) => things.some((n) => says(n, c))).flat();
    const saidThings = things.filter((n) => says(n, scope));
    const said = saidThings.length;
    // a deed of the name's own left unsaid while the message tells of another ("Cancel Manali hotel"
    // against "they confirmed the booking")
    const otherwise = actsOtherwise(all, name);
    const ownDeedDenied =
      otherwise === 'deed' &&
      name.some((n) => isAction(n) && n.groups.size > 0 && !handsOver(n) && !says(n, all));
    // nor a record a clause says is not done, nor one to get a thing in when things were handed out ("mehta
    // aunty ko achaar de aaye" is no "Mehta aunty se payment lena")
    const against =
      actsOtherwise(scope, name) === 'deed' ||
      ownDeedDenied ||
      deniedHere(name, things, notYet, reported) ||
      (handedOut && getsIn(name));
    const named = coverage(name, all, true);
    // its own deed said ("we'll do the measurement on tuesday" is "Measure Class 5 kids at St. Mary's", not
    // "Deliver St. Mary's sweaters")
    const deedSaid = name.some((n) => isAction(n) && n.groups.size > 0 && says(n, all));
    // or a word that may be its deed or a thing ("hall ki booking ho gayi" for "… hall book karna")
    const deedMaySaid = name.some((n) => n.acts && n.groups.size > 0 && says(n, all));
    return {
      item,
      name,
      things,
      saidThings,
      said,
      named,
      otherwise,
      against,
      deedSaid,
      deedMaySaid,
      handsOverToo: name.some((n) => isAction(n) && handsOver(n)),
    };
  });
  // a thing said that no record but the `k`th holds; in a report of work on a thing, of the records it may name
  // ("vardiyan dhobi se aa gayi saaf hoke" holds the uniforms of "Band ki vardi dhulwani" alone, not of "Nayi
  // vardi silwani"); a hand-over is too often told of another party's record to leave the others aside
  const aside = (j: number) => to === 'name' && !handedAny && judged[j]?.against === true;
  const onlyIn = (k: number, t: Term) => names.every((other, j) => j === k || !says(t, other) || aside(j));
  const candidates = judged
    .map((s, k) => {
      const { item, things, saidThings, said, named, otherwise, deedSaid, deedMaySaid } = s;
      // a move asks for one of its tasks, so more than half its name will do; a report, its deed and a thing
      // no other record holds ("chiller mechanic came n did the servicing" is "Service the bulk milk chiller",
      // not "Service the delivery van")
      const enough =
        said >= 2 ||
        (named > MENTIONED_AT && (to === 'move' || weightOf(saidThings) > MENTIONED_AT * weightOf(things))) ||
        (to === 'name' && said === 1 && deedMaySaid && saidThings.some((t) => onlyIn(k, t)));
      // a move that says no record that well still names those it tells the deed and a thing of ("Azadpur
      // dispatch will go on Saturday now" names both "Dispatch … to Azadpur mandi", to ask which)
      const deedAndThing = to === 'move' && said >= 1 && deedSaid;
      // last, a thing said that only it holds, with no action said against its own: for a move, so ("rent will
      // go on 1st april instead" is "Pay shop rent"; "postpone the sewing machine service" is no "Buy sewing
      // machine needles"); news often names one thing of a record, so a report needs more: the thing come in,
      // when it is a record to get it ("naye card aa gaye" is "Visiting cards chhapwana", "got the rods from the
      // market" "Buy 6mm welding rods"), or told done in a few words ("do number wali machine chalu ho gayi" is
      // "Repair washing machine no. 2")
      const ownThing =
        otherwise === false &&
        saidThings.some((t) => t.weight === 1 && onlyIn(k, t) && !says(t, troubled)) &&
        (to === 'move' || shortReport || (arrived && GETS_IT.test(nameOf(item))));
      return { ...s, enough, deedAndThing, ownThing };
    })
    .filter((s) => to === 'move' || !s.against);
  const owning = candidates.filter((s) => s.ownThing);
  const fits = candidates.some((s) => s.enough)
    ? candidates.filter((s) => s.enough)
    : candidates.some((s) => s.deedAndThing)
      ? candidates.filter((s) => s.deedAndThing)
      : owning.length === 1
        ? owning
        : [];
  const holders = fits.length === 0 ? holdersOfOneThing(candidates, all, to) : [];
  if (holders.length > 0) return holders.map((s) => s.item);
  // the one holding the most things said first ("transport nagar trip … day after tomorrow" is "Collect Atlas
  // stock from transport nagar", not "Pay transporter"), then the one most of whose name was said
  const scored = fits.sort((a, b) => b.said - a.said || b.named - a.named);
  const best = scored[0];
  if (!best) return [];
  // its own deed said, else a word that may be its deed ("Lot 7 checking ho gayi" is "Lot 7 ka QC")
  const deedOnly = scored.filter((s) => s.deedSaid);
  const withDeed = deedOnly.length > 0 ? deedOnly : scored.filter((s) => s.deedMaySaid);
  if (withDeed.length > 0 && withDeed.length < scored.length)
    return withDeed.filter((s) => s.named >= (withDeed[0]?.named ?? 0) - CLOSE).map((s) => s.item);
  // as well mentioned, the one that says clearly more of its things ("hyatt sofa le jaane ke liye tempo fix ho
  // gaya" is "Book a tempo for shifting sofas to Hyatt", not "Get sofas polished")
  const close = scored.filter((s) => s.named >= best.named - CLOSE);
  return ahead(close, (s) => s.said).map((s) => s.item);
}

/** A thing come in: "aa gaye", "got", "arrived", "mil gaya", "le aaya". */
const ARRIVED =
  /(?<![\p{L}])(?:got|arrived|came|come|received|aa\s+(?:gaya|gayi|gaye|gya|gyi|chuka|chuki|chuke)|aaya|aayi|aaye|mil\s+(?:gaya|gayi|gaye)|le\s+(?:aaya|aayi|aaye|aya))(?![\p{L}])/iu;
/** The most words of a report short enough to name its task by one thing. */
const SHORT = 8;
/** A done word: "ho gaya", "kar diya", "done", "sorted". */
const DONE_SAID =
  /(?<![\p{L}])(?:done|ho\s+(?:gaya|gayi|gaye|gya|gyi)|hogaya|hogayi|kar\s+(?:diya|di|diye|liya|li|liye)|completed|finished|sorted|over)(?![\p{L}])/iu;
/** A thing used up, which is no task done: "ink khatam ho gayi", "we ran out of tape". */
const RAN_OUT = /(?<![\p{L}])(?:khatam|khtm|khatm|ran out|run out|out of stock)(?![\p{L}])/iu;
/** A record to get a thing: buy it, order it, get it made or filled, have it printed ("chhapwana"). */
const GETS_IT =
  /(?<![\p{L}])(?:get|buy|order|purchase|procure|bring|refill|mangwa\p{L}*|manga\p{L}*|kharid\p{L}*|khareed\p{L}*|\p{L}+wana|\p{L}+wani|\p{L}+vana)(?![\p{L}])/iu;

/** What `mentionedIn` found of a record in a message. */
interface Mention {
  name: readonly Term[];
  saidThings: readonly Term[];
  said: number;
  deedSaid: boolean;
  deedMaySaid: boolean;
  /** The record's own action is a hand-over. */
  handsOverToo: boolean;
}

/**
 * When no record is mentioned well enough, the records holding the one thing said, its deed said too when it is
 * a report ("Podar wala maal bhej diya" for "Podar school ko shirts bhejna" and "… pants bhejna", "Kohinoor ki
 * delivery kal pe daal do"; a hand-over told another way is their deed: "Mehra ji wala order pahuncha diya" for
 * "Mehra ji ko daal dena"), for the caller to ask which; the ones whose own deed it says when not all ("Ludhiana
 * ki gaadi nikal gayi" is the dispatch, not the freight to collect). None when fewer than two hold it.
 */
function holdersOfOneThing<M extends Mention>(
  candidates: readonly M[],
  all: readonly Term[],
  to: Purpose,
): M[] {
  const handedOver = all.some((t) => isAction(t) && handsOver(t));
  const sharing = candidates.filter(
    (s) => s.said > 0 && (to === 'move' || s.deedMaySaid || (handedOver && s.handsOverToo)),
  );
  const [first] = sharing;
  const sharesIt = (s: M) => s.saidThings.some((t) => first?.saidThings.some((f) => same(t, f)) === true);
  if (sharing.length < 2 || !sharing.every(sharesIt)) return [];
  const deeded = sharing.filter((s) => s.deedSaid);
  const holders = deeded.length > 0 ? deeded : sharing;
  // the one that a word said names apart from the others ("malhotras want the tasting on saturday" is "Sweets
  // tasting for Malhotra wedding", not "Order boxes for Malhotra wedding")
  const apart = holders.filter((s) =>
    s.name.some(
      (n) => all.some((t) => same(t, n)) && !holders.some((o) => o !== s && o.name.some((m) => same(m, n))),
    ),
  );
  return apart.length === 1 ? apart : holders;
}

const weightOf = (terms: readonly Term[]) => terms.reduce((sum, t) => sum + t.weight, 0);

/** A thing said to go on a day only happens then: "rent will go on 1st april", "delivery parso jayegi". */
const GOES: ReadonlySet<string> = new Set(
  ['go', 'goes', 'jayega', 'jayegi', 'jayenge', 'jaayega', 'jaayegi', 'jaega', 'jaegi'].map(stem),
);

/**
 * Hindi auxiliaries, which only say a verb before them was done ("bech diya", "le liya"): alone they would
 * read as giving, or paying.
 */
const AUXILIARIES: ReadonlySet<string> = new Set(['diya', 'diye', 'di', 'liya', 'liye', 'li']);

/**
 * How much of a name, and of the things it holds, a message must say, more than this, to mention it by one
 * thing alone ("Khurana is a good man" does not mention "Collect payment from Khurana").
 */
const MENTIONED_AT = 0.5;

/** A condition that the text of `columns` matches one of `patterns` (ILIKE), as $1. */
export function anyPatternCondition(columns: readonly string[], patterns: readonly string[]) {
  const text = columns.map((c) => `coalesce(${c}, '')`).join(` || ' ' || `);
  return { where: `(${text}) ILIKE ANY($1::text[])`, params: [patterns] };
}
