/**
 * The honorifics Indian owners put before a name ("Mr Bose", "Dr. Khanna", "Shri Harish", "Smt Lata") or
 * after it ("Sharma ji", "Ramesh bhai", "Chawla sahab", "Anita madam"): part of how a person is called,
 * never a name on its own. One list for the memory extractor, the offline parser and name lookups.
 * Lower case, without a full stop. Words that are also common first names (Babu, Ben, Lala, Seth) are left
 * out: a person called only that must stay findable.
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
