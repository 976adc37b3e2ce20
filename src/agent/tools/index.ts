import type { StructuredToolParams } from '@langchain/core/tools';
import { ZodError, type z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import type { Logger } from '../../log.ts';
import { completeFollowUp, createFollowUp, listFollowUps, snoozeFollowUp } from './follow-ups.ts';
import { findParty, queryBusinessData } from './insights.ts';
import { forget, remember, searchMemory } from './memory.ts';
import { myDay, setBriefing } from './my-day.ts';
import { completeTask, createTask, deleteTask, listTasks, updateTask } from './tasks.ts';
import { type Failure, fail, type SuccessOf, type ToolDeps, type TurnContext } from './tool.ts';

/**
 * Every tool the Digital Employee has, in one list: the LLM sees each as JSON Schema, the offline model's
 * parser emits their arguments, and its replies are written from their typed results.
 */
export const TOOLS = [
  createTask,
  listTasks,
  updateTask,
  completeTask,
  deleteTask,
  createFollowUp,
  listFollowUps,
  snoozeFollowUp,
  completeFollowUp,
  myDay,
  setBriefing,
  searchMemory,
  remember,
  forget,
  queryBusinessData,
  findParty,
] as const;

type AnyTool = (typeof TOOLS)[number];
export type ToolName = AnyTool['name'];
type ToolNamed<N extends ToolName> = Extract<AnyTool, { name: N }>;
export type ToolArgs<N extends ToolName> = z.infer<ToolNamed<N>['args']>;
/** The result of a tool that succeeded. */
export type ToolSuccess<N extends ToolName> = SuccessOf<ToolNamed<N>>;
export type ToolResult = ToolSuccess<ToolName> | Failure;

export const TOOL_NAMES: ToolName[] = TOOLS.map((t) => t.name);
export const toolArgs = Object.fromEntries(TOOLS.map((t) => [t.name, t.args])) as {
  [N in ToolName]: ToolNamed<N>['args'];
};

export type { Failure, ToolDeps, TurnContext } from './tool.ts';

const byName = new Map<string, AnyTool>(TOOLS.map((t) => [t.name, t]));

export interface ToolboxDeps extends ToolDeps {
  logger?: Logger | undefined;
}

/**
 * Runs a tool: arguments checked against its schema, refusals turned into results the model can explain.
 * An unexpected error (a database failure…) is logged and becomes a generic result: its text would tell
 * the user and the stored turn about our internals.
 */
async function runGuarded(
  deps: ToolboxDeps,
  name: string,
  args: unknown,
  turn: TurnContext,
): Promise<ToolResult> {
  const tool = byName.get(name);
  if (!tool) return fail('unknown_tool', `There is no tool called ${name}.`);
  try {
    const parsed = tool.args.parse(args);
    return (await (tool.run as (a: unknown, t: TurnContext, d: ToolDeps) => Promise<ToolResult>)(
      parsed,
      turn,
      deps,
    )) as ToolResult;
  } catch (err) {
    if (err instanceof DomainError) return fail(err.code, err.message);
    if (err instanceof ZodError) {
      const issue = err.issues[0];
      return fail(
        'invalid_arguments',
        issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid arguments',
      );
    }
    deps.logger?.error({ err, tool: name, requestId: turn.ctx.requestId }, 'tool failed');
    return fail('internal_error', 'Something went wrong on our side while doing that. Please try again.');
  }
}

/**
 * The toolbox a turn runs: `tools`, what the model is shown (name, description and argument schema, as any
 * LangChain chat model binds them), and `run`, what the agent loop calls for each tool call: its answer as
 * the JSON the model reads.
 */
export function createToolbox(deps: ToolboxDeps) {
  const run = async (name: string, args: unknown, turn: TurnContext) =>
    JSON.stringify(await runGuarded(deps, name, args, turn));
  const tools: StructuredToolParams[] = TOOLS.map((t) => ({
    name: t.name,
    description: t.description,
    schema: t.args,
  }));
  return { tools, run };
}
