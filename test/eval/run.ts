import { openDatabase } from '../../src/db/index.ts';
import { createLogger } from '../../src/log.ts';
import { evaluate, loadEvalSet } from './evaluate.ts';
import { formatScore } from './report.ts';
import { evaluateScenarios, loadScenarios } from './scenarios.ts';

/**
 * `npm run eval`: the offline model's accuracy on the three sets in test/eval/ (the parser-level
 * utterances.json and fresh.json, and scenarios.json through the real turn runner on an in-memory
 * database), and what it got wrong. Holdout failures are counted, not shown (see report.ts).
 */

const utterances = loadEvalSet('utterances');
console.log(`Offline model evaluation (now ${utterances.now}, ${utterances.timezone})\n`);
console.log(formatScore('utterances.json', evaluate(utterances)));
console.log();
console.log(formatScore('fresh.json', evaluate(loadEvalSet('fresh'))));
console.log();

const db = await openDatabase({ DATA_DIR: 'memory://', DATABASE_POOL_SIZE: 1 }, createLogger('silent'));
try {
  console.log(
    formatScore('scenarios.json (real turns, PGlite)', await evaluateScenarios(db, loadScenarios())),
  );
} finally {
  await db.close();
}
