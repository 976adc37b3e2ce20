import { openDatabase } from '../../src/db/index.ts';
import { createLogger } from '../../src/log.ts';
import { asWritten, evaluate, loadEvalSet, PARSER_SETS, relabelled } from './evaluate.ts';
import { evaluateInsights, loadQuestions } from './insights/evaluate.ts';
import { formatAsWritten, formatScore } from './report.ts';
import { evaluateScenarios, loadScenarios, SCENARIO_SETS } from './scenarios.ts';

/**
 * `npm run eval`: the offline model's accuracy on the sets in test/eval/ (the parser-level
 * utterances.json and fresh.json to fresh34.json, and scenarios.json to scenarios68.json through the real
 * turn runner, each on an in-memory database of its own; insights/questions.json over generated books
 * synced through the connector fakes), and what it got wrong. Holdout failures are counted, not shown
 * (see report.ts).
 */

const utterances = loadEvalSet('utterances');
console.log(`Offline model evaluation (now ${utterances.now}, ${utterances.timezone})\n`);
for (const name of PARSER_SETS) {
  const set = loadEvalSet(name);
  console.log(formatScore(`${name}.json`, evaluate(set)));
  if (relabelled(set) > 0) console.log(formatAsWritten(relabelled(set), evaluate(asWritten(set))));
  console.log();
}

for (const name of SCENARIO_SETS) {
  const db = await openDatabase({ DATA_DIR: 'memory://', DATABASE_POOL_SIZE: 1 }, createLogger('silent'));
  try {
    console.log(
      formatScore(`${name}.json (real turns, PGlite)`, await evaluateScenarios(db, loadScenarios(name))),
    );
    console.log();
  } finally {
    await db.close();
  }
}

for (const name of ['questions', 'fresh', 'tuning-hinglish']) {
  const db = await openDatabase({ DATA_DIR: 'memory://', DATABASE_POOL_SIZE: 1 }, createLogger('silent'));
  try {
    const scores = await evaluateInsights(db, loadQuestions(name));
    const title = `insights/${name}.json (books synced from the fakes, real turns, PGlite)`;
    console.log(formatScore(`${title}: the metric call`, scores.call));
    console.log();
    console.log(formatScore(`${title}: the answer`, scores.answer));
    console.log();
    console.log(formatScore(`${title}: nothing of another business`, scores.safety));
  } finally {
    await db.close();
  }
}
