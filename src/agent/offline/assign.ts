import { HONORIFICS_AFTER, HONORIFICS_BEFORE, isHonorific } from '../../domain/honorifics.ts';
import { FOLLOW_UP_NOUN, isCapitalised, readsAsName, TASK_NOUN } from './entities.ts';
import { alt, DAY_OFFSET_WORDS, DAY_PARTS, WEEKDAYS, words } from './lexicon.ts';
import type { Match, Utterance } from './utterance.ts';

/**
 * Work for someone in the team. Asking someone to do a new thing makes a task for them: "tell Ravi to
 * send the invoice by tomorrow", "ask Priya to call Mehta", "Ravi ko bolo kal tak invoice bhej de".
 * Handing over a task that exists changes it: "assign the GST task to Ravi", "GST wala kaam Ravi ko de
 * do", "give me the bank task", "let Priya handle the rent", "GST filing Ravi se karwa lo", "rent Priya ke
 * zimme", "invoice ab Priya bhejegi". The person is passed as said ("Ravi", "Ravi bhai", "Mr Kumar") or
 * as "me"; the tool finds them among the business's members.
 */

/** "tell Ravi to …", "ask Priya to …": a new task for the one named. */
const ASK_TO = words('(?:tell|ask|get|remind|request)');
/** "Ravi ko bolo (ki) …", "Priya se kaho …", "Ravi ko bolna hai ki kal tak …" (see PASS_ON). */
const TELL_HINDI = words(
  `(?:ko|se)\\s+${alt(['bolo', 'bol do', 'bol dena', 'bolna', 'bol de', 'kaho', 'keh do', 'kah do', 'kehna', 'kahna', 'keh dena'])}(?:\\s+hai)?(?:\\s+ki)?`,
);
/**
 * "Rekha bhabhi ko bolna ki kapda le aaye", "payment mil gayi, Rekha madam ko shaam ko bol dena": a message the
 * owner is to pass on (a follow-up; said before, with nothing after the telling), not work handed over; a
 * deadline in it ("Ravi ko bolna hai ki kal tak invoice bhej de") makes it their work.
 */
const PASS_ON = /^(?:ko|se)\s+(?:bolna|bol dena|kehna|kahna|keh dena)(?:\s+hai)?(\s+ki)?$/;
const passesOn = (u: Utterance, cue: Match) => {
  const m = PASS_ON.exec(cue.text);
  return m !== null && (m[1] !== undefined || u.freeIndexes(cue.to).every((i) => u.normOf(i) === 'please'));
};
const DEADLINE = words('tak');
/** "assign … to Ravi", "give the GST task to Ravi", "hand over … to me". */
const GIVE_TO = words(
  alt([
    'assign',
    'reassign',
    'give',
    'hand over',
    'hand',
    'pass',
    'pass on',
    'transfer',
    'move',
    'shift',
    'allot',
    'allocate',
    'delegate',
    'leave',
  ]),
);
/** Verbs that hand work over whatever it is called ("delegate the bank deposit to Priya", "leave it to me"). */
const ONLY_ASSIGNS = /assign|allo|delegate|hand over|pass on|leave/;
/** Verbs that hand work on to a person named as one, when no money or time is in it: "transfer the GST filing to Ravi". */
const PASSES_ON = /^(?:hand|pass|transfer|move|shift)$/;
/** "Ravi will handle …", "let Priya take care of …": taking a piece of work on. */
const TAKE_ON = words(
  alt([
    'handle',
    'take care of',
    'look after',
    'take over',
    'manage',
    'deal with',
    'sort out',
    'look into',
    'do',
    'take',
    'own',
    // "Ravi is handling the GST return"
    'handling',
    'taking care of',
    'looking after',
    'managing',
    'doing',
  ]),
);
const WILL = new Set(['will', 'should', 'can', 'must', 'shall', 'to', 'is']);
/** "put Ravi on …", "make Ravi responsible for …", "… should go to Ravi", "… is Ravi's job now". */
const PUT_ON = words('put');
const MAKE_RESPONSIBLE = words('make');
const RESPONSIBLE_FOR = words('responsible for|in charge of|incharge of|the owner of|owner of');
const GOES_TO = words('(?:should|will|can)?\\s*go(?:es)? to');
/** "GST filing Ravi se karwa lo": have someone do it. */
const HAVE_DONE = words(
  `se\\s+(?:(?:ye|yeh|woh|wo)\\s+)?${alt(['karwa lo', 'karwa lena', 'karwa do', 'karwa dena', 'karwao', 'karwana', 'karwa lijiye', 'karwa'])}(?:\\s+hai)?`,
);
/** "rent Priya ke zimme", "cement order Suresh ke naam kar do", "… Suresh ke hawale kar do": theirs now. */
const ON_THEIR_NAME = words(
  `(?:ke|ki)\\s+(?:zimme|jimme|naam|hawale|havale)(?:\\s+${alt(['kar do', 'karo', 'kardo', 'kar dena', 'daal do', 'hai', 'rahega', 'rahegi', 'hoga'])})?`,
);
/** "invoice ab Priya bhejegi", "bank deposit Suresh bhai karega": someone will do it. */
const WILL_DO = /^\p{L}{2,}(?:ega|egi|enge|ayega|ayegi)$/u;
/** Taking work on, in the future: "Suresh bhai dekh lega", "Deepak sambhalega", "Priya kar legi". */
const LOOK_AFTER_STEMS = [
  'dekh',
  'kar',
  'sambhal',
  'sambhaal',
  'handle kar',
  'manage kar',
  'nipta',
  'sort kar',
];
const WILL_TAKE_ON_FORMS = `${alt(LOOK_AFTER_STEMS)}\\s+(?:lega|legi|lenge|lengi)|(?:sambhal|sambhaal|dekh|handle kare)(?:ga|gi|nge|ega|egi|enge)`;
const WILL_TAKE_ON = words(WILL_TAKE_ON_FORMS);
/** "… wo dekh lega" after the one named: said again of them. */
const HE_TAKES_ON = words(`(?:wo|woh|vo|voh)\\s+(?:${WILL_TAKE_ON_FORMS})`);
/** The owner taking it themselves: "main khud kar lunga", "courier main dekh lungi", "I'll do it myself". */
const SELF_TAKES_ON = words(
  `(?:(?:main|mai)\\s+(?:khud\\s+)?(?:hi\\s+)?|khud\\s+(?:hi\\s+)?)(?:(?:ye|yeh|isko|ise|woh|wo)\\s+)?(?:${alt(LOOK_AFTER_STEMS)}\\s+(?:lunga|lungi|loonga|loongi)|karunga|karungi|dekhunga|dekhungi|sambhalunga|sambhalungi)|(?:ill|i will)\\s+(?:do|handle)\\s+(?:it|this|that)\\s+myself`,
);
/** A duty named as such, which "de do" hands over like a task: "Ravi ko GST ka zimma de do", "the rent thing". */
export const DUTY = words('zimma|jimma|zimmedari|jimmedari|responsibility|charge|duty|thing');
/**
 * "assign it to Neha now", "abhi Rohit ko de do", "from now on Ravi handles it", "aaj se Rohit karega": when
 * the handing over happens, not when the work is due.
 */
export const HAND_OVER_NOW = words(
  alt([
    'right now',
    'right away',
    'now',
    'from now on',
    'from now',
    'from today',
    'from today onwards',
    'abhi',
    'abhi se',
    'ab se',
    'aaj se',
    'turant',
  ]),
);
const PLAIN_DO_AFTER = new Set(['ko', 'kaam', 'task', 'zimma', 'jimma', 'zimmedari', 'jimmedari']);
const WALA = words('wala|wali|wale|waala|waali|waale');
/** "… Ravi ko de do", "… mujhe assign karo", "… Priya ko saunp do". */
const GIVE_HINDI = words(
  alt([
    'do',
    'dena',
    'dena hai',
    'de do',
    'dedo',
    'de dena',
    'de de',
    'assign karo',
    'assign kar do',
    'assign kardo',
    'assign kar dena',
    'saunp do',
    'saump do',
    'saunpo',
    'saunp dijiye',
    'de dijiye',
    'pakda do',
    'thama do',
    'allot karo',
    'allot kar do',
    'handover karo',
    'handover kar do',
    'hand over kar do',
  ]),
);
const ME = new Set(['me', 'mujhe', 'mujhko', 'myself', 'khud']);
/** Who a request cannot be for: the user asking about themselves, or someone unnamed. */
const NOT_A_NAME = new Set([
  ...ME,
  'i',
  'we',
  'he',
  'she',
  'they',
  'who',
  'ab',
  'abhi',
  'us',
  'you',
  'him',
  'her',
  'them',
  'it',
  'everyone',
  'everybody',
  'someone',
  'the',
  'a',
  'to',
  'and',
  'aur',
  'ki',
  'ka',
  'ke',
  'ko',
  'se',
  // "get back to Mr Shah …" reaches him, it asks no one to do anything
  'back',
]);

export type Assignment = { tool: 'create_task' | 'update_task'; person: string };

/** Whether the message gives work to someone, and which tool that is. Marks nothing. */
export function assignmentIntent(u: Utterance): 'create_task' | 'update_task' | null {
  return findAssignment(u.copy())?.tool ?? null;
}

/** The person the message gives work to (marking the words that say so), or undefined. */
export function takeAssignee(u: Utterance): string | undefined {
  return findAssignment(u)?.person;
}

function findAssignment(u: Utterance): Assignment | null {
  const found = handedOver(u);
  // "… mujhe de do, main khud kar lunga", "Suresh ko bolo … wo dekh lega": the promise says who, never what
  if (found?.person === 'me') u.takeAll(SELF_TAKES_ON, 'cue');
  if (found) u.takeAll(HE_TAKES_ON, 'cue');
  return found;
}

function handedOver(u: Utterance): Assignment | null {
  return (
    askTo(u) ??
    tellHindi(u) ??
    giveHindi(u) ??
    giveTo(u) ??
    takesOn(u) ??
    putOn(u) ??
    goesTo(u) ??
    doneBy(u) ??
    haveDone(u) ??
    onTheirName(u) ??
    willTakeOn(u) ??
    theirJob(u) ??
    willDo(u) ??
    selfTakesOn(u)
  );
}

// "Ravi", not "GST": a code in capitals is what the work is about, never part of a name

/** The name that ends just before `end` ("Ravi", "Ravi bhai", "Mr Ravi Kumar"): its first index, or -1. */
function nameBefore(u: Utterance, end: number): number {
  let i = end - 1;
  while (i >= 0 && u.isFree(i) && HONORIFICS_AFTER.has(u.normOf(i))) i--;
  if (i < 0 || !u.isFree(i) || NOT_A_NAME.has(u.normOf(i)) || isHonorific(u.normOf(i))) return -1;
  let from = i;
  while (from - 1 >= 0 && u.isFree(from - 1) && end - from < 4 && !u.tokens[from - 1]?.breakAfter) {
    const w = u.normOf(from - 1);
    if (!HONORIFICS_BEFORE.has(w) && !(isCapitalised(u, from - 1) && isCapitalised(u, from))) break;
    if (NOT_A_NAME.has(w)) break;
    from--;
  }
  return from;
}

/** The name that starts at `from` and ends before `stop` (a word or the end): its end, or -1. */
function nameAfter(u: Utterance, from: number, stop: (i: number) => boolean): number {
  if (u.isFree(from) && ME.has(u.normOf(from))) return from + 1;
  let i = from;
  while (i < u.length && u.isFree(i) && HONORIFICS_BEFORE.has(u.normOf(i))) i++;
  if (i >= u.length || !u.isFree(i) || NOT_A_NAME.has(u.normOf(i))) return -1;
  let to = i + 1;
  while (to < u.length && !stop(to) && u.isFree(to) && to - from < 4 && !u.tokens[to - 1]?.breakAfter) {
    if (!HONORIFICS_AFTER.has(u.normOf(to)) && !isCapitalised(u, to)) break;
    to++;
  }
  return to;
}

function person(u: Utterance, from: number, to: number): string {
  return ME.has(u.normOf(from)) && to === from + 1 ? 'me' : u.rawBetween(from, to);
}

function mark(u: Utterance, parts: (Match | { from: number; to: number })[]): void {
  for (const p of parts) u.use(p.from, p.to, 'cue');
}

/** "tell Ravi to send the invoice", "ask Priya to call Mehta". */
function askTo(u: Utterance): Assignment | null {
  for (const cue of u.find(ASK_TO)) {
    const to = nameAfter(u, cue.to, (i) => u.normOf(i) === 'to');
    if (to < 0 || u.normOf(to) !== 'to' || to + 1 >= u.length) continue;
    const who = person(u, cue.to, to);
    if (who === 'me') continue; // "remind me to …" is the user's own task
    if (remindsSomeoneOutside(u, cue, to)) continue;
    // "tell Ravi to handle the GST returns": taking on work that is there already, when no time is set
    const takesOver = u.find(TAKE_ON).some((v) => v.from === to + 1) && !moneyOrTime(u);
    mark(u, [cue, { from: cue.to, to: to + 1 }]);
    if (takesOver) u.use(to + 1, u.find(TAKE_ON).find((v) => v.from === to + 1)?.to ?? to + 1, 'cue');
    return { tool: takesOver ? 'update_task' : 'create_task', person: who };
  }
  return null;
}

/**
 * "remind Gupta uncle to send the agreement", "remind Dr Sinha to sign the lease": a reminder meant for
 * someone called with respect, a customer or a supplier, not a member handed work ("remind Anil to collect
 * the cheque"): a follow-up (see toldWho).
 */
function remindsSomeoneOutside(u: Utterance, cue: Match, to: number): boolean {
  if (cue.text !== 'remind') return false;
  for (let i = cue.to; i < to; i++) if (isHonorific(u.normOf(i))) return true;
  return false;
}

/** "Ravi ko bolo kal tak invoice bhej de", "Priya se kaho ki Mehta ko call kare". */
function tellHindi(u: Utterance): Assignment | null {
  for (const cue of u.find(TELL_HINDI)) {
    if (passesOn(u, cue) && !u.has(DEADLINE, { all: true })) continue;
    const from = nameBefore(u, cue.from);
    if (from < 0) continue;
    const who = person(u, from, cue.from);
    mark(u, [{ from, to: cue.to }]);
    // "Ravi ko bolo GST wala kaam wo dekh lega": work that is there already, when no time is set
    const existing = (u.has(WALA) || u.has(TASK_NOUN)) && !moneyOrTime(u);
    return { tool: existing ? 'update_task' : 'create_task', person: who };
  }
  return null;
}

/** "assign the GST task to Ravi", "give the bank task to me", "give Ravi the GST task". */
function giveTo(u: Utterance): Assignment | null {
  for (const cue of u.find(GIVE_TO)) {
    const assigns = ONLY_ASSIGNS.test(cue.text);
    // "… to Ravi": the last "to" after the verb
    for (let t = u.length - 2; t >= cue.to; t--) {
      if (u.normOf(t) !== 'to' || !u.isFree(t)) continue;
      // "hand the bank deposit over to Priya": handing over, whatever the work is called
      const over = u.normOf(t - 1) === 'over' && u.isFree(t - 1) ? t - 1 : t;
      const end = nameAfter(u, t + 1, () => false);
      if (end < 0) continue;
      // "move the meeting to Friday" is a new day, "give the cheque to Ramesh" a thing to give
      const passes = PASSES_ON.test(cue.text) && spelledAsName(u, t + 1, end) && !moneyOrTime(u);
      if (/^(?:move|shift)$/.test(cue.text) && !passes) continue;
      // "give the vendor payment to Priya": with no money or day in it, work to hand over, not a thing
      const givesWork = cue.text === 'give' && !moneyOrTime(u);
      if (!assigns && over === t && !passes && !givesWork && !u.has(TASK_NOUN)) continue;
      const who = person(u, t + 1, end);
      mark(u, [cue, { from: over, to: end }]);
      // "reassign the GST task from Priya to Ravi": who had it is not part of its name
      const from = u
        .find(words('from'))
        .find((m) => m.to < over && nameAfter(u, m.to, (i) => i >= over) === over);
      if (from) mark(u, [{ from: from.from, to: over }]);
      return { tool: 'update_task', person: who };
    }
    // "assign Priya to the warehouse rent"
    const named = assigns ? nameAfter(u, cue.to, (i) => u.normOf(i) === 'to') : -1;
    if (named > cue.to && u.normOf(named) === 'to' && named + 1 < u.length) {
      mark(u, [cue, { from: cue.to, to: named + 1 }]);
      return { tool: 'update_task', person: person(u, cue.to, named) };
    }
    const work = u.has(TASK_NOUN) || u.has(FOLLOW_UP_NOUN);
    if (!assigns && !work) continue;
    // "assign Ravi GST filing": a name as such right after the verb, the work after it
    const direct = assigns ? nameAfter(u, cue.to, () => false) : -1;
    if (
      direct > cue.to &&
      direct < u.length &&
      spelledAsName(u, cue.to, direct) &&
      u.normOf(direct) !== 'to'
    ) {
      mark(u, [cue, { from: cue.to, to: direct }]);
      return { tool: 'update_task', person: person(u, cue.to, direct) };
    }
    // "give Ravi the GST task", "give me the bank task", "give Rohit the Diwali order follow up"
    const the = (i: number) => ['the', 'my', 'this', 'that'].includes(u.normOf(i));
    const end = nameAfter(u, cue.to, the);
    if (end > cue.to && the(end) && work) {
      const who = person(u, cue.to, end);
      mark(u, [cue, { from: cue.to, to: end }]);
      return { tool: 'update_task', person: who };
    }
  }
  return null;
}

const MONEY = /\d|₹|rupa|rupe|rs\b|paise|paisa|lakh|hazaar|hazar/;
/** A day or time: "kal sample Kapoor ko de dena" is a thing to give then, not work to hand over. */
const WHEN = words(
  alt([
    ...Object.keys(DAY_OFFSET_WORDS),
    ...Object.keys(WEEKDAYS),
    ...Object.keys(DAY_PARTS),
    ...'today tomorrow by baje tak'.split(' '),
  ]),
);

/** "GST returns Ravi ko de do": work (not money, no time) before the person, and "de do" right after "ko". */
const moneyOrTime = (u: Utterance) => {
  const handing = u.find(HAND_OVER_NOW, { all: true });
  const isHanding = (m: Match) => handing.some((h) => h.from <= m.from && m.to <= h.to);
  return MONEY.test(u.norm) || u.find(WHEN, { all: true }).some((m) => !isHanding(m));
};

function handsOverFirst(u: Utterance, cue: number): boolean {
  if (u.normOf(cue - 1) !== 'ko' || moneyOrTime(u)) return false;
  const from = nameBefore(u, cue - 1);
  return from > 0 && u.freeIndexes(0, from).length > 0;
}

/** "GST wala kaam Ravi ko de do", "Ravi ko GST ka task assign karo", "bank wala kaam mujhe de do". */
function giveHindi(u: Utterance): Assignment | null {
  for (const cue of u.find(GIVE_HINDI)) {
    // a bare "do" gives only right after the person or the work: "Ravi ko do", "… ka kaam do"
    if (/^(?:do|dena)$/.test(cue.text) && !PLAIN_DO_AFTER.has(u.normOf(cue.from - 1))) continue;
    const assigns = /assign|allot|saunp|saump|hand/.test(cue.text);
    // "cement wala order Patel ji ko de do": a "wala" names one of the tasks as surely as "task" does;
    // so does the work said before the person ("GST returns Ravi ko de do"), where "Ramesh ko cheque de
    // do" gives a thing
    const named = u.has(TASK_NOUN) || u.has(DUTY) || u.has(WALA) || handsOverFirst(u, cue.from);
    if (!assigns && !named) continue;
    for (let j = cue.from - 1; j >= 0; j--) {
      if (!u.isFree(j)) continue;
      if (ME.has(u.normOf(j))) {
        mark(u, [cue, { from: j, to: j + 1 }]);
        return { tool: 'update_task', person: 'me' };
      }
      if (u.normOf(j) !== 'ko') continue;
      const from = nameBefore(u, j);
      if (from < 0) continue;
      mark(u, [cue, { from, to: j + 1 }]);
      return { tool: 'update_task', person: person(u, from, j) };
    }
  }
  return null;
}

/** A name the message spells as one: capitalised, or with an honorific ("Priya", "Suresh bhai"). */
function spelledAsName(u: Utterance, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (readsAsName(u, i)) return true;
  return false;
}

/** "Ravi will handle the GST returns", "let Priya take care of the rent", "Suresh to do the cement order". */
function takesOn(u: Utterance): Assignment | null {
  for (const verb of u.find(TAKE_ON)) {
    if (verb.to >= u.length) continue;
    const modal = verb.from - 1;
    // "let Priya handle …", "have Ravi do …", "can Suresh bhai do …": the name between "let" (or a
    // modal) and the verb
    for (let lead = verb.from - 2; lead >= Math.max(0, verb.from - 4); lead--) {
      const word = u.normOf(lead);
      if (word !== 'let' && word !== 'have' && !(lead === 0 && WILL.has(word))) continue;
      const end = nameAfter(u, lead + 1, (i) => i >= verb.from);
      if (end !== verb.from || !spelledAsName(u, lead + 1, end)) continue;
      mark(u, [{ from: lead, to: verb.to }]);
      return { tool: 'update_task', person: person(u, lead + 1, end) };
    }
    if (!WILL.has(u.normOf(modal)) || !u.isFree(modal)) continue;
    const from = nameBefore(u, modal);
    if (from < 0 || !spelledAsName(u, from, modal)) continue;
    mark(u, [{ from, to: verb.to }]);
    return { tool: 'update_task', person: person(u, from, modal) };
  }
  return null;
}

/** "put Ravi on the GST filing", "make Priya responsible for the rent". */
function putOn(u: Utterance): Assignment | null {
  for (const cue of [...u.find(PUT_ON), ...u.find(MAKE_RESPONSIBLE)]) {
    const ties = [...u.find(RESPONSIBLE_FOR), ...(cue.text === 'put' ? u.find(words('on')) : [])];
    for (const tie of ties.filter((m) => m.from > cue.to && m.to < u.length)) {
      const end = nameAfter(u, cue.to, (i) => i === tie.from);
      if (end !== tie.from) continue;
      mark(u, [{ from: cue.from, to: tie.to }]);
      return { tool: 'update_task', person: person(u, cue.to, end) };
    }
    // "put the GST filing on Ravi": the name closes the message
    const on = u.find(words('on')).find((m) => m.from > cue.to + 1);
    const end = on ? nameAfter(u, on.to, () => false) : -1;
    if (cue.text === 'put' && on && end === u.length && spelledAsName(u, on.to, end)) {
      mark(u, [cue, { from: on.from, to: end }]);
      return { tool: 'update_task', person: person(u, on.to, end) };
    }
  }
  return null;
}

/** "… should be done by Priya", "… to be handled by Ravi": the doer named after the work. */
const DONE_BY = words(
  `${alt(['done', 'handled', 'managed', 'taken care of', 'looked after', 'sorted', 'taken over', 'filed', 'sent', 'paid'])}\\s+by`,
);

function doneBy(u: Utterance): Assignment | null {
  for (const cue of u.find(DONE_BY)) {
    const end = nameAfter(u, cue.to, () => false);
    if (end !== u.length || !spelledAsName(u, cue.to, end)) continue;
    // "should be", "to be", "will be" go with the cue
    let from = cue.from;
    while (
      from > 0 &&
      ['be', 'should', 'to', 'will', 'must', 'can', 'has', 'have', 'been'].includes(u.normOf(from - 1))
    )
      from--;
    mark(u, [{ from, to: end }]);
    return { tool: 'update_task', person: person(u, cue.to, end) };
  }
  return null;
}

/** "the GST task should go to Ravi", "GST returns goes to Ravi". */
function goesTo(u: Utterance): Assignment | null {
  for (const cue of u.find(GOES_TO)) {
    if (cue.from === 0) continue;
    const end = nameAfter(u, cue.to, () => false);
    if (end < 0 || !spelledAsName(u, cue.to, end)) continue;
    mark(u, [{ from: cue.from, to: end }]);
    return { tool: 'update_task', person: person(u, cue.to, end) };
  }
  return null;
}

/** "GST filing Ravi se karwa lo", "Priya se rent wala kaam karwa lena". */
function haveDone(u: Utterance): Assignment | null {
  for (const cue of u.find(HAVE_DONE)) {
    const from = nameBefore(u, cue.from);
    if (from < 0) continue;
    mark(u, [
      { from, to: cue.from + 1 },
      { from: cue.to - 1, to: cue.to },
    ]);
    u.use(cue.from, cue.to, 'cue');
    return { tool: 'update_task', person: person(u, from, cue.from) };
  }
  return null;
}

/** "rent Priya ke zimme", "cement order Suresh ke naam kar do". */
function onTheirName(u: Utterance): Assignment | null {
  for (const cue of u.find(ON_THEIR_NAME)) {
    const from = nameBefore(u, cue.from);
    if (from < 0 || from === 0) continue;
    mark(u, [{ from, to: cue.to }]);
    return { tool: 'update_task', person: person(u, from, cue.from) };
  }
  return null;
}

/** "invoice ab Priya bhejegi", "bank deposit Suresh bhai karega": a named person will do what is named. */
function willDo(u: Utterance): Assignment | null {
  const last = u.length - 1;
  if (last < 2 || !WILL_DO.test(u.normOf(last))) return null;
  // "… Suresh jama karega": one verb word may stand between the name and the future tense
  for (const end of [last, last - 1]) {
    const from = nameBefore(u, end);
    if (from <= 0 || !spelledAsName(u, from, end)) continue;
    mark(u, [{ from, to: u.length }]);
    if (u.normOf(from - 1) === 'ab') u.use(from - 1, from, 'cue');
    return { tool: 'update_task', person: person(u, from, end) };
  }
  // "Ravi GST wala kaam karega": the name opens the message, one clause long ("Saxena ji ke flat ka kaam
  // khatam, … bol rahi thi recommend karenge" tells of Saxena ji, and gives them nothing)
  const end = nameAfter(u, 0, () => false);
  const oneClause = u.firstClauseBreak(0) < 0 || u.firstClauseBreak(0) >= last;
  if (end <= 0 || end >= last || !spelledAsName(u, 0, end) || (!u.has(WALA) && !u.has(TASK_NOUN)))
    return null;
  if (!oneClause || weWill(u, 0, end)) return null;
  mark(u, [
    { from: 0, to: end },
    { from: last, to: u.length },
  ]);
  return { tool: 'update_task', person: person(u, 0, end) };
}

/**
 * "Stock count wala kaam 31 ko karenge": a plural future after a bare word is "we will", since one person
 * named without respect takes "karega"/"karegi" ("Sharma ji karenge" is one person, respected).
 */
function weWill(u: Utterance, from: number, to: number): boolean {
  if (!/enge$/.test(u.normOf(u.length - 1))) return false;
  for (let i = from; i < to; i++) if (isHonorific(u.normOf(i))) return false;
  return true;
}

/**
 * "bank ka kaam Suresh bhai dekh lega", "Deepak sambhalega delivery wala kaam": a named person will take
 * the work named before or after them; with money or a day in it, it is more likely new work.
 */
function willTakeOn(u: Utterance): Assignment | null {
  if (moneyOrTime(u)) return null;
  for (const cue of u.find(WILL_TAKE_ON)) {
    const from = nameBefore(u, cue.from);
    if (from < 0 || !spelledAsName(u, from, cue.from)) continue;
    if (u.freeIndexes(0, from).length === 0 && u.freeIndexes(cue.to, u.length).length === 0) continue;
    mark(u, [{ from, to: cue.to }]);
    if (u.normOf(from - 1) === 'ab') u.use(from - 1, from, 'cue');
    return { tool: 'update_task', person: person(u, from, cue.from) };
  }
  return null;
}

/** "courier wala kaam main khud dekh lunga", "I'll do the GST filing myself": the owner's own now. */
function selfTakesOn(u: Utterance): Assignment | null {
  const cue = u.find(SELF_TAKES_ON)[0];
  if (!cue || moneyOrTime(u)) return null;
  if (u.freeIndexes(0, cue.from).length === 0 && u.freeIndexes(cue.to, u.length).length === 0) return null;
  mark(u, [cue]);
  return { tool: 'update_task', person: 'me' };
}

const JOB = words('job|responsibility|duty|kaam');

/** "the cash deposit is Suresh's job now": the work before, theirs. */
function theirJob(u: Utterance): Assignment | null {
  for (const cue of u.find(JOB)) {
    const i = cue.from - 1;
    const raw = u.tokens[i]?.raw ?? '';
    if (i < 1 || !u.isFree(i) || !/^\p{Lu}\p{L}+['’]s$/u.test(raw) || u.freeIndexes(0, i).length === 0)
      continue;
    mark(u, [{ from: u.normOf(i - 1) === 'is' ? i - 1 : i, to: cue.to }]);
    return { tool: 'update_task', person: raw.slice(0, -2) };
  }
  return null;
}
