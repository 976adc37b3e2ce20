import { GLOSSARY } from './glossary.ts';
import { HONORIFICS } from './honorifics.ts';

/**
 * Finding a record from how a person names it. Members ("Ravi Kumar"): every significant word must appear
 * in the name (`significantWords`, `wordsCondition`). Tasks and follow-ups ("filed the returns", "godown
 * ka kiraya", "the GST one"): named loosely, by stems and a small business glossary (glossary.ts), and
 * ranked by how much of what was said a record covers (`rankByName`).
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
  ...'has have had do ne now re reg regarding needs need should must will'.split(' '),
  // "the GST work", "cold storage walon ko": words that point at a thing without naming it
  ...'are were am work job stuff guy over wale walon waale waalon ll lets'.split(' '),
  // when it was done, which no title holds: "samples went out today"
  ...'today aaj yesterday tonight day'.split(' '),
  ...'mein me main par pe hai hain tha thi ho hua hue hui gaya gayi gaye kar karo karna karni karne'.split(
    ' ',
  ),
  ...'karwana karwani kiya kiye aur bhi sab sabki sabka sabke saare sare jo wo ye already just finally'.split(
    ' ',
  ),
]);

/**
 * A light stemmer for English and romanised Hindi, so inflections meet: "deposited"/"deposit",
 * "cheques"/"cheque", "servicing"/"service", "bhejna"/"bheja"/"bhejo", "kiraya"/"kiraye". It only has to
 * send the forms of one word to one stem, not to produce a word.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && /(?:x|ch|sh|ss)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 6 && /wan[ai]$/.test(w)) w = w.slice(0, -4);
  else if (w.length > 4 && /n[ai]$/.test(w)) w = w.slice(0, -2);
  // "bhejne", "milne": the oblique infinitive ("invoice bhejne ka kaam", "CA se milne ka kaam")
  else if (w.length > 4 && /[^aeiou]ne$/.test(w)) w = w.slice(0, -2);
  if (w.length > 4 && /[aeio]$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Glossary group numbers by word and by stem. */
const GROUPS_OF = new Map<string, number[]>();
GLOSSARY.forEach((group, n) => {
  for (const word of group.words) {
    for (const key of new Set([word, stem(word)])) GROUPS_OF.set(key, [...(GROUPS_OF.get(key) ?? []), n]);
  }
});

/** One word of a name as it is matched. */
interface Term {
  stem: string;
  groups: ReadonlySet<number>;
  /** It can name an action ("order" can, and a thing too). */
  acts: boolean;
  /** What the word tells about which one is meant: an action (pay, send, call) says less than a thing. */
  weight: number;
}

const ACTION_WEIGHT = 0.5;
const VERB_FORM = /^\p{L}{3,}(?:ed|ing)$/u;

/** Money given is a payment: "Ramesh ko paisa de diya" pays Ramesh (money received is not one). */
const MONEY_GIVEN =
  /\b(?:paisa|paise|rupaye|rupees)\s+(?:de|dena|diya|diye|di|dedo|de diya|de diye|de di)\b/gu;

/** The words of a name as they are matched; with `withKinds`, the words of a record's kind as well. */
export function termsOf(text: string, withKinds = false): Term[] {
  const terms = new Map<string, Term>();
  for (const word of text
    .toLowerCase()
    .replace(MONEY_GIVEN, 'pay')
    .split(/[^\p{L}\p{N}]+/u)) {
    if (word.length < 2 || (NAME_FILLERS.has(word) && !(withKinds && KIND_WORDS.has(word)))) continue;
    const s = stem(word);
    const groups = new Set([...(GROUPS_OF.get(word) ?? []), ...(GROUPS_OF.get(s) ?? [])]);
    const kinds = [...groups].map((n) => GLOSSARY[n]?.action);
    const acts = kinds.includes(true) || (groups.size === 0 && VERB_FORM.test(word));
    const onlyActs = acts && !kinds.includes(false);
    if (!terms.has(s)) terms.set(s, { stem: s, groups, acts, weight: onlyActs ? ACTION_WEIGHT : 1 });
  }
  return [...terms.values()];
}

/** Two words name the same thing: one stem, a prefix of the other (four letters at least), or a group. */
function same(a: Term, b: Term): boolean {
  if (a.stem === b.stem) return true;
  const [short, long] = a.stem.length <= b.stem.length ? [a.stem, b.stem] : [b.stem, a.stem];
  if (short.length >= 4 && long.startsWith(short)) return true;
  for (const n of a.groups) if (b.groups.has(n)) return true;
  return false;
}

const isAction = (t: Term) => t.weight < 1;

/**
 * How much of what was said (`said`) a name covers, by weight: 0 to 1. An action said that a name with no
 * action of its own lacks is left out ("quotation bhej" names "Kapoor quotation"); against another
 * action it counts ("Ramesh ko call" does not name "Pay Ramesh").
 */
function coverage(said: readonly Term[], name: readonly Term[], strict = false): number {
  const nameActs = strict || name.some((n) => n.acts);
  let total = 0;
  let found = 0;
  for (const t of said) {
    const hit = name.some((n) => same(t, n));
    if (!hit && isAction(t) && !nameActs) continue;
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

/**
 * Patterns (for ILIKE) that every record a name could mean matches at least one of: the first letters of
 * each word said and of the glossary words it stands for. A cheap first pass; `rankByName` decides.
 */
export function namePatterns(ref: string): string[] {
  const heads = new Set<string>();
  for (const t of termsOf(ref)) {
    heads.add(t.stem.slice(0, 4));
    for (const n of t.groups) for (const w of GLOSSARY[n]?.words ?? []) heads.add(stem(w).slice(0, 4));
  }
  return [...heads].map((h) => `%${escapeLike(h)}%`);
}

/** How many records the cheap first pass hands to the ranking. */
export const CANDIDATES = 200;
/** A name must cover this much of what was said to be meant at all. */
const MATCH_AT = 0.75;
/** Candidates this close to the best are as likely: the user has to say which. */
const CLOSE = 0.1;

/**
 * The records a person means by `ref` ("filed the returns", "godown ka kiraya", "Sharma ji wala"), best
 * first, in the order given when equal: none when nothing covers enough of what was said; one when one
 * is clearly best (or is the only one whose whole name was said); else every close one, so the caller can
 * ask which.
 */
export function rankByName<T>(ref: string, items: readonly T[], nameOf: (item: T) => string): T[] {
  const said = termsOf(ref);
  if (said.length === 0) return [];
  const scored = items
    .map((item) => {
      const name = termsOf(nameOf(item));
      return { item, score: coverage(said, name), whole: coverage(name, said, true) === 1 };
    })
    .filter((s) => s.score >= MATCH_AT)
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) return [];
  const close = scored.filter((s) => s.score >= best.score - CLOSE);
  const whole = close.filter((s) => s.whole);
  if (whole.length === 1) return whole.map((s) => s.item);
  // the words said in another order, the kind words among them ("Diwali order follow up"): the one name that
  // holds clearly more of them is meant ("Follow up with Khanna on Diwali order", not "Place Diwali
  // decoration order")
  const saidWhole = termsOf(ref, true);
  const fullness = close.map((s) => coverage(saidWhole, termsOf(nameOf(s.item), true)));
  const most = Math.max(...fullness);
  const fullest = close.filter((_, k) => (fullness[k] ?? 0) >= most - CLOSE);
  return (fullest.length === 1 ? fullest : close).map((s) => s.item);
}

/** A condition that the text of `columns` matches one of `patterns` (ILIKE), as $1. */
export function anyPatternCondition(columns: readonly string[], patterns: readonly string[]) {
  const text = columns.map((c) => `coalesce(${c}, '')`).join(` || ' ' || `);
  return { where: `(${text}) ILIKE ANY($1::text[])`, params: [patterns] };
}
