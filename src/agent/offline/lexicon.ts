/**
 * The words the offline parser knows, English and everyday romanised Hindi as owners type them on
 * WhatsApp. Entries are regular-expression sources over the normalised text (lower case, apostrophes
 * dropped, common misspellings folded by `SPELLING`); `alt()` joins them longest first so that
 * "ho gaya" wins over "ho".
 */

/** Joins alternatives, the one matching the longest text first, as one non-capturing group. */
export const alt = (entries: readonly string[]): string =>
  `(?:${[...entries].sort((a, b) => matchedLength(b) - matchedLength(a)).join('|')})`;

/** How long a pattern is without its lookarounds, which match no text: the measure `alt` sorts by. */
function matchedLength(source: string): number {
  let length = 0;
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      i++;
      if (depth === 0) length += 2;
    } else if (depth === 0 && /^\(\?<?[=!]/.test(source.slice(i, i + 4))) depth = 1;
    else if (depth > 0 && source[i] === '(') depth++;
    else if (depth > 0 && source[i] === ')') depth--;
    else if (depth === 0) length++;
  }
  return length;
}

/** Whole-token matcher over the normalised text (tokens are separated by single spaces). */
export const words = (source: string): RegExp => new RegExp(`(?<=^|\\s)(?:${source})(?=\\s|$)`, 'g');

/**
 * Hindi weekdays as owners type them, "-war", "-waar" or "-vaar" after the day's stem ("somwar", "mangalvaar")
 * or after a stem of its own ("shukarwar", "shukarvar"), folded to the "-var" of WEEKDAYS.
 */
const WEEKDAY_SPELLINGS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries({
    som: 'som',
    mangal: 'mangal',
    budh: 'budh',
    guru: 'guru',
    veer: 'veer',
    brihaspati: 'brihaspati',
    shukra: 'shukra',
    shukar: 'shukra',
    shani: 'shani',
    ravi: 'ravi',
  }).flatMap(([typed, stem]) =>
    ['war', 'waar', 'vaar', ...(typed === stem ? [] : ['var'])].map((end) => [
      `${typed}${end}`,
      `${stem}var`,
    ]),
  ),
);

/** One-word spellings folded to the form the rest of the lexicon uses. */
export const SPELLING: Readonly<Record<string, string>> = {
  ...WEEKDAY_SPELLINGS,
  // English shorthand
  tmrw: 'tomorrow',
  tmr: 'tomorrow',
  tmrow: 'tomorrow',
  tmro: 'tomorrow',
  tomorow: 'tomorrow',
  tommorow: 'tomorrow',
  tommorrow: 'tomorrow',
  tomorro: 'tomorrow',
  tomm: 'tomorrow',
  tmw: 'tomorrow',
  tomo: 'tomorrow',
  '2moro': 'tomorrow',
  '2morrow': 'tomorrow',
  '2mrw': 'tomorrow',
  tdy: 'today',
  '2day': 'today',
  tonite: 'tonight',
  '2nite': 'tonight',
  // "w.r.t.": with respect to, a topic marker
  'w.r.t': 'wrt',
  jara: 'zara',
  zra: 'zara',
  zaraa: 'zara',
  pls: 'please',
  plz: 'please',
  plss: 'please',
  plzz: 'please',
  plez: 'please',
  pleaseee: 'please',
  mrng: 'morning',
  mng: 'morning',
  morng: 'morning',
  evng: 'evening',
  eve: 'evening',
  aftn: 'afternoon',
  aftrn: 'afternoon',
  hrs: 'hours',
  hr: 'hour',
  mins: 'minutes',
  min: 'minute',
  b4: 'before',
  nxt: 'next',
  wk: 'week',
  u: 'you',
  remaind: 'remind',
  remnd: 'remind',
  rmnd: 'remind',
  followup: 'follow up',
  followups: 'follow ups',
  'follow-up': 'follow up',
  'follow-ups': 'follow ups',
  folowup: 'follow up',
  folow: 'follow',
  follw: 'follow',
  folllow: 'follow',
  foloow: 'follow',
  'f/u': 'follow up',
  // "w/ Mr Gill": the slash is edge punctuation, so "w/" arrives as "w"
  w: 'with',
  // the little words marking who and what, as fast thumbs misspell them: "folow up wth Dr Kamat abut …"
  wth: 'with',
  wiht: 'with',
  wtih: 'with',
  witth: 'with',
  wid: 'with',
  abut: 'about',
  abot: 'about',
  abuot: 'about',
  regardng: 'regarding',
  regrding: 'regarding',
  regading: 'regarding',
  reguarding: 'regarding',
  fup: 'follow up',
  whatsap: 'whatsapp',
  watsapp: 'whatsapp',
  watsap: 'whatsapp',
  whtsapp: 'whatsapp',
  wtsp: 'whatsapp',
  whatsup: 'whatsapp',
  watsup: 'whatsapp',
  whatsaap: 'whatsapp',
  whatapp: 'whatsapp',
  whtsap: 'whatsapp',
  fon: 'phone',
  fone: 'phone',
  phn: 'phone',
  // a contraction typed without its apostrophe, one token: "what've i got today" asks what
  whatve: 'what',
  // question words as chat spells them: "wat r my open to-dos", "kia kia karna baki hai"
  wat: 'what',
  wht: 'what',
  wats: 'whats',
  // Hinglish
  aj: 'aaj',
  kl: 'kal',
  aajka: 'aaj ka',
  aajke: 'aaj ke',
  aajki: 'aaj ki',
  kalka: 'kal ka',
  kalke: 'kal ke',
  kalki: 'kal ki',
  parson: 'parso',
  parsoon: 'parso',
  parsu: 'parso',
  kahaan: 'kahan',
  khas: 'khaas',
  subha: 'subah',
  subeh: 'subah',
  suba: 'subah',
  sham: 'shaam',
  dopaher: 'dopahar',
  dupahar: 'dopahar',
  dophar: 'dopahar',
  dopehar: 'dopahar',
  pahle: 'pehle',
  pehele: 'pehle',
  bje: 'baje',
  baaje: 'baje',
  bajey: 'baje',
  bajay: 'baje',
  ghanta: 'ghante',
  ghanton: 'ghante',
  ghnte: 'ghante',
  zaruri: 'zaroori',
  jaruri: 'zaroori',
  jaroori: 'zaroori',
  zarori: 'zaroori',
  zaroorii: 'zaroori',
  wale: 'wala',
  wali: 'wala',
  vala: 'wala',
  vale: 'wala',
  vali: 'wala',
  waala: 'wala',
  waale: 'wala',
  waali: 'wala',
  krna: 'karna',
  kr: 'kar',
  kro: 'karo',
  kardo: 'kar do',
  krdo: 'kar do',
  kardiya: 'kar diya',
  krdiya: 'kar diya',
  krdia: 'kar diya',
  krdi: 'kar di',
  kardi: 'kar di',
  krdiye: 'kar diye',
  kardiye: 'kar diye',
  dia: 'diya',
  diyaa: 'diya',
  gya: 'gaya',
  gyaa: 'gaya',
  gyi: 'gayi',
  gye: 'gaye',
  gai: 'gayi',
  hogaya: 'ho gaya',
  hogya: 'ho gaya',
  hogayi: 'ho gayi',
  hogyi: 'ho gayi',
  hogai: 'ho gayi',
  hogaye: 'ho gaye',
  hogye: 'ho gaye',
  yad: 'yaad',
  dikhaao: 'dikhao',
  dikhado: 'dikha do',
  btao: 'batao',
  bataao: 'batao',
  bare: 'baare',
  itwar: 'ravivar',
  itvaar: 'ravivar',
  itwaar: 'ravivar',
  etwar: 'ravivar',
  h: 'hai',
  hy: 'hai',
  hain: 'hai',
  hein: 'hai',
};

/**
 * A request asked as a question, the Hinglish way: "kya tum … yaad dila doge?", "… call karoge?", "… bata
 * sakte ho?", "kya aap … bhej denge?". The verb's "will you" or "can you" form is read as the plain request
 * ("dila dena", "call karna", "bata do", "bhej dena"), so every rule that knows the request knows the
 * question (see Utterance). "-oge"/"-ogi" is said only to "you", and so is "sakte ho"; the forms "we" says
 * too ("denge", "karenge", "puchenge": "bill kal bhej denge" is a new time, see DO_IT) only after "kya aap"/"kya
 * tum".
 */
export const YOU_WILL = /^(\p{L}+?)(?:oge|ogi)$/u;
/** "doge" → "dena", "loge" → "lena", "sakoge"/"paoge" (can you) → "do"; other stems take "-na" ("karoge"). */
export const YOU_WILL_STEMS: Readonly<Record<string, string>> = { d: 'dena', l: 'lena', sak: 'do', pa: 'do' };
/** The forms "aap" shares with "we", and "sakte"/"sakti" (with a "ho" after, or after "kya aap"). */
export const YOU_MAY: Readonly<Record<string, string>> = {
  denge: 'dena',
  dengi: 'dena',
  lenge: 'lena',
  lengi: 'lena',
  karenge: 'karna',
  karengi: 'karna',
  sakenge: 'do',
  sakengi: 'do',
  payenge: 'do',
  sakte: 'do',
  sakti: 'do',
};
/** Any other verb's "aap"/"we" form, after "kya aap": "puchenge" → "puchna", "batayenge" → "batana". */
export const YOU_MAY_ANY = /^(\p{L}{2,}?)y?eng[ei]$/u;
/** "kar sakte ho": the "ho" (or "hai") after "sakte" goes with it. */
export const YOU_CAN_TAIL: ReadonlySet<string> = new Set(['ho', 'hai']);
/** "kya aap …", "kya tum …": a yes-or-no question put to the assistant (over the normalised text). */
export const ASKED_OF_YOU = 'kya (?:tum|aap|ap)';
/** A cheap first look: none of these, no request asked as a question. */
export const MAY_ASK = /og[ei]\b|sak|eng[ei]\b/i;

/** Number words used with "baje", "ghante", "din" ("do ghante baad", "paanch baje"). */
export const NUMBER_WORDS: Readonly<Record<string, number>> = {
  ek: 1,
  do: 2,
  teen: 3,
  char: 4,
  chaar: 4,
  paanch: 5,
  panch: 5,
  chhe: 6,
  chhah: 6,
  saat: 7,
  aath: 8,
  nau: 9,
  das: 10,
  gyarah: 11,
  gyaarah: 11,
  barah: 12,
  baarah: 12,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

/** Fractions of a unit ("aadha ghanta", "dedh ghante", "half an hour"). */
export const FRACTION_WORDS: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  aadha: 0.5,
  aadhe: 0.5,
  adha: 0.5,
  adhe: 0.5,
  'half an': 0.5,
  half: 0.5,
  dedh: 1.5,
  derh: 1.5,
  dhai: 2.5,
  dhaai: 2.5,
};

/** Clock quarter words: "saade 5" = 5:30, "sawa 5" = 5:15, "paune 5" = 4:45. */
export const QUARTER_WORDS: Readonly<Record<string, number>> = {
  saade: 30,
  sade: 30,
  saadhe: 30,
  sadhe: 30,
  sawa: 15,
  sava: 15,
  paune: -15,
  pone: -15,
};

/** "dedh baje" = 1:30, "dhai baje" = 2:30 (and then shop hours make them afternoon). */
export const HALF_PAST_WORDS: Readonly<Record<string, { hour: number; minute: number }>> = {
  dedh: { hour: 1, minute: 30 },
  derh: { hour: 1, minute: 30 },
  dhai: { hour: 2, minute: 30 },
  dhaai: { hour: 2, minute: 30 },
};

export type DayPart = 'morning' | 'afternoon' | 'noon' | 'evening' | 'night' | 'tonight' | 'eod';

export const DAY_PARTS: Readonly<Record<string, DayPart>> = {
  morning: 'morning',
  subah: 'morning',
  savere: 'morning',
  savera: 'morning',
  sawere: 'morning',
  afternoon: 'afternoon',
  dopahar: 'afternoon',
  noon: 'noon',
  midday: 'noon',
  evening: 'evening',
  shaam: 'evening',
  night: 'night',
  raat: 'night',
  tonight: 'tonight',
  eod: 'eod',
  'end of day': 'eod',
  'end of the day': 'eod',
  // "din khatam hone tak", "din ke end tak": the end of the day, said in Hindi
  'din khatam hone': 'eod',
  'din khatam hote hi': 'eod',
  'din ke end': 'eod',
  'din ke aakhir': 'eod',
};

/** The hour a day part means when no hour is given. */
export const DAY_PART_HOUR: Readonly<Record<DayPart, number>> = {
  morning: 9,
  afternoon: 14,
  noon: 12,
  evening: 18,
  night: 21,
  tonight: 21,
  eod: 18,
};

/** Weekday names (0 = Sunday). "sun"/"sat" are left out: "sun lo" is Hindi for "listen". */
export const WEEKDAYS: Readonly<Record<string, number>> = {
  sunday: 0,
  ravivar: 0,
  monday: 1,
  mon: 1,
  somvar: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  mangalvar: 2,
  wednesday: 3,
  wed: 3,
  budhvar: 3,
  thursday: 4,
  thu: 4,
  thur: 4,
  thurs: 4,
  guruvar: 4,
  veervar: 4,
  brihaspativar: 4,
  friday: 5,
  fri: 5,
  shukravar: 5,
  saturday: 6,
  shanivar: 6,
};

/** "sat"/"sun", read as days only with a tie word or a time ("by sat", "sat tak", "sat 11am"): see dates.ts. */
export const SHORT_WEEKEND: Readonly<Record<string, number>> = { sun: 0, sat: 6 };
/**
 * Hindi weekdays said short ("agle hafte mangal ko"), read as days only after "next week": alone they are
 * names and words too ("Mangal ko call karna"). "Som", "Guru" and "Ravi" are first names: left out.
 */
export const SHORT_HINDI_WEEKDAYS: Readonly<Record<string, number>> = {
  mangal: 2,
  budh: 3,
  shukra: 5,
  shani: 6,
};

export const DAY_OFFSET_WORDS: Readonly<Record<string, number>> = {
  aaj: 0,
  kal: 1,
  parso: 2,
  'day after tomorrow': 2,
  'the day after tomorrow': 2,
  'day after tmrw': 2,
  overmorrow: 2,
};

/**
 * A Hindi past tense in the few words after a day word: "kal aaya tha", "kal unka order diya tha", "parso
 * aaye the". The day is gone by: "kal" is yesterday, "parso" the day before.
 */
export const PAST_AFTER_DAY = '(?=(?:\\s+\\S+){0,5}?\\s+(?:tha|thi|\\S+(?:ye|ae)\\s+the)(?:\\s|$))';

export const NEXT_WORDS = ['next', 'agle', 'agla', 'agli', 'coming', 'aane wala', 'aane wale'];
export const WEEK_WORDS = ['week', 'hafte', 'hafta', 'hapte'];
export const HOUR_UNITS = ['ghante', 'hours', 'hour'];
export const MINUTE_UNITS = ['minutes', 'minute', 'mint', 'mints'];
export const DAY_UNITS = ['din', 'dino', 'days', 'day'];
export const WEEK_UNITS = ['hafte', 'hafta', 'weeks', 'week'];
/** Words of money after a number: "1.5 lakh", "15 k", "40 hazaar". */
export const MONEY_UNITS = [
  'k',
  'lakh',
  'lakhs',
  'lac',
  'lacs',
  'crore',
  'cr',
  'hazaar',
  'hazar',
  'thousand',
  'rupees',
  'rupaye',
];
/** Amounts and measures after a number: "saade 4 lakh", "dhai kilo" are no time of day. */
export const QUANTITY_UNITS = [
  ...MONEY_UNITS,
  ...[
    'kilo',
    'kg',
    'kgs',
    'gram',
    'litre',
    'liter',
    'meter',
    'metre',
    'feet',
    'foot',
    'packet',
    'box',
    'dozen',
  ],
];

/** A deadline's tie words: "by 6", "till 7", "before 4", "6 tak", "4 se pehle" (a bare hour: a time). */
export const DEADLINE_BEFORE = ['by', 'till', 'until', 'untill', 'before'];
export const DEADLINE_AFTER = ['tak', 'tk', 'se pehle', 'ke pehle'];
/** An hour to start from, the same way: "after 6", "6 ke baad" (a bare hour: a time). */
export const START_BEFORE = ['after'];
export const START_AFTER = ['ke baad'];
/** Words that tie a time expression to the sentence and go with it when it is removed. */
export const BEFORE_WHEN = [...DEADLINE_BEFORE, ...START_BEFORE, 'on', 'at', 'for', 'from', 'to', 'around'];
// "6 sharp": the hour said exactly, no part of a title
export const AFTER_WHEN = [...DEADLINE_AFTER, 'ko', 'pe', 'par', 'ke liye', 'ke baad', 'wala', 'sharp'];

// ---- priorities ----
export const PRIORITY_LOW = ['low priority', 'not urgent', 'no rush', 'koi jaldi nahi', 'jaldi nahi'];
export const PRIORITY_URGENT = [
  'urgent',
  'urgently',
  'urgnt',
  'zaroori',
  'bahut zaroori',
  'bohot zaroori',
  'very urgent',
  'asap',
  'jaldi',
  'jaldi se',
  'turant',
  'fauran',
  'immediately',
  'emergency',
  'top priority',
];
export const PRIORITY_HIGH = ['important', 'very important', 'imp', 'high priority', 'priority high'];

/** Places a thing is at or an errand goes to: "Gupta ji ki dukaan", "godown se". */
export const PLACES = [
  ...['ghar', 'dukaan', 'dukan', 'office', 'shop', 'godown', 'factory', 'site', 'clinic', 'showroom'],
  ...['store', 'warehouse', 'counter', 'gate', 'deewar', 'diwar', 'wall', 'bahar', 'andar', 'upar'],
];

// ---- follow-up channels ----
export const CHANNELS = {
  call: ['call', 'phone', 'ring', 'calling', 'callback'],
  whatsapp: ['whatsapp', 'wa', 'msg', 'message', 'text', 'sms', 'ping'],
  email: ['email', 'e-mail', 'mail'],
  visit: [
    'visit',
    'meet',
    'milna',
    'milne',
    'milke',
    'mil ke',
    'milkar',
    'mil kar',
    // "Ramesh ke ghar jaake", "Gupta ji ki dukaan pe jaake": going to their place
    `(?:ke|ki) ${alt(PLACES)}(?: (?:pe|par))? (?:jaake|jakar|jaakar|ja ke|ja kar|jaana|jana)`,
    'jaake',
    'jaakar',
    'jakar',
    'ja ke',
    'jaana',
    'jana',
  ],
} as const;
// "drop a message to Kavita madam", "send a whatsapp to …": the verb around the channel is part of it
export const CHANNEL_BEFORE = ['on', 'via', 'by', 'over', 'to', 'send a', 'drop a', 'give a', 'shoot a'];
/** A talk, before who: "talk to Iyer sir", "speak with Anil". */
export const TALKS = ['talk to', 'talk with', 'speak to', 'speak with'];
/**
 * Passing word on, before who: "tell Mrs Kapoor that …", "inform Sharma ji about …", "remind Mr Shah that
 * …" (and "let X know …").
 */
export const TELLS = ['tell', 'inform', 'notify', 'intimate', 'remind'];
/** Reaching someone with no way said: "contact Anil 98765 12345", "reach out to …", "… se baat karni hai". */
export const REACH_OUT = [
  'reach out to',
  'reach out',
  'get in touch with',
  'get in touch',
  // not a thing named "contact …": "contact lens trial", "contact details"
  'contact(?!\\s+(?:lens|lenses|details|detail|number|no|person|form|list|paper))',
  'baat',
  // "check with Bose babu if …", "get back to Mr Shah about …", "touch base with …"
  'check with',
  'get back to',
  'touch base with',
  ...TALKS,
];
/**
 * Words opening what a follow-up is about: "… about the rates", "re: the bill", "… wrt the rent agreement"
 * (with respect to), "… if the proofs are ok".
 */
export const TOPIC_MARKERS = [
  'about',
  'abt',
  'regarding',
  're',
  'reg',
  'regd',
  'wrt',
  'concerning',
  'whether',
  'if',
];
/** Money someone still has to pay: "Naidu sir still owes 1.5 lakh", "Joseph is yet to pay". */
export const OWES = [
  'owes',
  'still owes',
  'owes us',
  'owes me',
  'is yet to pay',
  'has yet to pay',
  'still has to pay',
];
/** Words that label a phone number: "mob: 98450 12345", "phone no 98450 12345". */
export const PHONE_LABELS = new Set(
  'number numbers no num nmbr numbr mob mobile ph phone cell contact tel telephone is hai'.split(' '),
);
/** Whose number it is, before its label: "Ramesh ka number", "his no", "uska mobile". */
export const PHONE_OWNERS = new Set('ka ki ke his her their uska uski unka unki iska inka'.split(' '));
/** A word tying a bare number in: "Ramesh at 98450 12345", "on 98450 12345", "missed call from 98450 12345". */
export const PHONE_BEFORE = new Set(['at', 'on', 'pe', 'par', 'from']);
/** Words tying a number in after it: "98450 12345 pe", "uska number 98450 12345 hai". */
export const PHONE_AFTER = new Set(['pe', 'par', 'per', 'pr', 'hai']);
/**
 * Words pointing back at someone named already: "kal usse payment ke liye follow up karna", "…, call her back".
 */
export const PRONOUNS = {
  hi: ['usse', 'unse', 'usko', 'unko', 'use', 'unhe', 'unhein'],
  hiPhrases: ['uske saath', 'unke saath', 'uske sath', 'unke sath'],
  en: ['him', 'her', 'them'],
};
/**
 * Words pointing back at a thing named in the clause before: "Mehta ji's order, deliver it by friday",
 * "GST file, ise monday tak submit karna".
 */
export const THING_PRONOUNS = {
  en: ['it', 'them', 'this', 'these'],
  hi: ['isko', 'ise', 'usko', 'inko', 'inhe'],
};
export const CHANNEL_AFTER = [
  // "call back Deepak on …", "ring up Manoj", "message to Kavita madam"
  'back',
  'up',
  'to',
  'pe',
  'par',
  'karke',
  'kar ke',
  'karkar',
  'karna',
  'karo',
  'kar',
  // "Kavita ji ko message kar do, samples aa gaye": the whole verb, so "do" names nothing
  'kar do',
  'kar dena',
  'se',
  'jaana',
  'jana',
  'lagake',
  'laga ke',
  'lagakar',
  'laga kar',
  'bhej ke',
  'bhejke',
  'bhej kar',
  'bhejkar',
];

// ---- nouns ----
export const TASK_NOUNS = [
  'task',
  'tasks',
  'kaam',
  'todo',
  'todos',
  // "need to do", "have to do" is a verb, not the noun
  '(?<!(?:need|needs|have|has|got|want|wants|supposed|going|ought|meant)\\s)to do',
  'to-do',
  'to-dos',
  'reminder',
  'reminders',
  // "what's on my list", "list mein kya hai": the list of them
  '(?<=(?:my|meri|mera|the) )list',
  'list(?= (?:mein|me|main|mai|par|pe)(?:\\s|$))',
];
/** What the day or a day holds: listed like tasks ("kal ka plan batao"). */
export const PLAN_NOUNS = [
  'plan',
  'plans',
  'schedule',
  'agenda',
  'programme',
  'program',
  'timetable',
  'time table',
  'lineup',
  'line up',
  'lined up',
  'plate',
  'game plan',
  'routine',
  'itinerary',
  'calendar',
];
/**
 * What a day's plan is called in a message that only names it ("aaj ka routine", "today's lineup",
 * "mere aaj ke plans"): with today and nothing else, it asks for the day.
 */
export const DAY_PLAN_NOUNS = [
  ...PLAN_NOUNS,
  'day',
  'din',
  'list',
  'rundown',
  'overview',
  'summary',
  'update',
  'appointments',
  'meetings',
  'scene',
  'brief',
  'priorities',
];
/** Words that may stand around a day's plan named bare: "mera aaj ka poora schedule please", "quick rundown for today". */
export const DAY_PLAN_FILLERS = new Set(
  'my mera mere meri for the of ka ke ki liye pura poora full whole entire bhar please do de do bhejo bhai ji sir boss bro kya hai a quick short'.split(
    ' ',
  ),
);
/** "all", "saare": a bulk action, which no tool does one at a time. */
export const ALL_WORDS = ['all', 'saare', 'sare', 'sab', 'sabhi', 'everything', 'every'];
export const FOLLOW_UP_NOUNS = ['follow up', 'follow ups', 'follow-up', 'follow-ups'];
/** The verbs that go with "follow up" in Hinglish: "follow up karna hai", "follow up bhejna", "follow up daalo". */
export const FOLLOW_UP_VERBS = [
  'karna',
  'karni',
  'karne',
  'karo',
  'kar',
  'karke',
  'kar lena',
  'kar lo',
  'kar dena',
  'lena',
  'le lena',
  'le lo',
  'lo',
  'bhejna',
  'bhejni',
  'bhejo',
  'bhej do',
  'bhej dena',
  'daalo',
  'daal do',
  'dalna',
  'daalna',
  'krna',
  'krni',
];

// ---- verbs and cues ----
/** Unambiguous "make a task" cues: they win over anything else in the sentence. */
export const CREATE_TASK_STRONG = [
  'remind me to',
  'remind me that',
  'remind me about',
  'remind me of',
  // "remind me what's on my list" asks to be told, not reminded later
  'remind me(?! (?:what|whats|which|how|kya|kaun|kaunse|kitne)(?:\\s|$))',
  // "mujhe remind karna 3 baje, …": the English verb said the Hinglish way, all of it the cue
  'remind(?: karna| kar dena| kardena| kar do| karo)?(?! me(?:\\s|$))',
  'set a reminder for',
  'set a reminder to',
  'set a reminder',
  'set reminder for',
  'set reminder to',
  'set reminder',
  // "can you add a reminder for me to ring Mr Rao …", "put a reminder to …", "make a task to …": the asking,
  // no part of the chore
  '(?:add|put|create|keep|set up) (?:a |one )?reminder(?: for me)?(?: to| for| about| that)?',
  'make (?:a |one )?(?:new )?task(?: for me)?(?: to| for| about)?',
  // "send me a reminder tomorrow to go to the bank": a reminder for me (one sent to someone is a follow-up)
  'send me a reminder to',
  'send me a reminder about',
  'send me a reminder for',
  'send me a reminder',
  'add a new task to',
  'add a new task',
  'add a task to',
  'add a task for',
  'add a task',
  'add task to',
  'add task for',
  'add task',
  'add new task',
  'add a todo',
  'add todo',
  'create a task to',
  'create a task',
  'create task',
  'new task',
  'yaad dilana ki',
  'yaad dilana',
  'yaad dila dena ki',
  'yaad dila dena',
  'yaad dila do',
  'yaad dilao',
  'yaad dila dijiye',
  'yaad dilaana',
  'yaad dilaiyo',
  'yaad karana',
  'yaad rakhna',
  'reminder laga do',
  'reminder laga dena',
  'reminder lagana',
  'reminder lagao',
  'reminder set karo',
  'reminder set kar do',
  'ek task bana do',
  'ek task add karo',
  'ek task add kar do',
  'task bana do',
  'task add karo',
  'task add kar do',
  'task add kar lo',
  'task likh lo',
  'task daal do',
  'naya task',
  'note kar lo',
  'note karo',
  'note kar do',
  'likh lo',
  'bhoolna mat',
  'bhool mat jana',
  'dont forget to',
  'dont let me forget to',
  'do not forget to',
  'remember to',
];
/**
 * A thing that must be done to something, said in the passive: "Rao sir's invoice needs to be prepared", "the
 * bill has to be sent", "the return must be filed". A chore, neither a question about the books nor a fact.
 */
export const MUST_BE = '(?:needs? to|has to|have to|got to|must|should) be';
/** The owner saying what they must do: "i need to", "have to". */
export const NEEDS_TO = ['i need to', 'need to', 'i have to', 'have to', 'i must', 'i should'];
/**
 * Words tying the news said first to what must be done because of it: "the tiles came in the wrong shade
 * so i need to call …".
 */
export const SO_THEN = ['so', 'and so', 'hence', 'therefore', 'toh', 'isliye'];
/** Weaker cues: they make a task only when nothing else claims the sentence. */
export const CREATE_TASK_WEAK = [...NEEDS_TO, 'todo', 'task', 'add', 'note', 'mujhe'];
/** Hindi infinitive + "hai": "karna hai", "bharna hai", "karwani hai" — "I have to …". */
export const INFINITIVE_HAI = '\\S+(?:na|ni|ne) hai';

/** Words that make a short "… ready" a thing to have so, not a report: a request or a day by which. */
const SHORT_STATE_NOT =
  '(?:keep|get|make|have|rakh\\S*|kar\\S*|tak|by|till|until|before|kal|tomorrow|tmrw|aaj|today)\\s';
export const DONE = [
  'done',
  'completed',
  'finished',
  'khatam',
  'khatam ho gaya',
  'ho gaya',
  'ho gayi',
  'ho gaye',
  'ho chuka',
  'ho chuki',
  'ho chuke',
  'as done',
  'as complete',
  'as completed',
  'is done',
  'are done',
  // a state that means the work is over: "salary slips are ready", "quotation taiyar hai"
  'is ready',
  'are ready',
  'ready hai',
  'ready hain',
  // gone out: "the Surat consignment left the godown", "flanges left for patel engg" (not "only 2 boxes left")
  'left(?= (?:for|from) | the (?:godown|warehouse|factory|shop|office|yard|plant|unit|store|workshop|gate))',
  // said short, the state last: "mukesh badge ready" (not "keep the order ready", "kal tak order ready": to
  // have it so)
  `(?<=^(?:(?!${SHORT_STATE_NOT})\\S+\\s+){1,4})(?:ready|taiyar|taiyaar)(?=\\s*$)`,
  // "the new website is live", "app went live", "internet is working again"
  'working again',
  'working fine',
  'is live',
  'went live',
  'gone live',
  'live ho gaya',
  'live ho gayi',
  'taiyar hai',
  'taiyar hain',
  'taiyaar hai',
  'taiyaar hain',
  'complete kar do',
  'complete karo',
  'complete kar diya',
  'complete ho gaya',
  'complete hai',
  'pura ho gaya',
  'poora ho gaya',
  'pura hua',
  'poora hua',
  'complete hua',
  'kar diya',
  'kar diye',
  'kar di',
  'kar liya',
  'kar li',
  'kar chuka',
  'le aaya',
  'le aayi',
  'le aaye',
  'le aya',
  'le ayi',
  'taken care of',
  'is taken care of',
  'has been taken care of',
  'took care of',
  'went through',
  'gone through',
  // cleared: "the licence renewal is through"
  'is through',
  'are through',
  'up to date',
  // arrived: "bulbs are here", "the stock has come"
  'is here',
  'are here',
  'has come',
  'have come',
  // sent on its way: "the courier has gone out", "samples went out today"
  'gone out',
  'has gone out',
  'have gone out',
  'went out',
  'on the way',
  'on their way',
  'on its way',
];
/** Come back, after a thing gone and done: "cheque jama kar aayi", "parcel de aaya". */
const CAME_BACK = 'aaya|aayi|aaye|aya|ayi';
/**
 * Any verb in the completed form ("bhej diya", "de di", "mangwa liya", "pahunch gaya", "payment kiya"),
 * but not "ke liye" (nor any "for": "uske liye", "mere liye"), "ko di", "nahi gaya" (the negation is no
 * verb), nor "reh gaya" (left undone), "bhool gaya" (forgot), "bahar gaye" (went out) or trouble ("jal gaya",
 * "toot gayi", "phas gaya": burnt, broke, stuck). The verb is the first word, the auxiliary the second.
 */
export const DONE_VERB_FORMS = [
  '(?!(?:ke|ki|ka|ko|se|ne|me|mein|ji|hai|to|jo|kya|kar|nahi|nahin|nai)\\s)\\S+ (?:diya|diye|di|liya|li|kiya|kiye|chuka|chuki|chuke)',
  // "cylinder utha liye": the plural taken, not "ke liye", "uske liye", "mere liye", "apne liye" (for)
  '(?!\\S*(?:ke|re|ne)\\s)(?!(?:ki|ka|ko|se|me|mein|ji|hai|to|jo|kya|kar|nahi|nahin|nai)\\s)\\S+ liye',
  '(?!(?:ke|ki|ka|ko|se|ne|me|mein|ji|hai|to|jo|kya|nahi|nahin|nai|ho|reh|rah|bhool|bhul|chala|chal|late|kho|ruk|so|bahar|baahar|jal|toot|tut|phat|bigad|gir|sad|phas|fas)\\s)\\S+ (?:gaya|gayi|gaye)',
  // gone, done and come back: "car service ke liye chhod aaya", "cheque jama kar aayi", "parcel de aaya",
  // "site pe submersible dekh aaya", "mandi se chana le aaya"
  `(?:de|le|dekh|chhod|chod|rakh|kar|bhar|dikha|pahuncha|pahucha|daal|dal) (?:${CAME_BACK})`,
];
/**
 * Someone did a thing and went, or came back from it: "mistri compressor badal ke gaya", "cheque jama karke
 * aaya". A state that tells it done (intents.ts, `DONE_STATE`), not a done verb form.
 */
export const DID_AND_LEFT = `(?:ke|kar|karke|kar ke|krke) (?:gaya|gayi|gaye|chala gaya|${CAME_BACK})`;
/** A state that was: "mehnga tha", "milna tha aaj", "was due today". */
export const WAS_WORDS = ['tha', 'thi', 'was'];
/**
 * English past tenses that report a task done when they open the message ("deposited all the cheques",
 * "I paid the staff") or close its subject ("power bill paid", "quotation sent to Kapoor"): irregular
 * ones here, regular ones by their -ed.
 */
export const PAST_TENSE = [
  'paid',
  // "the samples came in today": arrived
  'came',
  'gone',
  'sent',
  'gave',
  'given',
  'made',
  'bought',
  'brought',
  'took',
  'taken',
  'told',
  'met',
  'sold',
  'put',
  'did',
  'wrote',
  'written',
  'kept',
  'built',
  'got',
  'dropped',
  'picked',
  'found',
];
/** Words ending in -ed that are not a past tense, or not one that reports a task done. */
export const NOT_PAST_TENSE = new Set([
  // "missed call from Suresh, call back at 6": nothing done
  'missed',
  'need',
  'needed',
  'related',
  'based',
  'interested',
  'required',
  'wanted',
  'supposed',
  'used',
  'limited',
  'scheduled',
  'expected',
  'delayed',
  'postponed',
  'preponed',
  'pushed',
  'bumped',
  'shifted',
  'moved',
  'rescheduled',
  'cancelled',
  'canceled',
  'deleted',
  'removed',
]);
/** Words that may stand before a reported past tense: "I have already paid", "we just filed". */
export const PAST_OPENERS = new Set([
  'i',
  'we',
  'have',
  'has',
  'had',
  'already',
  'just',
  'finally',
  'maine',
  'humne',
]);
/** "complete"/"finish" mean done only at the end of a clause ("mark X complete", "X complete, …"). */
export const DONE_AT_CLAUSE_END = ['complete', 'finish', 'finished'];
export const FOLLOW_UP_DONE = [
  'followed up with',
  'followed up on',
  'followed up',
  'spoke to',
  'spoke with',
  'talked to',
  'talked with',
  'had a call with',
  'had a chat with',
  'baat ho gayi',
  'baat ho gaya',
  'baat hui',
  'baat ho chuki',
  'baat kar li',
  'mil liya',
  'mil aaya',
];
/**
 * Delete verbs that also take a thing away: "remove the old signboard at …", "drop the samples at Dr Rao's
 * clinic", "godown se purana maal hata do". Said with a day, a time or a place they are a chore.
 */
export const TAKE_AWAY = [
  'remove',
  'drop',
  'discard',
  'scrap',
  'hata do',
  'hata de',
  'hata dena',
  'hatao',
  'nikal do',
  'nikal de',
];
/**
 * Things outside the owner's list that get cancelled: "cancel the hotel booking and rebook for Sunday", "Mr
 * Shah ka order cancel karke naya bhejna hai". Cancelling one is a chore, not a task deleted.
 */
export const CANCELLED_THINGS = [
  ...['booking', 'bookings', 'ticket', 'tickets', 'reservation', 'reservations', 'flight', 'train', 'hotel'],
  ...['order', 'orders', 'appointment', 'appointments', 'subscription', 'subscriptions', 'membership'],
  ...['cheque', 'cheques', 'policy', 'registration', 'pickup', 'courier', 'cab'],
];
export const CANCEL = 'cancel';
export const DELETE = ['delete', CANCEL, 'mita do', 'mita de', 'mitao', 'erase', 'rehne do', ...TAKE_AWAY];
/** What a "change" moves when it is a time's: "meeting ka time change karna hai", "date change karni hai". */
const TIME_NOUNS = [
  'date',
  'time',
  'timing',
  'din',
  'day',
  'tarikh',
  'deadline',
  'schedule',
  'slot',
  'samay',
];
/** Parts a mechanic changes: "oil change + brakes done", "tyre change ho gaya". */
const PARTS = [
  'oil',
  'tyre',
  'tyres',
  'tire',
  'tires',
  'battery',
  'filter',
  'brake',
  'brakes',
  'pipe',
  'bulb',
  'belt',
  'clutch',
];
/**
 * "change" moves a time ("change the rent task to 2nd april", "date change karni hai"); a part to change is a
 * chore: "car ka oil change karwana hai", "back cover change karna", "book a battery change", "oil bhi change
 * ho gya".
 */
const CHANGE = `(?<!(?:^|\\s)an?(?:\\s+\\S+){1,2}\\s|(?:^|\\s)(?:${PARTS.join('|')})\\s(?:bhi\\s|also\\s)?)change(?!\\s+(?:karna|karni|karne|karwana|karwani|karwane)(?:\\s|$))|(?<=(?:${TIME_NOUNS.join('|')})\\s)(?:change|update|badal|badli|badla)`;
/**
 * "sunday pe dal do", "kal pe daal dena", "30 tarikh par dal do", "kal 5 baje pe le lo": put on a day or
 * taken up then, not put somewhere ("group pe dal do" posts); once the day and its "pe" are taken as the
 * time, whatever stands after them.
 */
const DAY_SAID = alt([...Object.keys(WEEKDAYS), ...Object.keys(DAY_OFFSET_WORDS), 'tarikh', 'baje', '\\d+']);
const PUT_ON_A_DAY = `(?<=${DAY_SAID} (?:pe|par) |\\s )(?:(?:dal|daal) (?:do|de|dena|dijiye)|daalo|dalo|daaliye|daliye)|(?<=${DAY_SAID} (?:pe|par) )(?:le lo|le lena|lelo|le aao|le aana|le ao)`;
export const RESCHEDULE = [
  // "interview prepone karke kal 2 baje rakh do": the move as a Hindi conjunctive, the new time after it
  '(?:reschedule|move|shift|postpone|prepone|push|delay|bump|extend)\\s+(?:karke|kar ke)',
  'reschedule',
  're-schedule',
  // "cement wali delivery kal ki kar do", "usi din ka kar do": made that day's
  '(?:ki|ka|ke)\\s+(?:kar do|kar dena|kardo|karo|rakh do|rakho)',
  // "the stock audit has to move", "needs to be shifted": the move as a need, the need no part of the name
  '(?:has|have|needs|need)\\s+to\\s+(?:be\\s+)?(?:move|moved|shift|shifted|postponed)',
  'move',
  // not a turn of work ("night shift ke guard ko salary dena", "uski shift badal do")
  '(?<!(?:^|\\s)(?:night|day|morning|evening|general|double|raat|din|uski|unki|meri|apni|his|her|my|their)\\s)shift',
  'postpone',
  'prepone',
  'push',
  CHANGE,
  'badal do',
  'badlo',
  'badal de',
  'aage kar do',
  'aage badha do',
  'daal do',
  PUT_ON_A_DAY,
  'delay',
  'taal do',
  'taalo',
  'tal do',
  'taal de',
  // put off by whoever had the say: "transport wale ne 2 April tak tal diya"
  'taal diya',
  'tal diya',
  'taal di',
  'tal di',
  'peeche kar do',
  'aage badhao',
  // "bump the meeting to tomorrow", "monday tak khiska do", "aage sarka do"
  'bump',
  'push back',
  'khiska do',
  'khiska de',
  'khiska dena',
  'khiskao',
  'khisko do',
  'khisko',
  'sarka do',
  'sarka de',
  'sarka dena',
  'sarkao',
  'le jao',
  'le jaao',
  'le jaiye',
  // "date badal ke friday kar do"; not a part changed and gone ("mistri compressor badal ke gaya")
  '(?:badal ke|badal kar|badalke)(?!\\s+(?:gaya|gayi|gaye|chala|chali|diya|di|diye)(?:\\s|$))',
  // "function ek din pehle kar diya", "do ghante pehle kar do": brought forward
  '(?:din|ghante|hafte|hafta)\\s+(?:pehle|pahle)\\s+(?:kar|kr)\\s+(?:diya|di|diye|do|dena|denge)',
  // "stall booking can wait till monday", "salary wala kaam thoda late karte hain, 2 april"
  'can wait',
  'can be done',
  // said of the task: "AC bill payment can be pushed to 30th", "visit — make it thursday"
  'pushed',
  'moved',
  'shifted',
  'postponed',
  'preponed',
  'delayed',
  'rescheduled',
  'bumped',
  'make it',
  'extend',
  // "tender deadline got extended, I'll submit it on 2nd april", "PWD extended the tender deadline",
  // "bank ne statement ki date badha di", "last date 2 april tak badh gayi"; not a thing extended ("extended
  // the lease")
  '(?:deadline|last date|due date|date|tarikh)(?:\\s+\\S+){0,3}?\\s+(?:(?:got|has been|was|is|has|have)\\s+)?(?:extended|(?:aage\\s+)?(?:badh|badha|badhaa|badhai)\\s+(?:gayi|gai|gaya|di|diya|dee|hai))',
  'extended(?:\\s+\\S+){0,2}?\\s+(?:deadline|last date|due date|date)',
  'late kar do',
  'late karo',
  'late kar dena',
  'late karte hai',
  'late karenge',
  // "can we do the bank meeting on friday instead" (not "instead of", which swaps the thing)
  'instead(?! of)',
  'badha do',
  'badha de',
  'badhao',
  // earlier, as well as later: "bring the price list forward to today", "move it up", "pehle kar do"
  'bring forward',
  // the words between name the task: only the verb's two halves are the cue
  'bring(?=(?: \\S+){1,4} forward)',
  '(?<=bring(?: \\S+){1,4} )forward',
  'move up',
  '(?<=move(?: \\S+){1,4} )up(?= to)',
  'pehle kar do',
  'pehle kar dena',
];
export const SNOOZE = [...RESCHEDULE, 'snooze'];
/**
 * The words of a second clause that only says the first again with its deadline: "…, do it by thursday",
 * "…, get it done by friday", "…, finish it by monday", "…, kar dena friday tak", "…, ho jana chahiye monday
 * tak", "…, pls do it kal tak". It holds one of `RESTATED_DOING`, or a time: a bare "…, done" or "…, ready"
 * reports the first done.
 */
export const RESTATED_DOING = ['do', 'finish', 'get', 'kar', 'karo', 'karna', 'ho', 'hona'];
export const RESTATING = [
  ...RESTATED_DOING,
  // not "make": "chennai supplier visit — make it thursday" moves it
  ...['it', 'this', 'that', 'done', 'complete', 'ready', 'have', 'has', 'got', 'gotta', 'be', 'to'],
  ...['need', 'needs'],
  // "…, he wants them by friday": whoever it is for wanting it then
  ...['he', 'she', 'they', 'them', 'want', 'wants'],
  ...['must', 'should', 'isko', 'ise', 'please', 'kindly', 'just', 'bas', 'na', 'zaroor', 'ok', 'and'],
  ...['dena', 'de', 'do', 'lena', 'lo', 'jana', 'jaana', 'jaye', 'jaaye', 'chahiye', 'hai', 'ye', 'yeh'],
  ...['latest', 'max'],
];
/**
 * Words opening a second chore after a first, at the start of a clause ("…, then pack the order", "…, also
 * order more hooks", "…, phir bill banana"), and those that open one inside a clause ("… about the rates and
 * then pack the order", "… aur phir bank jaana").
 */
export const NEXT_CHORE = ['then', 'and', 'also', 'phir', 'fir', 'aur', 'after'];
export const NEXT_CHORE_JOINED = [
  'then',
  'and then',
  'and also',
  'aur phir',
  'aur fir',
  'after that',
  'uske baad',
];
/** Plain "do it" verbs that reschedule when they come with a time and a reference to an existing item. */
export const DO_IT = [
  'kar do',
  'karo',
  'kar dena',
  'kar de',
  'rakh do',
  'rakh lo',
  'rakh dena',
  'rakho',
  'make',
  'set',
  'bana do',
  // what will be done then: "bijli ka bill agle hafte kar denge"
  'kar denge',
  'kar lenge',
  'karenge',
  'kar dunga',
  'kar lunga',
  'kar lena',
  'kar lo',
  // any verb in "we/I will" after the time: "audit documents next week bhejenge", "bill kal bharunga"
  '\\S+(?:enge|unga|ungi)',
];
export const LIST_VERBS = [
  'what all',
  'which all',
  'kya kya',
  'show',
  'show me',
  'list',
  'see',
  'view',
  'display',
  'find',
  'search',
  'get',
  'dikhao',
  'dikha do',
  'dikha',
  'dikhana',
  'dikhaiye',
  'batao',
  'bata do',
  'bataiye',
  // not a telling forgotten: "ek baat batana bhool gaya"
  'batana(?!\\s+(?:bhool|bhul)\\S*)',
  'what are',
  'whats',
  'what is',
  'which',
  'kaun se',
  'kaunse',
  'konse',
  'kon se',
  'kitne',
  'how many',
  'any',
  'kya hai',
  'kya kya',
];

// ---- list filters ----
export const STATUS_DONE = [
  'done',
  'completed',
  'complete',
  'finished',
  'ho gaye',
  'ho gaya',
  'ho gayi',
  'khatam',
];
export const STATUS_ALL = [
  'all',
  'saare',
  'sare',
  'sab',
  'sabhi',
  'everything',
  'including done',
  'including completed',
];
export const STATUS_OPEN = [
  'pending',
  'open',
  'baaki',
  'baki',
  'bache',
  'remaining',
  'incomplete',
  'not done',
  // "kaun se kaam khule hain", "koi kaam khula hai?": tasks still open
  'khule',
  'khule hue',
  'khula',
];
/**
 * What is still to do, as a question says it ("what is left", "kya bacha hai", "kuch reh gaya"): a
 * question with one of these (or with a done-word turned around: "haven't been done") asks for the open
 * tasks.
 */
export const STILL_TO_DO = [
  ...STATUS_OPEN,
  'bacha',
  'bachi',
  'bacha hua',
  'bache hue',
  'bakaya',
  'left',
  'left to do',
  'still',
  'yet to',
  'not yet',
  'remains',
  'remain',
  'to be done',
  'unfinished',
  'undone',
  'outstanding',
  'reh gaya',
  'reh gaye',
  'reh gayi',
  'rah gaya',
  'rah gaye',
  'rah gayi',
  'nahi hua',
  'nahi hue',
  'nahi hui',
  'nahi kiya',
  'karna baaki',
];
/** "… 3 tarikh ko kar dena, abhi nahi": not now, so later: with a new time, a task put off. */
export const NOT_NOW = [
  'abhi nahi',
  'abhi nahin',
  'abhi nai',
  'abhi mat',
  'abhi mat karo',
  'abhi mat karna',
  'not now',
  'not today',
];
/**
 * More time asked for, the reason for a move said with its new day ("tenant asked for time, rent collection
 * on the 5th", "Rao ji ne time maanga hai, payment wala kaam monday ko"): never a report of the task done.
 */
export const MORE_TIME = [
  'asked for (?:more |some )?time',
  'wants (?:more |some )?time',
  'needs (?:more |some )?time',
  'time (?:maanga|manga|maang|mang)',
  'mohlat',
];
/**
 * Words that put a thing off to the day said with them, and report nothing done: "… - do it monday
 * instead", "friday ko baad mein dekhenge". With a day or time ahead, a message holding one is never a
 * completion, whatever past tense names its task ("expired stock return to mankind - do it monday").
 */
export const DEFERRAL = ['do it', 'do this', 'do that', 'baad mein', 'baad me', 'baad main'];
/**
 * A plan said for a day ("singh sahab wali printing kal karte hain", "kal AC service karwa lo", "we will place
 * the paper order on 1st april"): a new task, unless it names an open one in full, which it then moves.
 */
export const PLAN_AHEAD = [
  ...['karte hain', 'karte hai', 'kar lete hain', 'kar lete hai', 'karwa lo', 'karwa lena', 'karwa lenge'],
  ...['rakhte hain', 'rakhte hai', 'rakh lete hain', 'rakh lete hai'],
  ...['we will', 'i will', 'lets', 'let us', '^well', '^ill'],
  // said of the chore: "the CCTV installation will now happen on saturday", "the meeting can happen monday"
  ...['will (?:now )?happen', 'can (?:now )?happen', 'will (?:now )?be done'],
];
/** A word that turns a done-word around: "haven't been done", "nahi hua". */
export const NEGATIONS = [
  'not',
  'no',
  'never',
  'havent',
  'hasnt',
  'didnt',
  'isnt',
  'arent',
  'nahi',
  'nahin',
  'nai',
  'mat',
];
/** People who come to do a job: their word of when they will come is the job's day. */
export const WORKERS = [
  ...['mistri', 'mistry', 'karigar', 'carpenter', 'plumber', 'electrician', 'engineer', 'technician'],
  ...['mechanic', 'painter', 'fitter', 'contractor', 'installer', 'welder', 'guy', 'serviceman'],
];
/**
 * What keeps a thing from being done on a day, said in one word: "the CA is busy today", "aaj bank ki chhutti
 * hai", "registration server is down today", "barish hai".
 */
export const HINDRANCES = [
  ...['busy', 'sick', 'ill', 'unwell', 'travelling', 'traveling', 'unavailable', 'stuck', 'closed', 'down'],
  ...[
    'chhutti',
    'chutti',
    'holiday',
    'band',
    'barish',
    'baarish',
    'rain',
    'raining',
    'death',
    'ruka',
    'ruki',
    'strike',
    'hartal',
  ],
];
/** How a question opens when it has no question word: "any tasks overdue?", "do i have …", "koi kaam …". */
export const QUESTION_OPENERS = [
  'any',
  'anything',
  'do',
  'does',
  'did',
  // not the Hindi "this" before a chore: "is mahine ka sales report banana hai" ("is mahine ka collection"
  // asks)
  'is(?!\\s+(?:mahine|mahina|hafte|hafta|saal|baar|bar|din|waqt|wale|wala|wali)\\s(?:\\S+\\s+)*?\\S+(?:na|ni|ne)\\s+hai(?:\\s|$))',
  'are',
  // "have to tell Joshi ji …" says what must be done
  'have(?! to(?:\\s|$))',
  'has(?! to(?:\\s|$))',
  'koi',
  'kuch',
  'kitna',
  'kitni',
  'kitne',
  'am',
];
/** Words that may come before a question's opening ("aaj koi meeting hai?", "so what's today"). */
export const QUESTION_LEAD_INS = new Set(
  'aaj kal parso today tomorrow tonight abhi ab so ok okay accha achha haan hmm bhai boss and aur toh got'.split(
    ' ',
  ),
);
/** "bhejo", "send": asking for a list or the day ("aaj ka schedule bhejo"), never for the accounts. */
export const SEND_ME = ['send', 'send me', 'bhejo', 'bhej do', 'do', 'de do', 'dena'];
/** "tell me", "batao": asking without a question mark. */
export const TELL_ME = [
  'remind me(?= (?:what|whats|which|how|kya|kaun|kaunse|kitne)(?:\\s|$))',
  'tell me',
  'tell',
  'show me',
  'show',
  'give me',
  'batao',
  'bata do',
  // "bata" asks, "bata diya" told: "…, usko bata diya"
  'bata(?!\\s+(?:diya|di|diye|chuka|chuke))',
  'bataiye',
  'bataao',
  'dikhao',
  'dikha do',
  'share',
  'run me through',
  'walk me through',
  'take me through',
];
export const WHEN_TODAY = ['today', 'todays', 'aaj', 'aaj ke', 'aaj ka', 'aaj ki'];
export const WHEN_TOMORROW = ['tomorrow', 'tomorrows', 'kal', 'kal ke', 'kal ka', 'kal ki'];
export const WHEN_OVERDUE = [
  'overdue',
  'late',
  'late ho gaye',
  'late ho gaya',
  'missed',
  'purane',
  'past due',
  'behind',
  'behind on',
];
export const WHEN_THIS_WEEK = [
  'this week',
  'this weeks',
  'is hafte',
  'iss hafte',
  'is week',
  'is hafte ke',
  'weekly',
];
export const WHEN_UPCOMING = ['upcoming', 'aane wala', 'next', 'coming', 'future', 'later', 'baad ke'];

// ---- whole-message intents ----
export const MY_DAY = [
  'my day',
  'my agenda',
  'agenda',
  'briefing',
  'brief me',
  'daily brief',
  'summary',
  'todays plan',
  'todays schedule',
  'todays agenda',
  'todays briefing',
  'plan for today',
  'schedule for today',
  'whats on',
  'whats on today',
  'whats on for today',
  'what is on today',
  'what do i have',
  'what do i have today',
  'whats my day',
  'plan for the day',
  'day plan',
  'days plan',
  'how does my day look',
  'how is my day',
  'aaj kya hai',
  'kya hai aaj',
  'aaj kya kya hai',
  'aaj ka plan',
  'aaj ka schedule',
  'aaj ka agenda',
  'aaj ka din',
  'aaj kya karna hai',
  'aaj ke liye kya hai',
  'mera din',
  'din ka plan',
  'day ka plan',
  'plan the day',
  'plan my day',
  // "give me a quick rundown", "day overview": with no other day, today's
  'rundown',
  'overview',
];
export const HELP = [
  'help',
  'help me',
  'madad',
  'sahayata',
  'what can you do',
  'what all can you do',
  'how does this work',
  'how do i use',
  'how to use',
  'kya kya kar sakte',
  'kya kar sakte',
  'kaise use',
  'commands',
  'menu',
  'features',
];
export const GREETING_WORDS = new Set([
  'hi',
  'hii',
  'hiii',
  'hello',
  'helo',
  'hey',
  'heya',
  'namaste',
  'namaskar',
  'namaskaar',
  'pranam',
  'ram',
  'jai',
  'good',
  'morning',
  'afternoon',
  'evening',
  'gm',
  'sir',
  'ji',
  'bhai',
  'bhaiya',
  'bhaiyya',
  'there',
  'all',
  'everyone',
  'thanks',
  'thank',
  'you',
  'thx',
  'ty',
  'dhanyavad',
  'shukriya',
  'ok',
  'okay',
  'accha',
  'night',
  'bye',
  'goodbye',
  'so',
  'much',
  'very',
  'take',
  'care',
]);
export const QUESTION_WORDS = [
  'hows',
  'kya',
  // "kia" is "kya" doubled or opening the message ("kia kia karna baki hai"), else "kiya" ("payment kia")
  'kia kia',
  '(?<=^)kia',
  'kyun',
  'kyu',
  'kaisa',
  'kaise',
  'kaisi',
  'kaun',
  'kab',
  'kahan',
  'kidhar',
  'kaunsa',
  'kaunsi',
  'kaunse',
  'konsa',
  'konsi',
  'konse',
  'kis',
  'kisko',
  'kise',
  'kisse',
  'kiske',
  'kiski',
  'kinse',
  'kinko',
  // who did it, whose: "kisne sabse zyada payment kiya", "kiska baaki zyada hai"
  'kisne',
  'kiska',
  'kinhone',
  'kinka',
  'kinki',
  'kinke',
  // "how much/many" anywhere asks: "Ramesh pe kitna udhaar hai", "profit kitna hua"
  'kitna',
  'kitni',
  'kitne',
  'what',
  'whats',
  'why',
  'how',
  'who',
  // not "when he comes next month": a time told, not asked
  'when(?!\\s+(?:he|she|they|we|i|it)\\s)',
  'where',
  'which',
];

/**
 * Words that say nothing about which task or what topic: pronouns, little words, auxiliaries, vague nouns
 * and verbs of English and everyday Hinglish. What is left of a question once these are out is its
 * content: a list request's search words, or the reason a "what about today?" is not about the day.
 */
export const GENERIC_WORDS = new Set(
  [
    // English
    'i me my mine myself we us our you your it its this that these those there here a an the of to for from',
    'in on at by with about as into is am are was were be been being do does did doing have has had having',
    'got get getting any anything some something everything all still yet now just only also too really',
    'please kindly can could will would should shall may might must need needs want what whats which who',
    'how when where why up out off lined planned going gonna supposed side stuff things thing work job jobs',
    'item items list lists look looks like looking happening happen tell show give know see let more else',
    'over again pending open left remaining done finish finished complete completed',
    // Hinglish
    'mera mere meri mujhe mujhko main mai hum hume humein humara hamara apna apne aap tum tu wo woh ye yeh',
    'kya kaun kaunse kaunsa konse konsa kitne kitna kitni koi kuch sab saare sabhi abhi ab to toh hi bhi na',
    'nahi nahin hai hain ho raha rahi rahe reh rah gaya gaye gayi karna karne karni',
    'kar karo ka ki ke ko se mein me par pe paas wala liye baaki baki bacha bache bachi batao bata dikhao',
    'yaar bhai ji sir aur list padega padegi padenge rahega rahegi rahenge hoga hogi honge hona jayega jaayega',
    'jaega kis kisko kise kisse kin planned through run send bhejo bhej dena haal khaas aa',
    // English contractions with the apostrophe dropped, and words that only frame a question
    'hows whos wheres thats theres focus priorities rundown overview take care handle',
    // chat shorthand: "wat r my tasks", "kia kia baki hai"
    'r kia',
    // fillers that open or close a spoken question, and where or in what order ("so what's first today")
    'so ok okay accha achha haan hmm boss bro then phir fir first pehle aage kahan kidhar karu karun',
    'karoon kaunsa kaunsi konsi kiske kiski kinse kinko chahiye karein karen krna krni de dijiye bataiye',
    'bataye batana kaaj start begin shuru new naya',
  ]
    .join(' ')
    .split(' '),
);
/** What a day holds, in a question about it ("what does my day look like", "aaj ka pura din"). */
export const DAY_WORDS = [
  'day',
  'din',
  'bhar',
  'plan',
  'plans',
  'schedule',
  'agenda',
  'program',
  'programme',
  'pura',
  'poora',
  'whole',
  'full',
  'kaisa',
  'kaisi',
  'dikh',
  'lag',
  'routine',
  'planning',
  'update',
  'busy',
  'free',
  'hoon',
  'hun',
  'special',
  'chal',
  'cooking',
  'store',
  // what fills a day besides tasks: "aaj kisko call karna hai?", "what meetings do I have today"
  'call',
  'calls',
  'meet',
  'meeting',
  'meetings',
  'milna',
  // where the day goes and what it is called: "aaj kahan jaana hai", "what's on my plate", "aaj ka scene"
  'jaana',
  'jana',
  'go',
  'visit',
  'visits',
  'appointment',
  'appointments',
  'plate',
  'scene',
  'lined',
  'lineup',
  'timetable',
  'time',
  'table',
  'calendar',
  'diary',
  'brief',
  'milne',
  'milenge',
  'milega',
  ...Object.keys(DAY_PARTS),
];

/**
 * The business's numbers: sales, dues, balances, collections, payments, GST, profit, stock, customers. A
 * question about them is one the assistant cannot answer until it can see the business's accounts.
 */
export const BUSINESS_NUMBERS = [
  // English
  'purchase',
  'purchases',
  'purchased',
  'billed',
  'did i bill',
  'did we bill',
  'inflow',
  'outflow',
  'aging',
  'ageing',
  'overdue amount',
  'overdue payment',
  'overdue payments',
  'overdue invoices',
  'overdue on',
  'sale',
  'sales',
  'sell',
  'sells',
  'sold',
  'came in',
  'come in',
  'selling',
  'best selling',
  'revenue',
  'turnover',
  'income',
  'earn',
  'earning',
  'earnings',
  'earned',
  'profit',
  'profits',
  'loss',
  'losses',
  'margin',
  'margins',
  'expense',
  'expenses',
  'expenditure',
  'spend',
  'spent',
  'spending',
  'balance',
  'balances',
  'cash',
  'cash in hand',
  'cash flow',
  'cashflow',
  'dues',
  'outstanding',
  'receivable',
  'receivables',
  'payable',
  'payables',
  'owe',
  'owes',
  'owed',
  'owing',
  'collection',
  'collections',
  'collected',
  'collect',
  'received',
  'receive',
  'receipts',
  'payment',
  'payments',
  'paid',
  'pay',
  // a school's or a clinic's dues: "kitne students ki fees pending hai?"
  'fees',
  'gst',
  'tax',
  'taxes',
  'tds',
  'invoice',
  'invoices',
  'invoiced',
  'unpaid',
  'billing',
  'business',
  'p&l',
  'pnl',
  'profit and loss',
  'balance sheet',
  'stock',
  'inventory',
  // how much of a thing is left: "godown me cement ke kitne bag bache hain", "how many boxes are left"
  '(?:kitne|kitna|kitni|how many|how much)(?:\\s+\\S+){1,4}?\\s+(?:bache|bacha|bachi|left|remaining)',
  'orders',
  'customer',
  'customers',
  'client',
  'clients',
  'buyer',
  'buyers',
  'supplier',
  'suppliers',
  'money',
  'amount',
  'rupees',
  'rs',
  'lakh',
  'lakhs',
  'crore',
  'credit',
  'debit',
  'ledger',
  'accounts',
  // Hinglish
  'kharidari',
  'kharidi',
  'udhari',
  'udhaari',
  'udhaar',
  'vasooli',
  'bikri',
  'becha',
  'beche',
  'bechi',
  'bika',
  'biki',
  'bikta',
  'bikti',
  'bikte',
  // "kitne spark plug bik gaye": sold ("bike" alone is a motorbike)
  'bik (?:gaye|gaya|gayi|gye|gya|gyi|chuke|chuka|chuki)',
  'dhandha',
  'dhanda',
  'kitna baaki',
  'kitna baki',
  'kitni baaki',
  'kitna bacha',
  'kamai',
  'kamaya',
  'munafa',
  'fayda',
  'faida',
  'nuksaan',
  'nuksan',
  'ghata',
  'kharcha',
  'kharch',
  'kharche',
  'paisa',
  'paise',
  'rokda',
  'nakad',
  'bakaya',
  'udhaar',
  'udhar',
  'vasooli',
  'vasuli',
  'wasooli',
  'jama',
  'hisaab',
  'hisab',
  'khata',
  'khaata',
  'maal',
  'khareeda',
  'khareedta',
  'khareedte',
  'kharida',
  'kharidta',
  'kharidte',
  'grahak',
  'grahakon',
  'kiska baaki',
  'kiska baki',
  'kharidari',
  'salary',
  'salaries',
  'tankhwah',
  'overdue amount',
  'overdue kitna',
  'kitna overdue',
  'how much is overdue',
  'aaya',
  'mila',
  'baaki kiska',
  'baki kiska',
  'lena hai',
  'lene hain',
  'kitna lena',
  'dena hai',
  'kitna dena',
  // how much someone paid or was paid: "Iyer Stores ne kitna diya", "suppliers ko kitna bheja"
  '(?:kitna|kitne|kitni) (?:\\S+ )?(?:diya|diye|di|bheja|bheje|chukaya)',
  // what is still to come in or to pay off: "Sharma ka kitna pending hai", "kitna chukana hai"
  'kitna pending',
  'pending kitna',
  'chukana',
  'chukane',
  'chukani',
  'total baaki',
  'baaki total',
  '(?:zyada|jyada) baaki',
  'baaki (?:sabse )?(?:zyada|jyada)',
  '(?:atka|atki|atke|fasa|fasi|phasa|phasi) (?:hua|hui|hue|pada|padi)',
  // the market as the owner's debtors: "bazaar ka total baaki", "market me kitna fasa hai"
  'bazaar',
  'bazar',
  // a report of the accounts: "party wise list", "30 60 90 ka breakup", "top 5 party"
  'party ?wise',
  'top \\d+ part(?:y|ies)',
  '30 60 90',
  'breakup',
  'due date (?:nikal|cross)\\w*',
  '(?:ka|ki|ke) (?:kuch |koi )?overdue',
  // sales and dues in the shop's words: "aaj kitne bill kate", "ABC ki taraf kitna nikalta hai"
  'bills? (?:kata|kate|kaate|kaata|bana|bane|banaye|banaya)',
  '(?:kitna|kitni|kitne) (?:\\S+ )?(?:nikalta|nikalte|nikalti|banta|bante|banti)',
  'in (?:aur|and|or|ya|vs|minus) out',
  // what running costs come to, which the books here cannot tell: "dukaan ka kiraya kitna hai"
  '(?:kitna|kitni|kitne) (?:\\S+ )?(?:rent|kiraya|kiraye|bijli|electricity|emi|loan|byaj|interest|petrol|diesel|wages|bachat)',
  '(?:rent|kiraya|kiraye|bijli|electricity|emi|loan|byaj|interest|petrol|diesel|wages|bachat) (?:\\S+ )?(?:kitna|kitni|kitne)',
];

// ---- edges of titles and references ----
export const LEADING_FILLERS = new Set([
  'please',
  'can you',
  'can we',
  'could we',
  'lets',
  'let us',
  'could you',
  'will you',
  'would you',
  'kya aap',
  'kya tum',
  'aap',
  'tum',
  'kindly',
  'bhai',
  'bhaiya',
  'sir',
  'mujhe',
  'mujhko',
  'mere ko',
  'humko',
  'i',
  'to',
  'that',
  'ki',
  'and',
  'aur',
  'also',
  'bhi',
  'the',
  'a',
  'an',
  'my',
  'mera',
  'meri',
  'mere',
  'with',
  'have',
  'has',
  'mark',
  'marked',
  'ek',
]);
/** "Put it down": the verbs that close "… ka follow up lagao" / "… reminder set karo". */
export const SET_IT = [
  'lagao',
  'laga do',
  'laga dena',
  'lagana',
  'lagana hai',
  'set karo',
  'set kar do',
  'rakh do',
  'rakho',
  'daal do',
  'dalo',
  'bana do',
  'banao',
  'add karo',
  'add kar do',
];
/** Words that close a message without adding to it: "… hai", "… please", "… bhi". */
export const TRAILING_WORDS = new Set([
  'hai',
  'please',
  'na',
  'yaar',
  'ok',
  'and',
  'aur',
  'to',
  'also',
  'bhi',
  'zaroor',
]);
/** …and the verbs that only say "do it" or "put it down", which name nothing in a reference or a query. */
export const TRAILING_FILLERS = new Set([
  // (not "lagana", a deed of its own at a name's end: "gupta ji ka tent lagana kal pe daal do")
  ...SET_IT.filter((w) => !w.startsWith('lagana')),
  ...TRAILING_WORDS,
  'kar do',
  'karo',
  'kar dena',
  'kar lena',
]);
/** Extra edge words for references to an existing task or follow-up ("the GST wala task ko"). */
export const REFERENCE_EDGE = new Set([
  // "remove the reminder about rent": what the task is about names it
  'about',
  'regarding',
  'wala',
  'ka',
  'ki',
  'ke',
  'ko',
  'se',
  'pe',
  'par',
  'as',
  'is',
  'was',
  'for',
  'of',
  'the',
  'my',
  'kar',
  'karo',
  'kar do',
  'do',
  'due',
  'date',
  'deadline',
  'time',
  'due date',
]);
