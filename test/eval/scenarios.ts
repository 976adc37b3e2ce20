import { z } from 'zod';
import type { TurnRunner } from '../../src/agent/runner.ts';
import type { Db } from '../../src/db/types.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { addMember } from '../../src/domain/members/service.ts';
import { updateProfile } from '../../src/domain/profile.ts';
import type { Task } from '../../src/domain/tasks/schema.ts';
import { createTask, listTasks } from '../../src/domain/tasks/service.ts';
import { ensureOwner } from '../../src/domain/tenants.ts';
import { offlineTurnRunner } from '../support/offline-runner.ts';
import { type CaseResult, Lang, readJson, type Score, scoreOf } from './evaluate.ts';

/**
 * Scores test/eval/scenarios.json and scenarios2.json: cases that need the owner's open tasks (and team
 * members). Each case gets a business of its own with its tasks and members, created through the domain
 * services; its message runs through the real turn runner with the offline model and the real tools; the
 * effect is read back from the database.
 * - `done`: the named task is done, nothing else changed;
 * - `rescheduled`: the named task has the new due date (no time) or due time, nothing else changed;
 * - `assigned`: the named task is assigned to the member (or the owner) of that full name, nothing else
 *   about it or any other task changed;
 * - `asks`: nothing changed, and the reply names the tasks it is choosing between;
 * - `unchanged`: nothing changed (a report about none of the tasks, or an action against a task's own);
 * - `listed`: nothing changed, and the reply lists `count` tasks, every open one among them.
 */

const Expect = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('done'), tool: z.literal('complete_task').optional(), task: z.string() }),
  z.object({
    outcome: z.literal('rescheduled'),
    tool: z.literal('update_task').optional(),
    task: z.string(),
    due_date: z.iso.date().optional(),
    due_at: z.iso.datetime({ offset: true }).optional(),
  }),
  z.object({
    outcome: z.literal('assigned'),
    tool: z.literal('update_task').optional(),
    task: z.string(),
    /** A member's full name, as in `members`. */
    assignee: z.string(),
  }),
  z.object({ outcome: z.literal('asks') }),
  z.object({ outcome: z.literal('unchanged') }),
  z.object({ outcome: z.literal('listed'), count: z.number().int().positive() }),
]);

const Scenario = z.object({
  group: z.string(),
  lang: Lang,
  holdout: z.boolean().optional(),
  /** `tuning`: written by whoever tuned the parser for its group, after reading the parser. */
  origin: z.literal('tuning').optional(),
  tasks: z.array(z.string().min(1)).min(1),
  /** The business's team members by full name, added before the turn. */
  members: z.array(z.string().min(1)).optional(),
  /** The owner's own name, set before the turn: an assignment to the owner ("mujhe de do") names it. */
  owner: z.string().min(1).optional(),
  text: z.string(),
  expect: Expect,
});
export type Scenario = z.infer<typeof Scenario>;

const ScenarioSet = z.object({
  now: z.iso.datetime({ offset: true }),
  timezone: z.string(),
  cases: z.array(Scenario),
});
export type ScenarioSet = z.infer<typeof ScenarioSet>;

/** The scenario sets, in the order `npm run eval` prints them. */
export const SCENARIO_SETS = [
  'scenarios',
  'scenarios2',
  'scenarios3',
  'scenarios4',
  'scenarios5',
  'scenarios6',
  'scenarios7',
  'scenarios8',
  'scenarios9',
  'scenarios10',
  'scenarios11',
  'scenarios12',
  'scenarios13',
  'scenarios14',
  'scenarios15',
  'scenarios16',
  'scenarios17',
  'scenarios18',
  'scenarios19',
  'scenarios20',
  'scenarios21',
  'scenarios22',
  'scenarios23',
  'scenarios24',
  'scenarios25',
  'scenarios26',
  'scenarios27',
  'scenarios28',
  'scenarios29',
  'scenarios30',
  'scenarios31',
  'scenarios32',
  'scenarios33',
  'scenarios34',
  'scenarios35',
  'scenarios36',
  'scenarios37',
  'scenarios38',
  'scenarios39',
  'scenarios40',
  'scenarios41',
  'scenarios42',
  'scenarios43',
  'scenarios44',
  'scenarios45',
  'scenarios46',
  'scenarios47',
  'scenarios48',
  'scenarios49',
  'scenarios50',
  'scenarios51',
  'scenarios52',
  'scenarios53',
  'scenarios54',
  'scenarios55',
  'scenarios56',
  'scenarios57',
  'scenarios58',
  'scenarios59',
  'scenarios60',
  'scenarios61',
  'scenarios62',
  'scenarios63',
  'scenarios64',
  'scenarios65',
  'scenarios66',
  'scenarios67',
  'scenarios68',
] as const;
export type ScenarioFile = (typeof SCENARIO_SETS)[number];

export const loadScenarios = (name: ScenarioFile = 'scenarios'): ScenarioSet =>
  ScenarioSet.parse(readJson(name));

/** What a task is apart from its assignee, and with it: for telling whether and how a turn changed it. */
const contentOf = (t: Task) => JSON.stringify([t.title, t.status, t.due_date, t.due_at, t.priority, t.notes]);
const stateOf = (t: Task) => JSON.stringify([contentOf(t), t.assignee_id]);

async function tasksOf(db: Db, ctx: Ctx): Promise<Task[]> {
  return (await listTasks(db, ctx, { sort: 'created_at', page: 1, limit: 100 })).items;
}

/** What the turn did, in a few words, for a failure report. */
interface Observed {
  reply: string;
  actions: { tool: string; args: unknown; ok: unknown; error?: unknown }[];
  changed: {
    title: string;
    status: string;
    due_date: string | null;
    due_at: string | null;
    assignee: string | null;
  }[];
}

/**
 * Whether the turn had the expected effect: `changed` are the tasks it changed; `team` the members' ids
 * by full name.
 */
function judge(
  c: Scenario,
  before: Task[],
  changed: Task[],
  reply: string,
  team: ReadonlyMap<string, string>,
): boolean {
  const e = c.expect;
  switch (e.outcome) {
    case 'assigned': {
      const t = changed[0];
      const was = before.find((b) => b.id === t?.id);
      if (changed.length !== 1 || !t || !was || t.title !== e.task) return false;
      return t.assignee_id === team.get(e.assignee) && contentOf(t) === contentOf(was);
    }
    case 'done':
    case 'rescheduled': {
      if (changed.length !== 1 || changed[0]?.title !== e.task) return false;
      const t = changed[0];
      if (e.outcome === 'done') return t.status === 'done';
      if (t.status !== 'open') return false;
      if (e.due_at) return t.due_at !== null && Date.parse(t.due_at) === Date.parse(e.due_at);
      return t.due_date === e.due_date && t.due_at === null;
    }
    case 'asks':
      return changed.length === 0 && before.filter((t) => reply.includes(t.title)).length >= 2;
    case 'unchanged':
      return changed.length === 0;
    case 'listed': {
      const lines = reply.split('\n').filter((l) => /^\d+\.\s/.test(l));
      return changed.length === 0 && lines.length === e.count && before.every((t) => reply.includes(t.title));
    }
  }
}

export interface ScenarioRun {
  db: Db;
  runTurn: TurnRunner;
  /** People made so far: each case's owner and members get phones of their own. */
  made: number;
}

export function scenarioRun(db: Db, set: ScenarioSet): ScenarioRun {
  const now = new Date(set.now);
  return { db, runTurn: offlineTurnRunner(db, () => now), made: 0 };
}

export async function runScenario(run: ScenarioRun, c: Scenario, timezone: string): Promise<CaseResult> {
  const { db } = run;
  const phone = () => `+9188${String(++run.made).padStart(8, '0')}`;
  const principal = await ensureOwner(db, phone(), timezone);
  const ctx: Ctx = {
    tenantId: principal.tenantId,
    userId: principal.userId,
    actor: 'user',
    via: 'api',
    timezone,
  };
  const team = new Map<string, string>();
  if (c.owner) {
    await updateProfile(db, { ...ctx, userId: principal.userId }, { name: c.owner });
    team.set(c.owner, principal.userId);
  }
  for (const name of c.members ?? []) {
    team.set(name, (await addMember(db, ctx, { phone: phone(), name, role: 'member' })).id);
  }
  const nameOf = new Map([...team].map(([name, id]) => [id, name]));
  for (const title of c.tasks) await createTask(db, ctx, { title, priority: 'medium' }, 'api');
  const before = await tasksOf(db, ctx);
  const turn = await run.runTurn({ principal, channel: 'api', message: c.text });
  const after = await tasksOf(db, ctx);
  const was = new Map(before.map((t) => [t.id, stateOf(t)]));
  const changed = after.filter((t) => was.get(t.id) !== stateOf(t));
  const observed: Observed = {
    reply: turn.reply.slice(0, 300),
    actions: turn.actions.map((a) => {
      const r = (a.result ?? {}) as { ok?: unknown; error?: unknown };
      return { tool: a.tool, args: a.args, ok: r.ok, ...(r.error ? { error: r.error } : {}) };
    }),
    changed: changed.map((t) => ({
      title: t.title,
      status: t.status,
      due_date: t.due_date,
      due_at: t.due_at,
      assignee: t.assignee_id && (nameOf.get(t.assignee_id) ?? t.assignee_id),
    })),
  };
  return {
    lang: c.lang,
    group: c.group,
    holdout: c.holdout ?? false,
    ok: judge(c, before, changed, turn.reply, team),
    text: c.text,
    expected: {
      tasks: c.tasks,
      ...(c.owner ? { owner: c.owner } : {}),
      ...(c.members ? { members: c.members } : {}),
      ...c.expect,
    },
    got: observed,
  };
}

/** Every scenario, one business each, in order. */
export async function evaluateScenarios(db: Db, set: ScenarioSet = loadScenarios()): Promise<Score> {
  const run = scenarioRun(db, set);
  const results: CaseResult[] = [];
  for (const c of set.cases) results.push(await runScenario(run, c, set.timezone));
  return scoreOf(results);
}
