import { expect, it } from 'vitest';
import { describeEachDb } from '../support/db.ts';
import { accuracy } from './evaluate.ts';
import { failureLines } from './report.ts';
import { evaluateScenarios, loadScenarios } from './scenarios.ts';

// The scenario set through the real turn runner, the offline model and the tools, on each database.
describeEachDb('offline model scenarios (a business with open tasks)', (get) => {
  const set = loadScenarios();

  it('has each group in both languages, half of each held out', () => {
    const groups = new Set(set.cases.map((c) => c.group));
    expect([...groups].sort()).toEqual(['complete_paraphrase', 'open_tasks_question', 'reschedule']);
    for (const group of groups) {
      const cases = set.cases.filter((c) => c.group === group);
      for (const lang of ['en', 'hinglish'] as const) expect(cases.some((c) => c.lang === lang)).toBe(true);
      expect(Math.abs(2 * cases.filter((c) => c.holdout).length - cases.length)).toBeLessThanOrEqual(2);
    }
  });

  it('scores at least 90% overall and in each group', { timeout: 120_000 }, async () => {
    const score = await evaluateScenarios(get().db, set);
    if (score.accuracy < 0.9) console.error(failureLines(score).join('\n'));
    expect(score.accuracy).toBeGreaterThanOrEqual(0.9);
    for (const [group, g] of Object.entries(score.byGroup)) {
      expect(accuracy(g.all), group).toBeGreaterThanOrEqual(0.9);
    }
  });
});
