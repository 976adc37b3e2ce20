import type { z } from 'zod';
import { CLAUSE_BREAK, isActionWord, termsOf } from '../../domain/lookup.ts';
import { explicitStatement } from '../../domain/memory/extractor-offline.ts';
import { type ToolName, toolArgs } from '../tools/index.ts';
import { BUILDERS } from './arguments.ts';
import { type DateContext, isGone, isNow, mentionsWhen } from './dates.ts';
import { clausedReference, namesSomeone } from './entities.ts';
import {
  type BuiltTool,
  detectIntent,
  givesNewDay,
  jobOfComingWorker,
  type MayMove,
  mayReportDone,
  mayReportInPart,
  movesOrHindered,
  PATTERNS,
  reportBeforeNextStep,
  SAYS,
  saysDone,
  saysItMoves,
  saysNotYetDone,
  tellsDone,
} from './intents.ts';
import { PAST_TENSE, THING_PRONOUNS } from './lexicon.ts';
import { Utterance } from './utterance.ts';

/**
 * The offline model's parser: one owner message (English or everyday Hinglish) → a tool call with
 * arguments that satisfy `toolArgs`, or help, a greeting, a business question (which no tool can answer
 * yet), or "unknown". It never guesses: when a message does not fit, the answer is `unknown` and the
 * caller says what it can do.
 *
 * Conventions (the evaluation set in test/eval/utterances.json follows them):
 * - "remind me to X at T" / "T baje yaad dilana X" → create_task { title X, due_at T, remind_at T }; so
 *   do "add / put a reminder (for me) to X", "make a task to X", asked as a question too.
 *   A reminder with a day but no time gets due_date only (no remind_at).
 * - A task with a day but no time → due_date only; with a time → due_at only.
 * - A follow-up with a day but no time → due_at 10:00 that day; with no day at all → tomorrow 10:00.
 * - A time with no day → the next time the clock shows it (today if still ahead, else tomorrow).
 * - subah/morning 09:00, dopahar/afternoon 14:00, noon 12:00, shaam/evening/eod/"din khatam hone tak"
 *   18:00, raat/night/tonight 21:00 — unless an hour is given: "shaam 6 baje" → 18:00, "tonight 8pm" →
 *   20:00, "this evening 5 pm" → 17:00.
 *   A bare hour ("5 baje", "at 4", in a deadline: "by 6", "till 7", "before 4", "6 tak", "4 se pehle", and
 *   one to start from: "after 6", "6 ke baad") follows shop hours: 1–7 → pm, 8–11 → am, 12 → noon.
 *   "saade 5" 5:30, "sawa 5" 5:15, "paune 5" 4:45 (with or without "baje"), "dedh baje" 13:30, "dhai
 *   baje" 14:30.
 * - "kal" = tomorrow, "parso" = the day after tomorrow, "aaj" = today; with a Hindi past tense after them
 *   ("kal aaye the", "kal order diya tha") "kal" is yesterday and "parso" the day before, and a day gone by
 *   is background to the day the request names, no due day when it is the only one;
 *   "agle hafte"/"next week" = next Monday, "next week tuesday"/"agle hafte mangal ko" that week's
 *   Tuesday; a weekday name (also "next friday", "agle somvar") = the next such day after today; "30
 *   tarikh"/"the 1st", a bare "28 ko" and a "27 tak" no hour could mean = the next such day of the month,
 *   today included; "dd/mm" is day first. "in 2 hours"/"2 ghante baad" = now + 2 h (to the minute); "in 3
 *   days"/"3 din baad" = that day (a date, no time). "kl" is "kal"; a Hindi weekday said short is a day
 *   with "tak" or with "ko" and a doing after it ("mangal ko karte hain"; "Mangal ko call karna" is a name);
 *   an arrow is "to" ("delivery → sat"); "since monday", "last minute" and an ordinal naming a class or a
 *   floor ("10th wala", "2nd floor") are no day ahead, nor is a period owning a thing ("last month's sales
 *   figures", "this week's orders") or a part of the day naming an event or a slot ("the mehndi night booking",
 *   "morning batch", "night shift").
 * - Priority: urgent/zaroori/jaldi/asap/turant → urgent; important/imp/high priority → high;
 *   low priority/no rush/"jaldi nahi" → low; otherwise left out.
 * - Follow-up channel: call/phone → call, whatsapp/msg/message → whatsapp, email/mail → email,
 *   visit/meet/milna/jaake → visit; otherwise left out (the tool defaults to call).
 * - Follow-up contact and subject: "with X", "X se/ko" name the contact; "about/regarding/re/for/on Y",
 *   "Y ke liye/ke baare mein/ka" the subject ("on" with a thing: "get back to Mr Sodhi on the laminate
 *   rates"); with no subject it is "Follow up with X". A phone number becomes contact_phone in E.164; the
 *   words before it name whose it is, its labels ("mob:", "uska no.") are neither. A call, message or visit
 *   to someone at a number, or with a purpose ("Sharma ji ko kal call karna payment ke liye", "ping Murugan
 *   anna regarding the rates", "call Smt Kamala Devi to confirm the pickup", "check with Bose babu if …", "…
 *   whatsapp karke bolna ki …"), is a follow-up
 *   without the words "follow up", after "remind me to" as well; a bare call at a time, and a role behind
 *   an article ("call the CA about ITR"), stay tasks. So is someone to reach with no channel said: money
 *   to collect ("Gupta sahab ka payment lena hai", "collect 15k from Imran bhai", "Naidu sir still owes 1.5
 *   lakh", "Sachdeva ji ke 12k abhi tak nahi aaye"; not when "remind me to" opens the message), a
 *   reminder for them, not me ("Rajesh bhaiya ko yaad dilana ki …", their number may stand before "ko"), a
 *   talk ("Mr Gill se baat karni hai", after a reminder too: "kya aap mujhe yaad dila denge ki Gill sahab se
 *   … baat karni hai?"), a check with a person ("Dr Fernandes se results check karna hai"), a message to
 *   pass on ("Rekha bhabhi ko bolna ki …"; with a deadline in it, "Ravi ko bolna hai ki kal tak …", it is
 *   Ravi's task), a question for them ("ask Nandini madam about the GST number"), a reminder meant for
 *   someone called with respect ("remind Gupta uncle to send the agreement"; "remind Anil to …" hands a
 *   member work), or a number with a request ("Karthik's no is …, call him …"); "X ka payment" with X a
 *   name is X's follow-up about the payment.
 *   Word to pass on is a follow-up whatever state or change it names ("tell Mrs Kapoor that her order is
 *   ready", "inform Sharma ji about the delay", "let Dr Rao know …", "remind Mr Shah that …", "bata dena
 *   Kapoor ji ko ki …", and a reach opening the message with a statement after who: "whatsapp Mr Rao, the
 *   quotation is ready", "Naidu ji ko whatsapp kar dena, order ready hai", or the news first: "the cake is
 *   ready, tell Lobo aunty", "tiles aa gaye, Yadav bhaiya ko parso bata dena"), never a completion nor a
 *   business question; so is something settled with someone ("confirm the rates with Mr Shah", "Shah ji se
 *   rates pakka karne hain"), and a reach back to someone named by a pronoun ("Pereira aunty asked for the
 *   rates, call her back tomorrow", "Verma ji ka order late hai, unko kal call karna", "Mrs Bhatt's lehenga
 *   is stitched, tell her tomorrow", "…, confirm the rates with her": Pereira aunty, Verma ji, Mrs Bhatt),
 *   and a call asked for after the news ("the quotation is ready, call Mr Rao at 4", "stock aa gaya, Sharma
 *   ji ko kal call karna"), the news what it is about; a day said in the news is when it came about, the
 *   request's own day when to reach them ("the brochures came in today, let Kapoor sir know tomorrow at 3").
 *   Who ends where an article opens what is sent ("whatsapp Mrs Lobo the catering quote"), and a help word
 *   in such a request asks no help ("… about the party menu"). What a follow-up is about ends where a next
 *   chore begins ("… about the rates and then pack the order"); the "back" of a call returned is no part of
 *   it. A request asked as a question ("can you tell …?", "kya tum … yaad dila doge?", "… call kar sakte
 *   ho?", "kya aap … bhej denge?") is one, the Hinglish verb read as the plain request ("kar dena"); a
 *   follow-up moved that finds none moves the task of that name (model.ts).
 * - A delete verb that also takes a thing away (remove, drop, discard, "hata do", "nikal do"), said with a
 *   day, a time or a place and no task named as one, is a chore: "remove the old signboard at Shetty anna's
 *   shop on saturday" is a task titled as said; "remove the AC task", "rent wala reminder hata do" delete.
 *   So is a "cancel" of a booking, a ticket, an order, an appointment ("cancel the hotel booking and rebook
 *   for Sunday", "Mr Shah ka order cancel karke naya bhejna hai"); "cancel my reminder for the bank" deletes.
 * - Words that only open a message ("ok one thing,", "acha sun,", "and btw,", "one more thing -", and with no
 *   stop "ok so", "haan toh woh", "so the thing is", "acha ek baat", "ek kaam karo") are set aside like a
 *   greeting: they are no part of a title, a name or a remembered fact (nor is a forwarded message's "Fwd:"),
 *   and so is a polite "zara" wherever it stands (an emoji ends a clause as a stop does). So is a last clause
 *   that only restates the doing with its deadline ("…, do it by thursday", "…, kar dena friday tak", "…, ho
 *   jana chahiye monday tak"). A last clause doing the thing named before it to a pronoun has the thing in
 *   the pronoun's place ("Mehta ji's order, deliver it by friday" → "Deliver Mehta ji's order"; "GST file,
 *   ise monday tak submit karna" → "GST file submit karna"). A story told first, then in a sentence of its
 *   own a chore with its time ("Mrs. Banerjee came in and liked the samples. Set aside 4 lehengas for Mrs.
 *   Banerjee by tuesday"), is set aside too: no fact to remember, no part of the title, its day no due day.
 * - A standing fact about someone named ("Dr Khan's clinic is closed on Sundays", "Mehta sahab ko subah
 *   call pasand hai") is remembered, its day part of the fact. So is a statement given with a memory cue
 *   ("remember …", "note that …", "pls note …", "for future reference, …", "FYI", "just so you know", "heads
 *   up:", "…, yaad rakhna", "…, dhyan rakhna", "…, note it down (for future)", after an emoji: "X 📲 pls yaad
 *   rakhna", or between commas in the middle: "X, please note, Y"), whatever time, number or instruction it
 *   holds; its content is the fact without the opener, the cue, a "that"/"ki" after it and any emoji. A cue
 *   after a dash ("X hai — yaad rakhna"), "save kar lo", and a cue asked as a question with its "that"/"ki"
 *   ("can you remember that X?", "kya aap yaad rakh sakte ho ki X?", "note kar loge ki X?") are cues too
 *   ("can you remember Rao ji's number?" asks what is known). Writing a thing down by a time ("note kar
 *   lena meter reading 6 tak") is a chore, as "note down …" is. A Hinglish chore ("Somvar tak Poddar ji ki
 *   dukaan ka insurance renew karwana hai", "Bansal ji ki dukaan ke liye tiles bhejne hain") is no fact,
 *   whatever place it names, nor is a thing to be done for someone ("X's cards need to be reprinted").
 * - Titles keep the user's words (and capitalisation) minus the scheduling words and the little words
 *   tying them in ("on", "by", "ko", "tak"), cue phrases ("remind me to", "add task", "yaad dilana ki"),
 *   priority words, leading fillers ("please", "mujhe", "the") and a trailing "hai"; a reminder's words go
 *   with the ka/ki/ke tying the chore to them, its oblique infinitive made plain ("mujhe reminder bhej dena
 *   kal bank jaane ka" → "bank jaana", "stock check ka reminder laga do" → "stock check"). Verbs stay:
 *   "kal GST file karna hai" → "GST file karna", "order pack karo" → "order pack karo".
 * - References to an existing task or follow-up are the user's words naming it without the command verb
 *   (delete, move, mark, done, "ho gaya", "kar diya"), the noun ("task", "kaam", "follow up") and edge
 *   particles ("wala", "ka", "ko", "the"): "bank wala task hata do" → "bank". A verb that says what was
 *   done stays, since it tells which task: "quotation bhej diya" → "quotation bhej" (the naming's
 *   glossary knows "bhej"; an unknown verb before diya/liya goes), "deposited all the cheques" → as said.
 *   The tools find the task by stems and a Hindi↔English glossary (src/domain/lookup.ts), forgiving words
 *   the owner adds around the name ("…, working fine now") and a slip in a long word ("manger"), and ask
 *   which when two match about equally. A report's reference keeps its clauses apart ("stabilizer aa gaya
 *   fridge wala, lag bhi gaya" → "stabilizer fridge wala, lag"): when the whole names no task, each clause is
 *   tried alone and must name one in full; clauses naming different tasks ask which. When even that finds
 *   none, the message is read whole for the open task it mentions (`match: 'mentioned'`, `tries`): a report
 *   told in words of the owner's own completes it ("Surat cotton consignment left the godown this morning"
 *   for "Dispatch 20 thaans of cotton to Surat"; "brake pads reached Sharma Motors, their mechanic signed
 *   the challan": only a clause telling of a thing done names it), a move with its reason moves it ("AC
 *   service guy cant come today, make it saturday" for "Book AC service"; only the clauses sharing a word
 *   with the request's own or saying the day name it), and so does a day given with a reason ("aaj bank ki
 *   chhutti hai, cheque jama parso karenge") or said to be a thing's new one ("the Surat trip shifts to
 *   sunday"). Nothing turned around, put off, called off, gone wrong or passed on as someone's word ever
 *   reports one, nor a message asking, setting a day ahead or saying what will be; no question, nothing
 *   called off and no day that only tells what happened or stands where the reason is moves one.
 * - Done: a done word ("done", "ho gaya", "bhej diya", "complete" at a clause end) not turned around ("not
 *   done", "nahi hua", "to be done", "khatam karna"), or an English past tense opening the message ("paid the
 *   staff") or closing what it names ("power bill paid", "quotation sent to Kapoor", "signboard is fixed now",
 *   "insurance renewed finally 👍", "wrapped up"); with no day said, also a perfect tense ("the CA has received
 *   the documents") or a past tense after a short subject ("Arora gave the cheque"), not one saying what a thing
 *   is ("… for the fertiliser he took on credit"). A state says it too: "taken care of", "gone out", "on its
 *   way", "is here", "up to date", "is live", "is through", "working again", a thing working again ("running
 *   fine again", "thanda karne laga") or back ("went back to the Jaquar guy", "back from the HUID centre"); so
 *   does a tick ("rent ✅") and a Hindi "gone, done and back" ("car service ke liye chhod aaya", "cheque jama
 *   kar aayi", "mistri compressor badal ke gaya"); a glossary verb's
 *   past tense typed with a slip ("renewd", "deliverd") is one. A thing to get done ("get the photocopy done of
 *   …") is none, nor is anything said with a day or time ahead and a deferral (a reschedule word, "do it", "baad
 *   mein", a last clause saying to do it then): "expired stock return to mankind - do it monday instead" moves
 *   the task, never completes it. Nor is a thing called off ("order cancel kar diya", "the booking got
 *   cancelled"), more time asked for ("tenant asked for time"), trouble ("the AC conked out again"; a broken
 *   thing named, "fixed the broken link", is no trouble told), a refusal ("tent wale ne mana kar diya") or a
 *   thing only part done or begun ("aadhi ho gayi, baaki kal tak", "kaam shuru kar diya"): neither completes
 *   nor deletes. A mend told another way finishes a repair or a service ("technician fixed the oven" is "Get
 *   oven serviced", "compressor badal diya" "compressor theek karwana"). A thing told as done that names no open task
 *   adds none, and the reply says it could not tell which task was meant. Someone's word
 *   about what will be, closing the message with nothing asked ("Rohit said his payment will come on monday",
 *   "Mehra ji bole payment somvar tak aa jayega"), is news: no task. A report's day that is today or a part of
 *   today already begun ("delivered this morning, …"), or an hour gone by today ("mailed it to him at 9"), is
 *   when it came about, and a past tense closing its clause before such words still reports it.
 * - Reschedule: move/shift/push/postpone/prepone/delay/change/bump/extend, "aage badha do", "kal pe daal do",
 *   "sunday pe dal do", "taal do", "khiska do", "can wait till", "… instead", "prepone karke …", a plain "kar
 *   do"/"rakh do"/"rakh lo" or a "we will" ("bhejenge") right after the new time ("meeting ko 6 baje kar
 *   do"; not someone's word of what they will do then, "fees agle hafte denge bole"), "abhi nahi" or a day
 *   taken back ("kal nahi parso", "friday instead of today", "aaj nahi ho payega, kal"), with a day or time,
 *   whatever the task is about ("GST filing parso tak khiska do"). With two days said, one tied to a thing by
 *   "ka/ki/ke" names the task ("kal ki meeting parso kar do": the meeting set for tomorrow, moved to the day
 *   after). A day said in a clause saying it cannot be gives way to the day of
 *   a later clause ("can't take the demo class today, reschedule it to thursday"). A request that names
 *   nothing of its own points back at the clauses before it, not at a reason after ("Khurana meeting: make it
 *   next wednesday, he is out of town" → "Khurana meeting"); when the clauses around a move's own words name
 *   no task, the clauses telling whose it is join them ("ok so reddy called just now, …, the kitchen
 *   installation we have to postpone"), never a reason's thing ("the cement order: push it to monday, the
 *   truck driver is sick" moves no "Call truck driver"). A chore said as a plan for a day ("singh sahab
 *   wali printing kal karte hain", "kal safai karwa lo", "we will place the paper order on 1st april") moves
 *   the open task it names in full, and is added when it names none (model.ts); so does an open task named
 *   in full with a day and nothing else ("PTM batch B → sat 11am", "ankit wala motherboard parso tak"), or the
 *   job named by its thing ("mandi wala kaam parso"). A worker's word of when they will come ("freezer wala
 *   mistri … guruvar 10 baje aayega"; named by the job alone, "shutter wala ab shukravar ko aayega", it is
 *   that job's), someone's word of when they will bring what the job needs ("mrs das bol rahi billi ko
 *   shukravar 6 baje layengi"), a thing that was to be ("milna tha aaj, … kal shaam 6 baje": the day
 *   it was to be names it), a thing brought forward ("ek din pehle kar diya") and a date a thing was set to
 *   ("visa appt 3 april ho gaya") move it and complete nothing. A day
 *   said in a reason's clause gives way to one said elsewhere ("half the nurses are on leave today …,
 *   tomorrow 4pm works"); nothing moves to a time already gone, nor by a question ("?" anywhere). A shift "by
 *   2 days"/"2 din aage" counts from today. A part to change is a chore, not a time moved: "car ka oil
 *   change karwana hai", "back cover change karna", "needs a battery change" (but "date change karni hai"
 *   moves it).
 * - Snooze for a span ("for 2 hours", "1 ghante ke liye", "2 ghante baad") → minutes; to a moment
 *   ("till tomorrow", "kal tak", "to monday 11am") → until (10:00 when no time); neither → both left out.
 * - complete_follow_up: the words after the first clause break (or after "done"/"ho gaya") are the outcome.
 *   A completion that finds nothing of its kind is tried once as the other (model.ts).
 * - Lists carry only the filters the user said: "pending"/"left"/"baaki"/"not done" → open (tasks) /
 *   pending (follow-ups), "done/completed/ho gaye" → done, "all/saare" → all; today/tomorrow/overdue/this
 *   week; for follow-ups "tomorrow"/"upcoming"/"aane wale" → upcoming; leftover content words → q (in a
 *   question, only words tied to the list: "GST wale", "tasks about GST", a name or code).
 * - A question with nothing but the open tasks or a day in it lists the tasks ("what is left?", "kal kya
 *   kya karna hai?"); about today with no task word it is my_day ("aaj mere paas kya kya hai?"), and so
 *   are the plan asked with no day ("what's the plan?") and today's plan named bare ("aaj ka routine").
 * - A story told in several clauses with nothing asked (no cue, need, request or chore; a thing done or
 *   someone's word in it: "Went to KV today to sort out the cheque but the principal says …") adds no task;
 *   what it says of an open one is tried first, and a request after a story is still one.
 * - News of a thing not done or gone wrong that asks for nothing and gives no day for what is to be
 *   ("couldn't unload the Agra truck today, labour didn't turn up", "ITR aaj file nahi ho paya", "inverter kal
 *   raat jal gaya"), of someone who cannot come ("paneer machine wala aaj nahi aa payega") or of a thing only
 *   part done ("aadhi ho gayi, baaki kal tak") is a setback: no task is added or changed, and the reply says
 *   so. So is news of how things stand or stood with a day of its own ("aaj mandi me gulab mehnga tha", "aaj
 *   market band hai, bharat bandh").
 * - A question about the business's numbers (sales, dues, balances, collections, GST, stock, customers,
 *   how much of a thing is left: "cement ke kitne bag bache hain") is business_question: never a task or
 *   follow-up; a question to put to someone is none ("Smt Kaur se puchna ki … payment kab tak aayega" is a
 *   follow-up). A thing that must be done to them is a chore ("Mr Pillai's invoice has to be sent by monday",
 *   "the statement needs to be emailed tomorrow").
 * - Honorifics (src/domain/honorifics.ts) stay with the name: "Dr Menon", "Bhatia ji", "Kishore bhai",
 *   designations said as titles ("Adv. Bhasin", "Col. Bhandari", "Capt.", "Maj.", "Lt.", "Brig.", "Er.",
 *   "Sh.", "Justice") and the regions' words of respect ("Sunita tai", "Gill paaji", "Ratan da", "Mitra
 *   boudi", "Gupta bhaisaab"); a title's full stop is left out of names, titles and remembered content alike
 *   ("Dr. Menon" → "Dr Menon", the earlier sets' labels), while remembered content keeps the rest of its
 *   punctuation ("Dr (Mrs.) Vaidya", a remembered subject too). A name may hold an apostrophe ("D'Souza",
 *   "D'silva"), and initials typed apart or together ("Mr. K. R. Nair", "S.P. Agarwal ji").
 */

/** A call the message may mean. */
export interface Reading {
  tool: ToolName;
  args: Record<string, unknown>;
}

/**
 * Every reading of a message, the most likely first: the model makes the first call, and each next one only
 * while the calls before it found no open record (model.ts). Later readings are worked out only when asked
 * for, so a message whose first call finds its record costs no more than that reading.
 */
export type Readings = () => Iterable<Reading>;

export type ParsedIntent =
  | { kind: 'tool'; tool: ToolName; args: Record<string, unknown>; tries: Readings }
  | { kind: 'help' }
  | { kind: 'greeting' }
  | { kind: 'business_question' }
  | { kind: 'setback' }
  | { kind: 'unknown'; tries?: Readings };

export type ParseOptions = DateContext;

export function parseUtterance(text: string, opts: ParseOptions): ParsedIntent {
  const u = new Utterance(text);
  const intent = detectIntent(u, opts);
  // "brake pads reached Sharma Motors, their mechanic signed the challan": no request the parser knows, but
  // maybe an open task reported done in words of the owner's own
  if (intent.kind === 'unknown') {
    // "quote gone to malhotra sir on email. he said he'll revert by evening": what comes next is their answer
    const told = reportBeforeNextStep(new Utterance(text), opts);
    const report = told === undefined ? undefined : detectIntent(new Utterance(told), opts);
    const answerAwaited =
      told !== undefined && REPLY_TO_COME.test(text) && !REPLY_TO_COME.test(told) && report?.kind === 'tool';
    // "fogging over, secretary signed the job card. invoice i will send later": a report, then what comes next
    const reportFirst = told !== undefined && !answerAwaited && mayReportDone(new Utterance(told), opts);
    const guesses = [
      ...((answerAwaited && report.tool === 'complete_task') || reportFirst
        ? [mentionedDone(told, opts)]
        : []),
      ...newDay(text, opts),
      ...(mayReportDone(new Utterance(text), opts) ? [mentionedDone(text, opts)] : []),
    ];
    return guesses.length > 0 ? { kind: 'unknown', tries: () => guesses.values() } : intent;
  }
  if (intent.kind !== 'tool') return intent;
  const built = build(u, intent.tool, opts);
  if (built.kind !== 'tool') return built;
  const main = { tool: built.tool, args: built.args };
  return { ...built, tries: () => triesOf(main, { text, u, mayMove: intent.mayMove, opts }) };
}

/** The `n`th reading of a message (0 its first), or none. */
export function nthReading(tries: Readings | undefined, n: number): Reading | undefined {
  if (!tries) return undefined;
  let k = 0;
  for (const reading of tries()) if (k++ === n) return reading;
  return undefined;
}

/** A message as said and as the parser read it. */
interface Said {
  text: string;
  u: Utterance;
  mayMove: MayMove | undefined;
  opts: ParseOptions;
}

/**
 * The readings of a message whose first reading is `main`, in the order the model tries them. A completion
 * that finds nothing of one kind is tried on the other ("spoke to Ramesh" when what is open is the task "Call
 * Ramesh", "Ramesh ko call kar diya" when it is a follow-up), then as a report of whatever open task the
 * whole message mentions ("finally!! bosch took back the faulty drill, credit note given"); a move that names
 * no task moves the one the message mentions ("client is out of town so postpone the Leela lawns visit to
 * monday"); a follow-up snoozed to a day that finds none moves the task of that name ("push the Holi order
 * follow up to friday"). A new task that may be an open one is tried as that first (`newTaskTries`), and so
 * is a story told with no cue to remember it.
 */
function* triesOf(main: Reading, said: Said): Generator<Reading, void, undefined> {
  const { text, opts } = said;
  const { tool, args } = main;
  if (tool === 'create_task') return yield* newTaskTries(main, said);
  if (tool === 'remember' && explicitStatement(text) === null) {
    // "Neha wants her home facial at 4:30 pm today instead": a planned thing's new day; "Took Desai sir
    // around the andheri 2bhk, he liked it": a story of a thing done, not a fact given to keep
    yield* newDay(text, opts);
    if (mayReportDone(new Utterance(text), opts)) yield mentionedDone(text, opts);
    return yield main;
  }
  yield main;
  if (tool === 'complete_task' || tool === 'complete_follow_up') {
    yield tool === 'complete_task'
      ? { tool: 'complete_follow_up', args: { follow_up: args.task } }
      : { tool: 'complete_task', args: { task: args.follow_up } };
    // "cement ki bori aa gayi, ret abhi nahi aayi", "Gupta ji ki party postpone ho gayi": nothing looked for loosely
    if (mayReportInPart(text, opts)) yield mentionedDone(text, opts);
    return;
  }
  // "Royal Orchid ka bill ban gaya hai, GST ke saath. kal bhej denge": what comes next, when it names no open
  // task, is news beside the report before it
  const told = tool === 'update_task' ? reportBeforeNextStep(new Utterance(text), opts) : undefined;
  if (told) yield mentionedDone(told, opts);
  const due = dueOf(args, opts);
  if (tool === 'update_task' && args.match === undefined && due && givesNewDay(new Utterance(text), opts)) {
    // the clauses around the reference and those saying the day ("haldi decor ab 29 tarikh ko hai, pooja ji ne
    // date change kr di"), first with the clauses saying whose it is ("ok so reddy called just now, …, the
    // kitchen installation we have to postpone"; two people's assessments are open, so "Pooja called, her
    // assessment can't be tomorrow, …" asks which only when Pooja's is not found), or when the reference names
    // no thing, the whole message; never a reason's thing ("the cement order: push it to monday, the truck
    // driver is sick")
    const saysDay = (clause: string) => mentionsWhen(new Utterance(clause), opts);
    const around = aroundReference(text, args.task, saysDay);
    yield* workersJob(new Utterance(text), due);
    const namesNothing = termsOf(String(args.task ?? '')).every((t) => t.acts);
    const whose = namesNothing
      ? text
      : aroundReference(text, args.task, (c) => saysDay(c) || tellsOfSomeone(c));
    if (whose !== around) yield mentionedMove(whose, due);
    yield mentionedMove(around, due);
  }
  if (tool === 'snooze_follow_up' && args.until !== undefined) {
    const moved = parseAs(text, 'update_task', opts);
    if (moved.kind === 'tool' && moved.args.task !== undefined) yield* moved.tries();
  }
}

/**
 * The clauses of a move that share a word with the task its first reading named: "the cement order: push it
 * to monday, the truck driver is sick" → "the cement order: push it to monday". A reason beside the request
 * mentions other things, which name no task of the request's; with no clause sharing one, all of it.
 */
function aroundReference(text: string, reference: unknown, alsoKeep = (_clause: string) => false): string {
  const named = new Set(termsOf(String(reference ?? '')).map((t) => t.sound));
  const shares = (c: string) => termsOf(c).some((t) => named.has(t.sound));
  const clauses = text.split(CLAUSE_BREAK);
  if (!clauses.some(shares)) return text;
  return clauses.filter((c) => shares(c) || alsoKeep(c)).join(', ');
}

/** Someone's call: "reddy called just now", "Gupta ji ka phone aaya". */
const CALLED = /(?:^|\s)(?:called|phoned|ka (?:phone|call) aaya|ne (?:call|phone) kiya)(?:\s|$)/i;
/** A clause telling of someone: who it names (`namesSomeone`), or their call. */
const tellsOfSomeone = (clause: string) => {
  const u = new Utterance(clause);
  return CALLED.test(clause) || namesSomeone(u, u.freeIndexes());
};

/**
 * The open task a message reports done, however it words it (`match: 'mentioned'`), named in a clause that
 * tells of a thing done: in "Infosys admin called, they want their logo sticker on the kaju katli boxes" the
 * boxes are news, not a report.
 */
function mentionedDone(text: string, opts: ParseOptions): Reading {
  const clauses = text.split(CLAUSE_BREAK);
  // "told him the remaining grills need another week": what is still to come is no report
  const told = clauses.map(
    (c) => !NEEDS_MORE.test(c) && (tellsDone(new Utterance(c), opts) || READY.test(c)),
  );
  const reports = clauses.flatMap((c, k) => {
    if (NEEDS_MORE.test(c)) return [];
    // "…, abhi banaya nahi hai": a thing not done yet, for the lookup to set its record aside
    if (saysNotYetDone(new Utterance(c))) return [c];
    // "AC wala aaya tha, gas bhar di …": who came to do it, before the report, says whose job it was
    if (!told[k]) return WORKER_CAME.test(c) && namesThing(c) && told[k + 1] === true ? [c] : [];
    // a report naming no thing of its own (how and when it went aside) points back at the clause before it: "Dr
    // Khanna has the xray report now, mailed it to him at 9", "Bansal sir has the quote, sent it on whatsapp"
    const before = clauses[k - 1];
    return before !== undefined && !namesThing(c.replace(HOW_AND_WHEN, ' ')) ? [before, c] : [c];
  });
  return {
    tool: 'complete_task',
    args: { task: [...new Set(reports)].join(', ') || text, match: 'mentioned' },
  };
}

/** A worker come, named by the job: "AC wala aaya tha", "the geyser guy came" (not "mistri aaya tha"). */
const WORKER_CAME = /(?:^|\s)(?:wala|wale|guy|mechanic|technician)\s+(?:aaya|aayi|aaye|aya|came)(?:\s|$)/i;

/** An answer someone will give: "he'll revert by evening", "kal tak batayenge". */
const REPLY_TO_COME =
  /(?:^|\s)(?:revert|reply|respond|get back|let (?:us|me) know|confirm|batayenge|bataenge|bata denge|bata dega|bata degi|jawab denge)(?:\s|$)/i;

/** More time a thing needs: "need another week", "do din aur lagenge". */
const NEEDS_MORE =
  /(?:^|\s)(?:needs?|will take|takes?)\s+(?:another|one more|some more|a few more|\d+ more|more)(?:\s+\S+)?\s+(?:days?|weeks?|hours?|time)(?:\s|$)|(?:^|\s)(?:din|hafta|hafte|time)\s+aur\s+(?:lagega|lagenge|lagegi|chahiye)(?:\s|$)/i;

/** "the job about X": "mandi wala kaam", "Bansal ka kaam", "fssai thing". */
const JOB = /(?:^|\s)(?:(?:wala|wali|wale|ka|ki|ke)\s+kaam|thing|matter|stuff)$/i;

/** A thing made ready, beside the report: "Gupta wedding katli ready, 15 kilo packed". */
const READY = /(?:^|\s)(?:ready|taiyaar|taiyar|tayyar)(?:\s|$)/i;

/** How and when a thing was sent, which names no thing: "on whatsapp", "an hour back". */
const HOW_AND_WHEN =
  /(?:^|\s)(?:(?:on|by|via|over)\s+(?:whatsapp|email|mail|sms|phone)|(?:an?|\d+|few)\s+(?:mins?|minutes|hours?|hrs?|days?)\s+(?:back|ago))(?=\s|$)/gi;

/** Whether words name a thing, not only a doing, a pronoun or a number. */
const namesThing = (words: string) => termsOf(words).some((t) => !t.acts && !/^\d+$/.test(t.stem));

/**
 * A message the parser read as no move that still gives a planned thing a new day: a move word ("…
 * instead", "shift …") or a reason beside the day (`saysItMoves`). It moves the open task it mentions.
 */
function newDay(text: string, opts: ParseOptions): Reading[] {
  if (!saysItMoves(new Utterance(text), opts)) return [];
  const moved = parseAs(text, 'update_task', opts);
  const due = moved.kind === 'tool' ? dueOf(moved.args, opts) : undefined;
  return due ? [mentionedMove(text, due)] : [];
}

/** The job of a worker who says when they will come ("shutter wala ab shukravar ko aayega"), moved to `due`. */
function* workersJob(u: Utterance, due: Record<string, unknown>): Generator<Reading, void, undefined> {
  const job = jobOfComingWorker(u);
  if (job) yield { tool: 'update_task', args: { task: job, ...due } };
}

/** The open task a whole message mentions, moved to `due`. */
const mentionedMove = (text: string, due: Record<string, unknown>): Reading => ({
  tool: 'update_task',
  args: { ...due, task: text, match: 'mentioned' },
});

/**
 * A new task that may be an open one: said again with its day, it moves the open one (`openTaskReading`,
 * `moveAsSaid`, `clauseNamingTask`); put off from a day that cannot be, or given a day with a reason, it
 * moves whichever open task the message mentions; told as a thing done ("Surat cotton consignment left the
 * godown this morning"), it reports the open one the message mentions done. The task is added when none is found.
 */
function* newTaskTries(main: Reading, said: Said): Generator<Reading, void, undefined> {
  const { text, u, mayMove, opts } = said;
  // the message as said, the parser's marks on `u` aside
  const plain = new Utterance(text);
  // "remind me to …", "add task …": asked for as a new task, so no other open task is looked for
  const asked = plain.has(PATTERNS.strongCreate);
  // "faulty diverter went back to the Jaquar guy today", "mailed it to him at 9": a thing told as done is no new
  // task nor a move, found or not, unless a request follows it ("Mrs Rao came in today and liked the cotton
  // sarees. Keep 3 aside for her by saturday")
  if (!asked && mayReportDone(plain, opts)) {
    yield mentionedDone(text, opts);
    if (!text.split(CLAUSE_BREAK).some(opensWithRequest)) return;
  }
  // "Picked up the expired stock from Patel Medical this morning, … Will sort it tmrw": a plan for a thing
  // only pointed at, after a report, is what comes next of the thing reported
  const story = asked ? undefined : storyBeforePlan(text, opts);
  if (story) yield mentionedDone(story, opts);
  // "can't go today, will get the lights tomorrow", "Painters are still working at Gupta's office, so the fans
  // can go up on 1st April", "Only got train tickets for sunday, so the Surat trip shifts to sunday": a day
  // given with a reason, or said to be a thing's new one, is more likely a planned thing's new day
  const moves = (mayMove === 'putOff' || movesOrHindered(plain)) && givesNewDay(plain, opts);
  const first =
    mayMove === 'planned' || mayMove === 'putOff'
      ? moveAsSaid(text, mayMove, opts)
      : (openTaskReading(main.args, mayMove === 'restated', !moves, opts) ??
        (asked ? undefined : clauseNamingTask(u, main.args, opts)));
  if (first) yield first;
  // "Packed Gupta ji's order, 12 boxes kept at the counter. His son will collect it in the evening": what comes
  // next, when it names no open task, is news beside the report
  const told = asked ? undefined : reportBeforeNextStep(plain, opts);
  if (told) yield mentionedDone(told, opts);
  const due = dueOf(main.args, opts);
  // "PTM batch B → sat 11am pls", "ankit wala motherboard parso tak": an open task named in full with a day,
  // and nothing else said, is that task moved, not a second one added (work handed to someone is new work;
  // a doing alone, "he'll collect in the evening", names no task)
  const title = String(main.args.title);
  const namesOnlyIt = () => !title.includes(',') && termsOf(title).some((t) => !t.acts);
  if (due && !asked && main.args.assignee === undefined && first?.args.match !== 'whole' && namesOnlyIt())
    // "mandi wala kaam parso": the job about a thing, named by the thing alone
    yield {
      tool: 'update_task',
      args: JOB.test(title)
        ? { task: title.replace(JOB, ''), ...due }
        : { task: title, match: 'whole', ...due },
    };
  if (due && !asked && moves) {
    yield* workersJob(plain, due);
    yield mentionedMove(text, due);
  }
  if (!tellsStory(plain, title, opts)) yield main;
}

/** The most words of a title made with no word asking for a task, before it reads as a story told. */
const STORY_AT = 8;

/**
 * A story told, with nothing asked ("Went to KV today to sort out the cheque but the principal says …", "aaj
 * press mein bahut rush hai, 3 naye order aaye"): several clauses and a long title, a thing done or someone's
 * word in it, and no cue, need, request or chore ("… liked the blue shirts. Pack 10 blue shirts for him by
 * friday", "… 10 than kapda ready rakhna, parso tak"). It adds no task; what it says of an open one was tried
 * before.
 */
function tellsStory(u: Utterance, title: string, opts: ParseOptions): boolean {
  if (u.has(PATTERNS.strongCreate) || u.has(PATTERNS.weakCreate) || ASKED_TO_DO.test(u.text)) return false;
  const clauses = u.text.split(CLAUSE_BREAK);
  if (clauses.length < 2 || title.split(/\s+/).length < STORY_AT) return false;
  if (clauses.some(opensWithRequest)) return false;
  return (
    tellsDone(u, opts) || u.has(SAYS) || CALLED.test(u.text) || clauses.some((c) => PAST.has(firstWord(c)))
  );
}

const firstWord = (clause: string) => clause.trim().toLowerCase().split(/\s+/)[0] ?? '';

/** A Hindi request or chore: "pack karo", "ready rakhna", "bhej dena", "renew karwana". */
const ASKED_TO_DO =
  /(?:^|\s)(?:karo|kar do|kar dena|karna|karni|karwana|karwani|karwa do|rakhna|rakho|rakh do|bhejo|bhejna|bhej do|bhej dena|de do|dena|lao|le aana|banao|bana do|banana|kijiye|dijiye|bhejiye|rakhiye|lijiye|karwaiye|bhijwaiye)(?:\s|$)/i;

/** A clause opening with a verb's plain form, a request: "Pack 10 blue shirts …", "print the final proofs …". */
function opensWithRequest(clause: string): boolean {
  const first = firstWord(clause);
  return (isActionWord(first) || ASKING_VERBS.has(first)) && !/(?:ed|ing|s)$/.test(first) && !PAST.has(first);
}
const ASKING_VERBS: ReadonlySet<string> = new Set(
  'book load set get pack keep put take bring check'.split(' '),
);
/** A past tense, and the ones that tell a story but no thing done ("went", "said", "saw"). */
const PAST: ReadonlySet<string> = new Set([...PAST_TENSE, ...'went said left spoke saw'.split(' ')]);

const POINTED_AT: ReadonlySet<string> = new Set([...THING_PRONOUNS.en, ...THING_PRONOUNS.hi]);
/** A plan that only points at its thing is short: "will inspect them on friday", "kal usko check karenge". */
const PLAN_WORDS = 6;

/**
 * The clauses before a plan for a day ahead that names no thing, or only points at one ("will sort it
 * tomorrow"), when they report a thing done; otherwise undefined.
 */
function storyBeforePlan(text: string, opts: ParseOptions): string | undefined {
  const clauses = text.split(CLAUSE_BREAK);
  const ahead = (c: string) => mentionsWhen(new Utterance(c), opts) && !tellsDone(new Utterance(c), opts);
  const plans = clauses.filter(ahead);
  const [plan] = plans;
  if (plans.length !== 1 || plan === undefined) return undefined;
  const words = plan.toLowerCase().trim().split(/\s+/);
  const pointsBack = words.some((w) => POINTED_AT.has(w));
  if (words.length > PLAN_WORDS || (namesThing(plan) && !pointsBack)) return undefined;
  const story = clauses.filter((c) => c !== plan).join(', ');
  return story && mayReportDone(new Utterance(story), opts) ? story : undefined;
}

/**
 * A task with a day said beside a reason ("sofa delivery for Mr Iyer - saturday, he is travelling", "Mr Iyer
 * is out of town, so the sofa delivery on saturday"): a clause that alone names an open task in full moves it
 * there (the lookup tries the clauses one by one, `match: 'whole'`); when none does, the task is added. A
 * task asked for as one ("remind me to …") is never tried this way (`newTaskTries`).
 */
function clauseNamingTask(
  u: Utterance,
  args: Record<string, unknown>,
  opts: ParseOptions,
): Reading | undefined {
  const due = dueOf(args, opts);
  const task = clausedReference(u).replace(SET_TO_DAY, '$1');
  if (!due || !task.includes(',')) return undefined;
  // "… batch B ke saare papers jaanch liye, average 62 aaya": a clause telling a thing done reports it, it
  // gives it no day
  const reports = task.split(',').some((c) => saysDone(new Utterance(c)));
  return reports ? undefined : { tool: 'update_task', args: { task, match: 'whole', ...due } };
}

/** "…, make the bowling machine demo friday 3pm": "make" beside a day gives the thing that day. */
const SET_TO_DAY = /(^|,\s*)make\s+(?=(?:the|that|this|our)\s)/giu;

/**
 * The day or time a reading of an open task would give it: none for "now", which says how things stand
 * ("new arrivals are up on insta now"), nor for a time gone by ("changed the menu this morning").
 */
function dueOf(args: Record<string, unknown>, opts: ParseOptions): Record<string, unknown> | undefined {
  const at = typeof args.due_at === 'string' ? args.due_at : undefined;
  const noTime = at === undefined || isNow(at, opts) || isGone(at, opts);
  const due = {
    ...(args.due_date === undefined ? {} : { due_date: args.due_date }),
    ...(noTime ? {} : { due_at: at }),
  };
  return Object.keys(due).length > 0 ? due : undefined;
}

/**
 * The message read as a move, tried before the task is added (model.ts). A chore said as a plan for a day
 * ("singh sahab wali printing kal karte hain", "we will place the paper order on 1st april") moves the open
 * task it names in full (update_task's `match: 'whole'`, so another chore for the same person never is); one
 * put off from a day it cannot be ("can't go today, will pick up the tailoring order tomorrow 6") is a move
 * said plainly, and names its task as any move does.
 */
function moveAsSaid(text: string, why: 'planned' | 'putOff', opts: ParseOptions): Reading | undefined {
  const moved = parseAs(text, 'update_task', opts);
  if (moved.kind !== 'tool' || moved.args.task === undefined) return undefined;
  return { tool: 'update_task', args: why === 'planned' ? { ...moved.args, match: 'whole' } : moved.args };
}

/**
 * A new task with a day that may be an open one said again: a chore restated with its day ("shutter repair
 * - do it day after tomorrow") moves the open task it names, and a title that alone reports a thing done
 * ("puppies got their vaccination today") completes it, unless the message says a thing moves ("Urban Kart
 * changed their bank a/c, so their remittance will go on 1st April, update it"). The model tries this first
 * and adds the task only when no open task is named (model.ts); the lookup's own rules keep a new chore from
 * taking an open one's place ("Pack Mehta's order" never names "Deliver Mehta's order").
 */
function openTaskReading(
  args: Record<string, unknown>,
  restates: boolean,
  mayReport: boolean,
  opts: ParseOptions,
): Reading | undefined {
  const due = dueOf(args, opts);
  const title = String(args.title);
  // a day or a time said, even one gone by ("went back to the supplier this morning")
  if (args.due_date === undefined && args.due_at === undefined) return undefined;
  if (restates) return due && { tool: 'update_task', args: { task: title, match: 'whole', ...due } };
  if (!mayReport) return undefined;
  const alone = new Utterance(title);
  const report = detectIntent(alone, opts);
  if (report.kind !== 'tool' || report.tool !== 'complete_task') return undefined;
  const done = build(alone, 'complete_task', opts);
  return done.kind === 'tool' ? { tool: 'complete_task', args: done.args } : undefined;
}

/**
 * The message read as a call to `tool`, whatever its words asked first: "push the Holi order follow up to
 * friday", a snooze that found no follow-up, read again as moving the task of that name (model.ts).
 */
export function parseAs(text: string, tool: BuiltTool, opts: ParseOptions): ParsedIntent {
  const u = new Utterance(text);
  detectIntent(u, opts); // sets the greeting and the openers aside
  return build(u, tool, opts);
}

function build(u: Utterance, tool: BuiltTool, opts: ParseOptions): ParsedIntent {
  const raw = BUILDERS[tool](u, opts);
  if (!raw) return { kind: 'unknown' };
  const schema: z.ZodType = toolArgs[tool];
  const checked = schema.safeParse(raw);
  if (!checked.success) return { kind: 'unknown' };
  const args = checked.data as Record<string, unknown>;
  return {
    kind: 'tool',
    tool,
    args,
    *tries() {
      yield { tool, args };
    },
  };
}
