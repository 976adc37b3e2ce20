import { HONORIFICS_BEFORE } from '../../domain/honorifics.ts';
import { normalisePhone } from '../../domain/phone.ts';
import {
  ASKED_OF_YOU,
  MAY_ASK,
  SPELLING,
  YOU_CAN_TAIL,
  YOU_MAY,
  YOU_MAY_ANY,
  YOU_WILL,
  YOU_WILL_STEMS,
} from './lexicon.ts';

/**
 * A message split into tokens. Every token keeps the words as the user typed them (`raw`, for titles and
 * names) and a normalised form (`norm`, for matching). The normalised forms joined by single spaces make
 * `norm`, the text every matcher runs on; a match maps back to the tokens it covers. As the parser
 * recognises parts of the message (a date, a phone, a cue) it marks their tokens used, and whatever is
 * left is the title, the name or the subject.
 */

export interface Token {
  /** As typed, without the punctuation around it. */
  raw: string;
  /** Lower case, apostrophes dropped, spelling folded. May hold a space ("hogaya" → "ho gaya"). */
  norm: string;
  /** Offset of `norm` in `Utterance.norm`. */
  start: number;
  /** Offset of the typed word (its punctuation included) in `Utterance.text`. */
  at: number;
  /** E.164, when the token is a phone number. */
  phone?: string;
  /** A comma, full stop, colon, dash or question mark follows it: a clause ends here. */
  breakAfter: boolean;
  /** A name's initial, typed as a capital and a full stop ("K." of "Mr. K. R. Nair"). */
  initial?: boolean;
  /** A verb's "will you"/"can you" form, read as the plain request ("dila doge" → "dila dena"). */
  asked?: boolean;
}

/** Why a token was taken out of the free text. Phones and fillers do not split a phrase in two. */
export type Use = 'when' | 'phone' | 'cue' | 'priority' | 'channel' | 'noun' | 'marker' | 'filler';
const SOFT_USES: ReadonlySet<Use> = new Set(['phone', 'filler']);

export interface Match {
  /** First token covered. */
  from: number;
  /** One past the last token covered. */
  to: number;
  text: string;
  groups: (string | undefined)[];
}

// A candidate phone: digits with spaces, dashes, dots or brackets, optionally after a "+".
const PHONE_CANDIDATE = /(?<![\w+])\+?\d[\d\s\-().]{7,17}\d(?!\w)/g;
// A leading ₹ stays in the raw text (titles keep "₹1,25,000"), out of the normalised form.
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}\p{Sc}&+#@]+|[^\p{L}\p{N}&%]+$/gu;
const CURRENCY = /^\p{Sc}+/u;
const ARROW = /^(?:→|->|-->|=>|⇒|➡️?)$/u;
// an emoji closes a clause as a stop does: "Mrs Rao's order is ready 🎉 call her tomorrow"
const CLAUSE_END = /[,.;:!?\-–—\p{Extended_Pictographic}][\u{FE0F}\p{Emoji_Modifier}]*$/u;
// a tick says done: "rent ✅", "GST filing ✔️"
const DONE_MARK = /^[\u{2705}\u{2714}\u{2611}]\u{FE0F}?$/u;
// A capital letter and its full stop, as in a name's initials, typed apart or together ("K. R.", "S.P.").
const INITIAL = /^(?:\p{Lu}\.){1,3}$/u;

export class Utterance {
  readonly tokens: Token[];
  readonly norm: string;
  /** The message as typed (quotes and spaces normalised): what a memory keeps, punctuation and all. */
  readonly text: string;
  readonly endsWithQuestion: boolean;
  private readonly uses: (Use | undefined)[];
  /** `freeNorm` as of the last `use`: the parser asks for it far more often than it marks tokens. */
  private free: string | undefined;

  constructor(text: string) {
    const cleaned = text
      .normalize('NFKC')
      .replace(/[‘’`´]/g, "'")
      .replace(/[“”]/g, '"')
      .replace(/(\p{Sc})\s+(?=\d)/gu, '$1');
    this.text = cleaned;
    this.endsWithQuestion = /\?\s*$/.test(cleaned);
    this.tokens = foldAskedOfYou(tokenise(cleaned), cleaned);
    let offset = 0;
    for (const token of this.tokens) {
      token.start = offset;
      offset += token.norm.length + 1;
    }
    this.norm = this.tokens.map((t) => t.norm).join(' ');
    this.uses = this.tokens.map((t) => (t.phone ? 'phone' : undefined));
  }

  /** A copy to try matchers on without marking this one. */
  copy(): Utterance {
    const twin = Object.create(Utterance.prototype) as Utterance;
    Object.assign(twin, this, { uses: [...this.uses], free: this.free });
    return twin;
  }

  get length(): number {
    return this.tokens.length;
  }

  /**
   * The normalised text with used tokens blanked out (same length, so offsets still line up), for
   * matchers that must only see what is left.
   */
  get freeNorm(): string {
    this.free ??= this.tokens.map((t, i) => (this.uses[i] ? ' '.repeat(t.norm.length) : t.norm)).join(' ');
    return this.free;
  }

  /** Every match of a global regular expression, over free tokens only unless `all` is set. */
  find(pattern: RegExp, options: { all?: boolean } = {}): Match[] {
    const haystack = options.all ? this.norm : this.freeNorm;
    const found: Match[] = [];
    for (const m of haystack.matchAll(pattern)) {
      if (m[0].trim() === '') continue;
      const startChar = m.index + (m[0].length - m[0].trimStart().length);
      const endChar = m.index + m[0].trimEnd().length;
      const range = this.tokenRange(startChar, endChar);
      if (range) found.push({ ...range, text: m[0].trim(), groups: m.slice(1) });
    }
    return found;
  }

  /** Whether `find` would find anything, without mapping each match to its tokens. */
  has(pattern: RegExp, options: { all?: boolean } = {}): boolean {
    for (const m of (options.all ? this.norm : this.freeNorm).matchAll(pattern))
      if (m[0].trim() !== '') return true;
    return false;
  }

  /** The tokens a character range of `norm` covers. */
  tokenRange(startChar: number, endChar: number): { from: number; to: number } | null {
    let from = -1;
    let to = -1;
    this.tokens.forEach((t, i) => {
      const end = t.start + t.norm.length;
      if (end > startChar && t.start < endChar) {
        if (from < 0) from = i;
        to = i + 1;
      }
    });
    return from < 0 ? null : { from, to };
  }

  use(from: number, to: number, use: Use): void {
    for (let i = from; i < to; i++) this.uses[i] ??= use;
    this.free = undefined;
  }

  useMatch(match: Match | undefined, use: Use): boolean {
    if (!match) return false;
    this.use(match.from, match.to, use);
    return true;
  }

  /** Finds and marks the first free match; returns it. */
  take(pattern: RegExp, use: Use): Match | undefined {
    const match = this.find(pattern)[0];
    this.useMatch(match, use);
    return match;
  }

  /** Finds and marks every free match. */
  takeAll(pattern: RegExp, use: Use): Match[] {
    const matches = this.find(pattern);
    for (const m of matches) this.useMatch(m, use);
    return matches;
  }

  usedAs(i: number): Use | undefined {
    return this.uses[i];
  }

  isFree(i: number): boolean {
    return i >= 0 && i < this.tokens.length && this.uses[i] === undefined;
  }

  freeIndexes(from = 0, to = this.tokens.length): number[] {
    const out: number[] = [];
    for (let i = from; i < to; i++) if (this.isFree(i)) out.push(i);
    return out;
  }

  /**
   * Runs of free tokens. A run ends at a clause break and at a used token, except phones and fillers,
   * which sit inside a phrase ("Suresh 98450 12345 se").
   */
  chunks(from = 0, to = this.tokens.length): number[][] {
    const runs: number[][] = [];
    let run: number[] = [];
    const close = () => {
      if (run.length) runs.push(run);
      run = [];
    };
    for (let i = from; i < to; i++) {
      const use = this.uses[i];
      if (use === undefined) run.push(i);
      else if (!SOFT_USES.has(use)) close();
      if (this.tokens[i]?.breakAfter) close();
    }
    close();
    return runs;
  }

  /** The clause holding token `at`: its first token and the one after its last. */
  clauseAround(at: number): { from: number; to: number } {
    let from = at;
    while (from > 0 && !this.tokens[from - 1]?.breakAfter) from--;
    const end = this.firstClauseBreak(at);
    return { from, to: end < 0 ? this.tokens.length : end + 1 };
  }

  /** The first token at or after `from` that ends a clause, or -1. */
  firstClauseBreak(from = 0): number {
    for (let i = from; i < this.tokens.length; i++) if (this.tokens[i]?.breakAfter) return i;
    return -1;
  }

  /** The words of tokens `from` to `to` (not included), as typed. */
  rawBetween(from: number, to: number): string {
    return this.raw(Array.from({ length: to - from }, (_, k) => from + k));
  }

  raw(indexes: readonly number[]): string {
    return indexes
      .map((i) => this.tokens[i]?.raw ?? '')
      .filter((s) => s !== '')
      .join(' ');
  }

  normOf(i: number): string {
    return this.tokens[i]?.norm ?? '';
  }

  phones(): string[] {
    return this.tokens.flatMap((t) => (t.phone ? [t.phone] : []));
  }
}

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const phone of findPhones(text)) {
    pushWords(tokens, text.slice(last, phone.start), last);
    tokens.push({
      raw: phone.raw,
      norm: '#phone',
      start: 0,
      at: phone.start,
      phone: phone.e164,
      breakAfter: false,
    });
    last = phone.end;
  }
  pushWords(tokens, text.slice(last), last);
  return tokens;
}

function pushWords(tokens: Token[], text: string, base: number): void {
  if (/^\s*[,.;:!?\-–—]/.test(text)) markBreak(tokens);
  for (const m of text.matchAll(/\S+/g)) {
    const piece = m[0];
    const raw = piece === '&' ? '&' : piece.replace(EDGE_PUNCTUATION, '');
    if (DONE_MARK.test(piece)) {
      tokens.push({ raw: piece, norm: 'done', start: 0, at: base + m.index, breakAfter: true });
      continue;
    }
    // "ertiga delivery → sat": an arrow says where a thing goes
    if (ARROW.test(piece)) {
      tokens.push({ raw: 'to', norm: 'to', start: 0, at: base + m.index, breakAfter: false });
      continue;
    }
    if (raw === '') {
      if (CLAUSE_END.test(piece)) markBreak(tokens);
      continue;
    }
    const lower = raw.toLowerCase().replace(/'/g, '').replace(CURRENCY, '');
    // "Dr. Menon": the full stop of a title before a name ends no clause (and, as all edge punctuation, is
    // left out of `raw`: names and titles pass "Dr Menon", see withoutTitleStops)
    const title = HONORIFICS_BEFORE.has(lower) && piece.endsWith('.');
    // nor does an initial's ("Mr. K. R. Nair", "S.P. Agarwal ji")
    const initial = INITIAL.test(piece);
    tokens.push({
      raw,
      norm: SPELLING[lower] ?? lower,
      start: 0,
      at: base + m.index,
      breakAfter: !title && !initial && CLAUSE_END.test(piece),
      ...(initial ? { initial } : {}),
    });
  }
}

const KYA_YOU = new RegExp(` ${ASKED_OF_YOU} `);

/** The plain request a "will you"/"can you" form stands for, or undefined (see YOU_WILL). */
function plainRequest(word: string, next: string | undefined, kya: boolean): string | undefined {
  const stem = YOU_WILL.exec(word)?.[1];
  if (stem !== undefined) return YOU_WILL_STEMS[stem] ?? (stem.length > 1 ? `${stem}na` : undefined);
  const any = YOU_MAY_ANY.exec(word)?.[1];
  const plain = YOU_MAY[word] ?? (any === undefined ? undefined : `${any}na`);
  if (plain !== 'do') return kya ? plain : undefined;
  return next === 'ho' || (kya && next !== undefined && YOU_CAN_TAIL.has(next)) ? plain : undefined;
}

/**
 * "kya tum … yaad dila doge?", "… bata sakte ho?": a request asked as a question. The verb's "will you" or
 * "can you" form is said as the plain request, a "ho" after "sakte" going with it, so a title reads as one
 * ("Sharma ji ko call kar dena"), and is marked `asked`; not after a "kya" asking what ("tum kya kya kar
 * sakte ho" asks what the assistant does).
 */
function foldAskedOfYou(tokens: Token[], text: string): Token[] {
  if (!MAY_ASK.test(text)) return tokens;
  const kya = KYA_YOU.test(` ${tokens.map((t) => t.norm).join(' ')} `);
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const next = tokens[i + 1];
    const plain = plainRequest(token.norm, next?.norm, kya);
    const what = [tokens[i - 1], tokens[i - 2]].some((t) => t?.norm === 'kya');
    if (plain === undefined || what) {
      out.push(token);
      continue;
    }
    const tail = plain === 'do' && next !== undefined && YOU_CAN_TAIL.has(next.norm) ? next : undefined;
    out.push({ ...token, raw: plain, norm: plain, asked: true, breakAfter: (tail ?? token).breakAfter });
    if (tail) i++;
  }
  return out;
}

function markBreak(tokens: Token[]): void {
  const last = tokens.at(-1);
  if (last) last.breakAfter = true;
}

/** Indian numbers as owners write them; the longest prefix of a digit run that is a phone wins. */
function findPhones(text: string): { start: number; end: number; raw: string; e164: string }[] {
  const found: { start: number; end: number; raw: string; e164: string }[] = [];
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    const candidate = m[0];
    for (let end = candidate.length; end > 0; end--) {
      if (!/\d/.test(candidate[end - 1] ?? '') || /\d/.test(candidate[end] ?? '')) continue;
      const raw = candidate.slice(0, end);
      const e164 = normalisePhone(raw);
      if (e164) {
        found.push({ start: m.index, end: m.index + end, raw, e164 });
        break;
      }
    }
  }
  return found;
}
