import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type ParsedIntent, parseUtterance } from '../../src/agent/offline/parse.ts';
import { TOOL_NAMES } from '../../src/agent/tools/index.ts';
import { normalisePhone } from '../../src/domain/phone.ts';

/**
 * Scores the offline parser against the parser-level sets, test/eval/utterances.json, fresh.json and
 * fresh2.json. A case is right when the kind and the tool match, every expected argument is present with
 * an equal value (strings compared without case or punctuation, spaces collapsed and a leading article
 * aside — "the payment" is the subject "payment"; times as instants, phones as E.164) and no argument named in
 * `absent` is there. Arguments the expectation does not name may be present.
 */

const Expect = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('tool'),
    tool: z.enum(TOOL_NAMES as [string, ...string[]]),
    args: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  }),
  z.object({ kind: z.enum(['help', 'greeting', 'unknown', 'business_question', 'setback']) }),
]);
export type Expect = z.infer<typeof Expect>;

export const Lang = z.enum(['en', 'hinglish']);
export type Lang = z.infer<typeof Lang>;

const Case = z.object({
  text: z.string(),
  lang: Lang,
  group: z.string().optional(),
  holdout: z.boolean().optional(),
  /** `tuning`: written by whoever tuned the parser for its group, after reading the parser. */
  origin: z.literal('tuning').optional(),
  expect: Expect,
  /** Arguments that must not be there (a list question must not search for its own words). */
  absent: z.array(z.string()).optional(),
  /**
   * Set on a case of a batch written before (or unaware of) a convention in README.md that decides it
   * the other way: `expect` follows the convention, `written` keeps the writer's label, and the runner
   * prints the set's score both ways.
   */
  written: Expect.optional(),
  written_absent: z.array(z.string()).optional(),
  convention: z.string().optional(),
});
export type EvalCase = z.infer<typeof Case>;

const EvalSet = z.object({
  now: z.iso.datetime({ offset: true }),
  timezone: z.string(),
  cases: z.array(Case),
});
export type EvalSet = z.infer<typeof EvalSet>;

/** The parser-level sets, in the order `npm run eval` prints them. */
export const PARSER_SETS = [
  'utterances',
  'fresh',
  'fresh2',
  'fresh3',
  'fresh4',
  'fresh5',
  'fresh6',
  'fresh7',
  'fresh8',
  'fresh9',
  'fresh10',
  'fresh11',
  'fresh12',
  'fresh13',
  'fresh14',
  'fresh15',
  'fresh16',
  'fresh17',
  'fresh18',
  'fresh19',
  'fresh20',
  'fresh21',
  'fresh22',
  'fresh23',
  'fresh24',
  'fresh25',
  'fresh26',
  'fresh27',
  'fresh28',
  'fresh29',
  'fresh30',
  'fresh31',
  'fresh32',
  'fresh33',
  'fresh34',
] as const;
export type ParserSet = (typeof PARSER_SETS)[number];

export function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8'));
}

export function loadEvalSet(name: ParserSet = 'utterances'): EvalSet {
  return EvalSet.parse(readJson(name));
}

// ---- scores, shared with the scenario runner ----

export interface Tally {
  total: number;
  correct: number;
}

/** One case scored: where it belongs, and when wrong, what was said, expected and got. */
export interface CaseResult {
  lang: Lang;
  group: string;
  holdout: boolean;
  ok: boolean;
  text: string;
  expected: unknown;
  got: unknown;
}

export interface Score extends Tally {
  accuracy: number;
  byLang: Record<Lang, Tally>;
  tuned: Tally;
  /** Cases written for checking only, never tuned on. */
  holdout: Tally;
  byGroup: Record<string, { all: Tally; tuned: Tally; holdout: Tally }>;
  failures: CaseResult[];
}

const tally = (): Tally => ({ total: 0, correct: 0 });
const count = (t: Tally, ok: boolean) => {
  t.total++;
  if (ok) t.correct++;
};
export const accuracy = (t: Tally) => (t.total ? t.correct / t.total : 1);

export function scoreOf(results: readonly CaseResult[]): Score {
  const all = tally();
  const byLang = { en: tally(), hinglish: tally() };
  const tuned = tally();
  const holdout = tally();
  const byGroup: Score['byGroup'] = {};
  for (const r of results) {
    const group = byGroup[r.group] ?? { all: tally(), tuned: tally(), holdout: tally() };
    byGroup[r.group] = group;
    for (const t of [all, byLang[r.lang], r.holdout ? holdout : tuned, group.all]) count(t, r.ok);
    count(r.holdout ? group.holdout : group.tuned, r.ok);
  }
  return {
    ...all,
    accuracy: accuracy(all),
    byLang,
    tuned,
    holdout,
    byGroup,
    failures: results.filter((r) => !r.ok),
  };
}

// ---- the parser-level sets ----

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
// Punctuation is how it was typed, not what was understood: "Dr. Mehta" is "Dr Mehta", "Mr.Iyer" "Mr Iyer".
const text = (s: string) =>
  s
    .replace(/[.,;:!?'"’]/g, ' ')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase()
    .replace(/^(?:the|a|an) /, '');

function sameValue(key: string, expected: string | number | boolean, got: unknown): boolean {
  if (typeof expected !== 'string') return got === expected;
  if (typeof got !== 'string') return false;
  if (ISO_TIME.test(expected)) return ISO_TIME.test(got) && Date.parse(expected) === Date.parse(got);
  if (key === 'contact_phone') return (normalisePhone(expected) ?? expected) === (normalisePhone(got) ?? got);
  return text(expected) === text(got);
}

export function matches(c: Pick<EvalCase, 'expect' | 'absent'>, got: ParsedIntent): boolean {
  const expected = c.expect;
  if (expected.kind !== got.kind) return false;
  if (expected.kind !== 'tool' || got.kind !== 'tool') return true;
  if (expected.tool !== got.tool) return false;
  if ((c.absent ?? []).some((key) => Object.hasOwn(got.args, key))) return false;
  return Object.entries(expected.args).every(
    ([key, value]) => Object.hasOwn(got.args, key) && sameValue(key, value, got.args[key]),
  );
}

/** The set as its writer labelled it, before any case was brought in line with a later convention. */
export function asWritten(set: EvalSet): EvalSet {
  return {
    ...set,
    cases: set.cases.map((c) =>
      c.written ? { ...c, expect: c.written, absent: c.written_absent ?? c.absent } : c,
    ),
  };
}

export const relabelled = (set: EvalSet) => set.cases.filter((c) => c.written).length;

export function evaluate(
  set: EvalSet = loadEvalSet(),
  parse: (text: string, opts: { now: Date; timezone: string }) => ParsedIntent = parseUtterance,
): Score {
  const opts = { now: new Date(set.now), timezone: set.timezone };
  return scoreOf(
    set.cases.map((c) => {
      const got = parse(c.text, opts);
      return {
        lang: c.lang,
        group: c.group ?? 'all',
        holdout: c.holdout ?? false,
        ok: matches(c, got),
        text: c.text,
        expected: c.absent ? { ...c.expect, absent: c.absent } : c.expect,
        got,
      };
    }),
  );
}
