import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type ParsedIntent, parseUtterance } from '../../src/agent/offline/parse.ts';
import { TOOL_NAMES } from '../../src/agent/tools/index.ts';
import { normalisePhone } from '../../src/domain/phone.ts';

/**
 * Scores the offline parser against test/eval/utterances.json. A case is right when the kind and the
 * tool match and every expected argument is present with an equal value: strings compared without case
 * and with spaces collapsed, times as instants, phones as E.164. Arguments the expectation does not name
 * may be present.
 */

const Expect = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('tool'),
    tool: z.enum(TOOL_NAMES as [string, ...string[]]),
    args: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  }),
  z.object({ kind: z.enum(['help', 'greeting', 'unknown']) }),
]);
export type Expect = z.infer<typeof Expect>;

const Case = z.object({
  text: z.string(),
  lang: z.enum(['en', 'hinglish']),
  holdout: z.boolean().optional(),
  expect: Expect,
});
export type EvalCase = z.infer<typeof Case>;

const EvalSet = z.object({
  now: z.iso.datetime({ offset: true }),
  timezone: z.string(),
  cases: z.array(Case),
});
export type EvalSet = z.infer<typeof EvalSet>;

export function loadEvalSet(): EvalSet {
  const text = readFileSync(new URL('./utterances.json', import.meta.url), 'utf8');
  return EvalSet.parse(JSON.parse(text));
}

export interface Tally {
  total: number;
  correct: number;
}
export interface Failure {
  text: string;
  lang: 'en' | 'hinglish';
  holdout: boolean;
  expected: Expect;
  got: ParsedIntent;
}
export interface Score extends Tally {
  accuracy: number;
  byLang: { en: Tally; hinglish: Tally };
  /** Cases written for checking only, never tuned on. */
  holdout: Tally & { accuracy: number };
  failures: Failure[];
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
const text = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

function sameValue(key: string, expected: string | number | boolean, got: unknown): boolean {
  if (typeof expected !== 'string') return got === expected;
  if (typeof got !== 'string') return false;
  if (ISO_TIME.test(expected)) return ISO_TIME.test(got) && Date.parse(expected) === Date.parse(got);
  if (key === 'contact_phone') return (normalisePhone(expected) ?? expected) === (normalisePhone(got) ?? got);
  return text(expected) === text(got);
}

export function matches(expected: Expect, got: ParsedIntent): boolean {
  if (expected.kind !== got.kind) return false;
  if (expected.kind !== 'tool' || got.kind !== 'tool') return true;
  if (expected.tool !== got.tool) return false;
  return Object.entries(expected.args).every(
    ([key, value]) => Object.hasOwn(got.args, key) && sameValue(key, value, got.args[key]),
  );
}

export function evaluate(
  set: EvalSet = loadEvalSet(),
  parse: (text: string, opts: { now: Date; timezone: string }) => ParsedIntent = parseUtterance,
): Score {
  const opts = { now: new Date(set.now), timezone: set.timezone };
  const byLang = { en: { total: 0, correct: 0 }, hinglish: { total: 0, correct: 0 } };
  const holdout = { total: 0, correct: 0, accuracy: 0 };
  const failures: Failure[] = [];
  let correct = 0;
  for (const c of set.cases) {
    const got = parse(c.text, opts);
    const ok = matches(c.expect, got);
    byLang[c.lang].total++;
    if (c.holdout) holdout.total++;
    if (ok) {
      correct++;
      byLang[c.lang].correct++;
      if (c.holdout) holdout.correct++;
    } else
      failures.push({ text: c.text, lang: c.lang, holdout: c.holdout ?? false, expected: c.expect, got });
  }
  holdout.accuracy = holdout.total ? holdout.correct / holdout.total : 1;
  const total = set.cases.length;
  return { total, correct, accuracy: total ? correct / total : 1, byLang, holdout, failures };
}
