import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../support/db.ts';
import { expectGroupsHeldOut } from './checks.ts';
import { accuracy } from './evaluate.ts';
import { evaluateInsights, type InsightScores, loadQuestions } from './insights/evaluate.ts';
import { failureLines } from './report.ts';

describe('the insights questions', () => {
  const set = loadQuestions('questions');
  it('are balanced between English and Hinglish and cover every kind of answer', () => {
    const en = set.cases.filter((c) => c.lang === 'en').length;
    expect(Math.abs(en - (set.cases.length - en))).toBeLessThanOrEqual(set.cases.length * 0.1);
    const kinds = new Set(set.cases.map((c) => c.expect.kind));
    expect([...kinds].sort()).toEqual(['ask_period', 'metric', 'outside']);
  });
});

describe('the fresh insights questions', () => {
  const set = loadQuestions('fresh');
  it('are at least 150, balanced between the languages, with half of each group held out', () => {
    expect(set.cases.length).toBeGreaterThanOrEqual(150);
    const en = set.cases.filter((c) => c.lang === 'en').length;
    expect(en * 2).toBe(set.cases.length);
    expectGroupsHeldOut(set.cases, [...new Set(set.cases.map((c) => c.group))], false);
  });
});

// Our own questions, the fresh ones (half held out, never tuned on) and the Hinglish tuning ones, all
// written by people who never read the parser but ours.
for (const name of ['questions', 'fresh', 'tuning-hinglish']) {
  describeEachDb(`${name}.json: questions about the books, answered by the offline model`, (get) => {
    let scores: InsightScores;
    beforeAll(async () => {
      scores = await evaluateInsights(get().db, loadQuestions(name));
    }, 120_000);

    it('reads at least 90% of the questions as the expected metric call, of the held-out ones too', () => {
      expect(accuracy(scores.call), failureLines(scores.call).join('\n')).toBeGreaterThanOrEqual(0.9);
      expect(accuracy(scores.call.holdout), 'held-out questions read right').toBeGreaterThanOrEqual(0.9);
    });

    it('answers at least 90% with the amount the books hold', () => {
      expect(accuracy(scores.answer), failureLines(scores.answer).join('\n')).toBeGreaterThanOrEqual(0.9);
      expect(accuracy(scores.answer.holdout), 'held-out questions answered').toBeGreaterThanOrEqual(0.9);
    });

    it('never shows an amount of the other business', () => {
      expect(scores.safety.correct, failureLines(scores.safety).join('\n')).toBe(scores.safety.total);
    });
  });
}
