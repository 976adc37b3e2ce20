import type { MetricName } from '../../domain/insights/metrics.ts';
import type { MetricCall } from '../../domain/insights/query.ts';
import { localDate } from '../../domain/time.ts';
import type { DateContext } from './dates.ts';

/**
 * A question about the business's numbers, in English or everyday Hinglish, turned into a metric call of
 * the catalogue (src/domain/insights/metrics.ts): which metric, over which period, grouped how, compared
 * with what, and the customer or supplier it names (looked up with find_party before the query). What the
 * catalogue cannot tell (profit, stock, expenses) is said to be outside it, never guessed; a period named
 * by a festival ("since Diwali") is asked about, since its dates differ every year.
 */

export type BusinessQuestion =
  | { kind: 'metric'; call: MetricCall; party?: string }
  | { kind: 'outside' }
  | { kind: 'ask_period'; said: string };

/** Lower case, words and digits only, one space apart; "?" kept apart as a word. */
const normalise = (text: string) =>
  ` ${text
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/\?/g, ' ? ')
    .replace(/[^\p{L}\p{N}&?]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;

const re = (source: string) => new RegExp(`(?<= )(?:${source})(?= )`);
const any = (words: readonly string[]) => re(words.join('|'));

const OUTSIDE = any([
  'profit',
  'profits',
  'loss',
  'losses',
  'margin',
  'margins',
  'stock',
  'inventory',
  'expense',
  'expenses',
  'kharcha',
  'kharche',
  'kharchaa',
  'munafa',
  'munafaa',
  'fayda',
  'faayda',
  'nuksan',
  'nuksaan',
  'pnl',
  'p&l',
  'balance sheet',
  'salary',
  'salaries',
  'tankhwah',
  'maal kitna',
  'godown mein kitna',
  'income tax',
  'advance tax',
  'tax liability',
  'itr',
]);

/**
 * Running costs and obligations the books here do not hold. Asked about, they are outside the catalogue; but
 * they are also what tasks are made of ("kal rent dena hai"), so they alone never make a message a question.
 */
const RUNNING_COSTS = any([
  'gst return',
  'tax return',
  'rent',
  'kiraya',
  'kiraye',
  'bijli',
  'electricity',
  'loan',
  'emi',
  'interest',
  'byaj',
  'wages',
  'petrol',
  'diesel',
]);

const FESTIVALS = any([
  'diwali',
  'deepawali',
  'holi',
  'dussehra',
  'dasara',
  'navratri',
  'eid',
  'pongal',
  'onam',
  'rakhi',
  'raksha bandhan',
  'christmas',
  'ganesh chaturthi',
  'lohri',
  'baisakhi',
]);

/** Each metric with the words that ask for it, tried in this order: the first that matches wins. */
const METRIC_WORDS: [MetricName, RegExp][] = [
  [
    'average_order_value',
    re('average order|avg order|aov|average (?:\\w+ )?order value|order (?:ka )?average|ausat order'),
  ],
  [
    'gst_paid',
    re(
      '(?:input|purchase|kharid\\w*) (?:gst|tax)|(?:gst|tax) (?:paid|diya|di|bhara|on purchases?|on bills?)|itc|input tax credit',
    ),
  ],
  ['gst_collected', any(['gst', 'output gst', 'output tax', 'gst collected', 'tax collected'])],
  ['settlements', re('settle\\w*|payouts?|razorpay (?:se )?(?:kitna )?(?:aaya|aya|mila)')],
  [
    'bank_balance',
    re(
      'bank (?:balance|mein|me|main|account)|bank ka balance|account (?:balance|mein|me|main)|khat[ae] (?:mein|me|main)|balance (?:in|of) (?:the |my )?(?:bank|account)|(?:my|mera|meri) balance',
    ),
  ],
  ['order_count', re('orders?|order count|kitne order\\w*')],
  [
    'overdue_receivables',
    re(
      'overdue|late (?:pay\\w*|payment\\w*|hai|hain|deta|dete|karta|karte)|pays? late|der se|past (?:the )?due|time nikal gaya|date nikal gayi|due nikal\\w*|due date (?:nikal|cross|over|gone)\\w*|time (?:pe|par) (?:nahi|nahin)|delay\\w* (?:payment|karta|karte)',
    ),
  ],
  [
    'payables_outstanding',
    re(
      '(?:i|we) (?:still )?owe|do i owe|payables?|(?:mujhe|humein|hame|hamein|mereko|humko) .*(?:dena|dene|deni) (?:hai|hain|baaki|baki)|(?:dena|dene|deni) (?:hai|hain|baaki|baki)|(?:supplier|suppliers|vendor|vendors) (?:ko|ka|ke) .*(?:baaki|baki|pending|dena)|unpaid bills?|bills? (?:pending|baaki|baki|to pay)',
    ),
  ],
  [
    'receivables_outstanding',
    re(
      'owes?|owed|owing|dues|due from|receivables?|outstanding|pending from|stuck (?:with|in)|udhari|udhaari|(?:market|bazaar|bazar) (?:mein|me|main) (?:kitna|paisa)|(?:still )?to be (?:collected|received|paid)|yet to (?:collect|receive|come)|(?:fasa|phasa|atka|atki|atke) (?:hua|hai|hain|pada)|baaki|baki|bakaya|udhaar|udhar|(?:lena|lene|leni) (?:hai|hain|baaki|baki)|pending (?:payment|amount|paisa)|payment pending|(?:nahi|nahin) diya|not (?:yet )?paid|unpaid|credit (?:pe|par) (?:diya|hai)',
    ),
  ],
  // what a customer bought is a sale
  [
    'sales',
    re(
      '(?:customers?|buyers?|clients?|grahak) (?:\\w+ )?(?:bought|purchased|kharid\\w*)|billed|(?:did|do) (?:i|we) bill',
    ),
  ],
  ['purchases', re('purchases?|purchased|bought|kharid\\w*|maal (?:liya|mangaya|aaya)|procure\\w*')],
  [
    'net_cash_flow',
    re(
      'cash ?flow|net cash|inflow|outflow|in (?:and|vs|minus) (?:money )?out|kitna (?:aaya|aya) (?:aur |or )?kitna (?:gaya|gya)|aane jaane|aaya aur gaya',
    ),
  ],
  [
    'payments_made',
    re(
      'paid (?:out|to)|payments? (?:made|out|to|diye|di|kiye|kiya)|(?:we|i) (?:\\w+ )?(?:pay|paid) (?:our |my |the )?(?:suppliers?|vendors?)|(?:maine|humne|hamne) .*(?:diya|diye|di|bheja|bheje|kiya)|outgoing|(?:paisa|paise) gaya|gaye kitne|kitna (?:gaya|diya)',
    ),
  ],
  [
    'payments_received',
    re(
      'payments? (?:from|by)|(?:pay|pays|paid) (?:us|me|anything)|collections?|collected|collect|received|receive|receipts?|aaya|aya|aaye|aaya hai|aayi|mila|mile|mili|jama|credit hua|came in|come in|money in|(?:paisa|paise|payment) (?:aaya|aya|aaye|mila|mile|aayi)|kitna paisa|incoming|vasooli|wasooli|vasuli',
    ),
  ],
  [
    'sales',
    re(
      'sales?|sell\\w*|sold|revenue|turnover|bikri|bikree|bech\\w*|bik\\w*|billing|invoiced|invoices?|income|kamai|kamaya|kamayi|business (?:hua|kitna|kaisa)|dhan?dha|karobar|buyers?|customers?|clients?',
    ),
  ],
];

const PARTY_RANKING = re(
  'which|who|whom|kaun|kaunsa|kaunse|kaunsi|kis|kisne|kisko|kiska|kiske|kiski|kinhone|top|best|biggest|largest|highest|most|least|lowest|smallest|sabse|party ?wise|customer ?wise|client ?wise|supplier ?wise|list',
);
const GROUPS: [NonNullable<MetricCall['group_by']>, RegExp][] = [
  [
    'aging',
    re(
      'aging|ageing|how (?:old|late)|how many days|days late|(?:30|60|90) din|din se (?:zyada|jyada) purana|kitne din (?:se|purana|purane)|buckets?',
    ),
  ],
  [
    'method',
    re(
      '(?:by|per) (?:payment )?(?:method|mode)|(?:mode|method) ?wise|upi (?:vs|or|aur|ya) cash|kis (?:mode|tarah|tarike) se',
    ),
  ],
  [
    'month',
    re(
      'month ?wise|monthly|by month|per month|mahine ?war|mahina dar mahina|har month|mahine (?:ke )?(?:hisab|hisaab|wise)|har mahine|mahina ?wise|month by month',
    ),
  ],
  [
    'week',
    re('week ?wise|weekly|by week|per week|hafte (?:ke )?(?:hisab|hisaab|wise)|har hafte|week by week'),
  ],
  [
    'day',
    re(
      'day ?wise|daily|by day|per day|roz|rozana|din (?:ke )?(?:hisab|hisaab|wise)|har din|date ?wise|day by day',
    ),
  ],
  ['quarter', re('quarter ?wise|quarterly|by quarter|per quarter')],
];

const COMPARE = re(
  'vs|versus|against|compared?|comparison|mukab\\w*|muqab\\w*|tulna|se zyada|se kam|badha|ghata|growth|change|up from|down from|more than|less than|higher than|lower than',
);
const LAST_YEAR = re(
  '(?:same (?:time|period|month|quarter) )?last year|pichle saal|pichhle saal|pichla saal|isi time pichle|year on year|yoy',
);

const PERIOD_WORDS: [Exclude<MetricCall['period'], object | undefined>, RegExp][] = [
  ['day_before_yesterday', re('day before yesterday|parso|parson|parsoon')],
  ['yesterday', re('yesterday|kal|kl|beeta kal|kal ka|kal ki')],
  ['today', re('today|aaj|aj|aaj ka|aaj ki|abhi tak aaj|so far today')],
  [
    'last_week',
    re('last week|previous week|pichle hafte|pichhle hafte|pichla hafta|pichle week|last hafte|pichhle week'),
  ],
  ['this_week', re('this weeks?|is hafte|iss hafte|is week|iss week|current week|hafte (?:mein|me|bhar)')],
  [
    'last_month',
    re('last month|previous month|pichle mahine|pichhle mahine|pichla mahina|pichle month|last mahine'),
  ],
  [
    'this_month',
    re(
      'this months?|is mahine|iss mahine|is month|iss month|current month|mahine (?:mein|me|bhar)|month to date|mtd',
    ),
  ],
  ['last_quarter', re('last quarter|previous quarter|pichle quarter|pichhle quarter|pichla quarter')],
  ['this_quarter', re('this quarters?|is quarter|iss quarter|current quarter|quarter to date|qtd')],
  [
    'last_fy',
    re(
      'last (?:fy|financial year|year)|previous (?:fy|financial year|year)|pichle saal|pichhle saal|pichla saal|pichle (?:fy|financial year)',
    ),
  ],
  [
    'this_fy',
    re(
      'this (?:fy|financial year|year)|is saal|iss saal|is (?:fy|financial year)|iss (?:fy|financial year)|current (?:fy|financial year)|ytd|year to date|saal bhar|is baras',
    ),
  ],
  ['last_7_days', re('(?:last|past|pichle|pichhle) (?:7|seven|saat) (?:days|din)|(?:last|past) week ?days')],
  ['last_30_days', re('(?:last|past|pichle|pichhle) (?:30|thirty|tees) (?:days|din)')],
];

const QUARTER = re(
  'q([1-4])|quarter ([1-4])|(first|second|third|fourth|pehla|pehle|dusra|dusre|teesra|teesre|chautha|chauthe) quarter',
);
const QUARTER_WORDS: Record<string, number> = {
  first: 1,
  pehla: 1,
  pehle: 1,
  second: 2,
  dusra: 2,
  dusre: 2,
  third: 3,
  teesra: 3,
  teesre: 3,
  fourth: 4,
  chautha: 4,
  chauthe: 4,
};
const FY_YEARS = re('(?:fy ?)?(20\\d\\d) ?(?:-|to|se)? ?(\\d\\d)(?= )');
const LAST_N_DAYS = re('(?:last|past|pichle|pichhle) (\\d{1,3}) (?:days|din)');
const TOP_N = re(
  '(?:top|best|biggest|largest|pehle|first) (\\d{1,2})|(\\d{1,2}) (?:top|best|biggest|largest|sabse)',
);
const ASCENDING = re('least|lowest|smallest|sabse kam|bottom');

/** Words around a name that are not the name: question words, pronouns, metric and period words. */
const NOT_NAME = new Set(
  (
    'how much what whats is are was were the a an my our me us i we you did does do has have had so far till ' +
    'until total sum all kitna kitne kitni kya hai hain tha thi the mera meri mere hamara hamari humara ko ka ' +
    'ki ke se ne ye yeh wo woh us un is iss aur or and abhi tak ab kab customer customers party parties client ' +
    'clients buyer buyers supplier suppliers vendor vendors paisa paise payment payments amount balance dues ' +
    'bill bills invoice invoices order orders this last today yesterday kal aaj parso month week year ' +
    'mahine hafte saal please pls bhai ji sir madam tell show batao bata bataiye bolo give list best top ' +
    'biggest largest worst aging ageing mode method wise month quarter sales sale collection collections ' +
    'overdue outstanding sabse zyada jyada kaun kis kiska kiske kiski saal sabhi pichle pichhle pichla same ' +
    'time pending due lena dena baaki baki compared against versus vs every each any business businesses ' +
    'company companies system server on in sab poore pure sare saare fy trend inflow outflow minus plus net ' +
    'platform days day late many purchases purchase anything everything still be collected received ' +
    'right now money much from most for to of by with at'
  ).split(' '),
);

/** A name as a person wrote it in a slot: the words left when the glue around it is dropped. */
function nameIn(words: string): string | undefined {
  const kept = words.split(' ').filter((w) => w && !NOT_NAME.has(w) && !/^\d+$/.test(w));
  return kept.length > 0 && kept.length <= 5 ? kept.join(' ') : undefined;
}

const PARTY_SLOTS = [
  // "ABC Traders ka kitna baaki hai", "sharma ji se kitna aaya", "XYZ ne kitna diya"
  / ((?:[\p{L}\p{N}&.]+ ){1,5}?)(?:ka|ki|ke|se|ne|wale|wala|waale) (?:(?:is|iss|pichle|pichhle|last|this|aaj|kal) \p{L}+ )?(?:kitna|kitne|kitni|total|sara|saara|baaki|baki|payment|paisa|paise|balance|udhaar|udhar|dues|bill|invoice|order|abhi|ab)/u,
  // "how much does ABC Traders owe", "has Mehta paid"
  / (?:does|did|do|has|have|is) ((?:[\p{L}\p{N}&.]+ ){1,5}?)(?:owe|owes|pay|paid|buy|bought|order|ordered|still|overdue|late|due)/u,
  // "payments from ABC Traders", "sales to XYZ this month", "dues of Sharma"
  / (?:from|to|of|by|for) ((?:[\p{L}\p{N}&.]+ ){1,5}?)(?:(?:this|last|in|during|since|so far|till|until|today|yesterday) |\? |$)/u,
];

function partyOf(t: string): string | undefined {
  for (const slot of PARTY_SLOTS) {
    const m = slot.exec(t);
    const name = m?.[1] && nameIn(m[1].trim());
    if (name && !/^\d+$/.test(name)) return name;
  }
  return undefined;
}

const MONTH_NAMES: Record<string, number> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
const MONTHS = Object.keys(MONTH_NAMES);

/** "march", "mar 2026": the most recent such month that has begun. */
function monthOf(t: string, today: string): string | undefined {
  const m = re(`(${MONTHS.join('|')})(?: (20\\d\\d))?`).exec(t);
  if (!m?.[1]) return undefined;
  const month = MONTH_NAMES[m[1]] as number;
  const year = m[2] ? Number(m[2]) : Number(today.slice(0, 4));
  const key = `${year}-${String(month).padStart(2, '0')}`;
  return !m[2] && key > today.slice(0, 7) ? `${year - 1}-${key.slice(5)}` : key;
}

/** "the same time last year": what a comparison is made with, not the period asked about. */
const SAME_LAST_YEAR = / same (?:time|period|month|quarter|week|day) (?:as |of )?last year /g;

function periodOf(text: string, ctx: DateContext): MetricCall['period'] {
  const t = text.replace(SAME_LAST_YEAR, ' ');
  const today = localDate(ctx.now, ctx.timezone);
  const n = LAST_N_DAYS.exec(t);
  if (n?.[1] && n[1] !== '7' && n[1] !== '30') {
    const days = Math.max(1, Number(n[1]));
    const from = new Date(`${today}T00:00:00Z`);
    from.setUTCDate(from.getUTCDate() - (days - 1));
    return { from: from.toISOString().slice(0, 10), to: today };
  }
  // The first period said is the one asked about ("this quarter against last quarter").
  const said = PERIOD_WORDS.map(([period, words]) => ({ period, at: words.exec(t)?.index ?? -1 }))
    .filter((p) => p.at >= 0)
    .sort((a, b) => a.at - b.at)[0];
  const q = QUARTER.exec(t);
  const quarter = q ? Number(q[1] ?? q[2] ?? QUARTER_WORDS[q[3] ?? '']) : undefined;
  if (quarter && (!said || (q?.index ?? 0) < said.at)) return `q${quarter}` as MetricCall['period'];
  const fy = FY_YEARS.exec(t);
  if (fy?.[1] && fy[2] && (Number(fy[1]) + 1) % 100 === Number(fy[2])) return `fy${fy[1]}-${fy[2]}`;
  if (said) return said.period;
  return monthOf(t, today);
}

const SINCE = re('since|ke baad se|ke baad|jab se|tab se|se lekar');

/** What someone asks to have done, as against a number they want: such a message is a request. */
const REQUEST = re(
  'send|bhej\\w*|call|phone|ring|pay|paid|file|deposit|prepare|make|bana\\w*|book|order (?:karo|kar|de|do)|check|verify|email|mail|whatsapp|message|msg|remind|yaad|karo|kar do|kar dena|karna|karni|karne|kar liya|kar li|kar lia|de di|de diya|diya|ho gaya|ho gayi|ho gaye|done|completed|finished|lana|lao|le aao|collect|recover|get|take|add|create|note|save|shift|move|postpone|prepone|push|reschedule|cancel|count',
);

/**
 * A business number named without a question ("sales last month", "last 7 days ka collection", "top 3
 * customers by sales"): a metric and a period or a ranking, and nothing asked to be done.
 */
export function namesNumbers(norm: string): boolean {
  const t = normalise(norm);
  const epoch = { now: new Date(0), timezone: 'UTC' };
  const q = parseBusinessQuestion(norm, epoch);
  // "total receivables pls", "overdue aging report": a total or a report of a metric is a number asked for.
  const totalAsked = TOTAL_ASKED.test(t);
  // "total salary paid last month": a total of what the books cannot tell is still a question.
  if (totalAsked && OUTSIDE.test(t) && periodOf(t, epoch) !== undefined) return true;
  // A verb of doing asks for something done, except the GST paid on purchases and what is still to be collected.
  const asksNumber = q.kind === 'metric' && (q.call.metric === 'gst_paid' || STILL_TO_COME.test(t));
  if (REQUEST.test(t) && !asksNumber) return false;
  if (FESTIVALS.test(t) || (OUTSIDE.test(t) && periodOf(t, epoch) !== undefined)) return true;
  if (q.kind !== 'metric') return false;
  const { period, group_by, compare_to } = q.call;
  return (
    totalAsked ||
    STILL_TO_COME.test(t) ||
    period !== undefined ||
    group_by !== undefined ||
    compare_to !== undefined ||
    q.party !== undefined
  );
}

const TOTAL_ASKED = re('total|overall|kul|report');
const STILL_TO_COME = re('(?:still )?to be (?:collected|received)|yet to (?:collect|receive|come)');

export function parseBusinessQuestion(text: string, ctx: DateContext): BusinessQuestion {
  const t = normalise(text);
  const festival = FESTIVALS.exec(t);
  if (festival) return { kind: 'ask_period', said: festival[0] };
  // "since the new shop opened", "dukaan khulne ke baad se": a start only the owner knows the date of.
  const since = SINCE.exec(t);
  if (since && periodOf(t, ctx) === undefined) return { kind: 'ask_period', said: since[0] };
  if (OUTSIDE.test(t) || RUNNING_COSTS.test(t)) return { kind: 'outside' };
  const metric = METRIC_WORDS.find(([, words]) => words.test(t))?.[0];
  if (!metric) return { kind: 'outside' };
  const call: MetricCall = { metric };
  const period = periodOf(t, ctx);
  // A balance stands today; only the bank's can be asked of an earlier day.
  if (
    period &&
    (metric === 'bank_balance' || (!metric.endsWith('outstanding') && metric !== 'overdue_receivables'))
  ) {
    call.period = period;
  }
  if (COMPARE.test(t) && call.period) {
    call.compare_to =
      LAST_YEAR.test(t) && call.period !== 'last_fy' ? 'same_period_last_year' : 'previous_period';
  }
  const party = partyOf(t);
  const grouped = GROUPS.find(([, words]) => words.test(t))?.[0];
  if (grouped) call.group_by = grouped;
  else if (!party && PARTY_RANKING.test(t) && metric !== 'bank_balance' && metric !== 'settlements') {
    call.group_by = 'party';
  }
  const top = TOP_N.exec(t);
  if (top) call.limit = Number(top[1] ?? top[2]);
  if (ASCENDING.test(t)) call.order = 'asc';
  return party ? { kind: 'metric', call, party } : { kind: 'metric', call };
}
