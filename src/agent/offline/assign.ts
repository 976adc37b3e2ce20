import { HONORIFICS_AFTER, HONORIFICS_BEFORE, isHonorific } from '../../domain/honorifics.ts';
import { TASK_NOUN } from './entities.ts';
import { alt, words } from './lexicon.ts';
import type { Match, Utterance } from './utterance.ts';

/**
 * Work for someone in the team. Asking someone to do a new thing makes a task for them: "tell Ravi to
 * send the invoice by tomorrow", "ask Priya to call Mehta", "Ravi ko bolo kal tak invoice bhej de".
 * Handing over a task that exists changes it: "assign the GST task to Ravi", "GST wala kaam Ravi ko de
 * do", "give me the bank task". The person is passed as said ("Ravi", "Ravi bhai", "Mr Kumar") or as
 * "me"; the tool finds them among the business's members.
 */

/** "tell Ravi to …", "ask Priya to …": a new task for the one named. */
const ASK_TO = words('(?:tell|ask|get|remind|request)');
/** "Ravi ko bolo (ki) …", "Priya se kaho …". */
const TELL_HINDI = words(
  `(?:ko|se)\\s+${alt(['bolo', 'bol do', 'bol dena', 'bolna', 'bol de', 'kaho', 'keh do', 'kah do', 'kehna', 'kahna', 'keh dena'])}(?:\\s+ki)?`,
);
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
    'allot',
    'allocate',
  ]),
);
/** "… Ravi ko de do", "… mujhe assign karo", "… Priya ko saunp do". */
const GIVE_HINDI = words(
  alt([
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
    'handover karo',
    'handover kar do',
    'hand over kar do',
  ]),
);
const ME = new Set(['me', 'mujhe', 'mujhko', 'myself', 'khud']);
/** Who a request cannot be for: the user asking about themselves, or someone unnamed. */
const NOT_A_NAME = new Set([
  ...ME,
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
  return askTo(u) ?? tellHindi(u) ?? giveHindi(u) ?? giveTo(u);
}

const isCapitalised = (u: Utterance, i: number) => /^\p{Lu}/u.test(u.tokens[i]?.raw ?? '');

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
  return ME.has(u.normOf(from)) && to === from + 1
    ? 'me'
    : u.raw(Array.from({ length: to - from }, (_, k) => from + k));
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
    mark(u, [cue, { from: cue.to, to: to + 1 }]);
    return { tool: 'create_task', person: who };
  }
  return null;
}

/** "Ravi ko bolo kal tak invoice bhej de", "Priya se kaho ki Mehta ko call kare". */
function tellHindi(u: Utterance): Assignment | null {
  for (const cue of u.find(TELL_HINDI)) {
    const from = nameBefore(u, cue.from);
    if (from < 0) continue;
    const who = person(u, from, cue.from);
    mark(u, [{ from, to: cue.to }]);
    return { tool: 'create_task', person: who };
  }
  return null;
}

/** "assign the GST task to Ravi", "give the bank task to me", "give Ravi the GST task". */
function giveTo(u: Utterance): Assignment | null {
  for (const cue of u.find(GIVE_TO)) {
    const assigns = /assign|allo/.test(cue.text);
    if (!assigns && !u.has(TASK_NOUN)) continue;
    // "… to Ravi": the last "to" after the verb
    for (let t = u.length - 2; t > cue.to; t--) {
      if (u.normOf(t) !== 'to' || !u.isFree(t)) continue;
      const end = nameAfter(u, t + 1, () => false);
      if (end < 0) continue;
      const who = person(u, t + 1, end);
      mark(u, [cue, { from: t, to: end }]);
      return { tool: 'update_task', person: who };
    }
    // "give Ravi the GST task", "give me the bank task"
    const the = (i: number) => ['the', 'my', 'this', 'that'].includes(u.normOf(i));
    const end = nameAfter(u, cue.to, the);
    if (end > cue.to && the(end) && u.has(TASK_NOUN)) {
      const who = person(u, cue.to, end);
      mark(u, [cue, { from: cue.to, to: end }]);
      return { tool: 'update_task', person: who };
    }
  }
  return null;
}

/** "GST wala kaam Ravi ko de do", "Ravi ko GST ka task assign karo", "bank wala kaam mujhe de do". */
function giveHindi(u: Utterance): Assignment | null {
  for (const cue of u.find(GIVE_HINDI)) {
    const assigns = /assign|saunp|saump|hand/.test(cue.text);
    if (!assigns && !u.has(TASK_NOUN)) continue;
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
