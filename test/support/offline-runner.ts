import { OfflineChatModel } from '../../src/agent/offline/model.ts';
import { loadPrompts } from '../../src/agent/prompts.ts';
import { createTurnRunner, type TurnRunner } from '../../src/agent/runner.ts';
import type { Db } from '../../src/db/types.ts';

/**
 * The Digital Employee's turn runner on the offline model, as the channel tests and the scenario
 * evaluation drive it (no memory); `clock` fixes "now".
 */
export function offlineTurnRunner(db: Db, clock?: () => Date): TurnRunner {
  return createTurnRunner({
    db,
    model: new OfflineChatModel({}),
    modelName: 'offline',
    prompts: loadPrompts(),
    historyTurns: 10,
    turnTimeoutMs: 30_000,
    ...(clock ? { clock } : {}),
  });
}
