import { describe, expect, it } from 'vitest';
import { namePatterns, rankByName, stem } from '../../src/domain/lookup.ts';

// How a task or follow-up is found from how a person names it: by stems and the glossary, the best match
// only, or every close one so the assistant can ask which.
const find = (ref: string, titles: string[]) => rankByName(ref, titles, (t) => t);
/** The titles a whole message mentions, for a report or (`move`) a move. */
const mentioned = (message: string, titles: string[], to?: 'move') =>
  rankByName(message, titles, (t) => t, 'mentioned', to);

describe('finding a task by how it is named', () => {
  it('joins the forms of a word, in English and romanised Hindi', () => {
    for (const [a, b] of [
      ['deposited', 'deposit'],
      ['cheques', 'cheque'],
      ['servicing', 'service'],
      ['salaries', 'salary'],
      ['boxes', 'box'],
      ['bhejna', 'bheja'],
      ['kiraya', 'kiraye'],
      // the future names the doing as its root does
      ['milenge', 'milna'],
      ['bhejega', 'bhejna'],
      ['karungi', 'karna'],
    ] as const) {
      expect(stem(a), `${a} ~ ${b}`).toBe(stem(b));
    }
    // "aa payenge" is "can come", no paying; English words of that ending stay themselves
    for (const [a, b] of [
      ['payenge', 'pay'],
      ['challenge', 'chall'],
    ] as const) {
      expect(stem(a), `${a} ≁ ${b}`).not.toBe(stem(b));
    }
  });

  it('finds a task named by a paraphrase, an inflection or the other language', () => {
    const titles = [
      'File GST returns',
      'Pay GST penalty',
      'Pay warehouse rent',
      'Pay shop rent',
      'Pay electricity bill',
    ];
    expect(find('filed the returns', titles)).toEqual(['File GST returns']);
    expect(find('godown ka kiraya bhar', titles)).toEqual(['Pay warehouse rent']);
    expect(find('power bill paid', titles)).toEqual(['Pay electricity bill']);
    expect(find('Staff ki tankhwah', ['Pay staff salary', 'Hire new staff'])).toEqual(['Pay staff salary']);
  });

  it('gives every close match when two fit about equally, and the one whose whole name was said', () => {
    expect(find('GST', ['File GST returns', 'Pay GST penalty', 'Call CA'])).toEqual([
      'File GST returns',
      'Pay GST penalty',
    ]);
    expect(find('Sharma ji', ['Sharma ji ko call karna', 'Sharma ji ko bill bhejna'])).toHaveLength(2);
    expect(find('pay GST penalty', ['Pay GST penalty', 'Pay GST penalty and interest'])).toEqual([
      'Pay GST penalty',
    ]);
  });

  it('finds nothing when what was said does not fit: another person, or another action on them', () => {
    expect(find('Ramesh ko call', ['Pay Ramesh', 'Call Suresh'])).toEqual([]);
    expect(find('deposited the cheques', ['Collect cheque from Malhotra'])).toEqual([]);
    expect(find('the', ['The GST one'])).toEqual([]);
  });

  it('tolerates words of the owner around the name, but not an action said against the name', () => {
    const titles = ['Fix the AC in showroom', 'Clean showroom glass', 'Service the generator'];
    expect(find('showroom ac repaired working fine now', titles)).toEqual(['Fix the AC in showroom']);
    expect(
      find('pune wala parcel courier me book', ['Book courier for Pune order', 'Pack Pune order']),
    ).toEqual(['Book courier for Pune order']);
    expect(find('called Ramesh', ['Pay Ramesh', 'Pack Suresh order'])).toEqual([]);
  });

  it('finds nothing for a deed said against the name however much else fits; a hand-over told from the other side is one', () => {
    expect(find('shop board printed', ['Paint the shop board', 'Pay the painter'])).toEqual([]);
    expect(find('sold the old printer', ['Repair old printer', 'Buy new printer'])).toEqual([]);
    expect(find('dukaan ka board chhap', ['Dukaan ka board paint karwana'])).toEqual([]);
    expect(find('tenant ne rent de', ['Pay rent for shop', 'Collect rent from tenant'])).toEqual([
      'Collect rent from tenant',
    ]);
    expect(find('CA has received the documents', ['Courier documents to CA', 'Call Pune buyer'])).toEqual([
      'Courier documents to CA',
    ]);
  });

  it('forgives a slip in a long word, and long vowels spelt either way', () => {
    expect(find('bank manger meeting', ['Meeting with bank manager', 'Staff meeting'])).toEqual([
      'Meeting with bank manager',
    ]);
    expect(find('quotaton sent', ['Send quotation to Agarwal', 'Send invoice to Agarwal'])).toEqual([
      'Send quotation to Agarwal',
    ]);
    expect(find('dukan ke kagaz', ['Dukaan ke kaagaz nikalna', 'Ghar ke kaagaz'])).toEqual([
      'Dukaan ke kaagaz nikalna',
    ]);
    // two words the glossary knows are never slips of each other
    expect(find('banner painted', ['Print shop banner'])).toEqual([]);
  });

  it('prefers the name that explains more of what was said, or holds its words as said', () => {
    expect(find('new menus got printed', ['Laminate menu for tables', 'Print new menu cards'])).toEqual([
      'Print new menu cards',
    ]);
    expect(find('loan file submit', ['Loan ki EMI bharna', 'Bank jaake loan file submit karna'])).toEqual([
      'Bank jaake loan file submit karna',
    ]);
    expect(find('bulbs replaced', ['Replace bulbs in godown', 'Replace bulbs in shop'])).toHaveLength(2);
  });

  it('lets an action said pass when the name has none of its own', () => {
    expect(find('quotation bhej', ['Kapoor quotation'])).toEqual(['Kapoor quotation']);
  });

  it('does not let a word the glossary does not know pass for such an action, only for itself', () => {
    const titles = ['Khanna ji ko design dikhana', 'Pay plumber'];
    expect(find('khanna ji ke yahan plumbing ho gayi', titles)).toEqual([]);
  });

  it("with a whole fit, wants every word said in the name, so a new chore never takes an open one's place", () => {
    const whole = (ref: string, titles: string[]) => rankByName(ref, titles, (t) => t, 'whole');
    const titles = ['Fix the shop shutter', 'Deliver Mehta ji order', 'Paint the godown'];
    expect(whole('shutter repair', titles)).toEqual(['Fix the shop shutter']);
    expect(whole("Pack Mehta ji's order", titles)).toEqual([]);
    expect(whole('godown paint and clean', titles)).toEqual([]);
  });

  it('tries a report clause by clause when the whole names nothing, each clause naming a task in full', () => {
    const titles = ['Dukaan ke liye inverter mangwana', 'Inverter ki battery check karna', 'Ret mangwana'];
    expect(find('inverter dukaan wala, fitting bhi', titles)).toEqual(['Dukaan ke liye inverter mangwana']);
    // a clause naming a task only in part, or two clauses naming two tasks, decide nothing
    expect(find('cement ki bori, ret abhi nahi aayi', titles)).toEqual([]);
    expect(find('dukaan ka inverter, ret bhi, sab set', titles)).toEqual([
      'Dukaan ke liye inverter mangwana',
      'Ret mangwana',
    ]);
    // with a whole fit, a clause names a task only with every word of it in the name
    const whole = (ref: string) => rankByName(ref, titles, (t) => t, 'whole');
    expect(whole('dukaan ka inverter, woh bahar hai')).toEqual(['Dukaan ke liye inverter mangwana']);
    expect(whole('inverter ki fitting, woh bahar hai')).toEqual([]);
  });

  it('never lets a call said, or a clause of one word, stand for another task', () => {
    expect(find('Khanna called', ['Show office space to Mr. Khanna'])).toEqual([]);
    expect(find('school cupcakes came out, all 50, cooling', ['Bake 50 cupcakes for school order'])).toEqual(
      [],
    );
  });

  it('finds the task a whole message mentions among its chatter, by more than half its name or two of its things, or a move by a thing only it holds', () => {
    const titles = [
      'Send tiles to Khurana site',
      'Collect payment from Khurana',
      'Order tiles from Kajaria dealer',
      'Repair the old printer',
    ];
    // a clause of news beside it takes nothing away, and no action of that clause counts against the name
    expect(mentioned('tiles reached the Khurana site, their supervisor signed the challan', titles)).toEqual([
      'Send tiles to Khurana site',
    ]);
    // a deed said against the name's own, a thing named alone among others, and a thing of one task's
    // said with nothing of its own, mention nothing
    expect(mentioned('sold the old printer', titles)).toEqual([]);
    expect(mentioned('Khurana is a good man', titles)).toEqual([]);
    expect(mentioned('tiles are heavy', titles)).toEqual([]);
    // two tasks mentioned about as well: every one, for the caller to ask which
    const menus = ['Print menu cards for Hotel Sagar', 'Print menu cards for Hotel Kamat'];
    expect(mentioned('hotel menu cards printed, all sorted', menus)).toEqual(menus);
    // a task to call a thing off is not done by a message telling of another deed on it
    expect(
      mentioned('they kept the Goa hotel after all, confirmed the booking', ['Cancel Goa hotel']),
    ).toEqual([]);
    // a payment told by how the money went
    expect(
      mentioned('Kajaria ko aaj RTGS kar diya, UTR bhi bhej diya', ['Kajaria ka payment clear karna']),
    ).toEqual(['Kajaria ka payment clear karna']);
    // to move a task, what the message does is its reason, not a deed against the name
    const move = ["Pick up lehengas from Tanvi's boutique", 'Return lehengas to the supplier'];
    const putOff = "can't go to Tanvi's boutique today, will get the lehengas on friday";
    expect(mentioned(putOff, move)).toEqual([]);
    expect(mentioned(putOff, move, 'move')).toEqual(["Pick up lehengas from Tanvi's boutique"]);
    // a move names the one record holding a thing it says, unless an action is said against its own, or the
    // thing is told gone wrong (a reason); a report needs more than one thing of its name
    const shop = ['Pay godown rent', 'Buy weighing scale batteries', 'Service the delivery van'];
    expect(mentioned('rent 3 tareekh ko kar do', shop, 'move')).toEqual(['Pay godown rent']);
    expect(mentioned('rent aa gaya', shop)).toEqual([]);
    expect(mentioned('push the van painting to monday', shop, 'move')).toEqual([]);
    expect(mentioned('van kharab ho gaya, mandi wala kaam kal kar do', shop, 'move')).toEqual([]);
  });

  it('asks between the records holding the one thing a message says, its deed said too when it is a report', () => {
    const bansal = ['Bansal ji ko tiles bhejna', 'Bansal ji ko cement bhejna', 'Dukaan ka rent dena'];
    expect(mentioned('Bansal ji wala maal bhej diya', bansal)).toEqual(bansal.slice(0, 2));
    expect(mentioned('Bansal ki delivery kal pe daal do', bansal, 'move')).toEqual(bansal.slice(0, 2));
    expect(mentioned('Bansal ji aaye the aaj', bansal)).toEqual([]);
    // a hand-over told another way ("pahuncha diya" for "dena") is their deed
    const mehra = ['Mehra ji ko chawal dena', 'Mehra ji ko daal dena', 'Godown saaf karna'];
    expect(mentioned('Mehra ji wala order pahuncha diya', mehra)).toEqual(mehra.slice(0, 2));
  });

  it('prefers, among names said about as well, the ones whose deed is said, or a hand-over the same way', () => {
    const sofa = ['Arora ji ka sofa deliver karna', 'Arora ji ke sofa ka kapda lana', 'Pay the carpenter'];
    expect(find('Arora ji ka sofa bhejenge', sofa)).toEqual([sofa[0]]);
    expect(find('Arora ji ka sofa', sofa)).toEqual(sofa.slice(0, 2));
    const rent = ['Pay shop rent', 'Collect rent receipt'];
    expect(find('kiraya denge', rent)).toEqual(['Pay shop rent']);
    expect(find('kiraya', rent)).toEqual(rent);
  });

  it('reads money someone else sent as money received, and money sent to them as paid', () => {
    const rao = ['Send the rate card to Rao ji', 'Collect balance from Rao ji', 'Pay Rao ji for the tempo'];
    expect(mentioned('Rao ji ne 5000 bhej diye', rao)).toEqual(['Collect balance from Rao ji']);
    expect(mentioned('unhone paise de diye, Rao ji wale', rao)).toEqual(['Collect balance from Rao ji']);
    expect(mentioned('maine Rao ji ko 5000 bhej diye', rao)).toEqual(['Pay Rao ji for the tempo']);
  });

  it('reads money a named payer paid or gave as received, the payment channel as no deed, the balance of a sum as no "not yet"', () => {
    const gill = ['Collect 8500 from Gill sahab', 'Repair Gill sahab ka geyser', 'Pay Gill transport'];
    expect(mentioned('gill sahab paid the 8500 on paytm', gill)).toEqual([gill[0]]);
    expect(mentioned('gill sahab ne baaki paisa de diya', gill)).toEqual([gill[0]]);
    expect(mentioned('Gill ne 8.5k de diye', gill)).toEqual([gill[0]]);
    // the owner's payment stays a payment
    expect(mentioned('paid the gill transport bill', gill)).toEqual([gill[2]]);
    const hotel = ['Collect dues from Hotel Surya', 'Deliver 20 crates to Hotel Surya'];
    expect(mentioned('hotel surya accountant cleared the pending amount', hotel)).toEqual([hotel[0]]);
  });

  it('reads an amount however typed as its digits', () => {
    const money = ['Collect 25000 from Bansal', 'Collect 2500 from Bansal'];
    expect(find('bansal ka 25k', money)).toEqual([money[0]]);
    expect(find('bansal ke 25 hazaar', money)).toEqual([money[0]]);
    expect(find('bansal 2,500', money)).toEqual([money[1]]);
    const lakh = ['Collect 150000 from Mehra', 'Collect 15000 from Mehra'];
    expect(find('mehra 1.5L', lakh)).toEqual([lakh[0]]);
  });

  it('gives no record to get a thing in for a thing handed out or given back', () => {
    const rana = ['Deliver 5 jars of murabba to Rana aunty', 'Rana aunty se payment lena', 'Buy sugar'];
    expect(mentioned('rana aunty ko murabba de aaye', rana)).toEqual([rana[0]]);
    const token = ['Verma ji se token amount lena', 'Verma ji ka agreement banwana'];
    expect(mentioned('verma ji ka token wapas kar diya', token)).toEqual([]);
  });

  it('sets aside the records a clause says are not done yet, its deed or as many of its things', () => {
    const cement = ['Cement aur ret mangwana', 'Pay the mason'];
    expect(mentioned('cement aa gayi, ret abhi nahi aayi', cement)).toEqual([]);
    const board = ['Naya signboard banwana', 'Pay the painter'];
    expect(mentioned('signboard wala design le aaya, abhi banaya nahi hai', board)).toEqual([]);
    const site = ['Deliver 10 bags of putty to Joshi site', 'Collect payment for pipes from Joshi'];
    expect(
      mentioned('dropped the 10 bags of putty at the Joshi site, Joshi has not paid for the pipes yet', site),
    ).toEqual([site[0]]);
    // a clause naming nothing points back at the one before it
    const hiring = ['Interview for the accountant post', 'Pay Renu her salary'];
    expect(mentioned('Renu ne accountant post ke liye 3 CV bheje hai, abhi dekhe nahi', hiring)).toEqual([]);
  });

  it('reads a day part naming a batch as part of its name, and a doing said by its ending as a thing of a report', () => {
    const batches = [
      'Shaam ka naya batch shuru karna',
      'Subah ka naya batch shuru karna',
      'Print fee receipts',
    ];
    expect(mentioned('subah wala batch monday se start karenge', batches, 'move')).toEqual([batches[1]]);
    expect(mentioned('evening batch ki pehli class le li', batches)).toEqual([batches[0]]);
    const kohli = ['Sweets tasting for Kohli wedding', 'Order gift boxes for Kohli wedding'];
    expect(mentioned('the kohli tasting went well, they loved the rasmalai', kohli)).toEqual([kohli[0]]);
  });

  it('reads a thing come in as the report of the one record to get it', () => {
    const shop = ['Order printer ink from Kalra', 'Fix the shop shutter', 'Pay Kalra the old bill'];
    const ink = ['Order printer ink from Kalra'];
    expect(mentioned('ink aa gayi aaj', shop)).toEqual(ink);
    expect(mentioned('nayi ink aa gayi', shop)).toEqual(ink);
    expect(mentioned('got the ink from the market', shop)).toEqual(ink);
    expect(mentioned('ink khatam ho gayi', shop)).toEqual([]);
    // a thing to mend or to pay for is not got by its coming
    expect(mentioned('shutter wala aa gaya', shop)).toEqual([]);
    expect(mentioned('bill aa gaya', shop)).toEqual([]);
    // nor is a thing two records hold
    expect(mentioned('ink aa gayi', [...shop, 'Order printer ink from Arora'])).toEqual([]);
    // a thing only one record holds, told done in a few words
    const press = ['Repair printing machine no. 3', 'Pay Jain for the paper', 'Clean the godown'];
    expect(mentioned('teen number wali machine chalu ho gayi', press)).toEqual([press[0]]);
    expect(mentioned('machine ho gayi', press)).toEqual([press[0]]);
    expect(mentioned('machine wala aaya tha', press)).toEqual([]);
    // "cams" are cameras
    expect(find('gupta clinic cams', ['Install cameras at Gupta clinic', 'Pay Gupta clinic rent'])).toEqual([
      'Install cameras at Gupta clinic',
    ]);
  });

  it('reads a number as a word however short, an ordinal as its number, and a short form as its words', () => {
    const sites = ['Site 2 pe cement ki 100 bori bhejna', 'Site 3 pe steel bhejna'];
    expect(find('site 2 wala cement', sites)).toEqual(['Site 2 pe cement ki 100 bori bhejna']);
    expect(
      find('8th ke report cards', [
        'Class 8 ke report cards print karna',
        'Class 9 ke report cards print karna',
      ]),
    ).toEqual(['Class 8 ke report cards print karna']);
    // either side may say it short
    expect(
      find('ptm for class 10', ['Parent-teacher meeting for class 10', 'Send class 10 results']),
    ).toEqual(['Parent-teacher meeting for class 10']);
    expect(find('class 5 parent teacher meeting', ['PTM for class 5', 'Print class 5 report cards'])).toEqual(
      ['PTM for class 5'],
    );
  });

  it('weighs a role said by whom it works for less than the name before it', () => {
    const titles = [
      'Pay Amul distributor',
      'Pay electricity bill',
      'Order fresh stock from Cipla distributor',
    ];
    expect(mentioned('amul guy got his money, cleared full amt on UPI', titles)).toEqual([
      'Pay Amul distributor',
    ]);
    // the role alone names no one's task
    expect(mentioned('a new distributor came by today', titles)).toEqual([]);
  });

  it('among tasks a message mentions alike, takes the one whose own deed it says', () => {
    const titles = ["Measure Class 3 kids at St. Joseph's", "Deliver St. Joseph's blazers"];
    expect(
      rankByName(
        "St Joseph's wants the measurement on another day, we'll do it monday",
        titles,
        (t) => t,
        'mentioned',
        'move',
      ),
    ).toEqual(["Measure Class 3 kids at St. Joseph's"]);
    // a changed menu is an updated one
    const menus = ['Update Zomato menu prices', 'Fix the Zomato tablet'];
    expect(rankByName('changed the menu on zomato, new rates are up', menus, (t) => t, 'mentioned')).toEqual([
      'Update Zomato menu prices',
    ]);
  });

  it('knows the kitchen, the farmers and the plants in Hindi', () => {
    const chores = [
      'Clean the kitchen chimney',
      'Clean the godown',
      'Pay the farmers',
      'Water the plants in nursery',
    ];
    expect(find('rasoi ki chimney saaf', chores)).toEqual([chores[0]]);
    expect(find('kisaano ka payment', chores)).toEqual([chores[2]]);
    expect(find('nursery ke paudhe', chores)).toEqual([chores[3]]);
  });

  it("knows a trade's own words for its things and deeds", () => {
    const school = ['Print class 10 maths mock papers', 'Check class 10 maths answer sheets'];
    expect(mentioned('class 10 maths copies all corrected', school)).toEqual([
      'Check class 10 maths answer sheets',
    ]);
    const travel = ['Book Goa flights for the Iyer family', 'Book hotel in Goa for Iyer family'];
    expect(mentioned("Iyer family's Goa tickets are confirmed", travel)).toEqual([
      'Book Goa flights for the Iyer family',
    ]);
    expect(find('OT ki fogging', ['OT fumigation', 'Repair OT lights'])).toEqual(['OT fumigation']);
    expect(
      find('digital signature renewed for Bansal sir', ['Renew DSC of Bansal sir', 'Bansal sir ka ITR']),
    ).toEqual(['Renew DSC of Bansal sir']);
    // each message names the first of its titles: a thing settled is finalised however it is said, a sketch
    // is the design; a broker's commission, a deposit given back, a jeweller's HUID stamp
    const named: [string, string[]][] = [
      [
        'Joshis approved the mandap sketch',
        ['Finalize mandap design with Joshi family', 'Joshi wedding flower order'],
      ],
      [
        'Mr Suri finally picked the teak finish for the doors',
        ['Finalise door finish with Mr Suri', 'Get door hinges for Mr Suri'],
      ],
      [
        'Reddy function ka khana fix ho gaya',
        ['Reddy function ka menu finalize karna', 'Reddy function ke liye tent book karna'],
      ],
      ['Mehta ne commission de diya aaj', ['Collect brokerage from Mehta', 'Show 1BHK to Mehta']],
      ['Pinto ka deposit wapas kar diya', ['Return advance to Mr. Pinto', 'Service the Pinto car']],
      ['kada lot ki HUID stamping ho gayi', ['Hallmarking for the new kada lot', 'Polish the new kada lot']],
      // a term kept on for another is a renewal; a parcel gone out ("nikal gaya") is sent
      ['Gupta clinic ka AMC ek saal aur badha diya', ['Renew AMC of Gupta clinic', 'Gupta clinic ka bill']],
      [
        'Sunita signed the lease for one more year',
        ['Renew lease with Sunita', 'Collect deposit from Sunita'],
      ],
      [
        'Patna wala parcel nikal gaya',
        ['Patna bhejna 4 Madhubani paintings', 'Madhubani paintings frame karwana'],
      ],
      // a consignment gone out is sent; a crop picked ("tod liya") harvested
      ['the Nashik grape lot went out today', ['Dispatch grape lot to Nashik', 'Pay Nashik grape farmer']],
      ['kheera sab tod liya aaj subah', ['Harvest the cucumbers', 'Pack the cucumbers']],
      // glasses are spectacles, a haar a necklace, bridal a wedding's, commodes sanitaryware, a house a residence;
      // "ma'am" is one word, and "new" beside another deed describes the thing
      [
        'Nisha madam took her new glasses home today',
        ["Deliver Nisha ma'am's spectacles", "Order Zeiss lenses for Nisha ma'am"],
      ],
      ['Sodhi ji ka haar ban gaya', ['Sodhi ji ka necklace banwana', 'Sodhi ji ki ring resize karna']],
      ['Bedi family ka bridal lehenga ready', ['Bedi wedding lehenga', 'Bedi kurta alteration']],
      ['commodes reached the Shah site', ['Deliver sanitaryware to Shah site', 'Deliver tiles to Shah site']],
      ['the Joglekar house survey is over', ['Survey at Joglekar residence', 'Survey at Joglekar office']],
      // short forms: a CN is a credit note, QC a quality check; "confirmed he got" passes a word on, it books nothing
      ['CN for Bora Medicos done', ['Issue credit note to Bora Medicos', 'Reconcile Bora Medicos ledger']],
      ['Lot 7 checking ho gayi', ['Lot 7 ka QC', 'Lot 7 ki packing']],
      [
        'Sinha site engineer confirmed he got the tile boxes',
        ['Send tile boxes to Sinha site', 'Book crane for Sinha site'],
      ],
    ];
    for (const [message, titles] of named) expect(mentioned(message, titles), message).toEqual([titles[0]]);
  });

  it("reads owners' short forms as their words, and two ways of mending a thing as one", () => {
    expect(find('sharma ka pymt', ['Sharma ka payment karna', 'Sharma ko quotation bhejna'])).toEqual([
      'Sharma ka payment karna',
    ]);
    expect(find('riya ka colr', ['Riya ka hair colour', 'Riya ka facial'])).toEqual(['Riya ka hair colour']);
    expect(find('Kapoor prewed shoot', ['Kapoor pre wedding shoot', 'Kapoor wedding album'])).toEqual([
      'Kapoor pre wedding shoot',
    ]);
    expect(find('Naik ji ka ordr', ['Naik ji ka order pack karna', 'Naik ji ko call karna'])).toEqual([
      'Naik ji ka order pack karna',
    ]);
    // a mountain bike is a cycle, a photo shoot the photos taken
    expect(find('Ali ki cycle ka service', ['Ali ki MTB ka service', 'Ali ko bill dena'])).toEqual([
      'Ali ki MTB ka service',
    ]);
    expect(find('kurti ka photo shoot', ['Kurtiyon ki photo khichwana', 'Kurti ka stock ginna'])).toEqual([
      'Kurtiyon ki photo khichwana',
    ]);
    const repairs = ['Get the dough mixer serviced', 'Paint the dough mixer stand'];
    expect(mentioned('technician repaired the dough mixer', repairs)).toEqual([repairs[0]]);
    const fridge = ['Fridge ka compressor theek karwana', 'Fridge ki safai'];
    expect(mentioned('mistri ne fridge ka compressor badal diya', fridge)).toEqual([fridge[0]]);
  });

  it('takes a report of a deed and one thing as the record that alone holds the thing', () => {
    const dairy = ['Service the bulk milk chiller', 'Service the delivery van', 'Pay the farmers'];
    expect(mentioned('mechanic came and did the servicing of the chiller', dairy)).toEqual([dairy[0]]);
    // a thing two records hold names both, for the caller to ask which; a thing without its deed names nothing
    const vans = ['Service the van AC', 'Service the van brakes', 'Pay the farmers'];
    expect(mentioned('mechanic did the servicing of the van', vans)).toEqual(vans.slice(0, 2));
    expect(mentioned('the chiller is making a noise', dairy)).toEqual([]);
  });

  it('reads a name typed without its apostrophe as the name ("dsouza" is D\'Souza), and the first pass finds it', () => {
    expect(
      find('dsouza tasting', ["Tasting for the D'Souza family", 'Tasting for the Pinto family']),
    ).toEqual(["Tasting for the D'Souza family"]);
    const patterns = namePatterns('dsouza').map(
      (p) => new RegExp(`^${p.replaceAll('%', '.*').replaceAll('_', '.')}$`, 'i'),
    );
    expect(patterns.some((p) => p.test("Tasting for the D'Souza family"))).toBe(true);
  });

  it('among tasks a message mentions alike, takes the one that says clearly more of its things', () => {
    const titles = ['Book a tempo for shifting the almirahs to Rao villa', 'Get the almirahs polished'];
    expect(mentioned('rao villa almirah ke liye tempo fix ho gaya', titles)).toEqual([titles[0]]);
  });

  it('reads a mend told beside other work, a flat tyre, none broken, a place at the back and new glossary words', () => {
    const innova = ['Repair the AC in the Innova', 'Clean all the cars', 'Pay the driver'];
    expect(
      mentioned('innova cooling fine again, mechanic refilled the coolant and replaced a hose', innova),
    ).toEqual([innova[0]]);
    const scooty = ['Get the scooty puncture repaired', 'Replace scooty mirror', 'Buy new tyres for the van'];
    expect(mentioned('scooty had a flat tyre, got it repaired near the station', scooty)).toEqual([
      scooty[0],
    ]);
    const jars = ['Order 50 glass jars', 'Fix the broken shelf'];
    expect(mentioned('jars arrived, counted all 50, none broken', jars)).toEqual([jars[0]]);
    const atta = ['Buy 10 kg atta', 'Return empty crates to the dairy'];
    expect(mentioned('atta aa gaya, rakh diya in the back', atta)).toEqual([atta[0]]);
    expect(find('paid the sabzi wala', ['Pay vegetable vendor', 'Pay milk vendor'])).toEqual([
      'Pay vegetable vendor',
    ]);
    expect(mentioned('genset ki servicing ho gayi', ['Service the generator', 'Service the van'])).toEqual([
      'Service the generator',
    ]);
    const pups = ['Vaccinate the labrador puppies', 'Buy puppy food'];
    expect(mentioned('the labrador puppies got their shots', pups)).toEqual([pups[0]]);
  });

  it('reads a report by its deed and a thing no other record it may name holds, and a machine working well as mended', () => {
    // "Nayi uniform silwani" is no record a washing may report, so the uniform is the washing's own
    const uniform = ['School ki uniform dhulwani', 'Nayi uniform silwani', 'Pay the tailor'];
    expect(mentioned('uniform dhul ke aa gayi, press bhi ho gayi', uniform)).toEqual([uniform[0]]);
    // not beside a hand-over, which may be another party's record: the ladder given back is no drill returned
    const verma = ["Return Verma's drill", "Repair Verma's drill", 'Buy nails'];
    expect(mentioned("gave verma's ladder back", verma)).toEqual([]);
    const pump = ['Water pump ki servicing', 'Buy new pipe for pump house', 'Pay electricity bill'];
    expect(mentioned('pump is back and running fine now, mechanic changed the seal', pump)).toEqual([
      pump[0],
    ]);
    expect(mentioned('pump is back, paid the mechanic 800', pump)).toEqual([]);
    // a thing back is back from its mend
    const bolero = ['Get the Bolero AC repaired', 'Renew Bolero permit', 'Wash all cars'];
    expect(mentioned('the bolero ac is back, garage changed the compressor', bolero)).toEqual([bolero[0]]);
    // a top-up is a refill, which the working machine does not hide
    const gas = ['Service AC at Khanna sweets', 'Gas refill at Khanna ji ka ghar'];
    expect(mentioned('ghar ka AC cooling fine now, gas top up ho gaya', gas)).toEqual([gas[1]]);
  });

  it('reads a thing said to go on a day as moved then, and among records holding the one thing, one a word names apart', () => {
    const rent = ['Pay godown rent', 'Fix the godown door', 'Buy a new lock'];
    expect(mentioned('the rent will go on 2nd april now', rent, 'move')).toEqual([rent[0]]);
    const party = ['Cake tasting for Gupta party', 'Order balloons for Gupta party', 'Buy zari'];
    expect(mentioned('the guptas want the tasting on sunday now', party, 'move')).toEqual([party[0]]);
    expect(mentioned('gupta party on sunday now', party, 'move')).toEqual([party[0], party[1]]);
  });

  it('reads termites as deemak, a cell as a battery, "hi" as nothing and "lagwa" as putting up', () => {
    const pest = ['Sharma ji ke ghar deemak ka treatment', 'Sharma sweets mein chuhe pakadne ka kaam'];
    expect(find('sharma ji ke yahan termite wala', pest)).toEqual([pest[0]]);
    const scale = ['Kaante ki battery badalna', 'Kaante ka stamping'];
    expect(find('kaanta chalu, nayi cell daal di', scale)).toEqual([scale[0]]);
    const curtains = ['Hall mein naye parde lagana', 'Parde dhulwana'];
    expect(rankByName('hall ke naye parde hi lagwa do', curtains, (t) => t, 'whole')).toEqual([curtains[0]]);
  });

  it('reads a leak gone as a mend done, and a verb\'s "out" as nothing', () => {
    const taps = ['Fix leaking basin tap in room 2', 'Fit new tap in kitchen', 'Pay plumber'];
    expect(mentioned('plumber came, basin tap not leaking anymore', taps)).toEqual([taps[0]]);
    expect(find('mixer cleaned out properly', ['Clean the dough mixer', 'Buy flour'])).toEqual([
      'Clean the dough mixer',
    ]);
  });

  it('reads a lot weighed as a deed, so their payment names it not', () => {
    const lot = ['Kohli ko payment bhejna', 'Kohli ka brass tolna'];
    expect(find('kohli ne payment bhej diya', lot)).toEqual([]);
    expect(find('kohli ka brass monday ko tolenge', lot)).toEqual([lot[1]]);
  });

  it('reads an order given as placed, a "new" beside the deed describing the thing', () => {
    const boxes = ['Naye boxes ka order karna', 'Boxes supplier ka payment karna'];
    expect(find('boxes ka order de diya', boxes)).toEqual([boxes[0]]);
  });

  it('reads a leak that "isn\'t" any more as mended', () => {
    const taps = ['Fix leaking basin tap in room 2', 'Fit new tap in kitchen', 'Pay plumber'];
    expect(mentioned("plumber came, basin tap isn't leaking anymore", taps)).toEqual([taps[0]]);
  });

  it('reads money paid to us as money received', () => {
    expect(find('Kavita paid us for the cakes', ['Pay Kavita for decoration', 'Order flour'])).toEqual([]);
    expect(mentioned('Kavita paid us for the cakes', ['Collect payment from Kavita', 'Order flour'])).toEqual(
      ['Collect payment from Kavita'],
    );
  });

  it('reads "payment" as "pay" said, and among records one clause names, the one whose deed another says', () => {
    expect(find('mali ka payment', ['Pay mali for plants', 'Mali ko naye gamle dena'])).toEqual([
      'Pay mali for plants',
    ]);
    const ladder = ['Return ladder to Sonu', 'Pay Sonu for ladder', 'Buy paint'];
    const ref = "Sonu's ladder, we'll return now, still need for one more day, told him";
    expect(rankByName(ref, ladder, (t) => t, 'whole')).toEqual([ladder[0]]);
  });

  it('reads "LL" as a word of the name, the "\'ll" of "we\'ll" as nothing', () => {
    const tests = ['LL test for Meena', 'Road test for Meena'];
    expect(find("meena's test", tests)).toEqual(tests);
    expect(find("we'll pay the rent", ['Pay shop rent', 'Buy paint'])).toEqual(['Pay shop rent']);
  });

  it('reads the "dena" of a telling as no giving', () => {
    const titles = ['Bagaan mein aam ke crates le jaana', 'Tempo wale ko advance dena'];
    const message = 'aam ke crates friday ko le jayenge, tempo wale ko bhi bata dena';
    expect(rankByName(message, titles, (t) => t, 'mentioned', 'move')).toEqual([titles[0]]);
  });

  it('reads "naye" put up as a thing updated', () => {
    const titles = ['Zomato pe rates update karna', 'Zomato ka contract renew karna'];
    expect(mentioned('zomato pe naye rates daal diye', titles)).toEqual([titles[0]]);
  });

  it('names no record wholly by what others will do', () => {
    const titles = ['Pay staff salaries', 'Order cement'];
    const whole = (ref: string) => rankByName(ref, titles, (t) => t, 'whole');
    expect(whole('Verma ji called, they will clear the payment, I said fine')).toEqual([]);
    expect(whole('Verma ji called, clear the payment, I said fine')).toEqual([titles[0]]);
  });

  it('gives the first pass patterns that every match meets', () => {
    const patterns = namePatterns('godown ka kiraya').map((p) => p.replaceAll('%', ''));
    expect(patterns).toEqual(expect.arrayContaining(['godo', 'kira', 'rent', 'ware']));
    expect(namePatterns('the ka ko')).toEqual([]);
    // a record may hold the short form of what was spelt out, and the other way round
    expect(namePatterns('parent teacher meeting').map((p) => p.replaceAll('%', ''))).toContain('ptm');
    expect(namePatterns('PUC').map((p) => p.replaceAll('%', ''))).toEqual(
      expect.arrayContaining(['poll', 'puc']),
    );
  });
});
