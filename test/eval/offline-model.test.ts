import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type DateContext, resolveWhen, takeWhen } from '../../src/agent/offline/dates.ts';
import { takePriority } from '../../src/agent/offline/entities.ts';
import { QUESTION_TOOLS } from '../../src/agent/offline/intents.ts';
import { type ParsedIntent, parseUtterance } from '../../src/agent/offline/parse.ts';
import { Utterance } from '../../src/agent/offline/utterance.ts';
import { TOOL_NAMES, toolArgs } from '../../src/agent/tools/index.ts';
import { expectGroupsHeldOut } from './checks.ts';
import { accuracy, type EvalSet, evaluate, loadEvalSet, type ParserSet, type Score } from './evaluate.ts';
import { failureLines } from './report.ts';

// Wednesday 25 March 2026, 10:30 in India: the evaluation set's fixed "now".
const IST: DateContext = { now: new Date('2026-03-25T10:30:00+05:30'), timezone: 'Asia/Kolkata' };

const parse = (text: string, ctx: DateContext = IST): ParsedIntent => parseUtterance(text, ctx);
/** Every reading of a parse, in order. */
const readingsOf = (p: ParsedIntent) => ('tries' in p && p.tries ? [...p.tries()] : []);

/** When a phrase means, resolved the way tasks resolve it (a due date, or an instant). */
function when(text: string, ctx: DateContext = IST): { date?: string; at?: string } | null {
  const found = takeWhen(new Utterance(text), ctx);
  return found ? resolveWhen(found, ctx) : null;
}

function toolCall(text: string, ctx: DateContext = IST) {
  const got = parse(text, ctx);
  if (got.kind !== 'tool')
    throw new Error(`expected a tool call for ${JSON.stringify(text)}, got ${got.kind}`);
  return got;
}

/** Fails below `floor`, printing the failures a tuner may read (report.ts hides the holdout's). */
function expectAtLeast(name: string, score: Score, floor = 0.9): void {
  if (score.accuracy < floor) {
    console.error(`${name}: ${(score.accuracy * 100).toFixed(1)}%\n${failureLines(score).join('\n')}`);
  }
  expect(score.accuracy, name).toBeGreaterThanOrEqual(floor);
  for (const [group, g] of Object.entries(score.byGroup)) {
    expect(accuracy(g.all), `${name}, group ${group}`).toBeGreaterThanOrEqual(floor);
  }
}

/**
 * Every expectation names only arguments the tool has, each with a value the tool accepts; unless
 * `partial` (a set that checks only some arguments of a call), the whole call is one the tool accepts. A
 * failure names a held-out case by its place in the file, not its text (see report.ts).
 */
function expectValidExpectations(set: EvalSet, partial = false): void {
  for (const [k, c] of set.cases.entries()) {
    if (c.expect.kind !== 'tool') continue;
    const label = c.holdout ? `held-out case ${k} (${c.expect.tool})` : c.text;
    const schema = toolArgs[c.expect.tool as keyof typeof toolArgs];
    const shape: Record<string, z.ZodType> = schema.shape;
    for (const [key, value] of Object.entries(c.expect.args)) {
      expect(shape[key]?.safeParse(value).success, `${label}: ${key}`).toBe(true);
    }
    if (!partial) expect(schema.safeParse(c.expect.args).success, label).toBe(true);
    for (const key of c.absent ?? []) expect(Object.keys(shape), label).toContain(key);
  }
}

describe('offline model evaluation set', () => {
  const set = loadEvalSet();

  it('is large, balanced between English and Hinglish, and covers every tool', () => {
    const en = set.cases.filter((c) => c.lang === 'en').length;
    const hinglish = set.cases.filter((c) => c.lang === 'hinglish').length;
    expect(set.cases.length).toBeGreaterThanOrEqual(130);
    expect(Math.abs(en - hinglish)).toBeLessThanOrEqual(set.cases.length * 0.05);
    const tuned = set.cases.filter((c) => !c.holdout);
    expect(tuned.filter((c) => c.lang === 'en').length).toBe(
      tuned.filter((c) => c.lang === 'hinglish').length,
    );
    expect(set.cases.filter((c) => c.holdout).length).toBeGreaterThanOrEqual(15);
    const kinds = new Set(set.cases.map((c) => (c.expect.kind === 'tool' ? c.expect.tool : c.expect.kind)));
    // A business question is its own kind here: the tools it reaches are scored in the insights evaluation.
    const worded = TOOL_NAMES.filter((t) => !(QUESTION_TOOLS as readonly string[]).includes(t));
    for (const expected of [...worded, 'help', 'unknown', 'greeting', 'business_question', 'setback']) {
      expect(kinds).toContain(expected);
    }
  });

  it('expects only arguments the tool contract accepts', () => {
    expectValidExpectations(set);
  });

  it('scores at least 90% overall', () => {
    expectAtLeast('utterances.json', evaluate(set));
  });
});

const FRESH_GROUPS = [
  'business_question',
  'follow_up_phone',
  'honorific',
  'open_tasks_question',
  'today_plan',
];

/**
 * fresh.json and fresh3.json to fresh34.json: half of each group held out; fresh2.json, written later and
 * never tuned on: all of it. fresh9.json, fresh21.json, fresh22.json, fresh24.json, fresh30.json, fresh31.json
 * and fresh33.json (a group below 90%) are checked for shape and scored by `npm run eval`; each joins the floor
 * once it reaches it, as the others have (see README.md).
 */
const PHONE_AND_HONORIFIC = ['follow_up_phone', 'honorific'];
/** A batch of the later kind: half of each group held out, expectations naming only some arguments. */
const halves = (name: ParserSet, groups: readonly string[], floor = true) =>
  ({ name, groups, allHeldOut: false, partial: true, floor }) as const;

for (const file of [
  { name: 'fresh', groups: FRESH_GROUPS, allHeldOut: false, partial: false, floor: true },
  { name: 'fresh2', groups: [...FRESH_GROUPS, 'assign'], allHeldOut: true, partial: true, floor: true },
  { name: 'fresh3', groups: FRESH_GROUPS, allHeldOut: false, partial: false, floor: true },
  halves('fresh4', ['follow_up_phone', 'honorific', 'open_tasks_question', 'today_plan']),
  halves('fresh5', PHONE_AND_HONORIFIC),
  halves('fresh6', PHONE_AND_HONORIFIC),
  halves('fresh7', PHONE_AND_HONORIFIC),
  halves('fresh8', PHONE_AND_HONORIFIC),
  halves('fresh9', ['honorific'], false),
  halves('fresh10', ['honorific']),
  halves('fresh11', PHONE_AND_HONORIFIC),
  halves('fresh12', PHONE_AND_HONORIFIC),
  halves('fresh13', ['honorific']),
  halves('fresh14', ['honorific']),
  halves('fresh15', ['honorific']),
  halves('fresh16', ['honorific']),
  halves('fresh17', ['honorific']),
  halves('fresh18', ['business_question', 'follow_up_phone', 'open_tasks_question', 'today_plan']),
  halves('fresh19', ['honorific']),
  halves('fresh20', ['honorific']),
  halves('fresh21', FRESH_GROUPS, false),
  halves('fresh22', FRESH_GROUPS, false),
  halves('fresh23', FRESH_GROUPS),
  halves('fresh24', FRESH_GROUPS, false),
  halves('fresh25', FRESH_GROUPS),
  halves('fresh26', FRESH_GROUPS),
  halves('fresh27', FRESH_GROUPS),
  halves('fresh28', FRESH_GROUPS),
  halves('fresh29', FRESH_GROUPS),
  halves('fresh30', FRESH_GROUPS, false),
  halves('fresh31', FRESH_GROUPS, false),
  halves('fresh32', FRESH_GROUPS),
  halves('fresh33', FRESH_GROUPS, false),
  halves('fresh34', FRESH_GROUPS),
] as const) {
  describe(`fresh cases of the groups an unseen evaluation found, ${file.name}.json`, () => {
    const set = loadEvalSet(file.name);

    it('has each group in both languages, and holds out what it should', () => {
      expectGroupsHeldOut(set.cases, file.groups, file.allHeldOut);
    });

    it('expects only arguments the tool contract accepts', () => {
      expectValidExpectations(set, file.partial);
    });

    it('keeps its writer’s label, and names the convention, wherever a case was relabelled', () => {
      for (const c of set.cases.filter((c) => c.written || c.convention || c.written_absent)) {
        expect(c.convention, c.text).toMatch(/\w/);
        expect(c.written, c.text).toBeDefined();
        expect([c.written, c.written_absent], c.text).not.toEqual([c.expect, c.absent]);
      }
    });

    it.runIf(file.floor)('scores at least 90% overall and in each group', () => {
      expectAtLeast(`${file.name}.json`, evaluate(set));
    });
  });
}

describe('dates and times', () => {
  it('reads "tomorrow 5pm" as 17:00 IST', () => {
    expect(when('tomorrow 5pm')).toEqual({ at: '2026-03-26T17:00:00+05:30' });
  });

  it('reads Hinglish day words and day parts', () => {
    expect(when('kal shaam 6 baje')).toEqual({ at: '2026-03-26T18:00:00+05:30' });
    expect(when('parso subah')).toEqual({ at: '2026-03-27T09:00:00+05:30' });
    expect(when('kal dopahar')).toEqual({ at: '2026-03-26T14:00:00+05:30' });
    expect(when('aaj raat')).toEqual({ at: '2026-03-25T21:00:00+05:30' });
    expect(when('subah 10 baje kal')).toEqual({ at: '2026-03-26T10:00:00+05:30' });
    expect(when('kal saade 11 baje')).toEqual({ at: '2026-03-26T11:30:00+05:30' });
    expect(when('kal paune 5 baje')).toEqual({ at: '2026-03-26T16:45:00+05:30' });
    expect(when('kal dedh baje')).toEqual({ at: '2026-03-26T13:30:00+05:30' });
    expect(when('kal saade 4')).toEqual({ at: '2026-03-26T16:30:00+05:30' });
    expect(when('din khatam hone tak')).toEqual({ at: '2026-03-25T18:00:00+05:30' });
  });

  it('reads a quarter word with an amount or a span after it as no clock time', () => {
    expect(when('saade 4 lakh')).toBeNull();
    expect(when('dhai kilo')).toBeNull();
  });

  it('puts day parts at the house hours, not chrono’s', () => {
    expect(when('tomorrow evening')).toEqual({ at: '2026-03-26T18:00:00+05:30' });
    expect(when('tomorrow morning')).toEqual({ at: '2026-03-26T09:00:00+05:30' });
    expect(when('tonight')).toEqual({ at: '2026-03-25T21:00:00+05:30' });
    expect(when('6 in the evening')).toEqual({ at: '2026-03-25T18:00:00+05:30' });
  });

  it('lets a clock time said beside a day part win over the part’s hour', () => {
    expect(when('tonight 8pm')).toEqual({ at: '2026-03-25T20:00:00+05:30' });
    expect(when('kal shaam 7:30pm')).toEqual({ at: '2026-03-26T19:30:00+05:30' });
    expect(when('tomorrow morning 10:30am')).toEqual({ at: '2026-03-26T10:30:00+05:30' });
  });

  it('follows shop hours for a bare hour, and takes the next time the clock shows it', () => {
    expect(when('5 baje')).toEqual({ at: '2026-03-25T17:00:00+05:30' });
    expect(when('at 4')).toEqual({ at: '2026-03-25T16:00:00+05:30' });
    expect(when('at 11')).toEqual({ at: '2026-03-25T11:00:00+05:30' });
    // 10:00 has passed at 10:30, so it is tomorrow's
    expect(when('10 baje')).toEqual({ at: '2026-03-26T10:00:00+05:30' });
    expect(when('at 7:30 am')).toEqual({ at: '2026-03-26T07:30:00+05:30' });
  });

  it('makes "agle hafte"/"next week" next Monday', () => {
    expect(when('agle hafte')).toEqual({ date: '2026-03-30' });
    expect(when('next week')).toEqual({ date: '2026-03-30' });
  });

  it('makes a weekday of next week that day of the week after next Monday', () => {
    expect(when('next week tuesday')).toEqual({ date: '2026-03-31' });
    expect(when('friday next week')).toEqual({ date: '2026-04-03' });
    expect(when('agle hafte mangal ko')).toEqual({ date: '2026-03-31' });
    expect(when('next wk sunday')).toEqual({ date: '2026-04-05' });
  });

  it('makes a weekday the next such day after today, in English and Hindi', () => {
    expect(when('monday')).toEqual({ date: '2026-03-30' });
    expect(when('on friday')).toEqual({ date: '2026-03-27' });
    expect(when('somvar')).toEqual({ date: '2026-03-30' });
    expect(when('shukravar ko')).toEqual({ date: '2026-03-27' });
    // today is a Wednesday: "wednesday" is next week's
    expect(when('wednesday')).toEqual({ date: '2026-04-01' });
    expect(when('budhvar')).toEqual({ date: '2026-04-01' });
    expect(when('next friday')).toEqual({ date: '2026-03-27' });
    expect(when('monday 11am')).toEqual({ at: '2026-03-30T11:00:00+05:30' });
  });

  it('reads spans from now', () => {
    expect(when('in 2 hours')).toEqual({ at: '2026-03-25T12:30:00+05:30' });
    expect(when('2 ghante baad')).toEqual({ at: '2026-03-25T12:30:00+05:30' });
    expect(when('do ghante baad')).toEqual({ at: '2026-03-25T12:30:00+05:30' });
    expect(when('aadhe ghante mein')).toEqual({ at: '2026-03-25T11:00:00+05:30' });
    expect(when('in 45 minutes')).toEqual({ at: '2026-03-25T11:15:00+05:30' });
    expect(when('3 din baad')).toEqual({ date: '2026-03-28' });
  });

  it('reads calendar dates day first, and days of the month', () => {
    expect(when('31/03')).toEqual({ date: '2026-03-31' });
    expect(when('5/4')).toEqual({ date: '2026-04-05' });
    expect(when('2nd april at 3:30 pm')).toEqual({ at: '2026-04-02T15:30:00+05:30' });
    expect(when('30 tarikh')).toEqual({ date: '2026-03-30' });
    // the 1st has passed this month
    expect(when('on the 1st')).toEqual({ date: '2026-04-01' });
  });

  it('works in other time zones, across a clock change', () => {
    // New York moves to daylight time on Sunday 8 March 2026
    const ny: DateContext = { now: new Date('2026-03-07T12:00:00-05:00'), timezone: 'America/New_York' };
    expect(when('tomorrow 5pm', ny)).toEqual({ at: '2026-03-08T17:00:00-04:00' });
    expect(when('in 2 hours', ny)).toEqual({ at: '2026-03-07T14:00:00-05:00' });
    // late evening in India is already tomorrow's date in UTC terms: "kal" still means the local tomorrow
    const late: DateContext = { now: new Date('2026-03-25T23:30:00+05:30'), timezone: 'Asia/Kolkata' };
    expect(when('kal', late)).toEqual({ date: '2026-03-26' });
  });

  it('keeps the words that are not about time', () => {
    const u = new Utterance('kal 5 baje GST wale CA ko call karna');
    expect(takeWhen(u, IST)).not.toBeNull();
    expect(u.raw(u.freeIndexes())).toBe('GST wale CA ko call karna');
  });

  it('finds nothing in a message with no time in it', () => {
    expect(when('call ABC Traders about invoice 1042')).toBeNull();
    expect(when('order 50 bags cement')).toBeNull();
  });
});

describe('phones', () => {
  it.each([
    ['98450 12345', '+919845012345'],
    ['+91 98450-12345', '+919845012345'],
    ['098450 12345', '+919845012345'],
    ['919845012345', '+919845012345'],
  ])('reads %s as %s', (written, e164) => {
    const call = toolCall(`follow up with Ramesh ${written} tomorrow about payment`);
    expect(call.tool).toBe('create_follow_up');
    expect(call.args.contact_phone).toBe(e164);
    expect(call.args.contact_name).toBe('Ramesh');
  });

  it('does not take other numbers for phones', () => {
    const u = new Utterance('invoice 1042 for 50000 rupees, 12345');
    expect(u.phones()).toEqual([]);
  });

  it('keeps a phone number in a task title', () => {
    expect(toolCall('remind me to call 98450 12345 tomorrow').args.title).toBe('Call 98450 12345');
  });

  it('keeps a request to speak with someone about the accounts a request, not a question', () => {
    expect(toolCall('speak to CA about GST filing tomorrow')).toMatchObject({
      tool: 'create_follow_up',
      args: { contact_name: 'CA', subject: 'GST filing' },
    });
    expect(toolCall('discuss receivables with the accountant on monday').tool).toBe('create_task');
  });

  it('keeps what says more of a subject: "new", and a "for" or "on" with no name after it', () => {
    expect(toolCall('message Mr Jacob on monday about the uniforms for the new batch').args).toMatchObject({
      contact_name: 'Mr Jacob',
      subject: 'uniforms for the new batch',
    });
    expect(toolCall('Rekha didi se kal baat karni hai new counter ke baare mein').args).toMatchObject({
      contact_name: 'Rekha didi',
      subject: 'new counter',
    });
  });

  it('takes who called, not "from", as the contact of a missed call', () => {
    expect(toolCall('missed call from Ravi Menon 98470 22113, call him back tomorrow 11am')).toMatchObject({
      tool: 'create_follow_up',
      args: {
        contact_name: 'Ravi Menon',
        contact_phone: '+919847022113',
        due_at: '2026-03-26T11:00:00+05:30',
      },
    });
  });

  it('keeps the rupee sign of an amount, spaced or not', () => {
    expect(toolCall('remind me to pay GST of ₹1,25,000 tomorrow').args.title).toBe('Pay GST of ₹1,25,000');
    expect(toolCall('deposit ₹ 5000 in the bank kal').args.title).toBe('Deposit ₹5000 in the bank');
    // money to collect is a follow-up: the amount is what it is about
    expect(toolCall('collect ₹ 5000 from Ramesh kal').args).toMatchObject({
      contact_name: 'Ramesh',
      subject: '₹5000',
    });
  });
});

describe('priorities', () => {
  it.each([
    ['urgent', 'urgent'],
    ['zaroori hai', 'urgent'],
    ['jaldi se', 'urgent'],
    ['asap', 'urgent'],
    ['important', 'high'],
    ['high priority', 'high'],
    ['koi jaldi nahi', 'low'],
  ])('reads "%s" as %s', (words, priority) => {
    expect(takePriority(new Utterance(`pay the rent ${words}`))).toBe(priority);
    expect(toolCall(`kal rent dena hai ${words}`).args.priority).toBe(priority);
  });

  it('leaves priority out when none is said', () => {
    expect(takePriority(new Utterance('pay the rent tomorrow'))).toBeUndefined();
    expect(toolCall('pay the rent tomorrow').args).not.toHaveProperty('priority');
  });
});

describe('intents', () => {
  it('says unknown rather than inventing a result', () => {
    for (const text of [
      'what is the weather today',
      'mausam kaisa hai',
      'asdf qwer',
      'Ramesh',
      'kal',
      'call Ramesh',
      'transfer 5000 to Ramesh',
      'delete all tasks',
      'jaldi karo',
      'remind me',
    ]) {
      expect(parse(text).kind, text).toBe('unknown');
    }
  });

  it('says unknown for empty input', () => {
    expect(parse('')).toEqual({ kind: 'unknown' });
    expect(parse('   ')).toEqual({ kind: 'unknown' });
    expect(parse('?!')).toEqual({ kind: 'unknown' });
  });

  it('tells greetings and help apart from requests', () => {
    expect(parse('namaste')).toEqual({ kind: 'greeting' });
    expect(parse('good night')).toEqual({ kind: 'greeting' });
    expect(parse('help')).toEqual({ kind: 'help' });
    expect(parse('kya kya kar sakte ho')).toEqual({ kind: 'help' });
    const call = toolCall('hi, remind me to call ABC Traders at 5');
    expect(call.args).toMatchObject({ title: 'Call ABC Traders', due_at: '2026-03-25T17:00:00+05:30' });
  });

  it('sets remind_at only when asked to remind, and only with a time', () => {
    expect(toolCall('call Ramesh tomorrow 5pm').args).not.toHaveProperty('remind_at');
    expect(toolCall('remind me to call Ramesh tomorrow 5pm').args.remind_at).toBe(
      '2026-03-26T17:00:00+05:30',
    );
    expect(toolCall('remind me to call Ramesh tomorrow').args).toEqual({
      title: 'Call Ramesh',
      due_date: '2026-03-26',
    });
  });

  it('gives a follow-up with no time 10:00, and with no day tomorrow 10:00', () => {
    expect(toolCall('follow up with Ramesh on friday').args.due_at).toBe('2026-03-27T10:00:00+05:30');
    expect(toolCall('Ramesh se payment ke liye follow up karna').args).toMatchObject({
      contact_name: 'Ramesh',
      subject: 'payment',
      due_at: '2026-03-26T10:00:00+05:30',
    });
  });

  it('reads tasks said to be "khule" (still open) as the open list', () => {
    expect(toolCall('is hafte ke kaunse kaam khule hain?').args).toEqual({
      status: 'open',
      when: 'this_week',
    });
    expect(toolCall('koi kaam khula hai kya?').args).toEqual({ status: 'open' });
  });

  it('takes the day said after the end of a span ("away till sunday, … now on tuesday")', () => {
    expect(
      toolCall('the dealer is away till sunday, so the showroom visit is now on tuesday').args.due_date,
    ).toBe('2026-03-31');
    expect(
      toolCall('the hall is booked till friday so the stock count is now on saturday').args.due_date,
    ).toBe('2026-03-28');
  });

  it('moves a task to the day said in place of another ("ke badle", "ki jagah")', () => {
    expect(toolCall('Mehta ji ki delivery monday ke badle tuesday ko karni hai')).toMatchObject({
      tool: 'update_task',
      args: { task: 'Mehta ji ki delivery karni', due_date: '2026-03-31' },
    });
    expect(toolCall('stock audit friday ki jagah saturday ko karenge').args.due_date).toBe('2026-03-28');
  });

  it('takes the day said to be the new one over an earlier one, and the end of a "from … to" span', () => {
    expect(
      toolCall('oven needs repair tonight, so the Rawat cake order goes out on sunday now').args,
    ).toMatchObject({ due_date: '2026-03-29' });
    expect(toolCall('shift the Kohli fitting from friday 4pm to monday').args).toMatchObject({
      due_date: '2026-03-30',
    });
    expect(toolCall('postpone the audit from tomorrow to saturday 11am').args).toMatchObject({
      due_at: '2026-03-28T11:00:00+05:30',
    });
  });

  it('reads a day part before "wala" as a name, with another day said', () => {
    expect(toolCall('shaam wali class ko friday pe daal do').args).toMatchObject({ due_date: '2026-03-27' });
    expect(toolCall('shaam wali class ko friday pe daal do').args.due_at).toBeUndefined();
  });

  it('moves a task put on a day with "pe daalo" or taken up then with "pe le lo"', () => {
    expect(toolCall('Arora wala fitting monday pe daalo')).toMatchObject({
      tool: 'update_task',
      args: { due_date: '2026-03-30' },
    });
    expect(toolCall('gupta ji wali meeting parso 3 baje pe le lo')).toMatchObject({
      tool: 'update_task',
      args: { due_at: '2026-03-27T15:00:00+05:30' },
    });
    // collecting a thing on a day is a thing to do, not a move
    expect(toolCall('Arora se cheque kal le lo').tool).not.toBe('update_task');
  });

  it('reads a thing and a day ahead as the thing set for that day, not a question about the numbers', () => {
    expect(toolCall('Jindal steel ka payment friday ko').tool).not.toBe('query_business_data');
    expect(parse('Jindal steel ka payment friday ko').kind).toBe('tool');
    expect(parse('Jindal steel ka kitna payment baaki hai?').kind).toBe('business_question');
  });

  it('reads a question wondered aloud after a report as no question to answer', () => {
    expect(toolCall('bill courier kar diya, dekhte hain kab tak payment aata hai').tool).toBe(
      'complete_task',
    );
    expect(toolCall("sent the quote to Arora, let's see when he replies").tool).toBe('complete_task');
    expect(parse('Arora ka payment kab tak aayega?').kind).not.toBe('tool');
  });

  it('changes nothing for a customer who may want a thing later', () => {
    expect(parse('Mrs Rao might want her blouse a little later, she will tell me tomorrow').kind).toBe(
      'setback',
    );
    expect(parse('the Kohli family may prefer the booking earlier, waiting for their call').kind).toBe(
      'setback',
    );
  });

  it('reads the month\'s end and a bare "day after" as days', () => {
    expect(toolCall('audit can wait, shift it to month end').args).toMatchObject({ due_date: '2026-03-31' });
    expect(toolCall('Gupta ji ka hisaab mahine ke aakhir tak kar denge').args).toMatchObject({
      due_date: '2026-03-31',
    });
    expect(toolCall('tile order can wait, do it day after').args).toMatchObject({ due_date: '2026-03-27' });
    // with only a time after it, and no other span merged into it (chrono would throw on one)
    expect(toolCall('call Ravi day after 11am').args).toMatchObject({ due_at: '2026-03-27T11:00:00+05:30' });
    expect(toolCall('ping Meena day after at 5 pm about the rates').args).toMatchObject({
      due_at: '2026-03-27T17:00:00+05:30',
    });
    expect(toolCall('remind me 3 days after 2 april to pay rent').args).toMatchObject({
      due_date: '2026-04-05',
    });
  });

  it('reads a thing set to be done on a day as moved, and sets aside another thing said to stay as it is', () => {
    expect(toolCall('Chawla ji called, the AC servicing to be done on monday now')).toMatchObject({
      tool: 'update_task',
      args: { due_date: '2026-03-30' },
    });
    const moved = toolCall('the blouse fitting to be moved to friday, the saree fall stays as is');
    expect(moved.tool).toBe('update_task');
    expect(String(moved.args.task)).not.toMatch(/fall/);
    // the moved thing itself kept as it is turns the move down
    expect(parse('they asked to shift the demo to friday instead, we are keeping it as is').kind).toBe(
      'setback',
    );
  });

  it('sets aside a story before a call asked in a sentence of its own that says who and what about', () => {
    expect(
      toolCall('Mr Bose phoned, wants 20 more chairs. call Mr Bose back tomorrow 4pm about the rental rate'),
    ).toMatchObject({
      tool: 'create_follow_up',
      args: { contact_name: 'Mr Bose', subject: 'rental rate', due_at: '2026-03-26T16:00:00+05:30' },
    });
    expect(
      toolCall('Mrs Dutta called, wants 3 more kurtas.. message Mrs Dutta tomorrow 11am about the colours')
        .args,
    ).toMatchObject({ contact_name: 'Mrs Dutta', subject: 'colours' });
    // a pronoun leaves the story to say who
    expect(
      toolCall('Mrs Dutta called, wants 3 more kurtas. message her tomorrow 11am about the colours').args
        .contact_name,
    ).toBe('Mrs Dutta');
  });

  it('ends a subject before the "pe" of what a talk is on, and reads "udhaari" and fees pending as dues', () => {
    expect(toolCall('Qureshi bhai se kal 5 baje baat karni hai naye stock ke daam pe').args.subject).toBe(
      'naye stock ke daam',
    );
    expect(parse('dukaan ki kul udhaari kitni hai').kind).toBe('business_question');
    expect(parse('how many students have pending fees?').kind).toBe('business_question');
  });

  it('reads a thing skipped today as put off to the day said after, and "make the thing <day>" as its new day', () => {
    const skipped = readingsOf(parse("skip the tile stock count today, we'll do it monday. too busy"));
    expect(skipped.some((r) => r.tool === 'update_task' && r.args.due_date === '2026-03-30')).toBe(true);
    expect(skipped.some((r) => r.args.due_date === '2026-03-25')).toBe(false);
    const made = readingsOf(
      parse('the principal is free only after lunch, make the sports kit demo friday 3pm'),
    );
    expect(made).toContainEqual({
      tool: 'update_task',
      args: {
        task: 'principal is free only after lunch, the sports kit demo',
        match: 'whole',
        due_at: '2026-03-27T15:00:00+05:30',
      },
    });
  });

  it('sets aside "yaad se" before a name, and reads "bik gaye" as a question about sales', () => {
    expect(
      toolCall('yaad se Mrs Kohli ko kal 11 baje call karna hai blouse ke baare mein').args.contact_name,
    ).toBe('Mrs Kohli');
    expect(toolCall('dhyan se parso Arora ji ko cheque dena').args.title).toBe('Arora ji ko cheque dena');
    expect(parse('is mahine kitne cooler bik gaye?').kind).toBe('business_question');
  });

  it('adds no task for a story told with nothing asked, and still adds one asked for after a story', () => {
    const adds = (text: string) => readingsOf(parse(text)).some((r) => r.tool === 'create_task');
    expect(
      adds(
        'Went to the bank today to deposit the cheques but the server was down, so nothing done. Wasted the whole morning',
      ),
    ).toBe(false);
    expect(
      adds('Sodhi ji ka phone aaya tha, bol rahe the aaj dukaan band rahegi, kal aayenge hisaab ke liye'),
    ).toBe(false);
    expect(adds('Mrs Rao came in today and liked the cotton sarees. Keep 3 aside for her by saturday')).toBe(
      true,
    );
    expect(adds('Sodhi ji aaye the aaj, unke liye 5 box ready rakhna, kal tak')).toBe(true);
  });

  it('reads a part changed as work done, a deadline extended as a move, and how long a thing ran as no time', () => {
    const serviced = readingsOf(parse('bike is back, oil change and chain done'));
    expect(serviced.some((r) => r.tool === 'complete_task' && r.args.match === 'mentioned')).toBe(true);
    expect(serviced.some((r) => r.tool === 'update_task')).toBe(false);
    expect(toolCall('the bid deadline got extended, we will send it on 3rd april')).toMatchObject({
      tool: 'update_task',
      args: { due_date: '2026-04-03' },
    });
    expect(parse('ran the new mixer for an hour, all good').kind).toBe('unknown');
    expect(toolCall('postpone the delivery for 2 days').args.due_date).toBe('2026-03-27');
    expect(toolCall('mrs sen asked if the blouse can come monday instead')).toMatchObject({
      tool: 'update_task',
      args: { due_date: '2026-03-30' },
    });
  });

  it('reads a thing in its place or working well in Hinglish as done, and a report before an answer awaited', () => {
    const hung = readingsOf(parse('the new signboard is hanging at the gate now'));
    expect(hung[0]).toMatchObject({ tool: 'complete_task', args: { match: 'mentioned' } });
    const mended = readingsOf(parse('fridge ab theek chal raha hai, mistri ne gas bhar di'));
    expect(mended).toContainEqual({
      tool: 'complete_task',
      args: { task: 'fridge ab theek chal raha hai,  mistri ne gas bhar di', match: 'mentioned' },
    });
    expect(
      readingsOf(parse('estimate gone to kohli ji on mail. he said he will confirm by tomorrow'))[0],
    ).toEqual({
      tool: 'complete_task',
      args: { task: 'estimate gone to kohli ji on mail', match: 'mentioned' },
    });
    // how and when a thing went names no thing: the report points back at the clause naming it
    expect(readingsOf(parse('Dr Rao has the invoice now, sent it on email 2 hours back'))).toContainEqual({
      tool: 'complete_task',
      args: { task: 'Dr Rao has the invoice now,  sent it on email 2 hours back', match: 'mentioned' },
    });
  });

  it('reads a deadline extended in either order as a move, and a part of a day gone by as no time', () => {
    expect(toolCall('the bank extended the deadline for the documents to monday')).toMatchObject({
      tool: 'update_task',
      args: { due_date: '2026-03-30' },
    });
    expect(toolCall('society ne maintenance ki last date 2 april tak badha di')).toMatchObject({
      tool: 'update_task',
      args: { due_date: '2026-04-02' },
    });
    expect(readingsOf(parse('extended the lease of the godown')).some((r) => r.tool === 'update_task')).toBe(
      false,
    );
    const timed = (text: string) => readingsOf(parse(text)).some((r) => 'due_at' in r.args);
    expect(timed('verma ji aaye the subah apne bete ke saath, machine khol ke saaf ki')).toBe(false);
    expect(timed('subah mistri aaya tha, pump theek kar diya')).toBe(false);
    expect(timed('verma ji ko subah call karna')).toBe(true);
  });

  it('reads a report before what comes next as the report, not a question passed on nor a plan called off', () => {
    expect(
      readingsOf(parse('godown fumigation over, manager signed the sheet. bill i will send later')),
    ).toContainEqual({
      tool: 'complete_task',
      args: { task: 'godown fumigation over manager signed the sheet', match: 'mentioned' },
    });
    const completes = (text: string) => readingsOf(parse(text)).some((r) => r.tool === 'complete_task');
    expect(
      completes(
        'Mehra family called, they want to know if the band can come early. will check and tell them',
      ),
    ).toBe(false);
    expect(
      completes('the britannia meeting is off, their manager got transferred. will tell the staff'),
    ).toBe(false);
  });

  it('reads a thing gone out or arrived, or said ready in a few words, as done', () => {
    expect(toolCall('the Diwali hampers left the godown this morning').tool).toBe('complete_task');
    expect(toolCall('the cotton bales reached the godown this morning').tool).toBe('complete_task');
    expect(parse('only 2 boxes left, order more')).not.toMatchObject({ tool: 'complete_task' });
    expect(toolCall('ravi ka badge ready').args).toEqual({ task: 'ravi ka badge' });
    // to have it so is no report
    expect(parse('keep the order ready')).not.toMatchObject({ tool: 'complete_task' });
    expect(toolCall('kal tak order ready').tool).toBe('create_task');
  });

  it('reads a move said with what was asked or a day said to be now, and a date before one taken back', () => {
    expect(
      toolCall('the society secretary asked, we do the fogging on 2 april, not this week'),
    ).toMatchObject({
      tool: 'update_task',
      args: { due_date: '2026-04-02' },
    });
    const pickup = readingsOf(
      parse("Mrs. Sen's train got delayed by a day so the pickup is tomorrow 9am now"),
    );
    expect(pickup).toContainEqual({
      tool: 'update_task',
      args: {
        task: "Mrs. Sen's train got delayed by a day so the pickup is tomorrow 9am now",
        match: 'mentioned',
        due_at: '2026-03-26T09:00:00+05:30',
      },
    });
    expect(when('yield test on 3 april, not tomorrow')).toEqual({ date: '2026-04-03' });
    // their text is no report: what it asks is the move
    expect(
      readingsOf(
        parse('Mrs Rao messaged - collect the blouse from her on friday at 5 pm, she is out till then'),
      ),
    ).toContainEqual({
      tool: 'update_task',
      args: {
        task: 'Mrs Rao messaged, collect the blouse from her, she is out till then',
        match: 'whole',
        due_at: '2026-03-27T17:00:00+05:30',
      },
    });
    expect(when('bring the table on sunday afternoon around 3')?.at).toBe('2026-03-29T15:00:00+05:30');
    expect(when('sales of march')).toBeNull();
  });

  it('reads a machine started again, a part changed beside a service and a visit made as reports', () => {
    const mentionedOf = (text: string) =>
      readingsOf(parse(text)).filter((r) => r.tool === 'complete_task' && r.args.match === 'mentioned');
    expect(mentionedOf('kamre 3 ka cooler chal gaya, mistri ne motor badal di')).toEqual([
      {
        tool: 'complete_task',
        args: { task: 'kamre 3 ka cooler chal gaya,  mistri ne motor badal di', match: 'mentioned' },
      },
    ]);
    const serviced = readingsOf(parse('mistri ne generator service kar diya, filter bhi change ho gaya'));
    expect(serviced.some((r) => r.tool === 'update_task')).toBe(false);
    expect(serviced.some((r) => r.tool === 'complete_task' && r.args.match === 'mentioned')).toBe(true);
    expect(toolCall('sharma ji ke godown pe pump dekh aaya, sab badhiya').tool).toBe('complete_task');
  });

  it('reads the worker come, named by the job, as part of the report after it', () => {
    expect(readingsOf(parse('geyser wala aaya tha, element badal diya'))).toContainEqual({
      tool: 'complete_task',
      args: { task: 'geyser wala aaya tha,  element badal diya', match: 'mentioned' },
    });
    // a visitor named by no job says no job
    expect(readingsOf(parse('mistri aaya tha, geyser chalu ho gaya'))).toContainEqual({
      tool: 'complete_task',
      args: { task: ' geyser chalu ho gaya', match: 'mentioned' },
    });
  });

  it('reads a move passed on to others in a short last clause as the move, not word to pass on', () => {
    expect(toolCall('the Rao site visit is moved to friday, tell Sunil also')).toMatchObject({
      tool: 'update_task',
      args: { task: 'Rao site visit', due_date: '2026-03-27' },
    });
    const hinglish = parse('Verma ji ki fitting ab somvar ko hogi, sab ko bata dena');
    expect(hinglish).toMatchObject({ kind: 'tool', tool: 'create_task' });
    expect(
      readingsOf(hinglish).some((r) => r.tool === 'update_task' && r.args.due_date === '2026-03-30'),
    ).toBe(true);
    // news with no move is still word to pass on
    expect(toolCall('the cake is ready, tell Lobo aunty').tool).toBe('create_follow_up');
  });

  it('reads a thing worn out as trouble, not a thing done', () => {
    const completes = (text: string) => readingsOf(parse(text)).some((r) => r.tool === 'complete_task');
    expect(completes('the press roller is worn out, need a new one')).toBe(false);
    expect(completes('mixer ka blade ghis gaya hai, naya mangwana hai')).toBe(false);
    expect(completes('press roller badal diya')).toBe(true);
  });

  it('reads "X ka phone aaya" as their call, not a question for their number', () => {
    expect(toolCall('Batra ka phone aaya, bol raha monday ko bhejo, aage kar do').tool).toBe('update_task');
    expect(toolCall('Batra ka phone number bhejo').tool).toBe('search_memory');
  });

  it('reads who is to be reached between "send" and "a text", and a call back asked for', () => {
    expect(toolCall('send Meena didi a text tomorrow 5pm about the blouse alterations')).toMatchObject({
      tool: 'create_follow_up',
      args: {
        contact_name: 'Meena didi',
        subject: 'blouse alterations',
        due_at: '2026-03-26T17:00:00+05:30',
      },
    });
    expect(toolCall('Mrs Fernandes wants a call back on friday regarding the AMC renewal')).toMatchObject({
      tool: 'create_follow_up',
      args: { contact_name: 'Mrs Fernandes', due_at: '2026-03-27T10:00:00+05:30' },
    });
    // a habit is a fact to keep
    expect(toolCall('Ramesh bhai always wants a call before delivery').tool).toBe('remember');
    // a thing named "contact …" is no reach
    expect(toolCall('call Dr Bose tomorrow about the contact lenses order').args).toMatchObject({
      contact_name: 'Dr Bose',
      subject: 'contact lenses order',
    });
  });

  it('reads the Hindi "is" (this) and a "when he comes" as no question', () => {
    expect(toolCall('is hafte ka stock register update karna hai saturday tak')).toMatchObject({
      tool: 'create_task',
      args: { due_date: '2026-03-28' },
    });
    expect(
      readingsOf(
        parse(
          'compressor is working fine again. told the mechanic to check the dryer also when he comes next week',
        ),
      ).some((r) => r.tool === 'complete_task'),
    ).toBe(true);
    expect(toolCall('bijli ka bill jama kardi').tool).toBe('complete_task');
  });

  it('reads a move told in a story before the next step as the move, never a report', () => {
    const completes = (text: string) => readingsOf(parse(text)).some((r) => r.tool === 'complete_task');
    const hinglish =
      'Karan ka cake order ab sunday ko hai, unki party shift ho gayi. shaam 5 baje deliver karna hai, 2 kilo hi rahega';
    expect(completes(hinglish)).toBe(false);
    expect(readingsOf(parse(hinglish))).toContainEqual(
      expect.objectContaining({
        tool: 'update_task',
        args: expect.objectContaining({ due_at: '2026-03-29T17:00:00+05:30' }),
      }),
    );
    expect(
      completes(
        'Principal called. Exams till the 31st so they want the painting to start on 2nd April instead. Please move it. We will bring the ladders that day',
      ),
    ).toBe(false);
  });

  it('reads money paid to us, a sale to someone and a report before their word as reports, never a question', () => {
    expect(toolCall('Kavita paid us for the 3 cakes she took last week').tool).toBe('complete_task');
    expect(toolCall('sold the old lathe to Kapoor').tool).toBe('complete_task');
    expect(
      readingsOf(
        parse(
          'Fab India got our samples yesterday. Their manager called, said she liked the blue ones and she will confirm the order by next week',
        ),
      ),
    ).toContainEqual({
      tool: 'complete_task',
      args: { task: 'Fab India got our samples yesterday', match: 'mentioned' },
    });
  });

  it('keeps "lagana" at the end of the task a move names: a deed, not "put it down"', () => {
    expect(toolCall('sharma ji ka board lagana parso pe daal do').args).toEqual({
      task: 'sharma ji ka board lagana',
      due_date: '2026-03-27',
    });
  });

  it('reads news of a thing back and finished as a report to look for, not news to note', () => {
    expect(
      readingsOf(
        parse(
          'Innova is back from the service centre, they changed the brake pads and did the alignment. bill was 5200',
        ),
      ).some((r) => r.tool === 'complete_task' && r.args.match === 'mentioned'),
    ).toBe(true);
  });

  it('generalises beyond the evaluation sentences', () => {
    expect(toolCall('parso dopahar 3 baje Kapoor Sweets ko sample dena hai').args).toEqual({
      title: 'Kapoor Sweets ko sample dena',
      due_at: '2026-03-27T15:00:00+05:30',
    });
    expect(toolCall('snooze the Kapoor follow up for 90 min').args).toEqual({
      follow_up: 'Kapoor',
      minutes: 90,
    });
    expect(toolCall('Kapoor Sweets wala kaam ho gaya').args).toEqual({ task: 'Kapoor Sweets' });
  });

  it('returns arguments that satisfy the tool contract in every reading, and never throws, for any text', () => {
    const vocabulary = [
      ...'remind me to call kal parso aaj shaam subah raat 5 baje tomorrow at 4pm follow up with se ko ka ke liye about'.split(
        ' ',
      ),
      ...'done ho gaya kar diya delete hata do snooze for 2 hours ghante baad show dikhao tasks kaam urgent zaroori'.split(
        ' ',
      ),
      ...'Ramesh ABC Traders Sharma ji 98450 12345 +91 whatsapp email visit wala task my day help hi , . ?'.split(
        ' ',
      ),
      ...'assign tell ask Ravi bolo de mujhe Dr. Mr bhai kitni sale payment pending left nahi paid deposited all'.split(
        ' ',
      ),
    ];
    const sentence = fc.array(fc.constantFrom(...vocabulary), { maxLength: 14 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(fc.oneof(sentence, fc.string({ maxLength: 80 })), (text) => {
        const got = parse(text);
        if (got.kind === 'tool') {
          expect(TOOL_NAMES).toContain(got.tool);
          expect(toolArgs[got.tool].safeParse(got.args).success).toBe(true);
        } else expect(['help', 'greeting', 'unknown', 'business_question', 'setback']).toContain(got.kind);
        const readings = readingsOf(got);
        for (const r of readings) expect(toolArgs[r.tool].safeParse(r.args).success, r.tool).toBe(true);
        const again = parse(text);
        expect({ ...again, tries: readingsOf(again) }).toEqual({ ...got, tries: readings });
      }),
      { numRuns: 400 },
    );
  });
});
