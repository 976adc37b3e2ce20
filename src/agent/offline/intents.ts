import { isHonorific, withoutTitleStops } from '../../domain/honorifics.ts';
import {
  BALANCE_SUM,
  CLAUSE_BREAK,
  FAULT_STOPPED,
  isPastTenseSlip,
  withoutSeemingDenials,
} from '../../domain/lookup.ts';
import { today } from '../../domain/wall-clock.ts';
import type { ToolName } from '../tools/index.ts';
import { assignmentIntent } from './assign.ts';
import { briefingIntent } from './briefing.ts';
import {
  type DateContext,
  dayThatCannotBe,
  isNow,
  mentionsWhen,
  resolveWhen,
  retractedWhen,
  saysEarlierToday,
  saysHour,
  saysHourGone,
  takeWhen,
} from './dates.ts';
import {
  CLAUSE_VERBS,
  FOLLOW_UP_NOUN,
  greetingLength,
  isCapitalised,
  mentionsPriority,
  mentionsReach,
  openerLength,
  PLAN_NOUN,
  readsAsName,
  SEND_THEM_A,
  TASK_NOUN,
} from './entities.ts';
import { asksWhatPartyOwes, namesNumbers } from './insights.ts';
import {
  ALL_WORDS,
  ASKED_OF_YOU,
  alt,
  BUSINESS_NUMBERS,
  CANCEL,
  CANCELLED_THINGS,
  CHANNELS,
  CREATE_TASK_STRONG,
  CREATE_TASK_WEAK,
  DAY_OFFSET_WORDS,
  DAY_PARTS,
  DAY_PLAN_FILLERS,
  DAY_PLAN_NOUNS,
  DAY_WORDS,
  DEFERRAL,
  DELETE,
  DID_AND_LEFT,
  DO_IT,
  DONE,
  DONE_AT_CLAUSE_END,
  DONE_VERB_FORMS,
  FOLLOW_UP_DONE,
  GENERIC_WORDS,
  GREETING_WORDS,
  HELP,
  HINDRANCES,
  INFINITIVE_HAI,
  LEADING_FILLERS,
  LIST_VERBS,
  MONEY_UNITS,
  MORE_TIME,
  MY_DAY,
  NEEDS_TO,
  NEGATIONS,
  NEXT_CHORE,
  NOT_NOW,
  NOT_PAST_TENSE,
  OWES,
  PAST_OPENERS,
  PAST_TENSE,
  PHONE_BEFORE,
  PLACES,
  PLAN_AHEAD,
  PRIORITY_HIGH,
  PRIORITY_URGENT,
  PRONOUNS,
  QUESTION_LEAD_INS,
  QUESTION_OPENERS,
  QUESTION_WORDS,
  REACH_OUT,
  RESCHEDULE,
  RESTATED_DOING,
  RESTATING,
  SEND_ME,
  SET_IT,
  SNOOZE,
  SO_THEN,
  STATUS_ALL,
  STATUS_DONE,
  STATUS_OPEN,
  STILL_TO_DO,
  TAKE_AWAY,
  TALKS,
  TELL_ME,
  TELLS,
  THING_PRONOUNS,
  TOPIC_MARKERS,
  TRAILING_WORDS,
  WAS_WORDS,
  WHEN_OVERDUE,
  WHEN_THIS_WEEK,
  WHEN_TODAY,
  WHEN_TOMORROW,
  WHEN_UPCOMING,
  WORKERS,
  words,
} from './lexicon.ts';
import { memoryIntent } from './memory.ts';
import { type Match, Utterance } from './utterance.ts';

/**
 * What the owner wants, from the shape of the message: which object it is about (a follow-up, a task,
 * their day) and what verb acts on it (done, delete, move, list, make). Work given to someone in the team
 * comes first; then a question about the business's numbers, which no tool answers; follow-up words win
 * over task words; a clear "remind me"/"yaad dilana" makes a task whatever else the sentence holds; a
 * question about what is left or about a day lists it; a question that matches nothing is not a task.
 */

/** The tools a business question reaches: it is parsed whole (insights.ts), not word by word here. */
export const QUESTION_TOOLS = ['query_business_data', 'find_party'] as const satisfies readonly ToolName[];

/** The tools a message's words call directly. */
export type BuiltTool = Exclude<ToolName, (typeof QUESTION_TOOLS)[number]>;

export type MayMove = 'restated' | 'planned' | 'putOff';

export type Intent =
  | {
      kind: 'tool';
      tool: BuiltTool;
      /**
       * A new task that may be an open one moved, which the model tries first (model.ts): a chore restated
       * with its day (`restated`: "shutter repair - do it friday"), or said as a plan for a day (`planned`:
       * "kal karte hain"), moves the open task it names in full; one put off from a day it cannot be
       * (`putOff`: "can't go today, will pick up the tailoring order tomorrow") the one it names at all.
       */
      mayMove?: MayMove;
    }
  | { kind: 'help' }
  | { kind: 'greeting' }
  | { kind: 'business_question' }
  /** News of a thing that did not get done or went wrong, asking for nothing (`tellsSetback`). */
  | { kind: 'setback' }
  | { kind: 'unknown' };

export const PATTERNS = {
  help: words(alt(HELP)),
  myDay: words(alt(MY_DAY)),
  strongCreate: words(alt(CREATE_TASK_STRONG)),
  weakCreate: words(alt([...CREATE_TASK_WEAK, INFINITIVE_HAI])),
  createFollowUp: words(
    `(?:add|set|create|new|schedule|make)(?:\\s+(?:a|new))?\\s+follow ups?|remind me to follow up|follow up (?:set|add|laga) (?:karo|kar do|do)|follow ups? ${alt(SET_IT)}`,
  ),
  /** "follow up karna", "follow up with": a follow-up to make, however many other words the message holds. */
  followUpToDo: words('follow up (?:karna|karni|karne|karo|kar do|kar dena|lena|with)'),
  followUpDone: words(alt(FOLLOW_UP_DONE)),
  done: words(alt([...DONE, ...DONE_VERB_FORMS])),
  doneVerbForm: words(alt(DONE_VERB_FORMS)),
  doneAtClauseEnd: words(alt(DONE_AT_CLAUSE_END)),
  /** A verb, not the noun after an article: "follow up … about the scrap pickup". */
  delete: words(`(?<!(?:^|\\s)(?:the|a|an)\\s)${alt(DELETE)}`),
  reschedule: words(alt(RESCHEDULE)),
  notNow: words(alt(NOT_NOW)),
  deferral: words(alt(DEFERRAL)),
  snooze: words(alt(SNOOZE)),
  doIt: words(alt(DO_IT)),
  planAhead: words(alt(PLAN_AHEAD)),
  moreTime: words(alt(MORE_TIME)),
  /** A verb, not the thing a word can also be: "Vivo ka display", "the new display". */
  list: words(`(?<!(?:^|\\s)(?:ka|ki|ke|the|a|new|naya|nayi)\\s)${alt(LIST_VERBS)}`),
  question: words(alt(QUESTION_WORDS)),
  /** "Ramesh wala follow up", "X ka follow up", "follow up ko": an existing follow-up. */
  existingFollowUp: words('(?:wala|ka|ki|ke)\\s+follow ups?|follow ups?\\s+ko'),
  /** Words that qualify a list ("pending", "overdue", "aaj ke"): a list even with no verb. */
  listQualifier: words(
    alt([
      ...STATUS_ALL,
      ...STATUS_DONE,
      ...STATUS_OPEN,
      ...WHEN_OVERDUE,
      ...WHEN_THIS_WEEK,
      ...WHEN_TODAY,
      ...WHEN_TOMORROW,
      ...WHEN_UPCOMING,
    ]),
  ),
  pendingWords: words(alt([...STILL_TO_DO, ...WHEN_OVERDUE])),
  questionOpener: words(alt(QUESTION_OPENERS)),
  tellMe: words(alt(TELL_ME)),
  sendMe: words(alt(SEND_ME)),
  businessNumbers: words(alt(BUSINESS_NUMBERS)),
  today: words(alt(WHEN_TODAY)),
  otherDay: words(alt([...WHEN_OVERDUE, ...WHEN_THIS_WEEK, ...WHEN_TOMORROW])),
  todayIsh: words(
    alt([...Object.keys(DAY_PARTS), 'the day', 'my day', 'this day', 'din', 'abhi', 'now', 'right now']),
  ),
  dayPlan: words(alt(DAY_PLAN_NOUNS)),
  /** What a call or message is about, the Hinglish way: "payment ke liye", "order ke baare mein". */
  aboutSomething: words(
    '\\S+\\s+(?:ke liye|ke baare mein|ke baare me|ke bare mein|ke bare me|ke sambandh mein)',
  ),
  priority: words(alt([...PRIORITY_HIGH, ...PRIORITY_URGENT])),
  negation: words(alt(NEGATIONS)),
  all: words(alt(ALL_WORDS)),
};

/** A polite "just" (SPELLING folds "jara", "zra"). */
const ZARA = words('zara');

/** "can you …", "could you please …": a request asked as a question. */
const ASKS_TO_DO = words('^\\s*(?:(?:please|pls|kindly)\\s+)?(?:can|could|will|would)\\s+you');
/** The "kya aap" of "kya aap … kar denge?", which asks for the request, not about something. */
const KYA_YOU = words(ASKED_OF_YOU);

/** Words that can stand around the noun in a bare list request ("my overdue tasks for today"). */
const LIST_FILLERS = new Set([
  'my',
  'mere',
  'mera',
  'meri',
  'me',
  'all',
  'for',
  'the',
  'of',
  'ke',
  'ka',
  'ki',
  'wala',
  'hai',
  'are',
  'is',
  'due',
  'in',
  'any',
  'ones',
  'please',
  'abhi',
  'there',
]);

export function detectIntent(u: Utterance, ctx: DateContext): Intent {
  if (u.length === 0) return { kind: 'unknown' };
  const greeting = greetingLength(u);
  if (greeting === u.length || (greeting > 0 && everyWord(u, (w) => GREETING_WORDS.has(w)))) {
    return { kind: 'greeting' };
  }
  // "hi, remind me …", "acha sun, kal …": the greeting and the opener are not part of the request
  u.use(0, greeting + openerLength(u, greeting), 'filler');
  // "zara Rekha didi ko whatsapp kar dena", "Rao ji ko zara call karna": a polite "just", wherever it stands
  if (u.norm.includes('zara')) u.takeAll(ZARA, 'filler');
  const restated = setAsideRestatement(u, ctx);
  setAsideStory(u, ctx);
  setAsideKeptThing(u);
  setAsideTellToo(u);

  // "send my briefing at 7", "briefing band karo": the briefing's settings, before "briefing" means my day
  const briefing = briefingIntent(u, ctx);
  if (briefing) return { kind: 'tool', tool: briefing };

  // "remember …", "what is Ramesh's number", "forget …": memory first, before task words can claim them
  const memory = memoryIntent(u);
  if (memory) return { kind: 'tool', tool: memory };

  const taskNoun = u.has(TASK_NOUN);
  const followUpNoun = u.has(FOLLOW_UP_NOUN);
  const when = mentionsWhen(u, ctx);
  const has = (p: RegExp) => u.has(p);
  const question = isQuestion(u);
  // "can you tell Mrs Kapoor her order is ready?", "could you call Mr Shah about the rates?", "kya tum Nanda
  // bhabhi ko yaad dila doge?": a request, asked as a question
  // (set aside, so what is asked reads as the request: "will you whatsapp Mrs Das that …" as "whatsapp Mrs
  // Das that …")
  const askedOfYou = u.tokens.some((t) => t.asked);
  if (askedOfYou) u.takeAll(KYA_YOU, 'filler');
  const asksToDo = (u.norm.includes('you') && u.take(ASKS_TO_DO, 'filler') !== undefined) || askedOfYou;
  // "Joseph sir asked for a call back", "Rajiv called from 98111 22334, call him back": a call to return,
  // not a report of something done
  const callBack = has(CALLBACK_ASKED) || (u.phones().length > 0 && has(CALL_BACK));
  const movesTask =
    has(PATTERNS.reschedule) ||
    has(PATTERNS.notNow) ||
    has(PATTERNS.moreTime) ||
    retractedWhen(u, ctx) !== null ||
    setsTime(u, ctx) ||
    dateBecame(u, ctx);
  // the time said, read once and only when asked for: a day gone by is none ahead ("Ramesh paid us for the
  // honey he took last week"), and a deferral needs one
  let taken: ReturnType<typeof takeWhen> | undefined;
  const timeSaid = () => {
    if (taken === undefined) taken = takeWhen(u.copy(), ctx);
    return taken;
  };
  const noDayAhead =
    !when ||
    saysEarlierToday(u, ctx) ||
    saysOnlyToday(u, ctx) ||
    (tellsDone(u, ctx) && saysHourGone(u, ctx)) ||
    timeSaid() === null;
  // "the AC conked out again", "generator wale ne mana kar diya": trouble or a refusal told reports nothing done
  // (a thing done beside trouble still is: "compressor jal gaya tha, badal diya")
  const besideTrouble = u.copy();
  besideTrouble.takeAll(WENT_WRONG, 'filler');
  const toldPast = (v: Utterance) => !has(REFUSAL) && !question && !callBack && reportsPast(v, noDayAhead);
  const timeless = withoutWhen(besideTrouble, ctx);
  const theirs = theirWord(timeless);
  // their call or text ("Mrs Iyer texted - pick her up at 8:15") reports nothing done, but is still news a
  // move may follow ("Chawla ji called, the AC servicing to be done on monday now")
  const reportsDone = (!has(REFUSAL) && saysDone(besideTrouble)) || toldPast(without(timeless, theirs));
  const toldAny = reportsDone || (theirs.length > 0 && toldPast(timeless));
  // "expired stock return to mankind - do it monday instead", "meeting shift ho gayi kal pe", "printed
  // flyers pickup, do it tomorrow": a day or time ahead with a deferral (or a last clause saying to do it
  // then), a day asked for, a thing that was to be or a worker's coming ("the Rathi demo was due today, they
  // asked for thursday 3 pm") moves a task and reports none done, however the task is named; a wrong
  // completion costs more than a question
  const deferred =
    movesTask || restated || has(PATTERNS.deferral) || has(PATTERNS.planAhead) || NEW_DAY_CUES.some(has);
  const defers = toldAny && deferred && timeSaid() !== null && !nextStepAfterReport(u, ctx);
  // "order cancel kar diya", "the booking got cancelled": a thing called off is no task done, nor one to delete
  const calledOff = reportsDone && (has(CALLED_OFF) || has(IS_OFF));
  // "tenant asked for time": more time asked for reports nothing done, with or without a day
  // "Sethi ji ki shaadi postpone ho gayi": a thing put off with no new day is news, nothing done
  // "Hussain Traders called, almond rates going up …", "they want to know if the ghodi can come …", "unhone
  // phone pe complaint kiya": prices news, a question passed on and a complaint report nothing done
  const isDone =
    reportsDone &&
    !defers &&
    !calledOff &&
    ![PATTERNS.moreTime, POSTPONED, PARTLY, BUT_NOT, PRICES_MOVE, QUESTION_PASSED_ON, COMPLAINED].some(has);
  const tool = (name: BuiltTool): Intent => ({ kind: 'tool', tool: name });

  // "tell Ravi to send the invoice", "GST wala kaam Ravi ko de do": work for someone in the team
  const assignment = assignmentIntent(u);
  if (assignment) return tool(assignment);

  // "aaj kitni sale hui?", "what's my bank balance": the business's numbers, which no tool sees yet
  if (
    (question || has(PATTERNS.tellMe) || namesNumbers(u.norm)) &&
    (has(PATTERNS.businessNumbers) || (question && asksWhatPartyOwes(u.norm))) &&
    !taskNoun &&
    !followUpNoun &&
    !passesWordOn(u, ctx) &&
    !reachedAfterNews(u) &&
    // "Dr Shah's reports came in, let him know by evening": news of someone, then a reach back to them
    !reachedBack(u) &&
    !has(PATTERNS.strongCreate) &&
    // "Aaj bank ki chhutti hai, cheque jama parso karenge": a thing put off for a reason, not a question
    !givesReason(u, ctx) &&
    // "didn't finish the Bansal invoices today": news of a thing not done, not a question; nor is a report
    !tellsSetback(u, ctx) &&
    // of one done ("saari copiyan jaanch li, average 62% aaya", "bundles dispatched, LR copy received")
    !(
      !question &&
      // (or beside someone's word: "Nature Basket got our samples. Their buyer called, …")
      (((u.has(PATTERNS.doneVerbForm) || (toldAny && theirs.length > 0)) && !has(MONEY_SAID)) ||
        has(HANDED_TO) ||
        reportsBesideNumbers(u, ctx, noDayAhead)) &&
      !has(PATTERNS.tellMe)
    ) &&
    // "gst filing kl 4 baje", "hisaab somvar ko karenge", "shree traders ka payment somvar ko": a thing to
    // do at an hour, planned for a day or, with no word of what will be or was, set for one ahead
    !(
      !question &&
      !has(PATTERNS.tellMe) &&
      (saysHour(u, ctx) || (when && (plans(u) || setForDayAhead(u, ctx))))
    ) &&
    // "GST filing parso tak khiska do": a task moved, whatever it is about
    !(
      when &&
      (has(MOVE_IT) ||
        has(MOVED) ||
        (!question && (has(PATTERNS.reschedule) || retractedWhen(u, ctx) !== null)))
    ) &&
    !(!question && (has(PATTERNS.followUpDone) || has(PAID_TO))) &&
    // "Smt. Kaur se kal puchna ki … payment kab tak aayega": a question to put to someone, theirs to answer
    !(!question && has(ASK_THEM)) &&
    // "kya aap Gupta ji se kal payment le lenge?": someone to reach, asked as a question (not "kya aap bata
    // sakte ho Gupta ji ka kitna baaki hai?", "can you find out how much Sharma owes?")
    !(asksToDo && !has(PATTERNS.tellMe) && !has(PATTERNS.question) && reachesSomeone(u, ctx, false))
  ) {
    return { kind: 'business_question' };
  }

  // "whatsapp Mr Menon's PA about the catering menu": a help word in a request to reach someone asks no help,
  // nor does one in a report ("naye menu card chhap gaye")
  const asksHelp = has(PATTERNS.help) && !taskNoun && !followUpNoun && !when && !isDone;
  if (asksHelp && u.phones().length === 0 && !mentionsReach(u)) return { kind: 'help' };
  if (has(PATTERNS.followUpDone)) return tool('complete_follow_up');

  if (followUpNoun || u.has(/(?<=^|\s)snooze(?=\s|$)/g)) {
    if (has(PATTERNS.createFollowUp)) return tool('create_follow_up');
    const makes = u.phones().length > 0 || has(PATTERNS.followUpToDo);
    if (has(PATTERNS.list) && !has(PATTERNS.reschedule) && !makes) return tool('list_follow_ups');
    if (saysAll(u) && (isDone || has(PATTERNS.snooze) || has(PATTERNS.delete))) return { kind: 'unknown' };
    if (isDone) return tool('complete_follow_up');
    if (has(PATTERNS.delete)) return { kind: 'unknown' }; // there is no tool to drop a follow-up
    const span = when || /\d|ghante|hour|minute|din|day/.test(u.freeNorm);
    if (has(PATTERNS.snooze) || (has(PATTERNS.doIt) && span && has(PATTERNS.existingFollowUp))) {
      return tool('snooze_follow_up');
    }
    if (isBareList(u, FOLLOW_UP_NOUN)) return tool('list_follow_ups');
    return tool('create_follow_up');
  }

  const request = !question || asksToDo;
  // "Mr. D'Souza wants a call back on monday about his desk": a call to return to whoever asked for it
  if (request && callBack && !isDone && u.find(CALLBACK_ASKED).some((m) => readsAsName(u, m.from - 1)))
    return tool('create_follow_up');
  // "tell Mrs Kapoor that her order is ready", "let Mr Shah know about the delay": what to tell them may
  // be a state or a change, which reports nothing done and moves nothing
  if (request && toldWho(u)) return tool('create_follow_up');
  // "Gupta sahab ka payment lena hai friday tak", "Rajesh bhaiya ko yaad dilana ki …", "Mr Gill se baat
  // karni hai", "ask Nandini madam about the GST number": someone to reach, not a thing to do alone
  // (unless a task is being moved: "Jain se cheque lena saturday ko kar dena")
  if (request && !movesTask && !defers && reachesSomeone(u, ctx, isDone)) return tool('create_follow_up');

  // "Ramesh ko 98450 12345 pe kal call karna", "Sharma ji ko kal call karna payment ke liye": a call or
  // message to someone at a number, or (in Hinglish) about something, is a follow-up, the one thing that
  // keeps a phone number and a subject; a bare "call Ramesh" and a reminder to call stay tasks
  // (a number given for someone named, or what the call is for, wins over "remind me to": "remind me to
  // call Harish on 98450 12345", "yaad dilana Sharma ji ko payment ke liye call karna")
  const about = has(PATTERNS.aboutSomething);
  const reachesOut = mentionsReach(u) && (u.phones().length > 0 || about);
  if (reachesOut && request && !isDone && (about || numberOfSomeone(u) || !has(PATTERNS.strongCreate))) {
    return tool('create_follow_up');
  }

  const stillToDo = has(PATTERNS.pendingWords) || notYetDone(u) || (question && has(PATTERNS.all) && isDone);
  // "what's on" is today's unless another day is said ("what's on tomorrow" lists tomorrow's)
  if (has(PATTERNS.myDay) && !taskNoun && !stillToDo && !has(PATTERNS.otherDay)) return tool('my_day');

  // "… move it to Monday please and remind me then": the reminder is the moved task's own
  if (has(PATTERNS.strongCreate) && !(movesTask && when && has(REMIND_ME_THEN))) return tool('create_task');
  const planNoun = has(PLAN_NOUN);
  if (question || has(PATTERNS.tellMe) || has(PATTERNS.sendMe)) {
    const asked = listQuestion(u, question && stillToDo, when);
    if (asked) return tool(asked);
  }
  if (namesTodaysPlan(u)) return tool('my_day');
  if (has(PATTERNS.list) && (taskNoun || planNoun || stillToDo)) return tool('list_tasks');
  // "delete all tasks", "complete all": bulk actions are not something the tools do
  const acts =
    isDone || has(PATTERNS.delete) || has(PATTERNS.reschedule) || /^(?:complete|finish|close)\s/.test(u.norm);
  if (acts && saysAll(u)) return { kind: 'unknown' };
  if ((taskNoun && isBareList(u, TASK_NOUN)) || (planNoun && isBareList(u, PLAN_NOUN)))
    return tool('list_tasks');
  // "Qureshi Bakery called to confirm the installation. No change, same plan as before": nothing to change
  // "thinking of pushing the blazers to next week, don't change anything yet": a move weighed, not made
  // (a report beside "let's see" still reports: "sent the quote to Arora, let's see when he replies")
  if ((has(NO_CHANGE) || (undecided(u) && !(isDone && !movesTask))) && !question) return { kind: 'setback' };
  // "Berger ka order diya kya kisi ne??": asked whether it was done, which tells nothing done
  if (isDone && !question) return tool('complete_task');
  if (calledOff) return { kind: 'unknown' };
  if (has(PATTERNS.delete)) return tool(deleteVerbForChore(u, ctx) ? 'create_task' : 'delete_task');
  const priority = mentionsPriority(u);
  // "they asked if we could shift the delivery to friday, I said no": a move asked for and turned down
  if (movesTask && turnedDown(u)) return { kind: 'setback' };
  if ((movesTask || defers || (taskNoun && has(PATTERNS.doIt))) && (when || priority)) {
    return tool('update_task');
  }
  // a question mark anywhere asks: "is the Chopra group's volvo on saturday or sunday?? cant remember"
  if (!asksToDo && (has(PATTERNS.question) || u.text.includes('?'))) return { kind: 'unknown' };
  if (!has(PATTERNS.weakCreate) && !priority && relaysWord(u, ctx)) return { kind: 'unknown' };
  if (!has(PATTERNS.weakCreate) && !priority) {
    if (tellsSetback(u, ctx)) return { kind: 'setback' };
    // "Swift is back from the workshop, they changed the oil …": news of a thing finished may report a task
    if (tellsNews(u, ctx)) return { kind: has(DONE_STATE) ? 'unknown' : 'setback' };
  }
  if (has(PATTERNS.weakCreate) || when || priority) {
    if (!when) return tool('create_task');
    const mayMove: MayMove | undefined = restated
      ? 'restated'
      : has(PATTERNS.planAhead)
        ? 'planned'
        : putsOff(u, ctx)
          ? 'putOff'
          : undefined;
    return mayMove ? { kind: 'tool', tool: 'create_task', mayMove } : tool('create_task');
  }
  return { kind: 'unknown' };
}

/** A reminder asked for on the day a move gives: "remind me then", "us din yaad dilana". */
export const REMIND_ME_THEN = words(
  'remind me (?:then|that day|on that day)|(?:tab|us din|usi din) (?:yaad dilana|yaad dila dena|remind karna)',
);

/**
 * A thing handed to someone, told as done: "invoice sent to DAV", "GST file mailed to the CA", "sold the
 * aluminium to mehta" (a sale to someone named is a deed, not the books' figures).
 */
const HANDED_TO = words(
  '(?:sent|mailed|emailed|couriered|given|handed over|submitted|delivered|forwarded|shared|dispatched) to|sold(?: \\S+){1,3}? to',
);

const PAYMENT_WORDS = alt([
  ...['payment', 'paisa', 'paise', 'rupaye', 'rupees', 'dues', 'baaki', 'bakaya', 'udhaar', 'udhar'],
  ...['balance', 'amount', 'advance', 'cheque', 'rent', 'kiraya', 'fees'],
]);
/** Money named as money: "Sharma Builders ka payment aa gaya" is money received, news of the books. */
const MONEY_SAID = words(PAYMENT_WORDS);
/** Money named by its amount: "15k", "₹40,000" (the sign is dropped), "1.5 lakh". */
const AMOUNT = alt(['\\d[\\d,.]*k?', ...MONEY_UNITS]);
const MONEY = `(?:${PAYMENT_WORDS}|${AMOUNT})`;
/**
 * Whose money to collect: "Gupta sahab ka 1,20,000 ka payment lena hai", "Verma ji se baaki paise lene
 * hain", "Prakash anna ka 15000 baaki hai, monday ko lena hai", "Mehta uncle ka cheque collect karna",
 * "collect the payment from Mehta ji".
 */
export const COLLECT_FROM = words(
  `(?:ka|ki|ke|se)\\s+(?:\\S+\\s+){0,4}?${MONEY}\\s+(?:hai\\s+)?(?:(?:wapas|vapas|waapas)\\s+)?(?:lena|leni|lene|le lena|le lo|collect|vasool|vasoolna|maangna|mangna)`,
);
/** "collect 15k from Imran bhai", "get the cheque from Mr Rao", "pick up the advance from …". */
export const COLLECT_VERB = words('collect|recover|take|get|pick up');
export const COLLECT_FROM_EN = words(`${COLLECT_VERB.source}\\s+(?:the\\s+)?(?:\\S+\\s+)?${MONEY}\\s+from`);
/** "Naidu sir still owes 1.5 lakh", "Joseph is yet to pay": money still to come from them, who first. */
const OWED_BY = words(alt(OWES));
/**
 * "Sushma didi ka 12k baaki hai", "Singh sahab ka 2.5 lakh ka token amount baaki hai", "Rawat sahab ka 1.2 lakh
 * ka bill baaki hai": money of theirs still due, who first.
 */
const DUE_FROM = words(
  `(?:ka|ki|ke)\\s+(?:(?:\\S+\\s+){0,4}?${MONEY}\\s+(?:\\S+\\s+){0,3}?|(?:\\S+\\s+){0,2}?)(?:baaki|bakaya|udhaar|udhar|due|pending)\\s+hai`,
);
/** A sum that reads as money, not a count: "22k", "15 k", "1.5 lakh", "8000", "1,20,000". */
const SUM = `(?:\\d[\\d,.]*k|\\d[\\d,.]*\\s+${alt(MONEY_UNITS)}|\\d{3,}[\\d,.]*|\\d{1,3}(?:,\\d{2,3})+)`;
/**
 * "Sachdeva ji ke 12k abhi tak nahi aaye", "Pinto uncle ke paise nahi mile": money of theirs that has not
 * come in, who first; still due, so to collect.
 */
const NOT_COME_FROM = words(
  `(?:ka|ki|ke)\\s+(?:\\S+\\s+)?(?:${PAYMENT_WORDS}|${SUM})\\s+(?:\\S+\\s+){0,3}?(?:nahi|nahin|nai)\\s+(?:aaya|aaye|aayi|aya|aye|ayi|mila|mile|mili)`,
);
/**
 * Where or how to reach them, between "ko" and the verb: "Jain uncle ko 77384 56789 pe yaad dilana ki …",
 * "Chatterjee sir ko kal msg karke yaad dilana ki …".
 */
const AT_NUMBER = '(?:(?:\\S+\\s+){0,3}?(?:pe|par|karke|kar ke|krke)\\s+)?';
/**
 * "Rajesh bhaiya ko yaad dilana", "Harpreet aunty ko order ke liye yaad dilana": reminding them, not me
 * ("Sharma ji ko call karna yaad dilana" reminds me of a call).
 */
const REMIND_VERB = '(?:dila|dilana|dilao|dila do|dila dena|dila dijiye|dilaana|karana)';
// "ko remind karna hai", "ko remind kar dena": the English verb, said the Hinglish way
const REMIND_EN_VERB = 'remind\\s+(?:karna|karni|karo|kar do|kar dena|kardo|kardena|karwana|karana)';
// "ko reminder bhejna", "ko payment ka reminder bhej dena", "ko reminder daal dena": a reminder sent to them
const REMINDER_VERB =
  'reminder\\s+(?:bhejna|bhejni|bhejo|bhej do|bhej dena|dena|de dena|de do|daal do|daal dena|daalna|dal do|dal dena|dalna)';
const REMINDER_SENT = `(?:(?:\\S+\\s+){1,2}?(?:ka|ki|ke)\\s+)?${REMINDER_VERB}`;
/** "reminder bhej dena": the sending, which is no part of what the reminder is about. */
export const REMINDER_SENT_VERB = words(REMINDER_VERB);
const REMIND_THEM_SOURCE = `ko\\s+${AT_NUMBER}(?:(?:\\S+\\s+){1,3}(?:ke liye|ke baare mein|ke baare me|ke bare mein)\\s+)?(?:yaad\\s+${REMIND_VERB}|${REMIND_EN_VERB}|${REMINDER_SENT})`;
const REMIND_THEM = words(REMIND_THEM_SOURCE);
/** "… ko yaad dilana ki order ready hai": what they are reminded of may be a state, which reports nothing done. */
const REMIND_THEM_THAT = words(`${REMIND_THEM_SOURCE}\\s+(?:hai\\s+)?ki`);
/**
 * "send Mr Joshi a reminder about the invoice", "send a payment reminder to Rekha madam": a reminder
 * sent to them (who right after "send", or after "to"), not one for me ("send me a reminder").
 */
export const SEND_REMINDER_TO = words('send\\s+(?:a|the)\\s+(?:\\S+\\s+)?reminders?\\s+to');
export const SEND_THEM_REMINDER = words(
  'send(?=\\s+(?:\\S+\\s+){1,4}?(?:a|the)\\s+(?:\\S+\\s+)?reminders?(?:\\s|$))',
);
/** The reminder itself in such a request, with its article: "a reminder", "the payment reminder". */
export const SENT_REMINDER = words('(?:a|the)(?=\\s+(?:\\S+\\s+)?reminders?(?:\\s|$))|reminders?');
/**
 * "yaad dilana Rajesh bhai ko ki …", "remind karna Sharma ji ko ki …": the same, the name after (its first
 * word captured; "… ko call karna" would be my call).
 */
const REMIND_THEM_AFTER = words(
  `(?:yaad\\s+${REMIND_VERB}|${REMIND_EN_VERB})\\s+(\\S+)\\s+(?:\\S+\\s+){0,2}?ko\\s+ki`,
);
/** Asking and telling them: "puchna", "bolna", "batana". */
const ASK_VERBS = 'puchna|poochna|puchhna|puch lena|pooch lena|puchh lena';
const TELL_VERBS =
  'bolna|bol dena|batana|bata dena|bata do|bata dijiye|kehna|kahna|inform karna|inform kar dena|inform kar do|inform karo';
/**
 * Checking or settling something with them: "Dr Fernandes se results check karna hai", "Rao ji se rate
 * confirm kar lena", "Shah ji se rates pakka karne hain".
 */
const CHECK_VERBS =
  '(?:check|confirm|pakka|final|verify)\\s+(?:karna|karni|karne|kar lena|kar lo|karo|karwana|karwa lena)';
const SAY_VERB = `${ASK_VERBS}|${TELL_VERBS}|${CHECK_VERBS}`;
/**
 * "Rekha bhabhi ko bolna ki kapda le aaye", "Sharma ji ko 98450 12345 pe bata do ki …": a message to pass on
 * to them, after who (and maybe where to reach them).
 */
const TELL_THEM = words(`ko\\s+${AT_NUMBER}(?:${TELL_VERBS})\\s+(?:hai\\s+)?ki`);
/** "…, Yadav bhaiya ko parso bata dena": whom to tell, the news said before them (see toldAfterNews). */
const TELL_THEM_BARE = words(`ko\\s+${AT_NUMBER}(?:${TELL_VERBS})`);
/** "bata dena Kapoor ji ko ki order ready hai": the same, who after the verb (their first word captured). */
const TELL_THEM_AFTER = words(`(?:${TELL_VERBS})\\s+(\\S+)\\s+(?:\\S+\\s+){0,2}?ko\\s+ki`);
/** "… bolna ki bill bhej diya": the telling, not what is told. */
export const TELL_VERB = words(TELL_VERBS);
/** The verbs of a talk or a question to have with someone: "baat karni hai", "puchna hai". */
export const TALK_VERB = words(`baat\\s+(?:karni|karna|karne|kar lena|kar lo|karo|kar ni)|${ASK_VERBS}`);
export const CHECK_VERB = words(CHECK_VERBS);
/** Words after which a question word is wondered aloud: "dekhte hain kab …", "pata nahi kya …". */
const WONDER = words(
  'dekhte hain|dekhte hai|dekhenge|dekhna hai|pata nahi|pata nahin|lets see|let us see|see|wonder|not sure|no idea|dunno',
);
/** "… poochna ki …", "… puchna hai ki …": what follows is the question to put to them. */
const ASK_THEM = words(`(?:${ASK_VERBS}|poochke|puchke|pooch ke|puch ke)\\s+(?:hai\\s+)?ki`);
/** The one-word ways to reach someone ("call", "ring", "whatsapp"): "call 98450 12345" names no one. */
const REACH_WORDS = new Set(
  [...Object.values(CHANNELS).flat(), ...REACH_OUT].filter((w) => /^[a-z]+$/.test(w)),
);
/** The reach asked for, not reported: "ko whatsapp kar dena" ("ko call kar diya" was made). */
const REACH_ASKED = 'karna|karni|karo|kar do|kar dena';
/**
 * "Pinto uncle ko call karke rates puchna", "Pinto aunty ko whatsapp karke bolna ki order ready hai",
 * "Gill sahab ko whatsapp pe bolna ki …", "Lobo aunty ko message karna ki cake ready hai": a call or a
 * message that carries something to ask or say, after who.
 */
const CALL_AND_SAY = words(
  `ko\\s+(?:\\S+\\s+){0,3}?${alt([...REACH_WORDS])}\\s+(?:(?:pe|par)\\s+)?(?:(?:karke|kar ke|karkar|lagake|laga ke)\\s+(?:\\S+\\s+){0,5}?(?:${SAY_VERB})|(?:${SAY_VERB})|(?:${REACH_ASKED})\\s+(?:hai\\s+)?ki)`,
);
/** "Mr Gill se baat karni hai", "Joshi madam se sample ke baare mein puchna hai": a talk, after who. */
const TALK_TO = words(`se\\s+(?:\\S+\\s+){0,5}?(?:${TALK_VERB.source})`);
/**
 * "Dr Fernandes se results check karna hai", "Shah ji ke saath rates confirm karne hain": a check with
 * someone, after who (not "register se check karna").
 */
const CHECK_WITH = words(`(?:se|ke saath|ke sath)\\s+(?:\\S+\\s+){0,5}?(?:${CHECK_VERBS})`);
/**
 * "talk to Iyer sir about the AMC", "speak with Anil re the lease": a talk, before who (a person must
 * follow: not "talk to me", nor "talk to the bank").
 */
const TALK_TO_EN = words(alt(TALKS));
/**
 * "discuss the rates with Mr Shah", "confirm the order with Rao ji", "finalise the design with Mrs Iyer": a
 * talk or a check, what about said first.
 */
const DISCUSS_VERBS = 'discuss|confirm|finali[sz]e|clarify|settle|sort out|verify';
export const DISCUSS_VERB = words(DISCUSS_VERBS);
export const DISCUSS_WITH = words(`(?:${DISCUSS_VERBS})(?:\\s+\\S+){0,4}?\\s+with`);
/**
 * "ask Nandini madam about the GST number", "remind Anand bhai about the bill", "ask Mr Sen whether the
 * stock reached", "remind me to ask Mr Ali about the rent", "need to ask …" (not "ask Priya to …" nor
 * "remind me …": the work is hers, the reminder mine).
 */
export const ASK_ABOUT = words(
  `(?<=^\\s*|(?:please|kindly|to)\\s+)(?:ask|remind)(?!\\s+(?:me|us)(?:\\s|$))(?=\\s+(?:\\S+\\s+){1,4}${alt(TOPIC_MARKERS)}(?:\\s|$))`,
);
/** Words that name no one to reach: the owner ("mujhe", "me"), a pronoun, an article ("the CA" is a role). */
const NOT_THEM = new Set([
  ...'mujhe mujh mere mera hum hume humko ham me aap us un'.split(' '),
  ...'the a an my our your his her their its this that him them it'.split(' '),
]);
/** The English ways to reach someone, before who: "call", "whatsapp", "ping", "check with", "get back to". */
const REACH_EN = words(
  `${alt([...REACH_WORDS, ...REACH_OUT.filter((w) => w.includes(' '))])}(?:\\s+(?:to|back|up))?`,
);
/**
 * What a reach is for, after who: a topic ("about", "re", "if", "on the rates"), or a "for", "to" or "that"
 * after a name.
 */
const TOPIC = new Set(TOPIC_MARKERS);
const PURPOSE = new Set([...TOPIC_MARKERS, 'for', 'to', 'that', 'on']);
/**
 * Words that open the naming of a thing: after "on" a topic ("get back to Mr Sodhi on the laminate rates", not
 * a number to call on); before a trouble word, a thing described ("fixed the broken link on her chain").
 */
const DETERMINERS = new Set([
  'the',
  'a',
  'an',
  'that',
  'those',
  'this',
  'these',
  'its',
  'his',
  'her',
  'their',
  'our',
  'my',
]);
/** The words between a reach and its purpose that may name who: "Smt Kamala Devi", "Murugan anna". */
const MAX_NAME_WORDS = 5;

/**
 * An English reach with a purpose: "call Smt Kamala Devi today 4pm to confirm the pickup", "ping Murugan
 * anna regarding the rates", "check with chatterjee babu if the proofs are final", "get back to Mr Shah
 * about the insurance". Who comes right after the verb; "the CA", "my CA", "him" are no one to follow up
 * ("call the CA about ITR" is a task). After a "for" or a "to" the words must read as a person ("mail GST
 * docs to the CA" sends a thing).
 */
function reachWithPurpose(probe: Utterance): Match | undefined {
  const sent = probe.find(SEND_THEM_A).find((m) => {
    const topic = probe.freeIndexes(m.to)[0];
    const who = probe.normOf(m.from + 1);
    return (
      topic !== undefined &&
      TOPIC.has(probe.normOf(topic)) &&
      !NOT_THEM.has(who) &&
      readsAsName(probe, m.from + 1)
    );
  });
  if (sent) return sent;
  return probe.find(REACH_EN).find((m) => {
    const after = probe.freeIndexes(m.to).slice(0, MAX_NAME_WORDS + 1);
    const at = after.findIndex((i) => PURPOSE.has(probe.normOf(i)));
    const who = after.slice(0, Math.max(at, 0));
    if (who.length === 0 || NOT_THEM.has(probe.normOf(who[0] ?? -1))) return false;
    const marker = probe.normOf(after[at] ?? -1);
    if (marker === 'on') return DETERMINERS.has(probe.normOf(after[at + 1] ?? -1));
    return TOPIC.has(marker) || who.some((i) => readsAsName(probe, i));
  });
}

const TELL_EN = words(alt(TELLS));
/** "let Dr Rao know (that) …": a telling too, who between the words. */
const LET = words('let');
const KNOW = words('know');
/** What may stand between who is told and what: "that", "about", "ki". */
const TOLD_WHAT = new Set([...TOPIC_MARKERS, 'that', 'ki']);

/** Who is told something (tokens `from` to `to`), and the words that say to tell them. */
export interface Told {
  cues: Match[];
  from: number;
  to: number;
}

/**
 * A message to pass on, in English, who after the verb: "tell Mrs Kapoor that her order is ready", "inform
 * Sharma ji about the delay", "let Dr Rao know the reports are in", "tell kapoor ji her order is ready". Who
 * must read as a person, or be followed by a topic, and something must be left to tell: "tell me …", "let me
 * know", "inform the bank …" tell no one ("tell Ravi to …", work handed over, is assign.ts's).
 */
export function toldWho(u: Utterance): Told | undefined {
  const someone = (who: number[], marker?: number) =>
    who.length > 0 &&
    !NOT_THEM.has(u.normOf(who[0] ?? -1)) &&
    (TOPIC.has(u.normOf(marker ?? -1)) || who.some((i) => readsAsName(u, i)));
  // what to tell follows who, or stands first, in a clause of its own: "the new rates are out, let Mr Shah
  // know tomorrow", "the cake is ready, tell Lobo aunty"
  const saysMore = (to: number, cue: Match) =>
    u.freeIndexes(to).length > 0 || newsBefore(u, cue) !== undefined;
  for (const cue of u.find(TELL_EN)) {
    // "remind karna Sharma ji ko ki …": the English verb said the Hinglish way, whom with "ko" (see
    // REMIND_THEM_AFTER, TELL_THEM_AFTER)
    if (u.normOf(cue.to).startsWith('kar')) continue;
    const after = u.freeIndexes(cue.to).slice(0, MAX_NAME_WORDS + 1);
    const at = after.findIndex((i) => TOLD_WHAT.has(u.normOf(i)));
    const who = at > 0 ? after.slice(0, at) : nameRun(u, after);
    const to = (who.at(-1) ?? -1) + 1;
    if (someone(who, after[at]) && saysMore(to, cue)) return { cues: [cue], from: who[0] ?? to, to };
  }
  for (const know of u.find(KNOW)) {
    const cue = u.find(LET).findLast((m) => m.to < know.from);
    const who = cue ? u.freeIndexes(cue.to, know.from) : [];
    if (cue && who.length <= MAX_NAME_WORDS && someone(who) && saysMore(know.to, cue)) {
      return { cues: [cue, know], from: cue.to, to: know.from };
    }
  }
  // "whatsapp Mr Rao, the quotation is ready", "message Kavita ji the samples are ready": a reach opening
  // the message, with a statement after who, passes the statement on (a purpose marker after who is
  // reachWithPurpose's); the statement says more than a bare "done" ("call Mr Rao, done" reports the call)
  const first = u.tokens.findIndex((_, i) => u.usedAs(i) !== 'filler');
  const reach = u.find(REACH_EN, { all: true }).find((m) => m.from === first);
  if (reach) {
    const who = nameRun(u, u.freeIndexes(reach.to).slice(0, MAX_NAME_WORDS));
    const to = (who.at(-1) ?? -1) + 1;
    if (someone(who) && !PURPOSE.has(u.normOf(u.freeIndexes(to)[0] ?? -1)) && statesMore(u, to)) {
      return { cues: [reach], from: who[0] ?? to, to };
    }
  }
  return undefined;
}

/**
 * The news said before a telling in English, in a clause of its own ("the stock is in, tell Mr Rao"): the
 * free words before the clause the telling's first word stands in, or undefined.
 */
function newsBefore(u: Utterance, telling: { from: number }): number[] | undefined {
  const opens = u.tokens.findLastIndex((t, i) => t.breakAfter && i < telling.from);
  const news = opens < 0 ? [] : u.freeIndexes(0, opens + 1);
  return news.length > 0 ? news : undefined;
}

const POINTS_AT_THEM: ReadonlySet<string> = new Set(PRONOUNS.en);
/** Words that lead into a reach asked for, after what was said of them: "…, so call her back", "…, pls ping him". */
const ASKS_NEXT = new Set(['so', 'toh', 'to', 'and', 'then', 'phir', 'please', 'just']);
/** "…, follow up with him": the follow-up itself, to someone pointed at. */
const FOLLOW_UP_WITH = words('follow up with');
/** "…, tell her tomorrow", "…, inform him", "…, let them know": word passed on to someone pointed at. */
export const TELL_BACK = words(
  `${alt([...TELLS, 'let'])}(?=\\s+${alt(PRONOUNS.en)}(?:\\s|$))|(?<=(?:^|\\s)let\\s+${alt(PRONOUNS.en)}\\s+)know`,
);
/**
 * "…, unko kal call karna", "…, unhe call back karna", "… usko whatsapp karke …", "… unse follow up karna", "…
 * toh unko 98290 11223 pe yaad dilana hai", "…, unko kal bata dena": a reach back, a reminder or word for them,
 * who by a pronoun.
 */
const REACH_THEM_BACK = words(
  `${alt(PRONOUNS.hi)}\\s+(?:\\S+\\s+){0,3}?(?:${alt([...REACH_WORDS, 'follow up'])}\\s+(?:(?:pe|par|back)\\s+)?(?:${REACH_ASKED}|karke|kar ke|kar lena)|yaad\\s+${REMIND_VERB}|${REMIND_EN_VERB}|${TELL_VERBS})`,
);

/**
 * A reach asked for, to someone pointed at by a pronoun: "…, call her back tomorrow", "… so email him", "…,
 * follow up with him", "…, tell her tomorrow", "…, confirm the order with him", "…, unko kal call karna". The
 * pronoun's place, or undefined.
 */
export function reachBackAt(u: Utterance): number | undefined {
  const asked = (at: number) => {
    const prev = u.freeIndexes(0, at).at(-1);
    return prev === undefined || u.tokens[at - 1]?.breakAfter === true || ASKS_NEXT.has(u.normOf(prev));
  };
  const en = [...u.find(REACH_EN), ...u.find(FOLLOW_UP_WITH), ...u.find(TELL_BACK), ...u.find(DISCUSS_WITH)]
    .filter((m) => POINTS_AT_THEM.has(u.normOf(u.freeIndexes(m.to)[0] ?? -1)) && asked(m.from))
    .map((m) => u.freeIndexes(m.to)[0] ?? m.to);
  return [...en, ...u.find(REACH_THEM_BACK).map((m) => m.from)].sort((a, b) => a - b)[0];
}

/**
 * Someone named, then a reach asked for back to them by a pronoun: "Pereira aunty asked for the rate card, call
 * her back tomorrow", "Mr Khan needs the invoice so email him", "Verma ji ka order late hai, unko kal call
 * karna". Returns who (the first name said before the pronoun, an honorific in it or a capital past the
 * message's first word: "Stock aa gaya, unko call karna" names no one) and the pronoun's place, or undefined.
 * What was said of them is what the reach is for, even a past tense or a state ("asked for", "late hai").
 */
export function reachedBack(u: Utterance): { from: number; to: number; pointer: number } | undefined {
  const pointer = reachBackAt(u);
  if (pointer === undefined) return undefined;
  const who = namedBefore(u, pointer);
  return who && { ...who, pointer };
}

/** Words that follow a subject opening a message: "Ankit has …", "Neha can't come …", "Rao ne bola …". */
const SUBJECT_VERBS = new Set(
  'has had is was can cant cannot couldnt wont will wants said says called messaged ne'.split(' '),
);

/**
 * The person a pronoun at token `pointer` points back at: the first name said before it, an honorific in it
 * or a capital past the message's first word (see `reachedBack`); or undefined.
 */
export function namedBefore(u: Utterance, pointer: number): { from: number; to: number } | undefined {
  // only the first name said ("Kavita from Sharma Traders called, call her back" is about Kavita); a reach
  // capitalised to open the message names no one ("Email Mrs Das the quote and call her")
  const said = u.freeIndexes(0, pointer);
  const at = said.find(
    (i) => readsAsName(u, i) && !NOT_THEM.has(u.normOf(i)) && !REACH_WORDS.has(u.normOf(i)),
  );
  if (at === undefined) return undefined;
  const run = nameRun(u, u.freeIndexes(at, pointer));
  // "Mrs Kapoor's blouse is stitched, call her": whose thing it is names them
  const next = (run.at(-1) ?? at - 1) + 1;
  if (next < pointer && u.isFree(next) && /'s$/u.test(u.tokens[next]?.raw ?? '')) run.push(next);
  const bare = (i: number) => (u.tokens[i]?.raw ?? '').replace(/'s$/u, '').toLowerCase();
  // opening the message, a name needs an honorific or a surname ("Deepak Jain called, …"), or to be the
  // subject of what follows ("Ankit's down with a viral", "Ankit has his board exams")
  const after = u.normOf((run.at(-1) ?? at) + 1);
  const person =
    at !== u.freeIndexes()[0] ||
    run.some((i) => isHonorific(bare(i))) ||
    run.filter((i) => isCapitalised(u, i)).length > 1 ||
    /'s$/u.test(u.tokens[at]?.raw ?? '') ||
    SUBJECT_VERBS.has(after);
  const last = run.at(-1);
  return last !== undefined && person ? { from: at, to: last + 1 } : undefined;
}

/** "… so i need to call Mr Rao", "… so have to whatsapp Gupta uncle": the reach the news leads to. */
const REACH_NEEDED = words(`${alt(SO_THEN)}\\s+${alt(NEEDS_TO)}`);
/** "…, so call Mr Joshi tomorrow": a plain "so" leading to it. */
const SO = words(alt(SO_THEN));

/**
 * The news first and someone to reach because of it after: "the tiles came in the wrong shade so i need to
 * call Gupta uncle tomorrow and tell him …", "the quotation is ready, call Mr Rao at 4", "the samples came in
 * today so call Mr Joshi tomorrow". Who is the name right after the reach (the news names no one; with
 * nothing else said of them, it is what the reach is about), and `need`, the "so (i need to)" leading to it;
 * or undefined. Without "need to", the news must report something done or come about ("pay the rent, call
 * Mr Rao at 4" is two chores).
 */
export function reachedAfterNews(
  u: Utterance,
): { from: number; to: number; need?: { from: number; to: number } } | undefined {
  const reachAt = (at: number | undefined) => u.find(REACH_EN).find((m) => m.from === at);
  const whoAfter = (reach: Match | undefined) => {
    const who = reach ? nameRun(u, u.freeIndexes(reach.to).slice(0, MAX_NAME_WORDS)) : [];
    const last = who.at(-1);
    return last !== undefined && !NOT_THEM.has(u.normOf(who[0] ?? -1))
      ? { from: who[0] ?? last, to: last + 1 }
      : undefined;
  };
  for (const need of u.find(REACH_NEEDED)) {
    if (u.freeIndexes(0, need.from).length === 0) continue;
    const who = whoAfter(reachAt(u.freeIndexes(need.to)[0]));
    if (who) return { ...who, need };
  }
  // a reach opening a clause after the news, or after a "so"
  for (const reach of u.find(REACH_EN)) {
    const so = u.find(SO).find((m) => m.to === reach.from);
    const lead = so ?? reach;
    if (!u.tokens[lead.from - 1]?.breakAfter && !so) continue;
    const who = whoAfter(reach);
    if (who && reportsNews(u, lead.from)) return so ? { ...who, need: so } : who;
  }
  // the Hinglish way, who before the reach: "stock aa gaya hai, Sharma ji ko kal call karna"
  for (const reach of u.find(REACH_THEM_HI)) {
    if (!u.find(REACH_ASKED_NEXT).some((m) => m.from === reach.to)) continue;
    const who = nameBeforeKo(u, reach.from);
    const so = who && u.find(SO).find((m) => m.to === who.from);
    const lead = so || who;
    if (lead && (so || u.tokens[lead.from - 1]?.breakAfter) && reportsNews(u, lead.from)) {
      return so ? { ...who, need: so } : who;
    }
  }
  return undefined;
}

/**
 * The words before token `to` report something done, come about or as it is ("the quotation is ready", "the
 * cheque bounced", "the new tiles have arrived", "the AC is not working"): news, not a chore.
 */
function reportsNews(u: Utterance, to: number): boolean {
  const news = u.copy();
  news.use(to, u.length, 'filler');
  const said = news.freeIndexes();
  // "bank jaana hai, …" is a chore
  if (said.length < 2 || news.has(PATTERNS.weakCreate)) return false;
  return (
    said.some((i) => CLAUSE_VERBS.has(news.normOf(i))) ||
    saysDone(news) ||
    reportsPast(news, true) ||
    toldSetback(news)
  );
}

/**
 * A message to pass on in Hinglish, the news first and whom to tell after: "Tiles ka naya maal aa gaya, Yadav
 * bhaiya ko parso bata dena", "stock aa gaya Rao ji ko 98450 12345 pe bol dena". Who is the name ending right
 * before "ko" (their number may stand after it); the news, words before it. Read with the time taken out.
 */
export function toldAfterNews(u: Utterance): Told | undefined {
  for (const cue of u.find(TELL_THEM_BARE)) {
    const who = nameBeforeKo(u, cue.from);
    if (!who) continue;
    const news = u.freeIndexes(0, who.from).some((i) => !LEADING_FILLERS.has(u.normOf(i)));
    if (news) return { cues: [cue], ...who };
  }
  return undefined;
}

/** The name ending right before the "ko" at `at`, maybe with their number between: "Yadav bhaiya ko". */
function nameBeforeKo(u: Utterance, at: number): { from: number; to: number } | undefined {
  const end = u.tokens[at - 1]?.phone ? at - 1 : at;
  let from = end - 1;
  const partOfName = (i: number) =>
    u.isFree(i) && !u.tokens[i]?.breakAfter && (readsAsName(u, i) || isHonorific(u.normOf(i + 1)));
  while (from > 0 && partOfName(from - 1)) from--;
  if (from < 0 || !u.isFree(from) || NOT_THEM.has(u.normOf(from))) return undefined;
  return { from, to: end };
}

/**
 * The words opening `indexes` that spell a name, one after another in a clause: capitalised or an
 * honorific ("Mrs Kapoor"), or a name typed in lower case before an honorific ("kapoor ji"); not a
 * possessive ("tell Ramesh's number" asks for it).
 */
function nameRun(u: Utterance, indexes: readonly number[]): number[] {
  const run: number[] = [];
  for (const i of indexes) {
    const prev = run.at(-1);
    if (prev !== undefined && (i !== prev + 1 || u.tokens[prev]?.breakAfter)) break;
    if (!readsAsName(u, i) && !isHonorific(u.normOf(i + 1))) break;
    if (/'s$/.test(u.tokens[i]?.raw ?? '')) break;
    run.push(i);
  }
  return run;
}

/**
 * Someone to reach about something, with no "follow up" said: money to collect from them, a reminder for
 * them (not "me"), a talk to have with them, a question to ask them, or a call or message with a purpose.
 * The time words go first, so they may stand anywhere ("Smt Savitri Devi ka payment 3 tarikh ko lena
 * hai"). A question asked of them, or what to tell them, may hold a past tense or a state ("whether the
 * stock reached", "bolna ki order ready hai") that reports nothing done. A reach with a purpose is a
 * follow-up even after "remind me to"; money to collect too, unless the reminder opens the message
 * ("remind me to collect the cheque from Sharma ji" is the owner's errand).
 */
function reachesSomeone(u: Utterance, ctx: DateContext, isDone: boolean): boolean {
  const probe = u.copy();
  takeWhen(probe, ctx);
  // a name (any word but "me" or "us") stands right before the postposition at `i`, or before their
  // number there ("Kamla aunty 99887 76655 ko …"); before a ka/ki/ke, one that reads as a person ("Mehta
  // uncle ka cheque", not "dukaan ka rent")
  const nameEnd = (i: number) => (probe.tokens[i - 1]?.phone ? i - 1 : i);
  const namedBefore = (i: number) => {
    const at = nameEnd(i);
    return at > 0 && probe.isFree(at - 1) && !NOT_THEM.has(probe.normOf(at - 1));
  };
  // a person right after `i`: an honorific or a capital ("talk to Iyer sir", "speak with Anil")
  const namedAfter = (i: number) =>
    probe.isFree(i) &&
    !NOT_THEM.has(probe.normOf(i)) &&
    (isHonorific(probe.normOf(i)) ||
      isHonorific(probe.normOf(i + 1)) ||
      /^\p{Lu}/u.test(probe.tokens[i]?.raw ?? ''));
  const personBefore = (i: number) => {
    const last = nameEnd(i) - 1;
    return (
      namedBefore(i) && (isHonorific(probe.normOf(last)) || /^\p{Lu}/u.test(probe.tokens[last]?.raw ?? ''))
    );
  };
  if (probe.has(ASK_ABOUT) || probe.find(CALL_AND_SAY).some((m) => namedBefore(m.from))) return true;
  // a reach that opens the message is a request, whatever its purpose says ("message Mrs Rego that the
  // curtains are ready"); one further in may be a report ("Ramesh ko call kar diya about the rent")
  const reach = reachWithPurpose(probe);
  if (reach && (!isDone || reach.from === probe.freeIndexes()[0])) return true;
  const reminder = probe.find(PATTERNS.strongCreate)[0];
  // a talk to have, or a question to put ("Bose babu se poochna ki proofs ready hai"), is still ahead, and
  // stays one after a reminder ("kya aap mujhe yaad dila denge ki Gupta sahab se payment ki baat karni hai?")
  if (probe.find(TALK_TO).some((m) => namedBefore(m.from))) return true;
  if (!reminder && probe.find(CHECK_WITH).some((m) => personBefore(m.from))) return true;
  // what to tell them may be a state ("bolna ki frame ready hai", "tiles aa gaye, Yadav ji ko bata dena"):
  // it reports nothing done
  if ([...probe.find(TELL_THEM), ...probe.find(REMIND_THEM_THAT)].some((m) => namedBefore(m.from)))
    return true;
  if (toldAfterNews(probe)) return true;
  if (reachedBack(probe)) return true;
  // the news first, then a call: "the quotation is ready, call Mr Rao at 4"
  if (reachedAfterNews(probe)) return true;
  if (probe.find(TELL_THEM_AFTER).some((m) => !NOT_THEM.has(m.groups[0] ?? ''))) return true;
  if (reachThenPurpose(probe, namedBefore, namedAfter, isDone)) return true;
  if (isDone) return false;
  if (listsContact(probe)) return true;
  if (probe.find(REMIND_THEM).some((m) => namedBefore(m.from))) return true;
  if (probe.find(REMIND_THEM_AFTER).some((m) => !NOT_THEM.has(m.groups[0] ?? ''))) return true;
  if (probe.find(SEND_REMINDER_TO).some((m) => namedAfter(m.to))) return true;
  if (probe.find(SEND_THEM_REMINDER).some((m) => namedAfter(m.to))) return true;
  // money said before any reminder cue: "Pappu bhaiya ka 8k payment lena hai, parso 5 baje yaad dilana"
  const owed = (m: Match) => !reminder || reminder.from > m.from;
  const collects =
    probe
      .find(COLLECT_FROM)
      .some((m) => owed(m) && (probe.normOf(m.from) === 'se' ? namedBefore : personBefore)(m.from)) ||
    probe.find(COLLECT_FROM_EN).some((m) => owed(m) && namedBefore(m.to + 1)) ||
    [...probe.find(OWED_BY), ...probe.find(DUE_FROM), ...probe.find(NOT_COME_FROM)].some(
      (m) => owed(m) && personBefore(m.from),
    );
  if (collects) return true;
  if (reminder) return false;
  return (
    probe.find(TALK_TO_EN).some((m) => namedAfter(m.to)) ||
    probe.find(DISCUSS_WITH).some((m) => namedAfter(m.to))
  );
}

/**
 * A person listed beside their number, and what it is about, with no verb: "today 6pm, Nikhil, +91 98200
 * 55667, about the ghee tins". Someone to get back to, as a message opening with "follow up:" is.
 */
function listsContact(probe: Utterance): boolean {
  const phone = probe.tokens.findIndex((t) => t.phone);
  if (phone < 0 || !(readsAsName(probe, phone - 1) || readsAsName(probe, phone + 1))) return false;
  return probe.freeIndexes().some((i) => TOPIC.has(probe.normOf(i)));
}

/** "Rakesh bhai ko whatsapp kar dena": a reach, who before it. */
const REACH_THEM_HI = words(`ko\\s+${alt([...REACH_WORDS])}`);
const REACH_ASKED_NEXT = words(REACH_ASKED);
/** Words that leave a clause saying nothing of its own: "…, urgent hai", "…, pls". */
const EMPTY_CLAUSE = words(
  alt([...PRIORITY_HIGH, ...PRIORITY_URGENT, ...TRAILING_WORDS, 'please', 'pls', 'plz']),
);
/** "…, then pack the order", "…, phir bill banana": a second chore, not what the reach is for. */
const NEXT_CHORE_WORDS: ReadonlySet<string> = new Set(NEXT_CHORE);
/**
 * "call Mr Sen tomorrow, need the invoice copy", "Rakesh bhai ko whatsapp kar dena kal subah, rates bhejne
 * hain": a reach to someone named in the first clause, what it is for in the next (a clause of two words or
 * more beyond an "urgent" or a "pls", not opening a next chore).
 */
function reachThenPurpose(
  probe: Utterance,
  namedBefore: (i: number) => boolean,
  namedAfter: (i: number) => boolean,
  isDone: boolean,
): boolean {
  const end = probe.firstClauseBreak();
  if (end < 0) return false;
  // with a state in the next clause ("…, order ready hai", word to pass on), only a reach asked for counts:
  // "Ramesh ko call kar diya, payment aa gaya" reports one
  const asked = (m: Match) => !isDone || probe.find(REACH_ASKED_NEXT).some((a) => a.from === m.to);
  const reaches =
    probe
      .find(REACH_EN)
      .some((m) => m.from === probe.freeIndexes()[0] && m.from <= end && namedAfter(m.to)) ||
    probe.find(REACH_THEM_HI).some((m) => m.to <= end + 1 && namedBefore(m.from) && asked(m));
  if (!reaches) return false;
  const rest = probe.copy();
  rest.use(0, end + 1, 'filler');
  rest.takeAll(EMPTY_CLAUSE, 'filler');
  const said = rest.freeIndexes();
  const purpose = said.length >= 2 && !NEXT_CHORE_WORDS.has(rest.normOf(said[0] ?? -1));
  return purpose && (!isDone || statesMore(probe, end + 1));
}

/**
 * A message to pass on to someone, whatever numbers it names: "tell Mr Shah that his balance is pending",
 * "Mehta ji ko kal bolna ki balance payment bhej de", "naya maal aa gaya, Yadav ji ko bata dena".
 */
function passesWordOn(u: Utterance, ctx: DateContext): boolean {
  if (toldWho(u)) return true;
  const probe = withoutWhen(u, ctx);
  return toldAfterNews(probe) !== undefined || probe.has(TELL_THEM) || probe.has(TELL_THEM_AFTER);
}

/**
 * A number given for someone named, in the request's sentence: "remind me to call Harish on 98450 12345",
 * "… call Anil tomorrow 11am, number 98450 12345" (not "call 98450 12345", nor "… at 5pm. Sharma ji ka
 * number is 98450 12345", a detail stated apart).
 */
function numberOfSomeone(u: Utterance): boolean {
  return u.tokens.some((t, at) => {
    if (!t.phone) return false;
    const before = PHONE_BEFORE.has(u.normOf(at - 1)) ? at - 2 : at - 1;
    const word = u.tokens[before];
    if (word === undefined || REACH_WORDS.has(word.norm)) return false;
    return !/[.!?]\s+\S/.test(withoutTitleStops(u.text.slice(0, t.at)));
  });
}

/**
 * "delay the february GST payment by a week", "postpone GST payment to friday", "AC bill payment can be
 * pushed to 30th": a task moved (the verb opening the message, or said of it), not a question about the
 * GST ("change in sales", "delay in payments" ask about numbers).
 */
const MOVED = words(
  '(?:be|been|get|gets)\\s+(?:pushed|moved|shifted|postponed|preponed|delayed|rescheduled)',
);
const MOVE_IT = words(
  '^\\s*(?:(?:please|kindly|can you|could you|can we|could we|lets)\\s+)?(?:move|shift|postpone|prepone|push|delay|reschedule|bump|extend)(?!\\s+(?:in|of)(?:\\s|$))',
);

/** A call to return: "call him back", "ring Mr Rao back", "callback", "unko wapas call karna". */
export const CALL_BACK = words(
  '(?:call|ring|phone)\\s+(?:\\S+\\s+){0,2}?back|callback|(?:wapas|vapas|waapas)\\s+(?:call|phone)',
);
export const CALLBACK_ASKED = words(
  '(?:asked|requested|wanted|wants|want)\\s+(?:for\\s+)?(?:a\\s+)?(?:call back|callback|call|a call)',
);

/** "spoke to Meenakshi about the payment", "cold storage walon ko paise de diye": a report, not a question. */
const PAID_TO = words('ko\\s+(?:\\S+\\s+){0,3}(?:de diya|de diye|de di|dediya|bhej diya|bhej diye|bhej di)');

function everyWord(u: Utterance, test: (w: string) => boolean): boolean {
  return u.tokens.every((t) => test(t.norm));
}

/** Where a done-word is said: "done", "ho gaya", and "complete"/"finish" at the end of a clause. */
function doneWords(u: Utterance) {
  const atEnd = u
    .find(PATTERNS.doneAtClauseEnd)
    .filter((m) => m.to === u.length || u.tokens[m.to - 1]?.breakAfter === true);
  return [...u.find(PATTERNS.done), ...atEnd];
}

const TO_BE_DONE = words('karna|karni|karne|krna|hona|hone');
// "to be done", "can be done on monday": still ahead
const TO_BE = words('to(?: be| get)?|(?:can|could|will|should|must|may) (?:be|get)');

/**
 * A done-word that says the opposite: negated ("haven't been done", "not finished", "nahi ho gaya"), still
 * ahead ("need to get done", "to be done", "khatam karna hai") or gone wrong ("kharab ho gaya").
 */
function isTurned(u: Utterance, done: { from: number; to: number }): boolean {
  const at = (p: RegExp, test: (m: { from: number; to: number }) => boolean) =>
    u.find(p, { all: true }).some(test);
  return (
    at(PATTERNS.negation, (n) => n.to <= done.from && done.from - n.to <= 2) ||
    // "courier wala aaya hi nahi", "report bani nahi": said after, as Hindi may
    at(NEGATED_AFTER, (n) => n.from >= done.to && n.from - done.to <= 1) ||
    at(TO_BE, (n) => n.to === done.from) ||
    at(TO_BE_DONE, (n) => n.from === done.to) ||
    at(GONE_BAD, (n) => n.to === done.from)
  );
}

const NEGATED_AFTER = words('nahi|nahin|nai');
/**
 * The states a thing falls into when it goes wrong, said the Hindi way before "ho gaya" or "pada hai": "jal
 * gaya", "toot gayi", "kharab ho gaya", "kho gaya", "printer band pada hai".
 */
const FELL_INTO = 'jal|toot|tut|phat|kharab|bigad|band|kho|chori|ghis';
/** A state a thing fell into, so the done word after it tells of trouble: "machine kharab ho gayi". */
const GONE_BAD = words(`${FELL_INTO}|kharaab|damage|dead|fail|leak|jam|hang|down|off|short|late|slow`);

const GET = words('get|getting');
/** The most words a thing to have done runs to: "get the photocopy of the lease papers done". */
const MAX_GOT_DONE = 6;

/**
 * "get the photocopy done of …", "get it done by 5": a thing to have done, still ahead, "get" and the done
 * word in one clause ("got it done" reports it).
 */
function toHaveDone(u: Utterance, done: { from: number }): boolean {
  return u
    .find(GET, { all: true })
    .some(
      (g) =>
        g.to < done.from &&
        done.from - g.to <= MAX_GOT_DONE &&
        !u.tokens.slice(g.from, done.from).some((t) => t.breakAfter),
    );
}

/**
 * A clause telling a thing done that names none of the numbers a question might ask for: "rayon bundles
 * dispatched to the kolkata buyer, LR copy received from transport" reports; "payments received in february",
 * "collections this month compared to last year" ask.
 */
function reportsBesideNumbers(u: Utterance, ctx: DateContext, noDayAhead: boolean): boolean {
  return clausesOf(u).some(
    (c) => !c.has(PATTERNS.businessNumbers) && (saysDone(c) || reportsPast(withoutWhen(c, ctx), noDayAhead)),
  );
}

/** Something is said to be done, and not turned around. */
export const saysDone = (u: Utterance): boolean =>
  doneWords(u).some((d) => !isTurned(u, d) && !toHaveDone(u, d));
/** Something is said not to be done yet. */
export const notYetDone = (u: Utterance): boolean => doneWords(u).some((d) => isTurned(u, d));

/**
 * The words from token `from` on state something ("the quotation is ready", "the stock has arrived") and
 * say more than the done words themselves ("…, done", "ho gaya" only report).
 */
function statesMore(u: Utterance, from: number): boolean {
  const rest = u.copy();
  rest.use(0, from, 'filler');
  const done = doneWords(rest);
  const covered = tokensOf(done);
  const states = done.some((d) => !isTurned(rest, d)) || reportsPast(rest, true);
  return states && rest.freeIndexes().some((i) => !covered.has(i));
}

const ALL_OF = new Set(['the', 'my', 'mere', 'of', 'these', 'those']);
const MARK_WORD = words('as|mark|marked');

/**
 * "delete all tasks", "mark all done", "sab ho gaya": every task at once, which no tool does; "deposited
 * all the cheques" is one task.
 */
function saysAll(u: Utterance): boolean {
  return u.find(PATTERNS.all).some((m) => {
    let next = m.to;
    while (ALL_OF.has(u.normOf(next))) next++;
    const cue = [PATTERNS.done, PATTERNS.doneAtClauseEnd, PATTERNS.delete, PATTERNS.snooze, MARK_WORD];
    const acted = cue.some((p) => u.find(p).some((c) => c.from === next));
    // "all pending tasks", not "saare bacchon ka naap …, woh kaam khatam samjho"
    const ofTasks = [TASK_NOUN, FOLLOW_UP_NOUN].some((p) =>
      u.find(p).some((c) => c.from >= next && c.from <= next + ALL_TASKS_GAP),
    );
    return next >= u.length || acted || ofTasks;
  });
}

/** At most this many words between "all" and the tasks it means ("all pending overdue tasks"). */
const ALL_TASKS_GAP = 2;

const TAKE_AWAY_VERBS: ReadonlySet<string> = new Set(TAKE_AWAY);
const CANCELLED = words(alt(CANCELLED_THINGS));
const CALLED_OFF = words('cancel|cancelled|canceled|cancellation|radd');
/** A plan called off in other words: "the meeting is off". */
const IS_OFF = words('(?:is|are|was|were) off');
/** Where a thing is taken from or left: "at Shetty anna's shop", "from the godown", "drop off", "godown se". */
const PLACE = words(`at|from|outside|inside|near|behind|off|${alt(PLACES)}\\s+(?:se|pe|par|mein|me|ke)`);
/** Words tying a day to a thing, not to doing it: "kal ka order", "kal wala meeting". */
const WHICH_ONE = new Set(['ka', 'ki', 'ke', 'wala', 'wali', 'wale']);

/**
 * A delete verb used for a chore: one that takes a thing away ("remove the old signboard at Shetty anna's
 * shop on saturday", "drop the samples at Dr Rao's clinic tomorrow", "godown se purana maal hata do") said
 * with a day, a time or a place, or a "cancel" of a booking, an order, an appointment ("cancel the hotel
 * booking and rebook for Sunday", "Mr Shah ka order cancel karke naya bhejna hai"). No task is named as one
 * ("remove the AC task", "rent wala reminder hata do", "cancel my reminder for the bank"), nor by its day
 * ("remove tomorrow's delivery", "kal ka order hata do").
 */
function deleteVerbForChore(u: Utterance, ctx: DateContext): boolean {
  const verbs = u.find(PATTERNS.delete);
  const cancels = verbs.every((m) => m.text === CANCEL) && u.has(CANCELLED);
  if (!cancels && !verbs.every((m) => TAKE_AWAY_VERBS.has(m.text))) return false;
  if (u.has(TASK_NOUN) || u.has(FOLLOW_UP_NOUN) || u.has(PLAN_NOUN)) return false;
  const probe = u.copy();
  const when = takeWhen(probe, ctx) !== null;
  // a day tied to a thing ("kal ka order", "kal wala"), not to the doing ("sunday ke liye")
  const tie = (i: number) => WHICH_ONE.has(probe.normOf(i)) && probe.usedAs(i + 1) !== 'when';
  const namesWhich = probe.tokens.some(
    (t, i) => probe.usedAs(i) === 'when' && (/'s$/.test(t.raw) || tie(i) || tie(i + 1)),
  );
  if (namesWhich) return false;
  return cancels || when || probe.has(PLACE);
}

/**
 * "staff meeting ko shaam 6 baje kar do", "interview kal subah 10 baje rakh do": a plain "do it" right
 * after the time, with words before naming what: that thing is set to the time. ("Ramesh ko kal call kar
 * do" has its own verb before "kar do": a new task.)
 */
function setsTime(u: Utterance, ctx: DateContext): boolean {
  const probe = u.copy();
  if (!takeWhen(probe, ctx)) return false;
  const first = probe.freeIndexes()[0];
  // "fees agle hafte denge bole": their word of what they will do then, no day set
  const theirs = new Set(probe.find(SAYS).map((m) => m.from));
  return probe
    .find(PATTERNS.doIt)
    .some(
      (m) =>
        probe.usedAs(m.from - 1) === 'when' && first !== undefined && first < m.from && !theirs.has(m.to),
    );
}

/** "ho gaya" after a date: the date a thing was set to ("visa appt 3 april ho gaya"), not a thing done. */
const BECAME = words('(?:fix\\s+)?(?:ho gaya|ho gayi|ho gaye|ho gya|ho gyi|hua|hui)');

/**
 * A date ahead, said right before a "ho gaya": "naidu visa appt 3 april ho gaya, update kar do" moves the
 * appointment. Not a day said relative to today ("payment kal ho gaya" tells when it was done).
 */
function dateBecame(u: Utterance, ctx: DateContext): boolean {
  // the words first: reading the days is the costly part
  if (!u.has(BECAME)) return false;
  const probe = u.copy();
  const when = takeWhen(probe, ctx);
  if (when?.kind !== 'local' || when.date === undefined || when.date <= today(ctx.now, ctx.timezone))
    return false;
  const said = probe.tokens.filter((_, i) => probe.usedAs(i) === 'when').map((t) => t.norm);
  if (said.some((w) => Object.hasOwn(DAY_OFFSET_WORDS, w))) return false;
  return probe.find(BECAME).some((m) => probe.usedAs(m.from - 1) === 'when');
}

const RESTATES = new Set(RESTATING);
const DOES = new Set(RESTATED_DOING);
const NAMES_A_TASK = words(`${TASK_NOUN.source}|wala|wali|wale`);

/**
 * "Update the rate list for Gupta uncle's shop, do it by thursday", "Sharma ji ka order pack karna, kar
 * dena friday tak": a last clause that only says to do the first by a time. Its words (the time aside) are
 * set aside, so they are no part of the title and do not read as a reschedule or a "done"; whether one
 * saying to do it was (a bare time, "…, tomorrow 11am", is none). Not when the message names a task already
 * there ("Agarwal ji wala task, kal tak kar do" moves it).
 */
function setAsideRestatement(u: Utterance, ctx: DateContext): boolean {
  const lastBreak = u.tokens.findLastIndex((t, i) => t.breakAfter && i < u.length - 1);
  if (lastBreak < 0 || u.freeIndexes(0, lastBreak + 1).length === 0 || u.has(NAMES_A_TASK)) return false;
  const probe = u.copy();
  takeWhen(probe, ctx);
  const timed = probe.tokens.some((_, i) => i > lastBreak && probe.usedAs(i) === 'when');
  const rest = probe.freeIndexes(lastBreak + 1);
  const said = rest.flatMap((i) => probe.normOf(i).split(' '));
  const does = said.some((w) => DOES.has(w));
  if (!(timed || does) || !said.every((w) => RESTATES.has(w))) return false;
  for (const i of rest) u.use(i, i + 1, 'filler');
  return does;
}

/** The fewest words a chore after the story runs to, its time aside ("Pack 10 shirts by friday"). */
const MIN_ASK = 2;
/** A full stop, "!" or "?" closing a typed word: a sentence ends there (a title's or initial's is none). */
const SENTENCE_END = /^\S*[.!?]$/u;

/** What a reach is about, said: "… about the delivery date", "rate ke baare mein". */
const ABOUT = words('about|abt|regarding|reg|re|ke baare mein|ke bare mein|ke baare me|ke bare me');
/** "call her back …": the story says who. */
const POINTS_BACK_AT_SOMEONE: ReadonlySet<string> = new Set([...PRONOUNS.en, ...PRONOUNS.hi]);

/**
 * "Mrs. Banerjee came in yesterday and liked the samples but wants them in maroon. Set aside 4 maroon
 * lehengas for Mrs. Banerjee by tuesday": the story first, then the chore with its time in a sentence of its
 * own. The story is set aside, so it is no standing fact, no part of the title and its day no due day. Not
 * when the chore reaches or tells someone by a pronoun or says not what about (the story then says who, or
 * what the follow-up is about), nor when the story says a thing done and more news follows.
 */
function setAsideStory(u: Utterance, ctx: DateContext): void {
  const lastStop = lastSentence(u) - 1;
  if (lastStop < 0 || !reportsNews(u, lastStop + 1)) return;
  const ask = u.copy();
  ask.use(0, lastStop + 1, 'filler');
  const reaches = mentionsReach(ask) || toldWho(ask) || reachesSomeone(ask, ctx, false);
  const pointsBack = ask.freeIndexes().some((i) => POINTS_BACK_AT_SOMEONE.has(ask.normOf(i)));
  if ((reaches && (pointsBack || !ask.has(ABOUT))) || saysDone(ask)) return;
  // "Licence renewal is through.. got the new certificate today", "buffing machine is running again. … told
  // him to check the compressor next month": a story saying a thing done, before more news, is the report
  const story = u.copy();
  story.use(lastStop + 1, u.length, 'filler');
  // "… unka event shift ho gaya. dopahar 1 baje deliver karna hai": a move in the story is what it says
  if (saysMove(story)) return;
  if ((saysDone(story) || story.has(DONE_STATE)) && reportsPast(withoutWhen(ask, ctx), false)) return;
  // "Nature Basket got our samples yesterday. Their buyer called, she'll revert by next week": a report,
  // then someone's word on it
  if (tellsDone(story, ctx) && theirWord(ask).length > 0) return;
  if (takeWhen(ask, ctx) && ask.freeIndexes().length >= MIN_ASK) u.use(0, lastStop + 1, 'filler');
}

/** Where the last sentence of a message begins, after a story told first; -1 when there is none. */
function lastSentence(u: Utterance): number {
  const lastStop = u.tokens.findLastIndex(
    (t, i) => t.breakAfter && i < u.length - 1 && SENTENCE_END.test(u.text.slice(t.at).split(/\s/)[0] ?? ''),
  );
  return lastStop < 0 ? -1 : lastStop + 1;
}

/**
 * The report told before what comes next, in a last sentence of its own: "Royal Orchid ka bill ban gaya hai,
 * GST ke saath. kal bhej denge" → "Royal Orchid ka bill ban gaya hai, GST ke saath"; otherwise undefined. The
 * model tries it after the last sentence read as a task of its own (parse.ts), before any looser reading.
 */
export function reportBeforeNextStep(u: Utterance, ctx: DateContext): string | undefined {
  const start = lastSentence(u);
  if (start < 0) return undefined;
  const ask = u.copy();
  ask.use(0, start, 'filler');
  if (!comesNext(ask)) return undefined;
  const story = u.copy();
  story.use(start, u.length, 'filler');
  // "… unka event shift ho gaya. 60 hi thali rahegi": a move told is no report
  if (saysMove(story)) return undefined;
  return tellsDone(story, ctx) ? u.raw(u.freeIndexes(0, start)) : undefined;
}

/** What will be, as news and not a move nor a chore asked for: "we'll load it tomorrow", "kal bhej denge". */
const comesNext = (u: Utterance): boolean =>
  (u.has(WILL_BE) || CONTRACTED_WILL.test(u.text)) &&
  !MOVE_OR_DEFERRAL.some((p) => u.has(p)) &&
  !u.has(PATTERNS.strongCreate);
/** "we'll", "he'll": the apostrophe is dropped from the words matched, so the will is read as typed. */
const CONTRACTED_WILL = /\p{L}['’]ll\b/iu;

/**
 * A report told first, then what comes next with its day, each in clauses of their own: "Gupta ji wala maal
 * pack ho gaya hai sir. 12 box counter pe rakhe hain, shaam ko unka ladka le jayega". The day is the next
 * step's, so the report stands. A move word or a new day's cue anywhere ("…, shift the rest to monday", "he
 * can only come saturday"), a clause only saying to do it then ("…, do it monday"), someone's call as the
 * report or a report with a day ahead of its own keeps the message a move.
 */
function nextStepAfterReport(u: Utterance, ctx: DateContext): boolean {
  if ([...MOVES_SAID, ...NEW_DAY_CUES].some((p) => u.has(p))) return false;
  const clauses = u.text.split(CLAUSE_BREAK).map((c) => new Utterance(c));
  const dayAhead = (c: Utterance) => saysDayAhead(c, ctx);
  // someone's call is no report ("the technician called, he can only come saturday")
  const report = clauses.findIndex((c) => !dayAhead(c) && tellsDone(c, ctx) && theirWord(c).length === 0);
  const ahead = clauses.flatMap((c, k) => (dayAhead(c) ? [k] : []));
  return report >= 0 && ahead.length > 0 && ahead.every((k) => k > report && namesOwnStep(clauses[k], ctx));
}
/** A day or time still to come: not earlier today, today alone or an hour gone by. */
const saysDayAhead = (u: Utterance, ctx: DateContext) =>
  mentionsWhen(u, ctx) && !saysEarlierToday(u, ctx) && !saysOnlyToday(u, ctx) && !saysHourGone(u, ctx);
/**
 * A thing and a day after today, nothing said of what will be or was: "shree traders ka payment somvar ko"
 * (not "sales last quarter", "collections this week").
 */
function setForDayAhead(u: Utterance, ctx: DateContext): boolean {
  if (u.has(WILL_BE) || tellsDone(u, ctx)) return false;
  const when = takeWhen(u.copy(), ctx);
  const date = when ? resolveWhen(when, ctx).date : undefined;
  return date !== undefined && date > today(ctx.now, ctx.timezone);
}
const MOVES_SAID = [PATTERNS.reschedule, PATTERNS.notNow, PATTERNS.moreTime];
/** A move said: "shift ho gaya", "please move it", "… on 1st April instead". */
const saysMove = (u: Utterance): boolean => [...MOVES_SAID, MOVES].some((p) => u.has(p));
const MOVE_OR_DEFERRAL = [...MOVES_SAID, PATTERNS.deferral];
/** Words that only say "do it" or point back, which are no step of their own. */
const DOING_ONLY: ReadonlySet<string> = new Set(
  'do it this that then instead kar karo karna karenge kar denge kar dena kar do kar lenge usko use ise isko ye yeh wo woh'.split(
    ' ',
  ),
);
/** A clause saying a doing of its own beside its day: "his son will collect it in the evening", not "do it monday". */
const namesOwnStep = (c: Utterance | undefined, ctx: DateContext): boolean => {
  if (!c || c.has(PATTERNS.deferral)) return false;
  const probe = withoutWhen(c, ctx);
  return probe
    .freeIndexes()
    .some((i) => !DOING_ONLY.has(probe.normOf(i)) && !LEADING_FILLERS.has(probe.normOf(i)));
};

/** "printing ink delivered today, …": today, with no hour, is when a thing reported came about. */
function saysOnlyToday(u: Utterance, ctx: DateContext): boolean {
  const said = takeWhen(u.copy(), ctx);
  return said?.kind === 'local' && said.hour === undefined && said.date === today(ctx.now, ctx.timezone);
}

/** A day said it cannot be, another said after it: "can't go today, will pick it up tomorrow". */
const putsOff = (u: Utterance, ctx: DateContext) => dayThatCannotBe(u, ctx) !== null;

/** Someone's word passed on: "Rohit said", "Mehra ji bole", "supplier ne kaha", "the CA told me". */
export const SAYS = words(
  // "principal sir asked, we do the yield test on 3 april": what was asked, said as they put it
  'said|says|told me|informed|bola|bole|boli|bol rahe|bol raha|bol rahi|keh rahe|keh raha|keh rahi|kaha|bataya|asked(?= (?:we|i|you|they|that|ki) )',
);
/** What will be: "will come", "aa jayega", "bhej denge", "is going to". */
const WILL_BE = words('will|(?:is|are) going to|\\S+(?:ega|egi|enge|ogi|oge)');
const SAID_BY_ME = new Set(['i', 'maine', 'we', 'humne', 'hamne']);
/** The word at `m` is someone else's: "Rohit said", "Mehta ji called", not "I said", "maine kaha". */
const byOthers = (u: Utterance, m: { from: number }) => !SAID_BY_ME.has(u.normOf(m.from - 1));

/** Someone's word as it stands now: "says", "bol raha hai", "keh rahe hain". */
const SAYS_NOW = words(
  'says|saying|tells|bolta|bolti|bol rahe|bol raha|bol rahi|keh rahe|keh raha|keh rahi|kehta|kehti',
);

/**
 * Someone's word passed on as news ("the salesman dropped by, says butter goes up by 2 rs"), not a reaction
 * to a thing done ("…, she called n said they look lovely") nor their report of one ("raju bol raha saini
 * store ka dvr laga diya usne", "priya says she's submitted the visa forms").
 */
const passesOnWord = (u: Utterance): boolean =>
  u.find(SAYS_NOW).some((m) => !reportsDone(new Utterance(u.rawBetween(m.to, u.length))));
/** A done word, a finished state or a past tense: "laga diya", "went back", "submitted". */
const reportsDone = (u: Utterance): boolean =>
  saysDone(u) || u.has(DONE_STATE) || u.freeIndexes().some((i) => isPastTense(u.normOf(i)));

/**
 * "Rohit said his payment will come on monday", "Mehra ji bole payment somvar tak aa jayega": someone's word
 * about what will be, closing the message with nothing asked, is news that changes nothing: no task.
 */
function relaysWord(u: Utterance, ctx: DateContext): boolean {
  const says = u.find(SAYS)[0];
  if (!says || !byOthers(u, says)) return false;
  // what will be closes the message: "…, call him at 10" after it is a request
  const end = u.firstClauseBreak(says.to);
  const lastClause = end < 0 || end >= u.length - 1;
  if (!lastClause) return false;
  if (u.find(WILL_BE).some((w) => w.from >= says.to)) return true;
  // "Dr Rao's form 16 will come only on friday, his hospital HR said": the word said first, who said it last
  const saidLast = u.freeIndexes(says.to).length === 0;
  if (saidLast && u.find(WILL_BE).some((w) => w.to <= says.from)) return true;
  // "aryan's papa says fees next wk": a thing and its day, no doing asked
  const rest = withoutWhen(u, ctx).freeIndexes(says.to);
  return rest.length > 0 && rest.length <= 2 && rest.every((i) => !REACH_WORDS.has(u.normOf(i)));
}

const isPastTense = (w: string) =>
  PAST_TENSE.includes(w) ||
  (/^[a-z]{3,}ed$/.test(w) && !w.endsWith('eed') && !NOT_PAST_TENSE.has(w)) ||
  isPastTenseSlip(w);
const HAS = new Set(['has', 'have', 'had']);
const HAVE_DONE = new Set(['get', 'have']);
const OBJECT_OPENERS = new Set(['the', 'his', 'her', 'their', 'my', 'our', 'its', 'all', 'a', 'an']);
/** Whom a deed was done to, right after it: "Ramesh paid us for …", "Sunil sent me the photos". */
const WHOM = new Set(['us', 'me', 'him', 'them']);
// "signboard is fixed now", "insurance renewed finally 👍": a report closes with a word on how it went as
// well as with a tie
const REPORT_TIES = new Set([
  ...['to', 'from', 'for', 'with', 'in', 'at', 'on', 'by', 'into'],
  ...['now', 'already', 'finally', 'successfully', 'properly'],
  // "insurance renewal wrapped up", "the courier boy picked up the parcels", "sorted out"
  ...['up', 'out'],
]);

const THIRD_PERSONS = new Set(['he', 'she', 'they']);
const CLAUSE_JOINS = new Set(['and', 'so', 'then', 'but', 'because', 'as', 'since', 'also']);

/**
 * A past tense after "he"/"she"/"they" inside a clause, not opening one: "the fertiliser he took", "the
 * cheque that she gave". It says what the thing is; "…, he paid the rent" reports.
 */
function describesThing(u: Utterance, before: readonly number[]): boolean {
  const [word, subject] = before.slice(-2);
  if (subject === undefined || word === undefined || !THIRD_PERSONS.has(u.normOf(subject))) return false;
  return word === subject - 1 && !u.tokens[word]?.breakAfter && !CLAUSE_JOINS.has(u.normOf(word));
}

/** A copy with the time words marked: "by thursday get the insurance renewed" opens with its doing. */
function withoutWhen(u: Utterance, ctx: DateContext): Utterance {
  const probe = u.copy();
  takeWhen(probe, ctx);
  return probe;
}

/**
 * An English report that something was done: a past tense opening the message ("deposited all the
 * cheques", "I have paid the staff") or closing what it names ("power bill paid", "quotation sent to
 * Kapoor"), not turned around ("rent not paid").
 */
function reportsPast(u: Utterance, noDay: boolean): boolean {
  const free = u.freeIndexes();
  // "get the sofa polished for Mrs Banerjee", "pls get the cheque deposited": a thing to have done
  if (u.normOf(free.find((i) => !LEADING_FILLERS.has(u.normOf(i))) ?? -1) === 'get') return false;
  // "principal sir asked, we do …": someone's word, what they said after it
  const says = new Set(u.find(SAYS).map((m) => m.from));
  return free.some((i, k) => {
    if (!isPastTense(u.normOf(i)) || says.has(i)) return false;
    const before = free.slice(0, k);
    const after = free.slice(k + 1);
    if (before.slice(-2).some((j) => NEGATIONS.includes(u.normOf(j)))) return false;
    // "the shop insurance has to be renewed", "the order should be packed": still to be done
    if (u.normOf(before.at(-1) ?? -1) === 'be') return false;
    // "collect 18k from Murugan anna for the fertiliser he took on credit": what it is, not a report
    if (describesThing(u, before)) return false;
    // "the new banner, get it printed by friday": a thing to have done
    const [had, it] = before.slice(-2).map((j) => u.normOf(j));
    if (HAVE_DONE.has(had ?? '') && THING_PRONOUNS.en.includes(it ?? '')) return false;
    // with no day said ("Sharma ji has asked for the quote by friday" is something to do): a perfect tense
    // wherever it stands ("the CA has received the documents"), or one after a short subject opening the
    // message, before what it acts on ("Arora gave the cheque", "CA got the docs")
    if (noDay && HAS.has(u.normOf(before.at(-1) ?? -1))) return true;
    const object =
      after[0] !== undefined && (OBJECT_OPENERS.has(u.normOf(after[0])) || WHOM.has(u.normOf(after[0])));
    // (an article before the subject is no part of its length: "the cotton bales reached the godown")
    const subject = OBJECT_OPENERS.has(u.normOf(before[0] ?? -1)) ? before.slice(1) : before;
    if (noDay && subject.length > 0 && subject.length <= 3 && before[0] === 0 && object) return true;
    // one past deed after another: "the mechanic came this morning and serviced the compressor"
    const [deed, and] = before.slice(-2).map((j) => u.normOf(j));
    if (and === 'and' && isPastTense(deed ?? '')) return true;
    const opens = before.every((j) => PAST_OPENERS.has(u.normOf(j)));
    if (opens) return after.length > 0;
    // it closes its clause, the words of when set aside too: "printing ink delivered today, …"
    const next = after[0];
    const end = u.firstClauseBreak(i);
    return next === undefined || REPORT_TIES.has(u.normOf(next)) || (end >= 0 && end < next);
  });
}

/** Words that turn a report around or say it is yet to be: "couldn't", "nahi hua", "abhi tak", "still". */
const NOT_YET = new Set([
  ...NEGATIONS,
  ...'cant cannot couldnt wont wasnt werent dont doesnt na still yet pending baaki'.split(' '),
]);
/**
 * A word in the message turns a report around or says it is yet to be ("ret abhi nahi aayi"); the balance of
 * a sum is none ("cleared the pending amt"), nor a symptom said gone.
 */
const saysNotYet = (u: Utterance): boolean =>
  withoutSeemingDenials(u.norm)
    .split(' ')
    .some((w) => NOT_YET.has(w));
/** Work still to do said, not the balance of a sum. */
const saysStillToDo = (u: Utterance): boolean =>
  [...u.freeNorm.replace(BALANCE_SUM, ' ').matchAll(PATTERNS.pendingWords)].some((m) => m[0].trim() !== '');
/** Trouble come about, in English: "the drill broke", "the AC conked out", "the inverter died". */
const BROKE =
  'broke|broke down|crashed|stopped working|conked out|gave up|packed up|died|went dead|got damaged|got stolen';
/**
 * Someone said no, which gets nothing done: "the tent wala refused", "he declined", "generator wale ne mana
 * kar diya", "landlord nahi maana". (The owner's own "usko mana kar diya" may be a task done: only a refusal
 * said of someone, with "ne", counts.)
 */
const REFUSED =
  'refused|declined|said no|turned (?:us|me|it) down|(?:ne|usne|unhone) mana (?:kar|kr) (?:diya|di|diye)|(?:nahi|nahin|nai) (?:maana|maani|maane|mana|mane)';
const REFUSAL = words(REFUSED);
/** Word that everything stands as it was: "no change", "same plan", "koi change nahi", "wahi plan". */
const NO_CHANGE = words(
  'no changes?|nothing (?:changes|changed)|same plan|plan (?:is )?same|(?:koi|kuch) change (?:nahi|nahin|nai)|wahi plan|wohi plan|(?:keep|keeping|kept) it as (?:it )?is|(?:stays|stay) as (?:it )?is',
);
/**
 * "bride's makeup trial to be moved to 1 april, …, mehendi trial stays as is": another thing named as staying as
 * it is, in a clause of its own after a move; it neither names what moves nor turns the move down ("…, so we're
 * keeping it as is" still does).
 */
function setAsideKeptThing(u: Utterance): void {
  if (!u.has(PATTERNS.reschedule) && !u.has(MOVES)) return;
  for (const m of u.find(STAYS_AS_IS)) {
    const clause = u.clauseAround(m.from);
    const named = m.from > clause.from && !KEPT_ALL.has(u.normOf(m.from - 1));
    if (clause.from > 0 && named) u.use(clause.from, clause.to, 'filler');
  }
}
/**
 * "…, lets move the trial to saturday 7pm, and tell Bablu also", "…, shoot ab 2 April ko hoga, sab team ko bata
 * dena pls": the move passed on to others, in a short last clause of its own, is no follow-up of its own.
 */
function setAsideTellToo(u: Utterance): void {
  if (!u.has(PATTERNS.reschedule) && !u.has(MOVES) && !u.has(NOW_ON)) return;
  const told = u.find(TELL_TOO).at(-1);
  if (!told) return;
  const clause = u.clauseAround(told.from);
  if (clause.from > 0 && clause.to === u.length && clause.to - clause.from <= TELL_TOO_WORDS)
    u.use(clause.from, clause.to, 'filler');
}
const TELL_TOO = words(
  '(?:tell|inform) (?:\\S+ ){1,2}(?:also|too|as well)|(?:ko )?(?:bhi )?(?:bata|bol) (?:dena|do|dijiye|de)',
);
const TELL_TOO_WORDS = 7;
const STAYS_AS_IS = words(
  '(?:stays|stay|remains|remain) (?:as (?:it )?is|same|unchanged)|(?:waise hi|same) (?:rahega|rahegi|rahenge)',
);
/** What stays, said of the moved thing itself or of everything: "it stays as is", "baaki sab same rahega". */
const KEPT_ALL: ReadonlySet<string> = new Set([
  'it',
  'that',
  'this',
  'everything',
  'all',
  'sab',
  'baaki',
  'rest',
]);

/** A move weighed: "thinking of moving", "thinking we might …", "we might shift", "might want it later". */
const WEIGHED_MOVE = words(
  [
    'thinking (?:of|about|to)(?:\\s+\\S+)?\\s+(?:moving|shifting|pushing|postponing|preponing|delaying|move|shift|push)',
    'thinking (?:we|i) (?:might|may|could|should)',
    '(?:might|may|could) (?:have to )?(?:move|shift|push|postpone|prepone|delay)',
    // "gurpreet might want his swaraj a bit later": a customer's wish weighed
    '(?:might|may) (?:want|need|prefer)(?:\\s+\\S+){0,4}?\\s+(?:later|earlier|another day)',
  ].join('|'),
);
/** "Soch rahe hain", "shayad", maybe: with a move said, it is weighed. */
const MAYBE = words('soch|sochte|sochta|sochti|shayad|shaayad|maybe|may be');
/** The owner says the change waits (apostrophes are dropped): "don't change anything yet", "let's see". */
const WAIT_TO_CHANGE = words(
  [
    '(?:dont|do not) (?:change|update|move|shift)(?: anything| it| that)? yet',
    '(?:abhi|ab) (?:kuch )?(?:change|update|shift) (?:mat|na) (?:karo|karna|kar)',
    'lets see|(?:then|phir|fir) decide|decide (?:karenge|karte hain|karunga)',
    '(?:will|ill|i will) (?:decide|confirm) (?:after|once|later)',
  ].join('|'),
);
/** A move weighed or waiting on a word, not made (`WEIGHED_MOVE`, `WAIT_TO_CHANGE`). */
const undecided = (u: Utterance): boolean =>
  u.has(WEIGHED_MOVE) || u.has(WAIT_TO_CHANGE) || (u.has(MAYBE) && u.has(PATTERNS.reschedule));

/**
 * The owner's own no in Hindi, "maine mana kar diya", which `REFUSED` leaves out (the owner's "mana kar diya"
 * may be a task done); "I said no" is one of its own.
 */
const REFUSED_BY_ME = words('maine (?:mana|manaa|na|naa) (?:kar diya|kiya|bol diya|keh diya|kaha)');
/** A complaint made: "unhone complaint kiya", "the society complained", "shikayat ki". */
const COMPLAINT_WORDS = 'complaint|complaints|complained|complaining|shikayat';
const COMPLAINED = words(COMPLAINT_WORDS);
/** Someone asking about a thing, passing on a question: "they want to know if …", "pooch rahe the ki …". */
const QUESTION_PASSED_ON = words(
  'wants? to know|asking (?:if|whether)|(?:pooch|puch|pooch rahe|puch rahe|pooch rahi|puch rahi) (?:the|thi|hain|hai) ki',
);
/** A move word answered with a refusal after it: the move was asked for, not made. */
function turnedDown(u: Utterance): boolean {
  const move = u.find(PATTERNS.reschedule)[0];
  const refusals = [...u.find(REFUSAL), ...u.find(REFUSED_BY_ME)];
  return move !== undefined && refusals.some((no) => no.from >= move.to);
}
/** Trouble reported, which finishes nothing: "the drill broke", "soldering iron jal gaya", "AC kharab hai". */
const TROUBLE = words(
  `${BROKE}|${REFUSED}|${FELL_INTO}|broken|burnt|burned|damaged|failed|stopped|stuck|leaking|leaked|cracked|worn out|worn|spoiled|lost|stolen|jammed|tripped|phas|fas|bigda|bigdi|${COMPLAINT_WORDS}`,
);
/** Words after "has"/"have" that make no perfect tense: "has to", "have a", "has no". */
const NOT_DONE_AFTER_HAS = new Set([
  'to',
  'a',
  'an',
  'the',
  'no',
  'not',
  'some',
  'his',
  'her',
  'their',
  'my',
  'its',
]);
/**
 * A doing that did not come about: "couldn't unload the truck", "didnt buy any wood", "ITR file nahi ho
 * paya", "report abhi bani nahi".
 */
const NOT_DONE_PAST = words(
  `couldnt|could not|didnt|did not|hasnt|has not|havent|have not|wasnt able|was not able|werent able|not able to|unable to|failed to|(?:nahi|nahin|nai)\\s+(?:\\S+\\s+)?(?:paya|payi|paye|paaya|paayi|paaye|saka|saki|sake|hua|hui|hue|mila|mili|mile|aaya|aayi|aaye|aya|ayi|aye|kiya|kiye|gaya|gayi|gaye|bana|bani|bane|uthaya|uthayi)|(?:bana|bani|bane|hua|hui|mila|mili|aaya|aayi|aaye|aya|ayi|aye)\\s+(?:hi\\s+)?(?:nahi|nahin|nai)`,
);

/**
 * Trouble told as having come about, not a broken thing to fix ("fix the broken display by friday"): "the
 * drill broke", "soldering iron jal gaya", "chafing dish toot gayi", "printer band pada hai".
 */
const WENT_WRONG = words(
  `${BROKE}|${REFUSED}|(?:${FELL_INTO})\\s+(?:ho\\s+)?(?:gaya|gayi|gaye|pada|padi|pade)`,
);

/** A thing said to be put off, with or without a new day: "the party got postponed", "shaadi tal gayi". */
const POSTPONED = words(
  'postponed|delayed|postpone (?:ho|kar) (?:gaya|gayi|gaye|diya|di|diye)|(?:tal|khisak|aage badh) (?:gaya|gayi|gaye)',
);

/** Words telling a thing did not get done, went wrong or was put off (`NOT_DONE_PAST`, …). */
const toldSetback = (u: Utterance): boolean => u.has(NOT_DONE_PAST) || u.has(WENT_WRONG) || u.has(POSTPONED);
/** A setback, someone who cannot come, or a thing only part done. */
const fellShort = (u: Utterance): boolean => toldSetback(u) || u.has(WONT_COME) || u.has(PARTLY);

/**
 * News of how things stand or stood, asking nothing and giving nothing a new day: "aaj mandi me gulab bahut
 * mehnga tha yaar", "aaj market band hai, bharat bandh", "mandi monday se 3 din band rahegi, strike hai". The day
 * said is the news's own, no task's.
 */
function tellsNews(u: Utterance, ctx: DateContext): boolean {
  if (isQuestion(u) || u.has(WAS_TO_BE) || u.has(PATTERNS.strongCreate)) return false;
  const clauses = clausesOf(u);
  const news = (c: Utterance) => c.has(WAS_STATE) || c.has(HINDRANCE) || c.has(CLOSED) || c.has(PRICES_MOVE);
  return (
    clauses.some(news) &&
    !saysNewDay(
      clauses.filter((c) => !news(c)),
      ctx,
    )
  );
}

/** A state that was: "mehnga tha", "the rush was crazy", "the roads were shut". */
const WAS_STATE = words(alt([...WAS_WORDS, 'were']));
/** Prices going up or down: "Ray-Ban prices going up 8% from April 1", "almond ka rate badh gaya". */
const PRICES_MOVE = words(
  [
    '(?:price|prices|rate|rates|daam|bhav)\\s+(?:\\S+\\s+){0,2}?(?:going|gone|goes|went|will go|increased|increase|badh|badhega|badhenge|badh gaya|badh gaye|ghat|ghat gaya|gir gaya)',
    // "5% hike on all notebooks", "price hike from april"
    '(?:price|rate)\\s+hike|hike\\s+(?:in|on|of)|\\S+%\\s+hike',
  ].join('|'),
);
/** A place or trade shut: "bharat bandh", "transport strike". */
const CLOSED = words('bandh|strike|hartal|out of stock');

/**
 * Only part of a thing done, or only begun: "DPS ki uniforms me se aadhi ho gayi, baki kal tak", "pump ka kaam
 * shuru kar diya", "half the boxes are packed". It finishes nothing, and the rest's day is no new one for it.
 */
const PARTLY = words(
  '(?:aadha|aadhi|aadhe|adha|adhi|half)(?:\\s+\\S+){0,3}?\\s+(?:ho|hua|hui|hue|done|ready|packed|finished|complete|completed|ban|bana|bani|bane|gaya|gayi|gaye|kaam)|half(?:\\s+\\S+){0,4}?\\s+(?:are|is|got|were|was|have been|has been)\\s+(?:\\S+ed|\\S+en|done|ready|sent|sold|paid)|shuru (?:ho|kar|kr) (?:gaya|gayi|gaye|diya|di|diye)|(?:has|have|just|we|they|he|she) started|started on|got started|partly|partially',
);

/** A thing gone about, but not got: "lab gaya tha …, par abhi bani nahi", "went to the bank but it was shut". */
const BUT_NOT = words(
  // ("par" alone is also "on": "counter par rakh diya")
  '(?:but|lekin|magar|though|however|par abhi|pr abhi)(?:\\s+\\S+){0,5}?\\s+(?:nahi|nahin|nai|not|no|didnt|couldnt|wasnt|werent|isnt|arent|shut|closed|band)',
);

/** Someone who cannot come or do it as planned: "paneer machine wala aaj nahi aa payega", "the painter can't come today". */
const WONT_COME = words(
  "(?:nahi|nahin|nai)\\s+(?:aa|kar|ho|pahunch)\\s+(?:payega|payegi|payenge|paega|paegi|paenge|sakega|sakegi|sakenge)|(?:can't|cant|cannot|can not|won't|wont|will not) (?:come|make it)",
);

/**
 * News that a thing did not get done or went wrong, asking for nothing and giving no day for what is to be:
 * "couldn't unload the Agra truck today, labour didn't turn up", "Mehta ji ka ITR aaj file nahi ho paya,
 * portal hi down tha", "soldering iron jal gaya aaj", "the Mehra party got postponed". No task to add (the
 * day said is when it went wrong), and none done.
 */
function tellsSetback(u: Utterance, ctx: DateContext): boolean {
  // "kitna payment time pe nahi aaya?": a question about it
  if (isQuestion(u)) return false;
  const clauses = clausesOf(u);
  if (!clauses.some(fellShort)) return false;
  return (
    u.has(PARTLY) ||
    !saysNewDay(
      clauses.filter((c) => !fellShort(c)),
      ctx,
    )
  );
}

/**
 * A thing that works again or works well, which tells it mended: "the overlock machine is running fine again",
 * "big hall ac is cooling fine now", "fridge thanda karne laga", "brake ab sahi kaam kar raha hai", "all back to
 * normal".
 */
const WORKS_AGAIN = `up (?:and|n|&|an) running|(?:running|working|heating|cooling|chal raha|chal rahi|chal rahe)(?:(?:\\s+\\S+)?\\s+(?:fine|smooth|smoothly|properly|perfectly|theek|badhiya)|(?:\\s+\\S+){0,2}?\\s+(?:again|phir se|fir se|dobara))|(?:chalne|thanda karne|kaam karne) (?:laga|lagi|lage)|(?:sahi|theek|thik|badhiya|mast|acche se|achhe se) (?:(?:kaam |thanda )?kar|chal) (?:raha|rahi|rahe)|back to normal|(?:chal|chalu ho) (?:gaya|gayi|gaye)|${FAULT_STOPPED}`;

/**
 * A state that says a thing is finished: "editing over", "the new rates are live", "the photos are up", a thing
 * in its place ("banner is hanging at the market crossing"; not "the app is hanging"), working again, back
 * ("faulty diverter went back to the Jaquar guy", "innova cooling is back", "bangles back from HUID centre").
 */
const DONE_STATE = words(
  `over|live|sorted|through|settled|khatam|poora|pura|complete|(?:is|are|went) up|(?:is|are) (?:now )?(?:hanging|hung|mounted|installed)(?= (?:at|on|in|outside|near) )|(?:is|are|went|came|got) back|back from|${WORKS_AGAIN}|${DID_AND_LEFT}`,
);

/** What keeps a thing from being done when it was due (`HINDRANCES`), or keeps someone away. */
const HINDRANCE = words(
  alt([
    ...HINDRANCES,
    ...['out of town', 'out of station', 'not available', 'on leave'],
    // "woh log bahar gaye hain": away from town
    ...['bahar gaye', 'bahar gayi', 'bahar gaya', 'bahar hain', 'shahar se bahar'],
    // nobody there to take it: "nobody is home till thursday", "ghar pe koi nahi hai"
    ...[
      'nobody is home',
      'nobody home',
      'no one is home',
      'no one at home',
      'ghar pe koi nahi',
      'ghar par koi nahi',
    ],
  ]),
);

/**
 * A day given with a reason in a clause of its own: "Painters are still working at Gupta's office, so the
 * fans can go up on 1st April", "Aaj bank ki chhutti hai, cheque jama parso karenge", the day said outside
 * the reason. The day is a new one for a thing already planned, more likely than a new chore.
 */
export function givesReason(u: Utterance, ctx: DateContext): boolean {
  const clauses = clausesOf(u);
  return clauses.some(hindered) && saysNewDay(clauses, ctx);
}

const clausesOf = (u: Utterance) => u.text.split(CLAUSE_BREAK).map((c) => new Utterance(c));
const hindered = (c: Utterance) => saysNotYet(c) || c.has(HINDRANCE);
/** Tokens `from` to `to` of `u` give a reason a thing cannot be then ("half the nurses are on leave today"). */
export const givesReasonAt = (u: Utterance, from: number, to: number): boolean =>
  hindered(new Utterance(u.rawBetween(from, to)));

/**
 * A day said for what is to be, in a clause that tells of no thing done and says what keeps it from being
 * done only beside a move ("client is out of town so postpone the visit to monday"): "Aaj gate ka welding
 * nahi ho paya, light hi nahi thi" and "Our boy went to Fernandes's place at 7 …, so couldn't take it" give
 * no new day.
 */
function saysNewDay(clauses: readonly Utterance[], ctx: DateContext): boolean {
  const moves = (c: Utterance) => c.has(PATTERNS.reschedule) || c.has(MOVES);
  // "she's asked for saturday 4 pm instead", "visa appt 3 april ho gaya": a day asked for, or one a thing was
  // set to, is one to be, however the asking or the setting is told; so is one said to be now, beside a move
  // ("the flight got delayed by a day so the pickup is tomorrow 4pm now")
  const ahead = (c: Utterance) =>
    c.has(ASKED_FOR) || dateBecame(c, ctx) || !tellsDone(c, ctx) || (moves(c) && c.has(NOW));
  return clauses.some((c) => (moves(c) || !hindered(c)) && mentionsWhen(c, ctx) && ahead(c));
}

/**
 * Someone asking for a day: "has asked for saturday", "wants it on monday", "the malhotras want it on
 * saturday", "asked if the sample can come friday", "somvar maang rahe hain"; a wish for a quantity asks for
 * none ("wants 3 more kurtas").
 */
const ASKED_FOR = words(
  '(?:asked for|asks for|asked (?:us|me) to|asked (?:if|whether)(?:\\s+\\S+){0,4}?\\s+(?:can|could)|requested|(?:they|\\S+s) want|wants|wanted|prefers|maang rahe|maang rahi|maanga hai)(?!\\s+(?:\\d|more|extra|another)(?:\\s|$))',
);

/**
 * The day a move would give a task is a new one: said in a clause of its own, and not in a message that
 * calls the thing off or asks ("meeting aaj cancel, woh baad mein batayenge", "paneer kab jaana tha, kal ya
 * parso?").
 */
export function givesNewDay(u: Utterance, ctx: DateContext): boolean {
  if (isQuestion(u) || u.has(CALLED_OFF)) return false;
  return saysNewDay(clausesOf(u), ctx);
}

/**
 * A thing said to move, in any form: "the Surat trip shifts to sunday", "needs to go to sunday", "do it friday
 * instead", "…, sunday ko rakhte hai, update kar do".
 */
const MOVES = words(
  'shifts|shifted|moves|moved|(?:needs|has) to go to|goes to|instead|update (?:it|that|kar do|kardo|kr do|karo|krdo|pls|plz|please)|(?:pls|plz|please) update',
);
/** A day said to be the new one: "the mill visit is now on monday", "engineer ab somvar ko aayega". */
const NOW_ON = words('(?:is|are|will be) now|now (?:on|at|for)|ab');
/** "… is tomorrow 4pm now", "ab": the day said is the one that holds now. */
const NOW = words('now|ab');

/**
 * A move word, a day someone asked for, a plan, or a clause saying what keeps a thing from being done: a day
 * beside it may be a new one.
 */
export const movesOrHindered = (u: Utterance): boolean =>
  u.has(PATTERNS.reschedule) ||
  u.has(NOW_ON) ||
  NEW_DAY_CUES.some((p) => u.has(p)) ||
  passesOnTheirWord(u) ||
  plans(u) ||
  clausesOf(u).some(hindered);

/**
 * Someone else's word passed on ("Nila Crafts guy says …", "Mrs Iyer texted - …", "Rao ji bole …", "chouhan
 * ji ka phone aaya"): a day in it is more likely a planned thing's new one than a chore of the owner's. Money
 * they promise for a day ("gill sahab bole payment somvar tak aa jayega") is news of the books, no move, and
 * so is a thing told first with whose word it was last ("the certificate will come next week, the CA said").
 */
const ASKED_IF = 'asked (?:if|whether)';
const THEIR_WORD = words(`texted|messaged|called|phone aaya|call aaya|${ASKED_IF}`);
/** Someone asking for a thing to be done: "asked if we can meet friday instead", "asked us to send it monday". */
export const ASKS_IF = words(`${ASKED_IF} (?:we|i|you) (?:can|could)|asked (?:us|me) to`);
const passesOnTheirWord = (u: Utterance): boolean =>
  !u.has(MONEY_SAID) &&
  (theirWord(u).length > 0 || u.find(SAYS).some((m) => byOthers(u, m) && m.to < u.length));
/** Their call or text, after whoever made it ("Mehta ji called"), not the owner's ("called Mehta ji", "I texted"). */
const theirWord = (u: Utterance) => u.find(THEIR_WORD).filter((m) => m.from > 0 && byOthers(u, m));
/** The message with words set aside: their call or text, which reports nothing done ("Mrs Iyer texted - …"). */
function without(u: Utterance, spans: readonly { from: number; to: number }[]): Utterance {
  const rest = u.copy();
  for (const m of spans) rest.use(m.from, m.to, 'filler');
  return rest;
}

/** A thing that was to be done, so a day said beside it may be its new one: "milna tha aaj", "was due today". */
const WAS_TO_BE = words('\\S+n[ae] (?:tha|thi)|was (?:due|supposed to|planned|meant to|scheduled)');

/**
 * Someone saying when they will bring what the job needs: "mrs das bol rahi billi ko shukravar shaam 6 baje
 * layengi", "Mrs Kohli will bring him tomorrow 9:30". That day is the job's.
 */
const BRINGS = words(
  'layega|layegi|layenge|layengi|le aayega|le aayegi|le aayenge|le aayengi|le ayega|le ayegi|le ayenge|will bring|is bringing|are bringing',
);

/** The word naming someone by their line of work: "shutter wala", "inspection wale" (each spelling read "wala"). */
const WALA = 'wala';

/**
 * Someone who does the work saying when they will come or do it: "freezer wala mistri bol raha hai vo guruvar
 * 10 baje aayega", "the AC technician will come on friday". Their day is the job's new one (not a customer's
 * coming, "kal demo class dekhne aayenge", nor money promised, "fees agle hafte denge bole").
 */
const WORKER_COMES = words(
  `(?:${alt(WORKERS)}|${WALA})(?:\\s+\\S+){0,10}?\\s+(?:aayega|aayenge|aaega|ayega|aa jayega|aa jayenge|will come|will be coming|is coming|will visit|can (?:only )?come|karega|kar dega|lagayega|laga dega|will do it|will fix it)`,
);

/**
 * The job a worker is named by, one or two words before "wala" (and the worker's own word after it), a
 * doing and its thing ("keyboard theek karne wala bhaiya"), or the thing before the worker's word ("chiller
 * mechanic", "the AC guy").
 */
const JOB_OF_WORKER = words(
  `(\\S+(?:\\s+\\S+)?\\s+\\S+ne|\\S+(?:\\s+\\S+)?)\\s+(?:${WALA})(?:\\s+(?:${alt(WORKERS)}))?|(?<=^|\\s)(?!the\\s|our\\s|my\\s)(\\S+)\\s+(?:${alt(WORKERS)})`,
);

/**
 * The job of a worker who says when they will come, named by it: "shutter wala ab shukravar ko aayega" →
 * "shutter", "roller wala mistri somvar ko aayega" → "roller", "chiller mechanic says he can only come
 * saturday" → "chiller". Their day is that job's new one.
 */
export function jobOfComingWorker(u: Utterance): string | undefined {
  const coming = u.find(WORKER_COMES)[0];
  if (!coming) return undefined;
  const named = u.find(JOB_OF_WORKER).find((m) => m.from <= coming.from && m.to > coming.from);
  return named?.groups[0] ?? named?.groups[1];
}

/** A thing set to be done on a day: "lobby flowers to be changed on saturday now". */
const SET_TO_BE = words('to be (?:done|\\S+ed|\\S+en)');
/**
 * What makes a day said beside it a planned thing's likely new one, and keeps a report beside it from
 * completing that thing: a move ("shifts", "update kar do"), a day asked for, a thing that was to be, a
 * worker's coming, someone bringing what the job needs, a thing set to be done.
 */
const NEW_DAY_CUES = [MOVES, ASKED_FOR, WAS_TO_BE, WORKER_COMES, BRINGS, SET_TO_BE];

/**
 * The owner's plan for a day: "camp wali meeting aaj shaam 7 baje kar lete hain", "hisaab somvar ko
 * karenge", "we'll do it tuesday"; not someone's word passed on ("fees agle hafte denge bole").
 */
const plans = (u: Utterance): boolean =>
  u.has(PATTERNS.planAhead) || (u.has(WE_WILL_DO) && !u.has(SAYS) && !u.has(SAYS_NOW));
/** A doing of ours ahead: "karenge", "kar denge", "le lenge"; not someone's coming ("dekhne aayenge"). */
const WE_WILL_DO = words(
  'karenge|karwayenge|kar denge|kar lenge|karwa denge|karwa lenge|le lenge|rakh lenge|rakhenge|bhej denge|bhejenge|dikha denge',
);

/**
 * The message says a thing moves, or gives its day with a reason (`givesReason`), and the day is a new one
 * (`givesNewDay`).
 */
export const saysItMoves = (u: Utterance, ctx: DateContext): boolean =>
  movesOrHindered(u) && givesNewDay(u, ctx);

/**
 * Nothing in the message turns a report around, puts it off, calls it off, asks for more time, tells of
 * trouble or passes on someone's word ("cement aa gayi, ret abhi nahi aayi", "Gupta ji ki party postpone ho
 * gayi", "the drill broke", "the salesman dropped by, says …").
 */
function mayBeReport(u: Utterance): boolean {
  return !saysNotYetDone(u) && nothingStopsReport(u);
}

/** A thing said not done, or not yet: "ret abhi nahi aayi", "abhi banaya nahi hai". */
export const saysNotYetDone = (u: Utterance): boolean => saysNotYet(u) || notYetDone(u);

/** No word passed on, trouble, refusal, calling off, part done, more time or a move: a report may stand. */
function nothingStopsReport(u: Utterance): boolean {
  if (passesOnWord(u) || troubleTold(u) || u.has(REFUSAL)) return false;
  const hinders = [CALLED_OFF, PARTLY, PATTERNS.moreTime, PATTERNS.deferral, PATTERNS.reschedule];
  return !hinders.some((p) => u.has(p));
}

/**
 * A message that may report a thing done (`mayBeReport`), or whose not-yet leaves a clause that may be a
 * report of its own: "… besan abhi bhi nahi aaya" beside "kaante pe mohar laga di", with nothing else stopping
 * a report. Which record it reports is for the lookup, which sets aside the records of the clauses saying not
 * yet.
 */
export function mayReportInPart(text: string, ctx: DateContext): boolean {
  const u = new Utterance(text);
  if (!nothingStopsReport(u)) return false;
  if (!saysNotYetDone(u)) return true;
  return text.split(CLAUSE_BREAK).some((c) => {
    const clause = new Utterance(c);
    return mayBeReport(clause) && tellsDone(clause, ctx) && !isQuestion(clause);
  });
}

/**
 * Trouble told ("the drill broke", "AC kharab hai"), not a broken thing named ("replaced the cracked glass")
 * nor none found ("200 pcs counted, none broken").
 */
const troubleTold = (u: Utterance): boolean =>
  u.find(TROUBLE).some((m) => !DETERMINERS.has(u.normOf(m.from - 1)) && !NONE.has(u.normOf(m.from - 1)));
const NONE: ReadonlySet<string> = new Set(['none', 'nothing', 'no']);

/**
 * A message that may report an open task done in words of the owner's own, though it reads as something
 * else ("Surat cotton consignment left the godown this morning", "verma wedding pics editing over",
 * "mistri compressor badal ke gaya"): a done word, a past tense or a finished state anywhere in it, with
 * nothing asked, still to come or set for a day ahead, and nothing that stops a report (`mayBeReport`).
 * Whether it reports one is for the lookup to say: the open task the whole message mentions (lookup.ts,
 * `mentioned`).
 */
export function mayReportDone(u: Utterance, ctx: DateContext): boolean {
  if (!mayBeReport(u) || isQuestion(u) || u.has(WILL_BE) || u.has(PATTERNS.strongCreate)) return false;
  // "they want to know if the ghodi can come", "the britannia meeting is off": asked of us, or called off
  if (saysStillToDo(u) || [QUESTION_PASSED_ON, CALLED_OFF, IS_OFF].some((p) => u.has(p))) return false;
  if (!tellsDone(u, ctx)) return false;
  const dayAhead =
    mentionsWhen(u, ctx) &&
    !saysEarlierToday(u, ctx) &&
    !saysOnlyToday(u, ctx) &&
    !saysNow(u, ctx) &&
    !saysHourGone(u, ctx);
  return !dayAhead;
}

/** The only time said is now ("running smooth now"): a state, not a time ahead. */
function saysNow(u: Utterance, ctx: DateContext): boolean {
  const when = takeWhen(u.copy(), ctx);
  const at = when ? resolveWhen(when, ctx).at : undefined;
  return at !== undefined && isNow(at, ctx);
}

/** A done word, a past tense or a finished state: "ho gaya", "reached Sharma Motors", "editing over". */
export function tellsDone(u: Utterance, ctx: DateContext): boolean {
  if (saysDone(u) || u.has(DONE_STATE)) return true;
  // the time words are set aside (a parse of their own) only when a word may be a past tense at all
  const mayBe = u.freeIndexes().some((i) => isPastTense(u.normOf(i)) || HAS.has(u.normOf(i)));
  if (!mayBe) return false;
  const probe = withoutWhen(u, ctx);
  const past = probe.freeIndexes().some((i, k, free) => {
    const before = probe.normOf(free[k - 1] ?? -1);
    // "Anil has drawn the blood sample": a perfect tense, whatever the verb
    if (HAS.has(before) && !NOT_DONE_AFTER_HAS.has(probe.normOf(i))) return true;
    return isPastTense(probe.normOf(i)) && before !== 'be' && before !== 'to' && before !== 'get';
  });
  return past;
}

/**
 * A question: a question mark, a question word, or a question's opening ("any …", "do i …", "koi …"),
 * maybe after a day or a filler ("aaj kitna kaam hai", "so am i free today").
 */
export function isQuestion(u: Utterance): boolean {
  // "Bose babu se poochna ki proofs ready hai kya?": from there on, the question is theirs to answer
  const theirs = u.find(ASK_THEM)[0]?.to ?? u.length;
  if (theirs === u.length && u.endsWithQuestion) return true;
  // "ab dekhte hain kab tak reply karte hain", "let's see when he pays": wondered aloud, not asked of us
  const wondered = new Set(u.find(WONDER).map((m) => m.to));
  if (u.find(PATTERNS.question).some((m) => m.from < theirs && !wondered.has(m.from))) return true;
  const first = u.freeIndexes().find((i) => !QUESTION_LEAD_INS.has(u.normOf(i)));
  // "98450 22331 is Mohan's number, …": a number first, so no question opens with "is"
  const opens = first !== undefined && !u.tokens.slice(0, first).some((t) => t.phone);
  return opens && u.find(PATTERNS.questionOpener).some((m) => m.from === first);
}

/** The indexes of the tokens some match covers. */
function tokensOf(matches: readonly { from: number; to: number }[]): Set<number> {
  return new Set(matches.flatMap((m) => Array.from({ length: m.to - m.from }, (_, k) => m.from + k)));
}

/** Today, said as a day ("aaj", "today's") or, with no other day, as a part of it ("subah", "the day"). */
function todaySaid(u: Utterance) {
  return [...u.find(PATTERNS.today), ...(u.has(PATTERNS.otherDay) ? [] : u.find(PATTERNS.todayIsh))];
}

/**
 * A message that only names today's plan, with no verb or question: "aaj ka routine", "today's lineup",
 * "mere aaj ke plans", "din bhar ka plan". (A task noun makes it the list: "aaj ke kaam".)
 */
function namesTodaysPlan(u: Utterance): boolean {
  const today = todaySaid(u);
  const plan = u.find(PATTERNS.dayPlan);
  if (today.length === 0 || plan.length === 0) return false;
  const covered = tokensOf([...today, ...plan]);
  return u.freeIndexes().every((i) => covered.has(i) || DAY_PLAN_FILLERS.has(u.normOf(i)));
}

const DUE = words('due|pending hai');

/**
 * A question about the open tasks or the day with nothing else in it: "what is left?" (`stillToDo`),
 * "what tasks do I have?", "what's due tomorrow?", "kal kya kya karna hai?" → list_tasks; about today
 * with no task word ("what am i doing today", "aaj mere paas kya kya hai?", "aaj ka pura din batao") →
 * my_day. A content word makes it something else ("what's the weather today").
 */
function listQuestion(u: Utterance, stillToDo: boolean, dayNamed: boolean): 'list_tasks' | 'my_day' | null {
  if (stillToDo) return 'list_tasks';
  const said = (p: RegExp) => u.find(p);
  // a day part, "the day" or "abhi" with no other day is today's ("subah ka plan?", "how's the day looking")
  const today = todaySaid(u);
  const plan = said(PLAN_NOUN);
  const about = [
    ...said(PATTERNS.listQualifier),
    ...said(TASK_NOUN),
    ...plan,
    ...said(DUE),
    ...said(PATTERNS.priority),
    ...today,
  ];
  const covered = tokensOf(about);
  const rest = u.freeIndexes().filter((i) => !covered.has(i));
  if (
    about.length === 0 ||
    !rest.every((i) => GENERIC_WORDS.has(u.normOf(i)) || DAY_WORDS.includes(u.normOf(i)))
  )
    return null;
  // a day's plan is the day itself ("aaj ka plan"), and so is the plan with no day ("what's the plan?",
  // "what's lined up"); a task word, "due", a filter or another day asks for the list
  const onlyPlan = !dayNamed && about.length === plan.length;
  const aboutTasks = u.has(TASK_NOUN) || u.has(DUE) || u.has(PATTERNS.otherDay) || u.has(PATTERNS.priority);
  return (today.length > 0 || onlyPlan) && !aboutTasks ? 'my_day' : 'list_tasks';
}

/**
 * A list asked for with no verb: the plural noun with only qualifiers and fillers around it ("overdue
 * followups", "tasks for tomorrow", "upcoming follow ups").
 */
const PLURAL =
  /(?:^|\s)(?:tasks|follow ups|reminders|todos?|to-do|to do|kaam|plans?|schedule|agenda)(?:\s|$)/;

function isBareList(u: Utterance, noun: RegExp): boolean {
  const nounMatches = u.find(noun);
  if (!nounMatches.some((m) => PLURAL.test(m.text))) return false;
  const covered = tokensOf([...nounMatches, ...u.find(PATTERNS.listQualifier)]);
  return u.freeIndexes().every((i) => covered.has(i) || LIST_FILLERS.has(u.normOf(i)));
}
