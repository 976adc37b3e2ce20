import { isHonorific } from '../../domain/honorifics.ts';
import { isActionWord } from '../../domain/lookup.ts';
import { assignmentIntent, DUTY, HAND_OVER_NOW, takeAssignee } from './assign.ts';
import { briefingArgs } from './briefing.ts';
import {
  type DateContext,
  isGone,
  resolveWhen,
  setAsideEarlierDays,
  setAsideReasonDays,
  takeSpan,
  takeWhen,
  tomorrowAt,
  type When,
} from './dates.ts';
import {
  clausedReference,
  clauseReference,
  contactAndMessage,
  contactAndSubject,
  FOLLOW_UP_NOUN,
  PLAN_NOUN,
  reference,
  TASK_NOUN,
  takeChannel,
  takePhoneLabels,
  takePriority,
  takeReach,
  takeReminderTies,
  title,
} from './entities.ts';
import {
  ASK_ABOUT,
  ASKS_IF,
  type BuiltTool,
  CALL_BACK,
  CALLBACK_ASKED,
  CHECK_VERB,
  COLLECT_FROM_EN,
  COLLECT_VERB,
  DISCUSS_VERB,
  DISCUSS_WITH,
  givesReasonAt,
  isQuestion,
  namedBefore,
  notYetDone,
  PATTERNS,
  REMIND_ME_THEN,
  REMINDER_SENT_VERB,
  reachedAfterNews,
  reachedBack,
  SAYS,
  SEND_REMINDER_TO,
  SEND_THEM_REMINDER,
  SENT_REMINDER,
  saysDone,
  TALK_VERB,
  TELL_BACK,
  TELL_VERB,
  toldAfterNews,
  toldWho,
} from './intents.ts';
import {
  alt,
  GENERIC_WORDS,
  NEGATIONS,
  QUESTION_WORDS,
  STATUS_ALL,
  STATUS_DONE,
  STATUS_OPEN,
  STILL_TO_DO,
  WHEN_OVERDUE,
  WHEN_THIS_WEEK,
  WHEN_TODAY,
  WHEN_TOMORROW,
  WHEN_UPCOMING,
  words,
} from './lexicon.ts';
import { MEMORY_BUILDERS } from './memory.ts';
import type { Match, Utterance } from './utterance.ts';

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
const DUE_WORDS = words('due date|due|deadline|date|time|priority|din|tarikh|tareekh|samay|waqt');

const defined = (args: Args): Args =>
  Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined && v !== ''));

function createTask(u: Utterance, ctx: DateContext): Args | null {
  const remind = u.has(REMIND);
  // "nobody is home till thursday, collect the old sofa on friday": the reason's day is not the chore's
  setAsideReasonDays(u, ctx, (from, to) => givesReasonAt(u, from, to));
  const when = takeWhen(u, ctx);
  const assignee = takeAssignee(u);
  const priority = takePriority(u);
  u.takeAll(PATTERNS.strongCreate, 'cue');
  // "mujhe reminder bhej dena kal bank jaane ka": the reminder words and their tie are no part of the chore
  if (remind) {
    u.takeAll(REMINDER_SENT_VERB, 'cue');
    takeReminderTies(u);
  }
  const due = when ? resolveWhen(when, ctx) : undefined;
  return defined({
    title: title(u),
    due_date: due?.date,
    due_at: due?.at,
    remind_at: remind ? due?.at : undefined,
    priority,
    assignee,
  });
}

const LIST_WHEN = [
  ['overdue', words(alt(WHEN_OVERDUE))],
  ['this_week', words(alt(WHEN_THIS_WEEK))],
  ['today', words(alt(WHEN_TODAY))],
  ['tomorrow', words(alt(WHEN_TOMORROW))],
  ['upcoming', words(alt(WHEN_UPCOMING))],
] as const;
const LIST_STATUS = [
  ['all', words(alt(STATUS_ALL))],
  ['done', words(alt(STATUS_DONE))],
  ['open', words(alt(STATUS_OPEN))],
] as const;

function listFilters(u: Utterance) {
  // The verb and the time words first, so that the "all" of "what all is pending" and the "ho gaye" of
  // "kaunse kaam late ho gaye" are not read as a status.
  u.takeAll(PATTERNS.list, 'marker');
  const when = LIST_WHEN.find(([, p]) => u.has(p))?.[0];
  for (const [, p] of LIST_WHEN) u.takeAll(p, 'marker');
  // "what is left", "which haven't been done", "kya sab ho gaya?": the open ones
  const stillToDo =
    u.has(PATTERNS.pendingWords) || notYetDone(u) || (isQuestion(u) && u.has(PATTERNS.all) && saysDone(u));
  const status = stillToDo ? 'open' : LIST_STATUS.find(([, p]) => u.has(p))?.[0];
  const priority = takePriority(u);
  u.takeAll(PATTERNS.listQualifier, 'marker');
  return { status, when, priority };
}

/**
 * Words left in a list request that say something: what to search for ("GST wale tasks" → GST). Little
 * words, vague ones ("still", "stuff", "bacha", "right now") and an honorific with no name before it
 * ("bhai, …") are not. A question ("any tasks left?") searches only for what it ties to the list: a word
 * before its noun ("rent task", "Ramesh ke kaam"), after "about"/"for", or a name or code as typed ("GST").
 */
const SEARCH_FILLERS = new Set([
  ...GENERIC_WORDS,
  ...STILL_TO_DO.flatMap((w) => w.split(' ')),
  ...NEGATIONS,
  // "remind me what's left": asking to be told
  'remind',
  ...'including related ones jo due last week right now time tak yesterday send bhejo bhej pada padi pade much many lot'.split(
    ' ',
  ),
]);
const TIES_TO_NOUN = new Set(['wala', 'ka', 'ki', 'ke']);
const TOPIC_AFTER = new Set(['about', 'regarding', 're', 'reg', 'for', 'related', 'baare']);

function searchWords(u: Utterance, question: boolean): string | undefined {
  const content: number[] = [];
  for (const i of u.freeIndexes()) {
    const word = u.normOf(i);
    const namesSomeone = isHonorific(word) && content.at(-1) === i - 1;
    if (namesSomeone || (!SEARCH_FILLERS.has(word) && !isHonorific(word))) content.push(i);
  }
  const isContent = (i: number) => content.includes(i);
  const tied = (i: number) => {
    let next = i + 1;
    while (isContent(next) || TIES_TO_NOUN.has(u.normOf(next))) next++;
    let prev = i - 1;
    while (isContent(prev)) prev--;
    const raw = u.tokens[i]?.raw ?? '';
    const code = raw.length > 1 && raw === raw.toUpperCase() && /\p{L}/u.test(raw);
    const name = /^\p{Lu}/u.test(raw) && i > 0;
    return u.usedAs(next) === 'noun' || TOPIC_AFTER.has(u.normOf(prev)) || code || name;
  };
  const kept = question ? content.filter(tied) : content;
  return kept.length > 0 ? u.raw(kept) : undefined;
}

function listTasks(u: Utterance): Args {
  const { status, when, priority } = listFilters(u);
  u.takeAll(TASK_NOUN, 'noun');
  u.takeAll(PLAN_NOUN, 'noun');
  return defined({
    status,
    when: when === 'upcoming' ? undefined : when,
    priority,
    q: searchWords(u, isQuestion(u)),
  });
}

function listFollowUps(u: Utterance): Args {
  const { status, when } = listFilters(u);
  u.takeAll(FOLLOW_UP_NOUN, 'noun');
  return defined({
    status: status === 'open' ? 'pending' : status,
    when: when === 'tomorrow' || when === 'this_week' ? 'upcoming' : when,
    q: searchWords(u, isQuestion(u)),
  });
}

function updateTask(u: Utterance, ctx: DateContext): Args | null {
  if (assignmentIntent(u)) u.takeAll(HAND_OVER_NOW, 'filler');
  const moves = [PATTERNS.reschedule, PATTERNS.notNow, PATTERNS.deferral, PATTERNS.doIt, PATTERNS.planAhead];
  const move = moves.flatMap((p) => u.find(p))[0];
  if (move) {
    const { from, to } = u.clauseAround(move.from);
    setAsideEarlierDays(u, ctx, from, to);
    // "rain expected today and tomorrow so the planting gets pushed to Friday": the day after the move word
    setAsideEarlierDays(u, ctx, move.from, to);
  }
  setAsideReasonDays(u, ctx, (from, to) => givesReasonAt(u, from, to));
  const when = takeWhen(u, ctx);
  const assignee = takeAssignee(u);
  const priority = takePriority(u);
  u.takeAll(PATTERNS.moreTime, 'filler'); // the reason, not the request
  u.takeAll(REMIND_ME_THEN, 'filler'); // the moved task's own reminder
  u.takeAll(SAYS, 'filler'); // whose word it is, not what it is about: "deshmukh ji bol rahe hain installation …"
  u.takeAll(ASKS_IF, 'filler'); // "Hari Agencies GM asked if we can meet friday instead": the meeting
  const [moved = [], ...others] = [...moves, DUE_WORDS].map((p) =>
    p === PATTERNS.doIt ? takeDoing(u) : u.takeAll(p, 'cue'),
  );
  const cues = [moved, ...others].flat();
  u.takeAll(TASK_NOUN, 'noun');
  if (assignee) u.takeAll(DUTY, 'noun');
  const due = when ? resolveWhen(when, ctx) : undefined;
  if (!due && !priority && !assignee) return null;
  // "… setup chadha diya aaj subah, … wo baad me dekhenge": a time already gone tells when a thing happened;
  // nothing moves to it
  if (due?.at && isGone(due.at, ctx)) return null;
  // the request's own clause names the task when it can, not a reason said before it: a move word's clause,
  // else the clause of the cue beside the time said ("Khanna ji office se late niklenge, flat dikhane ka time
  // aaj shaam 7 baje kar do")
  const timed = (c: { from: number }) => {
    const { from, to } = u.clauseAround(c.from);
    for (let i = from; i < to; i++) if (u.usedAs(i) === 'when') return true;
    return false;
  };
  const cue = moved[0] ?? cues.find(timed) ?? cues[0];
  const request = cue ? clauseReference(u, cue.from) : undefined;
  // "what can wait till tomorrow?": a question word names no task
  const task = whoseInPlace(u, request ?? reference(u));
  const named = task.split(/\s+/).some((w) => !QUESTION_WORDS.includes(w.toLowerCase()));
  return defined({
    task: named ? task : undefined,
    due_date: due?.date,
    due_at: due?.at,
    priority,
    assignee,
  });
}

/**
 * The "do it" words, all of them found, a doing in the future the naming knows left in ("Bhatia ji ka sofa ab
 * somvar ko bhejenge", "kiraya monday ko denge": it tells which task).
 */
function takeDoing(u: Utterance): Match[] {
  const found = u.find(PATTERNS.doIt);
  const names = (m: Match) => m.to - m.from === 1 && WILL_DO.test(m.text) && isActionWord(m.text);
  for (const m of found) if (!names(m)) u.use(m.from, m.to, 'cue');
  return found;
}
const WILL_DO = /(?:enge|unga|ungi|ega|egi)$/;

/** A possessive pronoun and how its owner is said in its place: "his assessment" → "Ankit's assessment". */
const POSSESSIVES: Readonly<Record<string, string>> = {
  his: "'s",
  her: "'s",
  their: "'s",
  uska: ' ka',
  uski: ' ki',
  uske: ' ke',
  unka: ' ka',
  unki: ' ki',
  unke: ' ke',
};

/**
 * A task named by whose it is, that person said before by name ("Ankit has his board exams, push his RTO
 * test to 3rd april"): the name in the pronoun's place, so the task is the person's, not anyone's.
 */
function whoseInPlace(u: Utterance, ref: string): string {
  const pronoun = (i: number) => new RegExp(`\\b${u.normOf(i)}\\b`, 'i');
  const at = u.freeIndexes().find((i) => POSSESSIVES[u.normOf(i)] !== undefined && pronoun(i).test(ref));
  const who = at === undefined ? undefined : namedBefore(u, at);
  if (at === undefined || !who) return ref;
  const owner = u.rawBetween(who.from, who.to).replace(/'s$/u, '');
  return ref.replace(pronoun(at), `${owner}${POSSESSIVES[u.normOf(at)]}`);
}

function completeTask(u: Utterance): Args {
  // "quotation bhej diya" → "quotation bhej": a verb the naming knows stays, it tells which task
  for (const m of u.find(PATTERNS.doneVerbForm)) {
    u.use(isActionWord(u.normOf(m.from)) ? m.to - 1 : m.from, m.to, 'cue');
  }
  for (const p of [PATTERNS.done, PATTERNS.doneAtClauseEnd, MARK]) u.takeAll(p, 'cue');
  u.takeAll(TASK_NOUN, 'noun');
  return defined({ task: clausedReference(u) });
}

function deleteTask(u: Utterance): Args {
  for (const p of [PATTERNS.delete, PATTERNS.doIt]) u.takeAll(p, 'cue');
  u.takeAll(TASK_NOUN, 'noun');
  return defined({ task: reference(u) });
}

/** Words that only ask for a follow-up ("remind me to", "ask", "baat karni", "bolna"); talks: takeReach. */
const FOLLOW_UP_CUES = [
  PATTERNS.createFollowUp,
  PATTERNS.strongCreate,
  ASK_ABOUT,
  TALK_VERB,
  TELL_VERB,
  CHECK_VERB,
];

const BACK = new Set(['back', 'wapas', 'vapas', 'waapas']);

/**
 * "the brochures came in today, let Mr Rao know tomorrow at 3", "kapda aaj aaya, Ahuja ji ko kal bata dena": a
 * day said in the news (the words before `newsEnd`) is when it came about; the request's own day, when it says
 * one, is when to reach them. `said` is the message before any word was taken.
 */
function whenAsked(said: Utterance, u: Utterance, newsEnd: number, ctx: DateContext): When | null {
  if (!u.tokens.slice(0, newsEnd).some((_, i) => u.usedAs(i) === 'when')) return null;
  const request = said.copy();
  request.use(0, newsEnd, 'filler');
  const own = takeWhen(request, ctx);
  return own?.kind === 'instant' || own?.date !== undefined ? own : null;
}

function createFollowUp(u: Utterance, ctx: DateContext): Args | null {
  const said = u.copy();
  const when = takeWhen(u, ctx);
  // before the reach's words are taken: "Mr Khan needs the invoice, email him"
  const pointedAt = reachedBack(u);
  const afterNews = pointedAt ? undefined : reachedAfterNews(u);
  // the "so i need to" leading to the reach is no part of what it is about
  if (afterNews?.need) u.use(afterNews.need.from, afterNews.need.to, 'filler');
  const back = pointedAt ?? afterNews;
  // before the channel: "phone 98450 12345" labels the number, it does not say to call
  takePhoneLabels(u);
  // "Joseph sir asked for a call back": the asking goes, the call stays the channel;
  // "discuss the rates with Mr Shah": the verb goes, the rates are the subject
  for (const m of u.find(CALLBACK_ASKED)) u.use(m.from, m.from + 1, 'cue');
  for (const m of u.find(DISCUSS_WITH))
    u.useMatch(
      u.find(DISCUSS_VERB).find((v) => v.from === m.from),
      'cue',
    );
  // "call her back", "unko wapas call karna": returning the call says nothing of what it is about
  for (const m of u.find(CALL_BACK))
    for (const i of [m.from, m.to - 1]) if (BACK.has(u.normOf(i))) u.use(i, i + 1, 'cue');
  const channel = takeChannel(u);
  takeReach(u);
  // "…, tell her tomorrow", "…, let him know": the telling, which says nothing of what about
  if (pointedAt) u.takeAll(TELL_BACK, 'cue');
  takePriority(u); // follow-ups carry no priority; keep the word out of the subject
  // "tell Mrs Kapoor (that) her order is ready", "remind Mr Shah that …": who is told, then what (before the
  // cues, which take "remind")
  takeSentReminder(u);
  const told = toldWho(u) ?? toldAfterNews(u);
  for (const cue of told?.cues ?? []) u.useMatch(cue, 'cue');
  for (const p of FOLLOW_UP_CUES) u.takeAll(p, 'cue');
  u.takeAll(FOLLOW_UP_NOUN, 'noun');
  // "collect the payment from Mehta ji": the verb goes, the money is the subject, the payer the contact
  const collect = u.find(COLLECT_FROM_EN);
  const starts = new Set(collect.map((m) => m.from));
  for (const verb of u.find(COLLECT_VERB)) if (starts.has(verb.from)) u.useMatch(verb, 'cue');
  const { contact, subject } = told
    ? contactAndMessage(u, told)
    : contactAndSubject(u, collect.length > 0, back);
  const phone = u.tokens.find((t) => t.phone);
  const who = contact ?? phone?.raw;
  if (!who && !subject) return null;
  // the news ends where the clause asking begins, or at the "so" leading to it
  const asked = told
    ? Math.min(told.from, ...told.cues.map((c) => c.from))
    : (pointedAt?.pointer ?? back?.from);
  const clauseStart = u.tokens.findLastIndex((t, i) => t.breakAfter && i < (asked ?? 0)) + 1;
  const newsEnd = afterNews?.need?.from ?? clauseStart;
  const due = (when && newsEnd > 0 && whenAsked(said, u, newsEnd, ctx)) || when;
  return defined({
    contact_name: contact,
    contact_phone: phone?.phone,
    subject: subject ?? `Follow up with ${who}`,
    due_at: due ? resolveWhen(due, ctx, FOLLOW_UP_HOUR).at : tomorrowAt(ctx, FOLLOW_UP_HOUR),
    channel,
  });
}

/**
 * "send Mr Joshi a reminder about the invoice", "Gupta ji ko rent ka reminder bhejna": the sending and the
 * reminder go, leaving who and what about; "send a payment reminder to Rekha madam": all before who goes.
 */
function takeSentReminder(u: Utterance): void {
  u.takeAll(REMINDER_SENT_VERB, 'cue');
  u.takeAll(SEND_REMINDER_TO, 'cue');
  const sends = u.find(SEND_THEM_REMINDER);
  if (sends.length === 0) return;
  for (const m of sends) u.use(m.from, m.from + 1, 'cue');
  u.takeAll(SENT_REMINDER, 'cue');
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
    outcome = u.rawBetween(headEnd, u.length);
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
  const named = reference(u, 0, headEnd);
  // "spoke to Ramesh": nothing before the words, so what follows them names it
  if (!named) return defined({ follow_up: reference(u) });
  return defined({ follow_up: named, outcome });
}

export const BUILDERS: Record<BuiltTool, Builder> = {
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
