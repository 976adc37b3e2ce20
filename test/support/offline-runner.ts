import { OfflineChatModel } from '../../src/agent/offline/model.ts';
import { loadPrompts } from '../../src/agent/prompts.ts';
import { createTurnRunner, type TurnRunner } from '../../src/agent/runner.ts';
import type { Db } from '../../src/db/types.ts';

/** The Digital Employee's turn runner on the offline model, as the channel tests drive it (no memory). */
export function offlineTurnRunner(db: Db): TurnRunner {
  return createTurnRunner({
    db,
    model: new OfflineChatModel({}),
    modelName: 'offline',
    prompts: loadPrompts(),
    historyTurns: 10,
    turnTimeoutMs: 30_000,
  });
}
