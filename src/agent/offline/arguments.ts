import type { ToolName } from '../tools/index.ts';
import { briefingArgs } from './briefing.ts';
import { type DateContext, resolveWhen, takeSpan, takeWhen, tomorrowAt } from './dates.ts';
import {
  contactAndSubject,
  FOLLOW_UP_NOUN,
  PLAN_NOUN,
  reference,
  TASK_NOUN,
  takeChannel,
  takePriority,
  title,
} from './entities.ts';
import { PATTERNS } from './intents.ts';
import {
  alt,
  STATUS_ALL,
  STATUS_DONE,
  STATUS_OPEN,
  WHEN_OVERDUE,
  WHEN_THIS_WEEK,
  WHEN_TODAY,
  WHEN_TOMORROW,
  WHEN_UPCOMING,
  words,
} from './lexicon.ts';
import { MEMORY_BUILDERS } from './memory.ts';
import type { Utterance } from './utterance.ts';

/**
 * The arguments of each tool, read from a message whose intent is known. Each builder returns the raw
 * arguments (checked against the tool's schema by the caller) or null when the message lacks something
 * the tool needs, such as which task.
 */

type Args = Record<string, unknown>;
type Builder = (u: Utterance, ctx: DateContext) => Args | null;

/** A follow-up with a day but no time is due at this hour; with no day at all, tomorrow at this hour. */
export const FOLLOW_UP_HOUR = 10;

const REMIND = words(
  'remind|reminder|yaad|bhoolna mat|bhool mat jana|dont forget|dont let me forget|do not forget|remember to',
);
const MARK = words('mark|marked|mark as|please');
const DUE_WORDS = words('due date|due|deadline|date|time|priority');

const defined = (args: Args): Args =>
  Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined && v !== ''));

function createTask(u: Utterance, ctx: DateContext): Args | null {
  const remind = u.has(REMIND);
  const when = takeWhen(u, ctx);
  const priority = takePriority(u);
  u.takeAll(PATTERNS.strongCreate, 'cue');
  const due = when ? resolveWhen(when, ctx) : undefined;
  return defined({
    title: title(u),
    due_date: due?.date,
    due_at: due?.at,
    remind_at: remind ? due?.at : undefined,
    priority,
  });
}

function listFilters(u: Utterance) {
  const status = u.has(words(alt(STATUS_ALL)))
    ? 'all'
    : u.has(words(alt(STATUS_DONE)))
      ? 'done'
      : u.has(words(alt(STATUS_OPEN)))
        ? 'open'
        : undefined;
  const when = u.has(words(alt(WHEN_OVERDUE)))
    ? 'overdue'
    : u.has(words(alt(WHEN_THIS_WEEK)))
      ? 'this_week'
      : u.has(words(alt(WHEN_TODAY)))
        ? 'today'
        : u.has(words(alt(WHEN_TOMORROW)))
          ? 'tomorrow'
          : u.has(words(alt(WHEN_UPCOMING)))
            ? 'upcoming'
            : undefined;
  const priority = takePriority(u);
  for (const p of [PATTERNS.list, PATTERNS.listQualifier]) u.takeAll(p, 'marker');
  return { status, when, priority };
}

/** Words left in a list request that are not fillers: what to search for ("GST wale tasks" → GST). */
const SEARCH_FILLERS = new Set([
  ...'my mere mera meri me all for the of ke ka ki wala hai are is due in on with about related any ones please abhi there that to do i have what which kya kaun se wo jo sab saare including show list find search get'.split(
    ' ',
  ),
]);

function searchWords(u: Utterance): string | undefined {
  const left = u.freeIndexes().filter((i) => !SEARCH_FILLERS.has(u.normOf(i)));
  return left.length > 0 ? u.raw(left) : undefined;
}

function listTasks(u: Utterance): Args {
  const { status, when, priority } = listFilters(u);
  u.takeAll(TASK_NOUN, 'noun');
  u.takeAll(PLAN_NOUN, 'noun');
  return defined({
    status,
    when: when === 'upcoming' ? undefined : when,
    priority,
    q: searchWords(u),
  });
}

function listFollowUps(u: Utterance): Args {
  const { status, when } = listFilters(u);
  u.takeAll(FOLLOW_UP_NOUN, 'noun');
  return defined({
    status: status === 'open' ? 'pending' : status,
    when: when === 'tomorrow' || when === 'this_week' ? 'upcoming' : when,
    q: searchWords(u),
  });
}

function updateTask(u: Utterance, ctx: DateContext): Args | null {
  const when = takeWhen(u, ctx);
  const priority = takePriority(u);
  for (const p of [PATTERNS.reschedule, PATTERNS.doIt, DUE_WORDS]) u.takeAll(p, 'cue');
  u.takeAll(TASK_NOUN, 'noun');
  const due = when ? resolveWhen(when, ctx) : undefined;
  if (!due && !priority) return null;
  return defined({ task: reference(u), due_date: due?.date, due_at: due?.at, priority });
}

function completeTask(u: Utterance): Args {
  for (const p of [PATTERNS.done, PATTERNS.doneAtClauseEnd, MARK]) u.takeAll(p, 'cue');
  u.takeAll(TASK_NOUN, 'noun');
  return defined({ task: reference(u) });
}

function deleteTask(u: Utterance): Args {
  for (const p of [PATTERNS.delete, PATTERNS.doIt]) u.takeAll(p, 'cue');
  u.takeAll(TASK_NOUN, 'noun');
  return defined({ task: reference(u) });
}

function createFollowUp(u: Utterance, ctx: DateContext): Args | null {
  const when = takeWhen(u, ctx);
  const channel = takeChannel(u);
  takePriority(u); // follow-ups carry no priority; keep the word out of the subject
  for (const p of [PATTERNS.createFollowUp, PATTERNS.strongCreate]) u.takeAll(p, 'cue');
  u.takeAll(FOLLOW_UP_NOUN, 'noun');
  const { contact, subject } = contactAndSubject(u);
  const phone = u.tokens.find((t) => t.phone);
  const who = contact ?? phone?.raw;
  if (!who && !subject) return null;
  return defined({
    contact_name: contact,
    contact_phone: phone?.phone,
    subject: subject ?? `Follow up with ${who}`,
    due_at: when ? resolveWhen(when, ctx, FOLLOW_UP_HOUR).at : tomorrowAt(ctx, FOLLOW_UP_HOUR),
    channel,
  });
}

function snoozeFollowUp(u: Utterance, ctx: DateContext): Args {
  const minutes = takeSpan(u);
  const when = minutes === null ? takeWhen(u, ctx) : null;
  for (const p of [PATTERNS.snooze, PATTERNS.doIt]) u.takeAll(p, 'cue');
  u.takeAll(FOLLOW_UP_NOUN, 'noun');
  return defined({
    follow_up: reference(u),
    minutes: minutes ?? undefined,
    until: when ? resolveWhen(when, ctx, FOLLOW_UP_HOUR).at : undefined,
  });
}

/**
 * "followed up with Ramesh, payment received": the follow-up is named before the first clause break
 * and the outcome follows it; without a break, whatever follows the "done" words is the outcome.
 */
function completeFollowUp(u: Utterance): Args {
  const markers = [PATTERNS.followUpDone, PATTERNS.done, PATTERNS.doneAtClauseEnd, FOLLOW_UP_NOUN];
  const firstMarker = Math.min(...markers.flatMap((p) => u.find(p).map((m) => m.from)));
  const clauseBreak = u.firstClauseBreak();
  let headEnd = u.length;
  let outcome: string | undefined;
  if (clauseBreak >= 0 && clauseBreak + 1 < u.length && firstMarker <= clauseBreak) {
    headEnd = clauseBreak + 1;
    outcome = u.raw(Array.from({ length: u.length - headEnd }, (_, k) => headEnd + k));
  } else {
    const done = [...u.find(PATTERNS.done), ...u.find(PATTERNS.followUpDone)].sort(
      (a, b) => a.from - b.from,
    )[0];
    if (done && done.to < u.length) {
      const after = u.freeIndexes(done.to);
      if (after.length > 0) {
        headEnd = done.to;
        outcome = u.raw(after);
      }
    }
  }
  for (const p of [PATTERNS.followUpDone, PATTERNS.done, PATTERNS.doneAtClauseEnd, MARK]) u.takeAll(p, 'cue');
  u.takeAll(FOLLOW_UP_NOUN, 'noun');
  return defined({ follow_up: reference(u, 0, headEnd), outcome });
}

export const BUILDERS: Record<ToolName, Builder> = {
  create_task: createTask,
  list_tasks: listTasks,
  update_task: updateTask,
  complete_task: completeTask,
  delete_task: deleteTask,
  create_follow_up: createFollowUp,
  list_follow_ups: listFollowUps,
  snooze_follow_up: snoozeFollowUp,
  complete_follow_up: completeFollowUp,
  my_day: () => ({}),
  set_briefing: briefingArgs,
  ...MEMORY_BUILDERS,
};
