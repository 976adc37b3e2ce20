/**
 * The honorifics Indian owners put before a name ("Mr Bose", "Dr. Khanna", "Shri Harish", "Smt Lata") or
 * after it ("Sharma ji", "Ramesh bhai", "Chawla sahab", "Anita madam"): part of how a person is called,
 * never a name on its own. One list for the memory extractor, the offline parser and name lookups.
 * Lower case, without a full stop. Words that are also common first names (Babu, Ben, Lala) are left out: a
 * person called only that must stay findable; so are roles that name a task's person (CA, advocate, pandit:
 * "CA wala kaam" names the CA).
 */

/** Titles that stand before a name; owners often write them with a full stop ("Dr.", "Smt."). */
export const HONORIFICS_BEFORE: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'shri',
  'shree',
  'sri',
  'smt',
  'shrimati',
  'kumari',
  'sushri',
  // "Sh. Ram Lal": Shri, as formal letters shorten it
  'sh',
  // designations said as titles: "Adv. Bhasin", "Col. Bhandari", "Capt. Mehra", "Maj. Rathore", "Lt. Gill",
  // "Brig. Dhillon", "Er. Kulkarni" (an engineer), "Justice Reddy"
  'adv',
  'col',
  'capt',
  'maj',
  'lt',
  'brig',
  'er',
  'justice',
]);

/** Words of respect or kinship that follow a name. */
export const HONORIFICS_AFTER: ReadonlySet<string> = new Set([
  'ji',
  'jee',
  'bhai',
  'bhaiya',
  'bhaiyya',
  'bhaiyaa',
  'bhau',
  'sir',
  'sahab',
  'saab',
  'sahib',
  'saheb',
  'madam',
  'maam',
  'mam',
  'didi',
  'behen',
  'behenji',
  'bhabhi',
  'uncle',
  'aunty',
  'auntie',
  'kaka',
  'chacha',
  'seth',
  'sethji',
  'garu',
  // the south and east's words of kinship ("Murugan anna", "Lakshmi akka", "Bose dada", "Raju boss")
  'anna',
  'akka',
  'amma',
  'chechi',
  'chetta',
  'chettan',
  'dada',
  'mama',
  'mausi',
  'boss',
  'saar',
  // the west's, the north's and Bengal's: "Sunita tai", "Gill paaji", "Ratan da", "Mitra boudi", "Gupta
  // bhaisaab", and aunts and uncles by kin ("Verma chachi", "Joshi kaki")
  'tai',
  'paaji',
  'paji',
  'sardarji',
  'da',
  'boudi',
  'bhaisaab',
  'bhaisahab',
  'chachi',
  'chachaji',
  'mami',
  'mamaji',
  'kaki',
]);

export const HONORIFICS: ReadonlySet<string> = new Set([...HONORIFICS_BEFORE, ...HONORIFICS_AFTER]);

/** "Dr.", "ji", "SAHAB" → true. */
export const isHonorific = (word: string): boolean => HONORIFICS.has(word.toLowerCase().replace(/\.$/, ''));

const TITLE_STOP = new RegExp(`(?<![\\p{L}.])(${[...HONORIFICS_BEFORE].join('|')})\\.(?=\\s)`, 'giu');

/**
 * "Dr. Menon" → "Dr Menon": the offline parser passes a title before a name without its full stop, in
 * contact names, titles and remembered content alike (the convention of the evaluation sets it was
 * tuned on; lookups compare names without punctuation either way). "Mr.Iyer", typed as one word, stays.
 */
export const withoutTitleStops = (text: string): string => text.replace(TITLE_STOP, '$1');
