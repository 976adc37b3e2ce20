import { evaluate, type Failure, loadEvalSet, type Tally } from './evaluate.ts';

/** `npm run eval`: the offline model's accuracy on test/eval/utterances.json, and what it got wrong. */

const pct = (t: Tally) => (t.total ? `${((100 * t.correct) / t.total).toFixed(1)}%` : 'n/a');
const line = (label: string, t: Tally) =>
  `${label.padEnd(22)} ${pct(t).padStart(6)}  (${t.correct}/${t.total})`;
const show = (v: unknown) => JSON.stringify(v);

function describe(f: Failure): string {
  const tag = `[${f.lang}${f.holdout ? ', holdout' : ''}]`;
  return [
    `  ✗ ${tag} ${show(f.text)}`,
    `      expected ${show(f.expected)}`,
    `      got      ${show(f.got)}`,
  ].join('\n');
}

const set = loadEvalSet();
const score = evaluate(set);
const tuned = { total: score.total - score.holdout.total, correct: score.correct - score.holdout.correct };
console.log(`Offline model evaluation (now ${set.now}, ${set.timezone})\n`);
console.log(line('overall', score));
console.log(line('  English', score.byLang.en));
console.log(line('  Hinglish', score.byLang.hinglish));
console.log(line('  tuned set', tuned));
console.log(line('  holdout (untuned)', score.holdout));
if (score.failures.length > 0) {
  console.log(`\nFailures (${score.failures.length}):`);
  for (const f of score.failures) console.log(describe(f));
} else console.log('\nNo failures.');
