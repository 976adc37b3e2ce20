import { type Dimension, METRICS, type MetricName } from '../../domain/insights/metrics.ts';
import type { MetricCall } from '../../domain/insights/query.ts';
import { localDate } from '../../domain/time.ts';
import type { DateContext } from './dates.ts';
import { MUST_BE } from './lexicon.ts';

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
  'dhanteras',
  'durga puja',
  'ganpati',
  'janmashtami',
  'karva chauth',
  'sankranti',
  'makar sankranti',
  'ugadi',
  'gudi padwa',
  'bihu',
  'chhath',
  'ramzan',
  'ramadan',
  'bakrid',
  // seasons whose dates only the owner knows: "festive season mein kitna becha", "shaadi ke season mein"
  'festive season',
  'festival season',
  'tyohar',
  'tyohaar',
  'tyoharon',
  'wedding season',
  'shaadi season',
  'shaadi ke season',
  'monsoon',
  'lockdown',
]);

/**
 * A customer named as the one who acted ("Iyer Stores ne kitna diya", "kisne", "customers ne"), as against
 * the owner ("maine", "hum ne"): what they paid came in, what they bought was sold.
 */
const THEY = '(?:kisne|kinhone|(?<!(?:hum|ham|main|mai|mein|suppliers?|vendors?) )ne)';
/** Up to a few words in between, where Hinglish puts the period, the amount and "sabse zyada". */
const GAP = '(?:\\S+ ){0,5}?';
/** The owner's side of a debt: "humpe", "mere upar". What is owed on us is payable. */
const ON_US =
  '(?:humpe|hampe|humpar|hampar|mujhpe|mujhpar|(?:hum|ham|mujh) (?:pe|par)|(?:hamare|humare|mere) upar)';

/** Each metric with the words that ask for it, tried in this order: the first that matches wins unless its `not` words are said too. */
const METRIC_WORDS: [MetricName, RegExp, RegExp?][] = [
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
    // "account me kitna jama hua", "bank me kitna aaya": money that came in, not what the bank holds
    re('jama (?:hua|hue|hui|huye)|credit (?:hua|hue|hui)|aaya|aya|aaye|aayi|aai|mila|mile|came|received'),
  ],
  ['order_count', re('orders?|order count|kitne order\\w*')],
  [
    'overdue_receivables',
    re(
      'overdue|late (?:pay\\w*|hai|hain|deta|dete|karta|karte|wale|wala|waale|wali|chal\\w*|ho\\w*)|pays? late|der se|past (?:the )?due|time nikal gaya|date nikal gayi|due nikal\\w*' +
        // "due date nikalne ke baad bhi", "jinki due date cross ho gayi"
        '|due date (?:\\S+ ){0,2}?(?:ke baad|nikal\\w*|cross\\w*|over|gone|beet\\w*|guzar\\w*|chali|khatam)' +
        // "time pe paisa nahi de rahe", "time par payment nahi karte"
        '|time (?:pe|par|se) (?:\\S+ ){0,3}?(?:nahi|nahin|na)|delay\\w* (?:payment|karta|karte)' +
        // "90 din se upar ka kitna atka hai": older than a number of days is past its due date
        '|\\d+ (?:din|days) se (?:upar|zyada|jyada|purana|purane|puraana|above|over)',
    ),
  ],
  [
    'payables_outstanding',
    re(
      `(?:i|we) (?:still )?owe|do i owe|payables?|(?:mujhe|humein|hame|hamein|mereko|humko) .*(?:dena|dene|deni) (?:hai|hain|baaki|baki)|(?:dena|dene|deni) (?:hai|hain|baaki|baki|bacha)|(?:supplier|suppliers|vendor|vendors) (?:ko|ka|ke) .*(?:baaki|baki|bakaya|udhaar|udhar|outstanding|pending|dena)|unpaid bills?|bills? (?:pending|baaki|baki|to pay)` +
        // "kitna chukana hai", "chukana baaki hai": what the owner has to pay off
        `|(?:chukana|chukane|chukani|chukaana) (?:\\S+ )?(?:hai|hain|h|baaki|baki|bacha)|(?:kitna|kitne|kitni) (?:\\S+ )?(?:chukana|chukane|chukani)|${ON_US}` +
        // "suppliers ko kitna payment karna hai": a payment still to make
        '|(?:payment|paisa|paise|bhugtan) (?:\\S+ )?(?:karna|karni|karne) (?:hai|h|hain|baaki|baki|bacha)',
    ),
  ],
  [
    'receivables_outstanding',
    re(
      'owes?|owed|owing|dues|due from|receivables?|outstanding|pending from|stuck (?:with|in)|udhari|udhaari|(?:market|bazaar|bazar) (?:mein|me|main) (?:kitna|paisa)|(?:still )?to be (?:collected|received|paid)|yet to (?:collect|receive|come)|(?:fasa|phasa|atka|atki|atke) (?:hua|hai|hain|pada)|baaki|baki|bakaya|udhaar|udhar|(?:lena|lene|leni) (?:hai|hain|baaki|baki)|pending (?:payment|amount|paisa)|payment pending|not (?:yet )?paid|unpaid|credit (?:pe|par) (?:diya|hai)' +
        // "kitna aana hai", "kitna paisa pending hai", "abhi tak nahi diya": money still to come in
        '|(?:aana|aane|aani) (?:hai|hain|h|baaki|baki|bacha)|(?:kitna|kitni|kitne|paisa|paise|payment|amount) (?:\\S+ )?pending|(?:nahi|nahin) (?:diya|diye|di|kiya|kiye|bheja|chukaya|aaya|aya|mila)' +
        // "ABC ka kitna nikalta hai", "kitna banta hai unka"
        '|(?:nikalta|nikalte|nikalti|banta|bante|banti) (?:hai|h|hain)',
    ),
  ],
  // what a customer bought is a sale
  [
    'sales',
    re(
      `(?:customers?|buyers?|clients?|grahak) (?:\\w+ )?(?:bought|purchased|kharid\\w*)|billed|(?:did|do) (?:i|we) bill` +
        `|${THEY} ${GAP}(?:kharid\\w*|liya|liye|li|mangaya|mangwaya|order kiya)|(?:humse|hamse|mujhse|hum se) ${GAP}(?:liya|liye|li|kharid\\w*|mangaya|mangwaya)|(?:liya|liye|kharida|mangaya|mangwaya) (?:humse|hamse|mujhse)` +
        // "kitne bill kate", "kitna maal gaya/nikla", "maal kaun leta hai": goods billed out
        '|(?:kaun|kon|kisne|customers?|grahak) (?:\\S+ ){0,3}?(?:leta|lete|leti|kharidta|kharidte|kharidti)|bills? (?:kata|kate|kaate|kaata|bana|bane|banaye|banaya)|(?:maal|saman|samaan) (?:gaya|nikla|bika|becha)',
    ),
  ],
  // what a customer paid came in
  [
    'payments_received',
    re(
      `${THEY} ${GAP}(?:diya|diye|di|kiya|kiye|bheja|bheje|pay|paid|chukaya|jama kiya|jama karaya|transfer kiya)`,
    ),
  ],
  [
    'purchases',
    re(
      'purchases?|purchased|bought|kharid\\w*|maal (?:liya|mangaya|aaya)|procure\\w*|(?:suppliers?|vendors?) (?:ka|ke|ki|ne|se) (?:\\S+ ){0,3}?(?:bills?|maal)',
    ),
  ],
  [
    'net_cash_flow',
    re(
      'cash ?flow|net cash|inflow|outflow|in (?:and|vs|minus) (?:money )?out|kitna (?:aaya|aya) (?:aur |or )?kitna (?:gaya|gya)|aane jaane|aaya aur gaya' +
        // "aaya minus gaya", "paisa aaya zyada ya gaya zyada" ("jama ho gaya" is no money going out)
        '|(?:aaya|aya|aaye|aayi)(?: \\S+){0,6}? (?<!ho )(?:gaya|gya|gaye|gayi)|(?:gaya|gya|gaye)(?: \\S+){0,6}? (?:aaya|aya|aaye)|credit (?:aur|and|vs|minus) debit|in (?:aur|or|ya) out' +
        // "net kitna raha": net of what came in and went out, unless net of something else
        '|net(?! (?:sales?|bikri|profit|margin|worth|gst|tax|banking) )',
    ),
  ],
  [
    'payments_made',
    re(
      'paid (?:out|to)|payments? (?:made|out|to|diye|di|kiye|kiya)|(?:we|i) (?:\\w+ )?(?:pay|paid) (?:our |my |the )?(?:suppliers?|vendors?)|(?:maine|humne|hamne) .*(?:diya|diye|di|bheja|bheje|kiya)|outgoing|(?:paisa|paise) gaya|gaye kitne|kitna (?:gaya|diya)' +
        // "suppliers ko kitna paisa bheja", "kitna payment bheja": money sent out
        '|ko (?:(?!maal )\\S+ ){0,4}?(?:bheja|bheje|diya|diye|di|chukaya|transfer kiya)|(?:kitna|kitne|kitni) (?:\\S+ )?(?:bheja|bheje)|(?:payment|paisa|paise) (?:bheja|bheje)',
    ),
  ],
  [
    'payments_received',
    re(
      'payments? (?:from|by)|(?:pay|pays|paid) (?:us|me|anything)|collections?|collected|collect|received|receive|receipts?|aaya|aya|aaye|aaya hai|aayi|mila|mile|mili|jama|credit hua|came in|come in|money in|(?:paisa|paise|payment) (?:aaya|aya|aaye|mila|mile|aayi)|kitna paisa|incoming|vasooli|wasooli|vasuli|wasool\\w*|vasool\\w*',
    ),
  ],
  [
    'sales',
    re(
      'sales?|sell\\w*|sold|revenue|turnover|bikri|bikree|bech\\w*|bik\\w*|billing|invoiced|invoices?|income|kamai|kamaya|kamayi|business (?:hua|kitna|kaisa)|dhan?dha|karobar|buyers?|customers?|clients?',
    ),
  ],
  // "ABC Traders ka hisaab": where the account with a customer stands ("mahine ke hisaab se" is a grouping)
  ['receivables_outstanding', re('(?:hisaab|hisab|khata|khaata)(?! se )')],
  // "Iyer Stores ka last payment": a payment, said of no one paid, is one that came in
  ['payments_received', re('payments?')],
];

const PARTY_RANKING = re(
  'which|who|whom|kaun|kaunsa|kaunse|kaunsi|kis|kisne|kisko|kiska|kiske|kiski|kinhone|top|best|biggest|largest|highest|most|least|lowest|smallest|sabse|party ?wise|customer ?wise|client ?wise|supplier ?wise|list',
);
const GROUPS: [NonNullable<MetricCall['group_by']>, RegExp][] = [
  [
    'aging',
    re(
      // "30 60 90 wise", "90 din se upar" ("pichle 30 din" is a period)
      'aging|ageing|how (?:old|late)|how many days|days late|(?<!(?:last|past|pichle|pichhle|pichla) )(?:30|60|90) (?:din|days)|30 60 90|din se (?:zyada|jyada) purana|kitne din (?:se|purana|purane)|buckets?',
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
      'month ?wise|monthly|by month|per month|mahine ?war|mahina dar mahina|mahine dar mahine|mahine mahine|month month|har month|mahine (?:ke )?(?:hisab|hisaab|wise)|har mahine|mahina ?wise|month by month',
    ),
  ],
  [
    'week',
    re(
      'week ?wise|weekly|by week|per week|hafte (?:ke )?(?:hisab|hisaab|wise)|har hafte|hafte hafte|hafta ?wise|week by week',
    ),
  ],
  [
    'day',
    re(
      'day ?wise|daily|by day|per day|roz|rozana|din (?:ke )?(?:hisab|hisaab|wise)|har din|din din|date ?wise|day by day',
    ),
  ],
  ['quarter', re('quarter ?wise|quarterly|by quarter|per quarter|har quarter|quarter dar quarter')],
  ['fy', re('year ?wise|yearly|by year|per year|saal ?wise|har saal|saal dar saal|fy ?wise')],
];

/** A trend, graph or chart: a series over time, by month over a year or more, else by day. */
const SERIES = re('trend|graph|chart|ups and downs|utar chadhav');
const LONG_PERIODS = new Set<unknown>([
  'this_fy',
  'last_fy',
  'this_quarter',
  'last_quarter',
  'q1',
  'q2',
  'q3',
  'q4',
]);

const COMPARE = re(
  'vs|versus|against|compared?|comparison|mukab\\w*|muqab\\w*|tulna|badha|ghata|growth|change|up from|down from|more than|less than|higher than|lower than' +
    // "pichle hafte se kitna kam", "kam hai ya zyada", "upar niche hui", "uske pehle wale mahine se"
    '|se (?:kitna |kitni |kitne )?(?:zyada|jyada|kam|upar|neeche|niche|behtar|better)|(?:kam|zyada|jyada) (?:hai |thi |hui )?ya (?:kam|zyada|jyada)|upar (?:niche|neeche)|(?:uske|usse|us se) pehle',
);
const LAST_YEAR = re(
  '(?:same (?:time|period|month|quarter) )?last year|pichle saal|pichhle saal|pichla saal|isi time pichle|year on year|yoy',
);
/** Two periods said one after the other ("is mahine aur pichle mahine ki sale"): one is compared with the other. */
const PERIODS_JOINED = re('aur|ya|and|or|vs|se');

const PERIOD_WORDS: [Exclude<MetricCall['period'], object | undefined>, RegExp][] = [
  ['day_before_yesterday', re('day before yesterday|parso|parson|parsoon')],
  ['yesterday', re('yesterday|kal|kl|beeta kal|kal ka|kal ki')],
  ['today', re('today|aaj|aj|aaj ka|aaj ki|abhi tak aaj|so far today')],
  [
    'last_week',
    re(
      'last week|previous week|pichle hafte|pichhle hafte|pichla hafta|pichle week|last hafte|pichhle week|(?:beete|guzre) hafte',
    ),
  ],
  ['this_week', re('this weeks?|is hafte|iss hafte|is week|iss week|current week|hafte (?:mein|me|bhar)')],
  [
    'last_month',
    re(
      'last month|previous month|pichle mahine|pichhle mahine|pichla mahina|pichle month|last mahine|(?:beete|guzre) mahine',
    ),
  ],
  [
    'this_month',
    re(
      'this months?|is mahine|iss mahine|is month|iss month|current month|chalu (?:mahine|month)|(?:ye|yeh) mahin[ae]|mahine (?:mein|me|bhar)|month to date|mtd',
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
/** "FY 24-25", "fy25": a financial year by its two-digit years (FY25 ends in March 2025). */
const FY_SHORT = re('fy ?(?:(\\d\\d) )?(\\d\\d)');
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
    'right now money much from most for to of by with at ' +
    // people in general and the market, not one of them: "logo se kitna lena hai", "bazaar ka baaki"
    'log logo logon bazaar bazar market duniya grahak grahakon ' +
    // how money moves: "UPI se kitna aaya"
    'upi cash card cheque neft rtgs imps online gpay paytm phonepe bank account khata ' +
    // who and which: "jinka baaki hai", "unka total", "humse", "wale"
    'jo jinka jinki jinke jinpe jinse jinhone unka unki unke unpe unse humse hamse humko hamko humein hume ' +
    'humpe mujhse mujhe mereko wale wala waale wali yaar boss sahab saab kuch koi bhi ' +
    // the numbers asked about and their verbs: "90 din se upar ka", "maal", "figure"
    'din upar neeche niche maal udhaar udhar udhari bakaya hisaab hisab figure report breakup ktna ktni ' +
    'aaya aya mila diya kiya bheja hua hui raha rahi gaya gayi har isi usi subah shaam raat dopahar ' +
    // everyone's books, which an instruction may ask for: "sab dukaano ka", "dusre tenants ka data"
    'dukaan dukan dukaano dukano dukaanon dukanon shop shops tenant tenants user users database data ' +
    'dusre doosre dusron other others another sabka sabki sabke sirf only ignore instructions rules admin ' +
    'saari sari puri poori pura poora sara saara chalu beete guzre businesson companiyon companiyo firm firms ' +
    'firmon vyapari vyapariyon dukandar dukandaar dukandaron owner owners malik maalik entire whole across ' +
    'above previous prompt developer mode apna apne apni tumhara tumhare aapka aapke uska uske iska iske inka ' +
    'inke inki kisi'
  ).split(' '),
);

/**
 * A word that is not part of a name: glue, a number, a month, or a word that by itself asks for a metric
 * or a breakdown ("turnover ka", "kharid pe", "roz ki", "har mahine").
 */
const isGlue = (w: string) =>
  NOT_NAME.has(w) ||
  /^\d+$/.test(w) ||
  w in MONTH_NAMES ||
  [...METRIC_WORDS, ...GROUPS].some(([, words]) => words.test(` ${w} `));

/** Words that join two names: a question about both is a ranking of parties, not about one. */
const TWO_NAMES = new Set(['aur', 'ya', 'vs', 'versus', 'or']);
/** What follows a name as a courtesy ("Sharma ji", "Iyer bhai", "ABC wale"), not part of it. */
const HONORIFIC = new Set('ji bhai bhaiya sahab saab sir seth sethji madam wale wala waale wali'.split(' '));
/** Glue that can stand inside a name: "Gupta and Sons". */
const IN_NAME = new Set(['and', '&']);

/**
 * The name right before a Hinglish postposition: courtesies dropped, back to the first glue word; `null`
 * when two names are joined ("mehta aur gupta"). A slot that ends in glue ("sab companies ka", "is mahine
 * ka") names no one.
 */
function nameBefore(words: string): string | null | undefined {
  const ws = words.split(' ').filter(Boolean);
  let end = ws.length;
  while (end > 0 && HONORIFIC.has(ws[end - 1] as string)) end--;
  const inName = (i: number) =>
    !isGlue(ws[i] as string) || (IN_NAME.has(ws[i] as string) && i > 0 && !isGlue(ws[i - 1] as string));
  let start = end;
  while (start > 0 && end - start < 5 && inName(start - 1)) start--;
  if (start === end) return undefined;
  if (start >= 2 && TWO_NAMES.has(ws[start - 1] as string) && !isGlue(ws[start - 2] as string)) return null;
  return ws.slice(start, end).join(' ');
}

/** A name in an English slot ("does ABC Traders owe"): the words left when the glue around it is dropped. */
function nameAmong(words: string): string | undefined {
  const kept = words.split(' ').filter((w) => w && !isGlue(w));
  return kept.length > 0 && kept.length <= 5 ? kept.join(' ') : undefined;
}

/** A Hinglish postposition after a name: "ABC ka", "Iyer Stores ne", "Mehta pe", "Gupta ji ko", "ABC wale". */
const POSTPOSITION =
  '(?:ka|ki|ke|se|ne|ko|pe|par|wale|wala|waale|wali|ke yahan|ke yaha|ki taraf|ke upar|ke paas|ke naam (?:pe|par|se))';
/** What comes soon after a name in a question about it: how much, the money, the metric. */
const ABOUT_IT =
  '(?:kitna|kitne|kitni|ktna|ktni|total|sara|saara|pura|poora|baaki|baki|bakaya|payment|paisa|paise|balance|udhaar|udhar|dues|bill\\w*|invoice\\w*|orders?|abhi|ab|hisaab|hisab|khata|overdue|pending|outstanding|sales?|bikri|maal|collection|kuch|koi)';

const HINGLISH_SLOT = {
  // "ABC Traders ka kitna baaki hai", "sharma ji se kitna aaya", "Iyer Stores ne feb me kitna diya"
  slot: new RegExp(` ((?:[\\p{L}\\p{N}&.]+ ){1,5}?)${POSTPOSITION} (?:\\S+ ){0,3}?${ABOUT_IT}(?= )`, 'uy'),
  name: nameBefore,
};
const PARTY_SLOTS = [
  HINGLISH_SLOT,
  {
    // "how much does ABC Traders owe", "has Mehta paid"
    slot: / (?:does|did|do|has|have|is) ((?:[\p{L}\p{N}&.]+ ){1,5}?)(?:owe|owes|pay|paid|buy|bought|order|ordered|still|overdue|late|due)/uy,
    name: nameAmong,
  },
  {
    // "payments from ABC Traders", "sales to XYZ this month", "dues of Sharma"
    slot: / (?:from|to|of|by|for) ((?:[\p{L}\p{N}&.]+ ){1,5}?)(?:(?:this|last|in|during|since|so far|till|until|today|yesterday) |\? |$)/uy,
    name: nameAmong,
  },
];

function partyOf(t: string, slots = PARTY_SLOTS): string | undefined {
  for (const { slot, name: nameIn } of slots) {
    // from every word on: a reading that is all glue ("is mahine ka") does not hide a name after it
    for (let at = 0; at >= 0 && at < t.length - 1; at = t.indexOf(' ', at + 1)) {
      slot.lastIndex = at;
      const m = slot.exec(t);
      const name = m?.[1] ? nameIn(m[1].trim()) : undefined;
      if (name === null) return undefined;
      if (name) return name;
    }
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

const YEAR_BEFORE = '(?:last|previous) year|(?:pichle|pichhle|pichla) (?:saal|baras|year)';
const SAME_TIME =
  '(?:same|isi|usi) (?:time|period|month|quarter|week|day|mahine|mahina|hafte|din|waqt|samay)';
/**
 * "the same time last year", "last year same month", "pichle saal isi mahine": what a comparison is made
 * with, not the period asked about.
 */
const SAME_LAST_YEAR = new RegExp(
  ` (?:${SAME_TIME} (?:as |of |in |ka |ki |ke )?(?:${YEAR_BEFORE})|(?:${YEAR_BEFORE}) (?:ka |ki |ke |me |mein )?${SAME_TIME}) `,
  'g',
);

/** The named periods a text says, in the order said. */
function periodsSaid(t: string) {
  return PERIOD_WORDS.map(([period, words]) => {
    const m = words.exec(t);
    return { period, at: m?.index ?? -1, end: (m?.index ?? 0) + (m?.[0].length ?? 0) };
  })
    .filter((p) => p.at >= 0)
    .sort((a, b) => a.at - b.at);
}

/** Two different periods said with only a joining word between them ("is hafte vs pichle hafte"). */
function periodsJoined(text: string): boolean {
  const t = text.replace(SAME_LAST_YEAR, ' ');
  const [first, second] = periodsSaid(t);
  if (!first || !second || first.period === second.period) return false;
  return PERIODS_JOINED.test(t.slice(first.end, second.at + 1));
}

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
  const said = periodsSaid(t)[0];
  const q = QUARTER.exec(t);
  const quarter = q ? Number(q[1] ?? q[2] ?? QUARTER_WORDS[q[3] ?? '']) : undefined;
  if (quarter && (!said || (q?.index ?? 0) < said.at)) return `q${quarter}` as MetricCall['period'];
  const fy = FY_YEARS.exec(t);
  if (fy?.[1] && fy[2] && (Number(fy[1]) + 1) % 100 === Number(fy[2])) return `fy${fy[1]}-${fy[2]}`;
  const short = FY_SHORT.exec(t);
  if (short?.[2] && (!short[1] || (Number(short[1]) + 1) % 100 === Number(short[2]))) {
    const end = Number(short[2]);
    return `fy20${String(end - 1).padStart(2, '0')}-${short[2]}` as MetricCall['period'];
  }
  if (said) return said.period;
  return monthOf(t, today);
}

const SINCE = re(
  'since|ke baad se|ke baad|jab se|tab se|se lekar|se pehle|ever since|from the day|from when|(?:after|before|during) (?:the|we|our|my|it|they)',
);

/**
 * What someone asks to have done, as against a number they want: such a message is a request. Money
 * still owed, said without a question, is one to collect ("Mr Kamath owes us 18k", "… kal maangna"); money
 * to pay out is a chore ("clear the supplier's dues by monday", "GST bhar dena by 20th"); so is a thing that
 * must be done to it ("Rao sir's invoice needs to be prepared by friday", "bill to be sent today").
 */
const REQUEST = re(
  `${MUST_BE}|to be \\w+(?:ed|en|nt)|owes|owe (?:us|me)|maang\\w*|vasool\\w*|lena|lene|leni|meeting|milna|send|bhej\\w*|call|phone|ring|speak|talk|discuss|meet|visit|ask|follow up|pay|paid|clear|settle|chuka\\w*|bhar (?:do|dena|de)|bharna|bharni|bharne|file|deposit|prepare|make|bana\\w*|book|order (?:karo|kar|de|do)|check|verify|email|mail|whatsapp|message|msg|remind|yaad|karo|kar do|kar dena|karna|karni|karne|kar liya|kar li|kar lia|de di|de diya|diya|ho gaya|ho gayi|ho gaye|done|completed|finished|lana|lao|le aao|collect|recover|get|take|add|create|note|save|shift|move|postpone|prepone|push|reschedule|cancel|count`,
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
  // A verb of doing asks for something done, except the GST paid on purchases, what is still to be
  // collected and a report of the numbers sent to the owner.
  const asksNumber =
    q.kind === 'metric' &&
    (q.call.metric === 'gst_paid' || STILL_TO_COME.test(t) || (REPORT_ASKED.test(t) && !SENT_TO.test(t)));
  if (REQUEST.test(t) && !asksNumber) return false;
  // "kal ABC ko payment dena hai": something to do, however much it names the accounts
  if (TO_DO.test(t) && !asksNumber) return false;
  if (FESTIVALS.test(t) || (OUTSIDE.test(t) && periodOf(t, epoch) !== undefined)) return true;
  // "sales since we opened the new branch": a number asked over dates to be asked about
  if (q.kind === 'ask_period') return true;
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

/**
 * "Patel Agencies ka kuch baaki hai kya": what a customer named by a postposition still owes, a question
 * about the accounts even in words a task list also uses ("aaj ka kuch baaki hai" names no one).
 */
export function asksWhatPartyOwes(norm: string): boolean {
  const q = parseBusinessQuestion(norm, { now: new Date(0), timezone: 'UTC' });
  return (
    q.kind === 'metric' &&
    partyOf(normalise(norm), [HINGLISH_SLOT]) !== undefined &&
    (q.call.metric === 'receivables_outstanding' || q.call.metric === 'overdue_receivables')
  );
}

const TOTAL_ASKED = re('total|overall|kul|report');
/** "sales figure bhejo", "aging report dikhao", "party wise list do": the numbers asked to be sent or shown. */
const REPORT_ASKED = re(
  '(?:report|figures?|list|breakup|break up|summary|statement|details?) (?:bhejo|bhej do|bhejiye|dikhao|dikha do|do|de do|dijiye|batao|bata do|chahiye|send karo)',
);
/** Someone else it is to go to ("CA ko report bhejo"): a task, not a question. */
const SENT_TO = re('(?!(?:mujhe|mereko|humko|hamko|hume|humein|idhar|yaha|yahan) )\\S+ ko');
/** "dena hai", "chukana hai", "bhejna hai": something to be done. */
const TO_DO = re('\\S+(?:na|ni|ne) (?:hai|h|hain)');
const STILL_TO_COME = re('(?:still )?to be (?:collected|received)|yet to (?:collect|receive|come)');

/** "due date ke baad", "after the due date": a due date, which the books know, not a start only the owner does. */
const AFTER_DUE_DATE = re(
  '(?:due|date|deadline|muddat)(?: \\S+){0,2} (?:ke baad|se pehle)|(?:after|before) (?:the )?(?:due|deadline)',
);

/** Ways of paying: two of them named ask for the split between them ("UPI se kitna aaya aur cash me kitna"). */
const METHODS = /(?<= )(?:upi|cash|card|cheque|neft|rtgs|imps|online|gpay|paytm|phonepe)(?= )/g;

/** How the numbers are broken down, among the ways the metric can be ("pichle 30 din" is no aging of payments). */
function groupOf(t: string, metric: MetricName, period: MetricCall['period']): MetricCall['group_by'] {
  const can = (group: Dimension) => (METRICS[metric].dimensions as readonly Dimension[]).includes(group);
  const grouped = GROUPS.find(([group, words]) => can(group) && words.test(t))?.[0];
  if (grouped) return grouped;
  if (new Set(t.match(METHODS)).size > 1 && can('method')) return 'method';
  if (!SERIES.test(t) || !can('month')) return undefined;
  return period === undefined ||
    LONG_PERIODS.has(period) ||
    (typeof period === 'string' && period.startsWith('fy'))
    ? 'month'
    : 'day';
}

export function parseBusinessQuestion(text: string, ctx: DateContext): BusinessQuestion {
  const t = normalise(text);
  const festival = FESTIVALS.exec(t);
  if (festival) return { kind: 'ask_period', said: festival[0] };
  // "since the new shop opened", "dukaan khulne ke baad se": a start only the owner knows the date of.
  const since = SINCE.exec(t);
  if (since && !AFTER_DUE_DATE.test(t) && periodOf(t, ctx) === undefined) {
    return { kind: 'ask_period', said: since[0] };
  }
  if (OUTSIDE.test(t) || RUNNING_COSTS.test(t)) return { kind: 'outside' };
  const metric = METRIC_WORDS.find(([, words, not]) => words.test(t) && !not?.test(t))?.[0];
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
  const party = partyOf(t);
  const grouped = groupOf(t, metric, call.period);
  if (grouped) call.group_by = grouped;
  else if (!party && PARTY_RANKING.test(t) && metric !== 'bank_balance' && metric !== 'settlements') {
    call.group_by = 'party';
  }
  if (call.period) {
    const sameTimeLastYear = t.replace(SAME_LAST_YEAR, ' ') !== t;
    // "ABC vs Patel, is saal kisne zyada liya": parties set against each other in one period is a ranking
    const partiesCompared = call.group_by === 'party' && periodsSaid(t).length < 2;
    if (sameTimeLastYear || periodsJoined(t) || (COMPARE.test(t) && !partiesCompared)) {
      // a year compared with the year before is the previous period
      const yearAgo =
        sameTimeLastYear || (LAST_YEAR.test(t) && call.period !== 'last_fy' && call.period !== 'this_fy');
      call.compare_to = yearAgo ? 'same_period_last_year' : 'previous_period';
    }
  }
  const top = TOP_N.exec(t);
  if (top) call.limit = Number(top[1] ?? top[2]);
  if (ASCENDING.test(t)) call.order = 'asc';
  return party ? { kind: 'metric', call, party } : { kind: 'metric', call };
}
