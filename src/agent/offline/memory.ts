import { withoutTitleStops } from '../../domain/honorifics.ts';
import { analyseStatement, explicitStatement } from '../../domain/memory/extractor-offline.ts';
import type { ToolName } from '../tools/index.ts';
import { FOLLOW_UP_NOUN, reachAfter, readsAsName, TASK_NOUN, trimEdges } from './entities.ts';
import type { BuiltTool } from './intents.ts';
import { CALLBACK_ASKED, isQuestion, reachBackAt } from './intents.ts';
import {
  alt,
  CREATE_TASK_STRONG,
  INFINITIVE_HAI,
  LEADING_FILLERS,
  MUST_BE,
  PRONOUNS,
  TRAILING_FILLERS,
  words,
} from './lexicon.ts';
import type { Match, Utterance } from './utterance.ts';

/**
 * The offline model's understanding of memory: "remember (that) …", "yaad rakhna …" and plain statements
 * of a contact, a pattern or a preference ("Ramesh's number is …", "ABC Traders always pays late", "I
 * prefer reminders at 9am") → remember; "what is Ramesh's number", "Ramesh ka number kya hai", "what do you
 * know about X" → search_memory; "forget …", "… bhool jao" → forget.
 *
 * A "remember"/"yaad rakhna" that opens with "to" or a day ("remember to call …", "yaad rakhna kal GST
 * bharna hai") asks for a reminder, and is left to the task rules; any other keeps the time, number or
 * instruction it holds ("remember Mrs Kohli pays only after the 10th").
 */

const FORGET = words(
  alt([
    'forget',
    'forget about',
    'bhool jao',
    'bhool ja',
    'bhul jao',
    'bhul ja',
    'bhool jaana',
    'bhool jana',
    'bhool jaiye',
    'bhula do',
    'bhula de',
  ]),
);
const DONT_FORGET = words(
  alt([
    'dont forget',
    'do not forget',
    'dont let me forget',
    'bhoolna mat',
    'bhool mat',
    'mat bhoolna',
    'mat bhool',
  ]),
);

/** "what do you know about …", "kya yaad hai": asking what was remembered. */
const RECALL = words(
  alt([
    'what do you know about',
    'what do you remember about',
    'what did i tell you about',
    'what did i say about',
    'what have i told you about',
    // not "can you remember to call Mr Rao", a reminder
    'do you remember(?! to(?:\\s|$))',
    'you remember(?! to(?:\\s|$))',
    'remind me what',
    'recall',
    'kya yaad hai',
    'yaad hai kya',
    'kya pata hai',
    'ke baare mein kya yaad hai',
    'ke baare me kya yaad hai',
    'ke baare mein kya pata hai',
    'ke baare mein kya',
    'ke baare me kya',
  ]),
);
/** Words naming a contact detail: a question with one of these asks memory, not the task list. */
const DETAIL = words(
  alt([
    'number',
    'phone',
    'phone number',
    'mobile',
    'mobile number',
    'contact',
    'contact number',
    'whatsapp number',
    'email',
    'email id',
    'mail id',
    'address',
  ]),
);
/** Asking for something: a question word, or "tell me"/"batao"/"send". */
const ASKING = words(
  alt([
    'what',
    'whats',
    'what is',
    'which',
    'kya',
    'kya hai',
    'kaun sa',
    'kaunsa',
    'batao',
    'bata do',
    'bataiye',
    // "bata" asks, "bata diya" told: "…, usko bata diya"
    'bata(?!\\s+(?:diya|di|diye|chuka|chuke))',
    'tell me',
    'give me',
    'send me',
    'share',
    'bhejo',
    'bhej do',
    'do you have',
    'do you know',
    'know',
  ]),
);
const STRONG_CREATE = words(alt(CREATE_TASK_STRONG));
const CHORE = words(INFINITIVE_HAI);
/** A habit, not a one-off: "always wants a call before delivery". */
const HABIT = words('always|hamesha|every time|har baar|usually|never');
/**
 * How a standing fact about someone is said, as against a thing to do: "Mrs Iyer prefers WhatsApp", "Dr
 * Khan's clinic is closed on Sundays", "Mehta sahab ko subah call pasand hai", "Dr Rao ki clinic mangalvar
 * ko band rehti hai" ("hain" is folded to "hai"). A day in such a sentence is when the fact holds, not a
 * due date.
 */
const STANDING = words(
  alt([
    'prefers',
    'likes',
    'loves',
    'hates',
    'dislikes',
    'doesnt like',
    'does not like',
    'wants',
    'speaks',
    'lives',
    'works',
    'owns',
    'stays',
    'deals in',
    'supplies',
    'is closed',
    'are closed',
    'stays closed',
    'remains closed',
    'is open',
    'opens',
    'closes',
    'shuts',
    'is shut',
    'is based',
    'is allergic',
    'pasand hai',
    'pasand nahi',
    'pasand nahin',
    'pasand karte',
    'pasand karti',
    'pasand karta',
    'band rehti',
    'band rehta',
    'band rehte',
    'band hota',
    'band hoti',
    'khula rehta',
    'khuli rehti',
    'rehta hai',
    'rehti hai',
    'rehte hai',
    'hota hai',
    'hoti hai',
    'hote hai',
    'karta hai',
    'karti hai',
    'karte hai',
    'leta hai',
    'leti hai',
    'lete hai',
    'deta hai',
    'deti hai',
    'dete hai',
    'aata hai',
    'aati hai',
    'aate hai',
    // a detail that stays true: "Sharma ji ka GSTIN … hai", "Lata ji ka birthday 5 april ko hai"
    'gst number',
    'gst no',
    'gstin',
    'pan number',
    'pan no',
    'account number',
    'account no',
    'ifsc',
    'upi id',
    'birthday',
    'anniversary',
  ]),
);

const TO_BE_DONE = words(MUST_BE);
/**
 * What follows a verb said of someone, or a call that came: "email him", "phone kar dena", "phone karke", "phone
 * pe bata dena", "Goyal ka phone aaya".
 */
const doesIt = (w: string) =>
  PRONOUNS.en.includes(w) || /^kar/.test(w) || w === 'pe' || w === 'par' || CAME.has(w);
const CAME: ReadonlySet<string> = new Set(['aaya', 'aya', 'aayi', 'ayi', 'aaye']);

/** Words around what is asked for or to be forgotten, not part of it. */
const QUERY_FILLERS = new Set([
  ...LEADING_FILLERS,
  ...TRAILING_FILLERS,
  'what',
  'whats',
  'which',
  'is',
  'are',
  'was',
  'kya',
  'hai',
  'tha',
  'thi',
  'batao',
  'bata',
  'do',
  'dena',
  'de',
  'tell',
  'me',
  'give',
  'send',
  'share',
  'bhejo',
  'you',
  'know',
  'have',
  'about',
  'what i said about',
  'what i told you about',
  'everything about',
  'everything',
  'ke baare mein',
  'ke baare me',
  'ke baare',
  'baare mein',
  'wala',
  'wali',
  'it',
  'this',
  'that',
  'ko',
  'please',
  'pls',
  'again',
  'now',
  'ab',
  'told',
  'said',
  'mentioned',
  'all',
]);

export const MEMORY_TOOLS: ReadonlySet<ToolName> = new Set(['search_memory', 'remember', 'forget']);

/**
 * The message as typed, punctuation kept ("Gupta ji pays by cheque, never UPI"), from its first word past
 * a greeting the intent step set aside ("hi, remember …"); a title's full stop goes, as in every name.
 */
function textOf(u: Utterance): string {
  const first = u.tokens.find((_, i) => u.usedAs(i) !== 'filler');
  const text = first
    ? u.text
        .slice(first.at)
        .replace(/^[^\p{L}\p{N}]+/u, '')
        .trim()
    : '';
  return withoutTitleStops(text);
}

/** The message's words without their punctuation, past a greeting. */
const plainTextOf = (u: Utterance) =>
  u.raw(u.tokens.flatMap((_, i) => (u.usedAs(i) === 'filler' ? [] : [i])));

/** A remember the offline parser should make of this message, with its content, or null. */
function statementToKeep(u: Utterance): string | null {
  const text = textOf(u);
  // "remember …", "yaad rakhna …": kept as said, a time, a number or an instruction in it included
  // ("remember to …", "yaad rakhna ki kal …" ask for a reminder: see explicitStatement)
  const explicit = explicitStatement(text);
  if (explicit) return explicit;
  if (u.has(STRONG_CREATE) || u.has(FOLLOW_UP_NOUN) || u.endsWithQuestion) return null;
  // "Mehta ji wants the revised quote, call him tomorrow": what they want is why to reach them; "Mr D'Souza
  // wants a call back on monday": a call to return (not "always wants a call before delivery")
  if (reachBackAt(u) !== undefined || (u.has(CALLBACK_ASKED) && !u.has(HABIT))) return null;
  // read as typed, or with the punctuation aside ("Gupta ji pays by cheque, never UPI" is a pattern); the
  // content stays as typed
  const typed = analyseStatement(text);
  const c = typed.kind === 'fact' ? { ...analyseStatement(plainTextOf(u)), content: typed.content } : typed;
  // "I prefer reminders at 9am": what a preference is about may be a task word.
  if (c.kind === 'preference') return c.attribute !== null ? c.content : null;
  if (u.has(TASK_NOUN)) return null;
  // "Somvar tak Poddar ji ki dukaan ka insurance renew karwana hai": a chore said the Hinglish way, not a fact
  // about the shop (a number or an email given stays one)
  if (u.has(CHORE) && !(c.kind === 'contact' && c.attribute !== 'address')) return null;
  // "Karthik's no is 99400 11223, call him tomorrow 3pm", "Pradeep 88000 11223 wants a callback": the
  // number comes with a request to reach them
  const phoneAt = u.tokens.findIndex((t) => t.phone);
  if (phoneAt >= 0 && reachAfter(u, phoneAt)) return null;
  if (c.kind === 'contact' || c.kind === 'pattern') return c.content;
  // a standing fact about someone named ("Dr Khan's clinic is closed on Sundays"), not a request, nor a thing to
  // be done for them ("Adv Iyer's cards need to be reprinted, he wants them by saturday")
  const aboutSomeone = c.subject !== null && isQuestion(u) === false && !u.has(TO_BE_DONE);
  return aboutSomeone && u.has(STANDING) ? c.content : null;
}

/** Which memory tool a message asks for, if any. Runs before the task and follow-up rules. */
export function memoryIntent(u: Utterance): BuiltTool | null {
  if (u.has(FORGET) && !u.has(DONT_FORGET)) return 'forget';
  // "can you remember that Col Arora's flat is on the 4th floor?", "kya aap note kar lenge ki X ka GST number
  // … hai?": a cue asked as a question keeps what follows, it does not ask what is known
  const keeps = () => explicitStatement(textOf(u)) !== null;
  if (u.has(RECALL) && !keeps()) return 'search_memory';
  // "can you email Prof Ghosh the proofs?", "Rao ji ko phone kar dena …?": a detail word said as a verb, before
  // who or before its "kar", asks for nothing
  const asVerb = (m: Match) => !m.text.includes(' ') && (readsAsName(u, m.to) || doesIt(u.normOf(m.to)));
  const detail = u.find(DETAIL).some((m) => !asVerb(m));
  const asksDetail = detail && (u.has(ASKING) || u.endsWithQuestion) && u.phones().length === 0;
  if (asksDetail && !u.has(TASK_NOUN) && !u.has(FOLLOW_UP_NOUN) && !keeps()) return 'search_memory';
  if (statementToKeep(u)) return 'remember';
  return null;
}

/** The words left once the cue and fillers are out: what to look for, or which memory to drop. */
function subjectWords(u: Utterance, cues: RegExp[]): string {
  for (const cue of cues) u.takeAll(cue, 'cue');
  const fillers = new Set(QUERY_FILLERS);
  return u.raw(trimEdges(u, u.freeIndexes(), fillers, fillers));
}

export const MEMORY_BUILDERS = {
  remember(u: Utterance): Record<string, unknown> | null {
    const content = statementToKeep(u);
    if (!content) return null;
    // "Mr Bose's number is …": who it is about, honorific and all, as an LLM would pass it
    const subject = analyseStatement(content).subject;
    return subject ? { content, subject } : { content };
  },
  search_memory(u: Utterance): Record<string, unknown> | null {
    const query = subjectWords(u, [RECALL, ASKING]);
    return { query: query || textOf(u) };
  },
  forget(u: Utterance): Record<string, unknown> | null {
    const memory = subjectWords(u, [FORGET]);
    return memory ? { memory } : null;
  },
};
