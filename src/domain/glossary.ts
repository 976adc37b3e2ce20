/**
 * A small business glossary, English ↔ everyday Hindi as owners type it, for finding a task or a follow-up
 * by how a person names it: "godown ka kiraya" is the warehouse rent, "power bill" the electricity bill,
 * "tankhwah" the salary. Each group holds words that name one thing or one action in a shop's day;
 * a word may sit in two groups ("dena" is to give and to pay). Forms the stemmer in lookup.ts already
 * joins ("deposited", "cheques") need no entry; irregular ones ("paid", "sent") do.
 *
 * `action` groups are verbs: how a task is done says less about which task it is than what it is about,
 * so they weigh less when a name is matched.
 */

export interface GlossaryGroup {
  action: boolean;
  words: readonly string[];
}

const thing = (...words: string[]): GlossaryGroup => ({ action: false, words });
const action = (...words: string[]): GlossaryGroup => ({ action: true, words });

export const GLOSSARY: readonly GlossaryGroup[] = [
  // money and what it is for
  action(
    'pay',
    'paid',
    'payment',
    'payments',
    'bhugtan',
    'bhar',
    'bhara',
    'bhari',
    'bhare',
    'bharna',
    'chukana',
    'dena',
    'de',
    'diya',
  ),
  thing(
    'salary',
    'salaries',
    'wage',
    'wages',
    'payroll',
    'tankhwah',
    'tankhwa',
    'tankhah',
    'tankha',
    'pagar',
    'vetan',
  ),
  thing('rent', 'rental', 'kiraya', 'kiraaya', 'kiraye', 'bhada', 'bhaada'),
  thing('electricity', 'electric', 'power', 'bijli'),
  thing('water', 'pani', 'paani'),
  thing('cash', 'nakad', 'nakdi', 'rokda'),
  thing('money', 'paisa', 'paise', 'rupees', 'amount', 'payment', 'payments'),
  thing('bill', 'bills', 'invoice', 'invoices', 'challan'),
  thing('quotation', 'quote', 'quotes', 'estimate'),
  thing('accounts', 'account', 'hisaab', 'hisab', 'khata', 'khaata', 'ledger', 'books'),
  thing('fees', 'fee', 'shulk'),
  thing('loan', 'karz', 'karza', 'karja'),
  thing('tax', 'gst'),
  // places and things
  thing('warehouse', 'godown', 'godam', 'gowdown', 'storeroom'),
  thing('shop', 'store', 'dukaan', 'dukan', 'showroom', 'outlet'),
  thing('goods', 'maal', 'saman', 'samaan', 'material', 'stock', 'consignment', 'parcel'),
  thing('order', 'orders', 'maal'),
  thing('key', 'keys', 'chaabi', 'chabi', 'chaabhi', 'chabhi'),
  thing('lock', 'taala', 'tala'),
  thing('papers', 'documents', 'document', 'docs', 'kagaz', 'kaagaz', 'kagzat'),
  thing('staff', 'employee', 'employees', 'worker', 'workers', 'karmachari', 'karigar'),
  thing('customer', 'customers', 'client', 'clients', 'grahak', 'party'),
  thing('supplier', 'suppliers', 'vendor', 'vendors', 'wholesaler'),
  thing('sample', 'samples', 'namuna'),
  thing('ink', 'syahi', 'cartridge'),
  thing('meeting', 'meet', 'met', 'milna', 'mulakat', 'mulaqat'),
  // actions
  action('visit', 'visited', 'visiting', 'jaana', 'jana', 'jaake', 'jaakar', 'go', 'went', 'daura'),
  action('send', 'sent', 'bhejna', 'bhej', 'bheja', 'bheji', 'bheje', 'dispatch', 'dispatched', 'courier'),
  action(
    'deliver',
    'delivered',
    'delivery',
    'deliveries',
    'pahunchana',
    'pahuncha',
    'pahunchaya',
    'pahunchai',
    'pahunchao',
  ),
  action('deposit', 'deposited', 'jama'),
  action('collect', 'collected', 'collection', 'vasooli', 'vasuli', 'recover', 'lena', 'liya'),
  action('get', 'got', 'take', 'took', 'lena', 'liya'),
  action('give', 'gave', 'given', 'dena', 'de', 'diya'),
  action(
    'buy',
    'bought',
    'purchase',
    'purchased',
    'kharidna',
    'kharid',
    'kharida',
    'kharidi',
    'khareedna',
    'khareed',
    'khareeda',
  ),
  action(
    'order',
    'ordered',
    'placed',
    'mangwana',
    'mangana',
    'mangao',
    'mangwao',
    'mangwaya',
    'manga',
    'mangwa',
  ),
  action('call', 'called', 'phone', 'phoned', 'ring', 'baat', 'talk', 'spoke', 'speak'),
  action('clean', 'cleaning', 'cleaned', 'cleaner', 'safai', 'safaai', 'saaf', 'saf'),
  action(
    'check',
    'checked',
    'verify',
    'verified',
    'audit',
    'count',
    'counted',
    'ginti',
    'ginna',
    'gin',
    'jaanch',
    'janch',
  ),
  action('repair', 'repaired', 'fix', 'fixed', 'mend', 'marammat', 'theek', 'thik'),
  action('service', 'serviced', 'servicing'),
  action('paint', 'painting', 'painted', 'rang', 'rangai', 'putai'),
  action('file', 'filed', 'filing', 'submit', 'submitted', 'bharna', 'bhar', 'bhara'),
  action('book', 'booked', 'booking', 'reserve', 'reserved'),
  action('renew', 'renewed', 'renewal'),
  action('hire', 'hired', 'hiring', 'recruit'),
  action('make', 'made', 'making', 'banana', 'banwana', 'banaya', 'banwaya', 'prepare', 'prepared'),
  action('change', 'changed', 'replace', 'replaced', 'badalna', 'badla', 'badli', 'badal'),
];
