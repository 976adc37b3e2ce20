import type { CaseResult, Score, Tally } from './evaluate.ts';

/**
 * A score as text: overall, per language, tuned and holdout, per group, then the failures. Holdout
 * failures are only counted: whoever tunes the parser must not read them, or the holdout stops measuring
 * whether a fix generalises. `EVAL_SHOW_HOLDOUT=1` shows them, for the one who judges the work.
 */

const showHoldout = () => process.env.EVAL_SHOW_HOLDOUT === '1';

const pct = (t: Tally) => (t.total ? `${((100 * t.correct) / t.total).toFixed(1)}%` : 'n/a');
const cell = (t: Tally) => `${pct(t).padStart(6)} (${`${t.correct}/${t.total}`.padStart(7)})`;
const line = (label: string, t: Tally) => `  ${label.padEnd(26)} ${cell(t)}`;
const show = (v: unknown) => JSON.stringify(v);

function describeFailure(f: CaseResult): string {
  const tag = `[${f.lang}, ${f.group}${f.holdout ? ', holdout' : ''}]`;
  return [
    `  ✗ ${tag} ${show(f.text)}`,
    `      expected ${show(f.expected)}`,
    `      got      ${show(f.got)}`,
  ].join('\n');
}

/** The failures a tuner may read, and a count of the hidden ones. */
export function failureLines(score: Score): string[] {
  const visible = score.failures.filter((f) => !f.holdout || showHoldout());
  const hidden = score.failures.length - visible.length;
  const lines = visible.map(describeFailure);
  if (hidden > 0) lines.push(`  (${hidden} holdout failure${hidden === 1 ? '' : 's'} not shown)`);
  return lines;
}

export function formatScore(title: string, score: Score): string {
  const out = [
    title,
    line('overall', score),
    line('English', score.byLang.en),
    line('Hinglish', score.byLang.hinglish),
  ];
  out.push(line('tuned', score.tuned), line('holdout (untuned)', score.holdout));
  const groups = Object.entries(score.byGroup);
  if (groups.length > 1 || groups[0]?.[0] !== 'all') {
    out.push(`  ${'group'.padEnd(26)} ${'all'.padEnd(16)} ${'tuned'.padEnd(16)} holdout`);
    for (const [name, g] of groups)
      out.push(`  ${name.padEnd(26)} ${cell(g.all)} ${cell(g.tuned)} ${cell(g.holdout)}`);
  }
  const failures = failureLines(score);
  out.push(failures.length ? `Failures (${score.failures.length}):\n${failures.join('\n')}` : 'No failures.');
  return out.join('\n');
}

/** The same set scored on its writer's own labels, where some were brought in line with a later convention. */
export function formatAsWritten(relabelledCases: number, score: Score): string {
  return [
    `  as its writer labelled it (${relabelledCases} case${relabelledCases === 1 ? '' : 's'} relabelled to the conventions):`,
    line('  overall', score),
    line('  holdout (untuned)', score.holdout),
    ...Object.entries(score.byGroup).map(
      ([name, g]) => `    ${name.padEnd(24)} ${cell(g.all)} holdout ${cell(g.holdout)}`,
    ),
  ].join('\n');
}
