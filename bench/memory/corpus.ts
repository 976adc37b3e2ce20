/**
 * The generated corpus of bench/memory: what small-business owners tell their Digital Employee (contacts,
 * suppliers' rates, who pays late, rents, GST numbers, preferences), in English and everyday Hinglish, and
 * for a sample of those memories a *paraphrase*: the question an owner would later ask about the same thing
 * in other words ("Ramesh Kumar's number is 98450 12345" → "how do I call Ramesh Kumar"). The overlap is
 * what real questions share with the fact: usually the name of who it is about, sometimes a word or two,
 * sometimes nothing but the name (and a few with no word in common at all).
 *
 * Each user has their own "cast" (people, businesses, places) that their memories are drawn from, so one
 * person or business appears in several of a user's memories (Ramesh's number, Ramesh's shop, Ramesh's
 * birthday): the nearest distractors of a query are about the same subject, as in life.
 *
 * Deterministic for a seed (mulberry32), so two runs with the same knobs search the same corpus.
 */

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));

const FIRST = (
  'Ramesh Suresh Mahesh Rajesh Dinesh Ganesh Mukesh Naresh Prakash Anil Sunil Vijay Sanjay Ajay Manoj Vinod ' +
  'Ashok Deepak Rakesh Arun Kiran Pooja Priya Neha Sunita Anita Kavita Rekha Meena Geeta Lakshmi Savitri ' +
  'Farhan Imran Salim Ayesha Harpreet Gurpreet Joseph Thomas Venkat Srinivas Murali Balaji Karthik Arjun'
).split(' ');
const LAST = (
  'Kumar Sharma Verma Gupta Agarwal Jain Patel Shah Mehta Reddy Rao Naidu Iyer Nair Menon Pillai Singh ' +
  'Yadav Mishra Pandey Tiwari Chauhan Joshi Kulkarni Deshpande Patil Khan Shaikh Fernandes Das'
).split(' ');
const BIZ_A = (
  'ABC Balaji Shree Ganesh Laxmi Om Sai Krishna Annapurna Vinayak Mahalaxmi Ambika Navratna Jai Hind ' +
  'Sunrise Deccan Coastal Metro Royal Star Golden Evergreen Supreme National Bharat Kaveri Narmada'
).split(' ');
const BIZ_B = (
  'Traders Enterprises Distributors Suppliers Agencies Stores Industries Exports Wholesale Mart ' +
  'Logistics Textiles Hardware Foods Chemicals'
).split(' ');
const ITEMS = (
  'rice|sugar|wheat flour|toor dal|cooking oil|cement|steel rods|cotton fabric|silk sarees|paint|' +
  'PVC pipes|electric wire|tea leaves|spices|packaging boxes|printer paper|LED bulbs|tiles|plywood|detergent'
).split('|');
const UNITS = ['kg', 'bag', 'litre', 'box', 'piece', 'metre', 'quintal', 'carton'];
const AREAS = (
  'Jayanagar|Koramangala|Andheri East|Dadar|Karol Bagh|Chandni Chowk|T Nagar|Anna Nagar|Salt Lake|' +
  'Banjara Hills|Kothrud|Hadapsar|Navrangpura|Malviya Nagar|Gandhi Nagar|MG Road|Peenya|Sector 18|' +
  'Whitefield|Yeshwanthpur|Bhiwandi|Okhla|Vashi|Ulsoor'
).split('|');
const CITIES =
  'Bengaluru Mumbai Delhi Chennai Kolkata Hyderabad Pune Ahmedabad Jaipur Indore Surat Noida'.split(' ');
const DAYS = 'Monday Tuesday Wednesday Thursday Friday Saturday Sunday'.split(' ');
const MONTHS = 'January February March April May June July August September October November December'.split(
  ' ',
);
const BANKS = ['HDFC Bank', 'ICICI Bank', 'State Bank of India', 'Axis Bank', 'Canara Bank', 'Kotak Bank'];
const SHIFTS = ['morning', 'evening', 'night'];
const BRANCHES = ['main', 'Jayanagar', 'station road', 'market', 'warehouse', 'new'];
const TIMES = ['7pm', '8pm', '9pm', '8:30pm', '6pm', '10pm'];
const PERIODS = ['week', 'fortnight', 'month'];
const REMIND_TIMES = ['8am', '9am', '9:30am', '10am', '7am', '6pm'];
const NTH = ['1st', '5th', '7th', '10th', '15th', '20th', '25th'];

interface Person {
  full: string;
  first: string;
}

/** One user's cast: the people, businesses and places their memories are about. */
export interface Cast {
  people: Person[];
  businesses: string[];
  areas: string[];
}

export function makeCast(rng: Rng, people = 120, businesses = 80): Cast {
  const ps = new Map<string, Person>();
  while (ps.size < people) {
    const first = pick(rng, FIRST);
    const full = `${first} ${pick(rng, LAST)}`;
    ps.set(full, { full, first });
  }
  const bs = new Set<string>();
  while (bs.size < businesses) {
    const a = rng() < 0.3 ? `${pick(rng, LAST)}` : pick(rng, BIZ_A);
    bs.add(`${a} ${pick(rng, BIZ_B)}`);
  }
  return { people: [...ps.values()], businesses: [...bs], areas: [...AREAS] };
}

const phone = (rng: Rng) => {
  const d = `${pick(rng, ['98', '99', '97', '96', '90', '88', '80', '70'])}${int(rng, 10_000_000, 99_999_999)}`;
  return pick(rng, [`${d.slice(0, 5)} ${d.slice(5)}`, d, `+91 ${d.slice(0, 5)} ${d.slice(5)}`]);
};
const rupees = (rng: Rng, lo: number, hi: number, step: number) =>
  (Math.round(int(rng, lo, hi) / step) * step).toLocaleString('en-IN');
const upper = (rng: Rng, n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(65 + int(rng, 0, 25))).join('');
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => int(rng, 0, 9)).join('');
const plate = (rng: Rng) =>
  `${pick(rng, ['KA', 'MH', 'DL', 'TN', 'TS', 'GJ'])}${int(rng, 1, 51).toString().padStart(2, '0')}${upper(rng, 2)}${digits(rng, 4)}`;
const gstin = (rng: Rng) =>
  `${int(rng, 10, 36)}${upper(rng, 5)}${digits(rng, 4)}${upper(rng, 1)}1Z${int(rng, 1, 9)}`;

/** A fact as stored in a few phrasings, and the questions an owner would ask about it later. */
export interface Generated {
  /** Unique per user: two memories never fill the same slot of the same subject. */
  key: string;
  stored: string[];
  queries: string[];
}

export interface Family {
  name: string;
  make(rng: Rng, cast: Cast): Generated;
}

const person = (rng: Rng, c: Cast) => pick(rng, c.people);
const biz = (rng: Rng, c: Cast) => pick(rng, c.businesses);

export const FAMILIES: Family[] = [
  {
    name: 'phone',
    make(rng, c) {
      const p = person(rng, c);
      const n = phone(rng);
      return {
        key: `phone:${p.full}`,
        stored: [
          `${p.full}'s number is ${n}`,
          `${p.full} ka number ${n} hai`,
          `Phone number of ${p.full} is ${n}`,
        ],
        queries: [
          `how do I call ${p.full}`,
          `${p.first} ji ka mobile number kya hai`,
          `contact for ${p.full}`,
        ],
      };
    },
  },
  {
    name: 'late payer',
    make(rng, c) {
      const b = biz(rng, c);
      const n = int(rng, 2, 6);
      return {
        key: `late:${b}`,
        stored: [
          `${b} always pays ${n} weeks late`,
          `${b} usually clears invoices ${n} weeks after the due date`,
          `Payments from ${b} come in late, around ${n} weeks after billing`,
        ],
        queries: [`does ${b} pay on time`, `how delayed is money from ${b}`, `${b} ka payment kab aata hai`],
      };
    },
  },
  {
    name: 'supplier rate',
    make(rng, c) {
      const b = biz(rng, c);
      const item = pick(rng, ITEMS);
      const unit = pick(rng, UNITS);
      const price = rupees(rng, 20, 4000, 5);
      return {
        key: `rate:${b}:${item}`,
        stored: [
          `${b} supplies ${item} at Rs ${price} per ${unit}`,
          `We buy ${item} from ${b} for ${price} rupees a ${unit}`,
        ],
        queries: [
          `what rate does ${b} charge for ${item}`,
          `${item} price from ${b}`,
          `how much is ${b} asking per ${unit}`,
        ],
      };
    },
  },
  {
    name: 'address',
    make(rng, c) {
      const p = person(rng, c);
      const area = pick(rng, c.areas);
      const city = pick(rng, CITIES);
      return {
        key: `address:${p.full}`,
        stored: [`${p.full}'s shop is at ${area}, ${city}`, `${p.full} ki dukaan ${area}, ${city} mein hai`],
        queries: [`where is ${p.full}'s store`, `address of ${p.full}`, `${p.first} ji ki shop kahan hai`],
      };
    },
  },
  {
    name: 'birthday',
    make(rng, c) {
      const p = person(rng, c);
      const date = `${int(rng, 1, 28)} ${pick(rng, MONTHS)}`;
      return {
        key: `birthday:${p.full}`,
        stored: [`${p.full}'s birthday is on ${date}`, `${p.full} was born on ${date}`],
        queries: [
          `when is ${p.full}'s birthday`,
          `when should I wish ${p.full}`,
          `${p.full} ka janamdin kab hai`,
        ],
      };
    },
  },
  {
    name: 'outstanding',
    make(rng, c) {
      const b = biz(rng, c);
      const amt = rupees(rng, 5000, 900000, 500);
      const month = pick(rng, MONTHS);
      return {
        key: `owes:${b}`,
        stored: [
          `${b} owes us Rs ${amt} for the ${month} order`,
          `Rs ${amt} is still pending from ${b} since ${month}`,
        ],
        queries: [`how much money does ${b} owe`, `outstanding balance of ${b}`, `${b} ka kitna baaki hai`],
      };
    },
  },
  {
    name: 'delivery day',
    make(rng, c) {
      const b = biz(rng, c);
      const item = pick(rng, ITEMS);
      const day = pick(rng, DAYS);
      return {
        key: `delivery:${b}`,
        stored: [`${b} delivers ${item} only on ${day}s`, `${item} from ${b} arrives every ${day}`],
        queries: [
          `which day does ${b} deliver`,
          `when will the ${item} from ${b} come`,
          `${b} ka maal kis din aata hai`,
        ],
      };
    },
  },
  {
    name: 'staff shift',
    make(rng, c) {
      const p = person(rng, c);
      const shift = pick(rng, SHIFTS);
      const branch = pick(rng, BRANCHES);
      return {
        key: `shift:${p.full}`,
        stored: [
          `${p.full} works the ${shift} shift at the ${branch} branch`,
          `${p.full} is posted at the ${branch} branch for the ${shift} shift`,
        ],
        queries: [
          `when is ${p.full} on duty`,
          `which branch does ${p.full} work at`,
          `${p.full} ki duty kab hai`,
        ],
      };
    },
  },
  {
    name: 'bank',
    make(rng, c) {
      const b = biz(rng, c);
      const bank = pick(rng, BANKS);
      const ifsc = `${upper(rng, 4)}0${digits(rng, 6)}`;
      return {
        key: `bank:${b}`,
        stored: [
          `${b}'s bank account is with ${bank}, IFSC ${ifsc}`,
          `Pay ${b} into their ${bank} account, IFSC code ${ifsc}`,
        ],
        queries: [`IFSC for paying ${b}`, `which bank does ${b} use`, `${b} account details for transfer`],
      };
    },
  },
  {
    name: 'gstin',
    make(rng, c) {
      const b = biz(rng, c);
      const g = gstin(rng);
      return {
        key: `gstin:${b}`,
        stored: [`${b}'s GSTIN is ${g}`, `GST number of ${b}: ${g}`],
        queries: [`GST registration of ${b}`, `what is the tax number for ${b}`, `${b} ka GST no`],
      };
    },
  },
  {
    name: 'discount',
    make(rng, c) {
      const b = biz(rng, c);
      const pct = int(rng, 2, 15);
      const amt = rupees(rng, 10000, 200000, 5000);
      return {
        key: `discount:${b}`,
        stored: [
          `${b} gives ${pct}% discount on orders above Rs ${amt}`,
          `${b} offers a ${pct} percent discount for bulk orders over Rs ${amt}`,
        ],
        queries: [
          `does ${b} give any bulk discount`,
          `discount terms with ${b}`,
          `can I get a lower price from ${b} on big orders`,
        ],
      };
    },
  },
  {
    name: 'no late calls',
    make(rng, c) {
      const p = person(rng, c);
      const t = pick(rng, TIMES);
      return {
        key: `calls:${p.full}`,
        stored: [
          `${p.full} does not pick up calls after ${t}`,
          `${p.full} never answers the phone after ${t}`,
        ],
        queries: [`can I ring ${p.full} late in the evening`, `what time is too late to phone ${p.full}`],
      };
    },
  },
  {
    name: 'visits',
    make(rng, c) {
      const p = person(rng, c);
      const day = pick(rng, DAYS);
      return {
        key: `visits:${p.full}`,
        stored: [
          `${p.full} usually comes to the shop on ${day} mornings`,
          `${p.full} visits every ${day} before noon`,
        ],
        queries: [`when does ${p.full} drop by`, `which day is ${p.full} expected at the store`],
      };
    },
  },
  {
    name: 'relation',
    make(rng, c) {
      const p = person(rng, c);
      const parent = person(rng, c);
      const b = biz(rng, c);
      return {
        key: `relation:${p.full}`,
        stored: [`${p.full} is the son of ${parent.full}, who runs ${b}`],
        queries: [`who is ${p.full}'s father`, `how is ${p.full} connected to ${b}`],
      };
    },
  },
  {
    name: 'quality',
    make(rng, c) {
      const b = biz(rng, c);
      const item = pick(rng, ITEMS);
      return {
        key: `quality:${b}`,
        stored: [
          `The last ${item} batch from ${b} was damp and had to be returned`,
          `${b} sent poor quality ${item} last time`,
        ],
        queries: [
          `any complaints about ${b}`,
          `was there a problem with ${item} from ${b}`,
          `can I trust ${b}'s goods`,
        ],
      };
    },
  },
  {
    name: 'rent',
    make(rng, c) {
      const area = pick(rng, c.areas);
      const amt = rupees(rng, 8000, 150000, 500);
      const nth = pick(rng, NTH);
      return {
        key: `rent:${area}`,
        stored: [
          `Rent for the ${area} godown is Rs ${amt}, due on the ${nth} of every month`,
          `${area} godown ka kiraya Rs ${amt} hai, har mahine ${nth} ko dena hai`,
        ],
        queries: [`when is the ${area} warehouse rent due`, `how much do I pay for the ${area} godown`],
      };
    },
  },
  {
    name: 'driver',
    make(rng, c) {
      const p = person(rng, c);
      const v = plate(rng);
      return {
        key: `driver:${v}`,
        stored: [`${p.full} drives our tempo, vehicle number ${v}`, `${p.full} is the driver of tempo ${v}`],
        queries: [`who drives ${v}`, `which driver has the tempo ${v}`],
      };
    },
  },
  {
    name: 'credit limit',
    make(rng, c) {
      const b = biz(rng, c);
      const amt = rupees(rng, 20000, 500000, 5000);
      return {
        key: `credit:${b}`,
        stored: [`${b} has a credit limit of Rs ${amt}`, `Do not give ${b} more than Rs ${amt} on credit`],
        queries: [`how much udhaar can ${b} take`, `what is the maximum credit for ${b}`],
      };
    },
  },
  {
    name: 'order habit',
    make(rng, c) {
      const b = biz(rng, c);
      const item = pick(rng, ITEMS);
      const unit = pick(rng, UNITS);
      const qty = int(rng, 5, 400);
      const period = pick(rng, PERIODS);
      return {
        key: `orders:${b}:${item}`,
        stored: [
          `${b} orders ${qty} ${unit}s of ${item} every ${period}`,
          `Every ${period} ${b} buys about ${qty} ${unit}s of ${item}`,
        ],
        queries: [`how much ${item} does ${b} usually take`, `regular order size of ${b}`],
      };
    },
  },
  {
    name: 'email',
    make(rng, c) {
      const p = person(rng, c);
      const [first = 'x', last = 'y'] = p.full.toLowerCase().split(' ');
      const mail = `${first}.${last}${int(rng, 1, 99)}@${pick(rng, ['gmail.com', 'yahoo.co.in', 'outlook.com', 'rediffmail.com'])}`;
      return {
        key: `email:${p.full}`,
        stored: [`${p.full}'s email is ${mail}`, `${p.full} ka email ${mail} hai`],
        queries: [`mail id of ${p.full}`, `where do I send ${p.full} the invoice by email`],
      };
    },
  },
  {
    name: 'own preference',
    make(rng) {
      const t = pick(rng, REMIND_TIMES);
      const which = int(rng, 0, 2);
      if (which === 0) {
        return {
          key: 'pref:reminders',
          stored: [`I prefer reminders at ${t}`, `Mujhe reminders subah ${t} chahiye`],
          queries: ['what time do I like to be reminded', 'when should you remind me about things'],
        };
      }
      if (which === 1) {
        return {
          key: 'pref:briefing',
          stored: ['I want the morning briefing in Hindi', 'I prefer my daily summary in Hinglish'],
          queries: ['which language should my day summary be in', 'briefing language'],
        };
      }
      return {
        key: 'pref:hours',
        stored: [`The shop opens at 10am and closes at ${t}`, `Our store timings are 10am to ${t}`],
        queries: ['what are our opening hours', 'when does the store close'],
      };
    },
  },
];

export interface GeneratedMemory {
  text: string;
  family: string;
  /** Index of the query phrasing, chosen when this memory is a paraphrase target. */
  queries: string[];
  /** Days before now it was said (the recency boost sees it). */
  ageDays: number;
}

/** `count` memories for one user, no two about the same slot of the same subject. */
export function userMemories(rng: Rng, count: number): GeneratedMemory[] {
  const cast = makeCast(rng);
  const seen = new Set<string>();
  const out: GeneratedMemory[] = [];
  let attempts = 0;
  while (out.length < count && attempts < count * 50) {
    attempts++;
    const family = pick(rng, FAMILIES);
    const g = family.make(rng, cast);
    if (seen.has(g.key)) continue;
    seen.add(g.key);
    out.push({ text: pick(rng, g.stored), family: family.name, queries: g.queries, ageDays: rng() * 365 });
  }
  if (out.length < count)
    throw new Error(`corpus: could only make ${out.length} distinct memories for a user`);
  return out;
}

export { pick };
