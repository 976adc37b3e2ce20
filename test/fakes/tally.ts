import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';

/**
 * A local server speaking Tally's XML port: `POST /` with an export envelope (`TALLYREQUEST Export`, `TYPE
 * Collection`, an inline TDL collection of Company, Group, Ledger, VoucherType, Voucher or Bill, the company
 * in `SVCURRENTCOMPANY`, and a filter formula of `$AlterID > a AND $AlterID <= b` and `$$IsSales:
 * $VoucherTypeName`-style tests), answered as Tally answers: an ENVELOPE with the objects inside DATA/
 * COLLECTION, attributes such as `TYPE="Date"`, `&#4;` before a primary group's name, debits negative.
 * It can answer in UTF-16 (with a BOM), with an empty body when no company is open, or with LINEERROR.
 */

export interface FakeEntry {
  ledger: string;
  /** Rupees as Tally writes them: a debit negative. */
  amount: string;
  bills?: {
    name: string;
    type: 'New Ref' | 'Agst Ref' | 'Advance' | 'On Account';
    amount: string;
    days?: number;
  }[];
}

export interface FakeVoucher {
  guid: string;
  alterId: number;
  /** YYYYMMDD */
  date: string;
  type: string;
  number: string;
  party?: string;
  cancelled?: boolean;
  optional?: boolean;
  narration?: string;
  entries: FakeEntry[];
  inventory?: { item: string; qty: string; rate: string; amount: string }[];
}

export interface FakeLedger {
  guid: string;
  alterId: number;
  name: string;
  parent: string;
  gstin?: string;
  state?: string;
  phone?: string;
  email?: string;
  pan?: string;
  closing?: string;
}

export interface FakeCompany {
  name: string;
  groups: [name: string, parent: string][];
  voucherTypes: [name: string, parent: string][];
  ledgers: FakeLedger[];
  vouchers: FakeVoucher[];
  /** Open bills: party, bill name, closing balance (a receivable negative, as a debit). */
  bills: { party: string; name: string; closing: string }[];
}

export interface FakeTally {
  url: string;
  companies: FakeCompany[];
  encoding: 'utf8' | 'utf16le';
  /** False: Tally runs with no company open, and answers every request with nothing. */
  open: boolean;
  /** After this many requests the company is closed (a sync cut off halfway); null: never. */
  closeAfter: number | null;
  /** True: every answer stops halfway, as when Tally is closed while it writes. */
  cutShort: boolean;
  requests: { type: string; company?: string; filter?: string }[];
  close(): Promise<void>;
}

const PRIMARY = '&#4; Primary';

export const standardGroups = (): [string, string][] => [
  ['Sundry Debtors', PRIMARY],
  ['Sundry Creditors', PRIMARY],
  ['Bank Accounts', PRIMARY],
  ['Cash-in-Hand', PRIMARY],
  ['Duties & Taxes', PRIMARY],
  ['Sales Accounts', PRIMARY],
  ['Purchase Accounts', PRIMARY],
  ['Indore Debtors', 'Sundry Debtors'],
];

export const standardVoucherTypes = (): [string, string][] => [
  ['Sales', 'Sales'],
  ['Purchase', 'Purchase'],
  ['Receipt', 'Receipt'],
  ['Payment', 'Payment'],
  ['Credit Note', 'Credit Note'],
  ['Debit Note', 'Debit Note'],
  ['Journal', 'Journal'],
  ['Contra', 'Contra'],
  ['GST Sales', 'Sales'],
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Escapes a name, keeping the `&#4;` Tally writes as it is. */
const name = (s: string) => (s.startsWith('&#4;') ? `&#4;${esc(s.slice(4))}` : esc(s));

const yesNo = (b: boolean | undefined) => (b ? 'Yes' : 'No');

function renderVoucher(v: FakeVoucher): string {
  const entries = v.entries
    .map(
      (e) =>
        `<ALLLEDGERENTRIES.LIST><LEDGERNAME>${name(e.ledger)}</LEDGERNAME>` +
        `<ISDEEMEDPOSITIVE>${yesNo(e.amount.startsWith('-'))}</ISDEEMEDPOSITIVE><AMOUNT>${e.amount}</AMOUNT>` +
        (e.bills ?? [])
          .map(
            (b) =>
              `<BILLALLOCATIONS.LIST><NAME>${name(b.name)}</NAME><BILLTYPE>${b.type}</BILLTYPE>` +
              (b.days !== undefined
                ? `<BILLCREDITPERIOD JD="0" P="${b.days} Days">${b.days} Days</BILLCREDITPERIOD>`
                : '') +
              `<AMOUNT>${b.amount}</AMOUNT></BILLALLOCATIONS.LIST>`,
          )
          .join('') +
        '</ALLLEDGERENTRIES.LIST>',
    )
    .join('');
  const inventory = (v.inventory ?? [])
    .map(
      (i) =>
        `<ALLINVENTORYENTRIES.LIST><STOCKITEMNAME>${name(i.item)}</STOCKITEMNAME><RATE>${i.rate}</RATE>` +
        `<ACTUALQTY> ${i.qty}</ACTUALQTY><BILLEDQTY> ${i.qty}</BILLEDQTY><AMOUNT>${i.amount}</AMOUNT></ALLINVENTORYENTRIES.LIST>`,
    )
    .join('');
  return (
    `<VOUCHER REMOTEID="${v.guid}" VCHTYPE="${name(v.type)}" ACTION="Create" OBJVIEW="Invoice Voucher View">` +
    `<DATE TYPE="Date">${v.date}</DATE><GUID TYPE="String">${v.guid}</GUID><ALTERID TYPE="Number"> ${v.alterId}</ALTERID>` +
    `<VOUCHERTYPENAME>${name(v.type)}</VOUCHERTYPENAME><VOUCHERNUMBER>${name(v.number)}</VOUCHERNUMBER>` +
    (v.party ? `<PARTYLEDGERNAME>${name(v.party)}</PARTYLEDGERNAME>` : '') +
    (v.narration ? `<NARRATION>${name(v.narration)}</NARRATION>` : '') +
    `<ISCANCELLED>${yesNo(v.cancelled)}</ISCANCELLED><ISOPTIONAL>${yesNo(v.optional)}</ISOPTIONAL>` +
    `${inventory}${entries}</VOUCHER>`
  );
}

function renderLedger(l: FakeLedger): string {
  return (
    `<LEDGER NAME="${name(l.name)}" RESERVEDNAME=""><NAME>${name(l.name)}</NAME><GUID>${l.guid}</GUID>` +
    `<ALTERID> ${l.alterId}</ALTERID><PARENT>${name(l.parent)}</PARENT>` +
    (l.email ? `<EMAIL>${esc(l.email)}</EMAIL>` : '') +
    (l.phone ? `<LEDGERMOBILE>${esc(l.phone)}</LEDGERMOBILE>` : '') +
    (l.pan ? `<INCOMETAXNUMBER>${esc(l.pan)}</INCOMETAXNUMBER>` : '') +
    (l.gstin
      ? `<LEDGSTREGDETAILS.LIST><APPLICABLEFROM>20170701</APPLICABLEFROM><GSTIN>${l.gstin}</GSTIN></LEDGSTREGDETAILS.LIST>`
      : '') +
    (l.state ? `<LEDMAILINGDETAILS.LIST><STATE>${esc(l.state)}</STATE></LEDMAILINGDETAILS.LIST>` : '') +
    `<OPENINGBALANCE>0.00</OPENINGBALANCE><CLOSINGBALANCE>${l.closing ?? '0.00'}</CLOSINGBALANCE></LEDGER>`
  );
}

const requestParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
});

/** The base type of a voucher type, by the company's chain of parents. */
function baseOf(c: FakeCompany, type: string): string {
  let at = type;
  for (let i = 0; i < 20; i++) {
    const parent = c.voucherTypes.find(([n]) => n === at)?.[1];
    if (!parent || parent === at) return at;
    at = parent;
  }
  return at;
}

/** The request's filter formula, read once: an AlterID window and the voucher kinds it asks for. */
function filterOf(c: FakeCompany, filter: string | undefined) {
  const window = filter ? /\$AlterID > (\d+) AND \$AlterID <= (\d+)/.exec(filter) : null;
  const kinds = filter ? [...filter.matchAll(/\$\$Is(\w+):\$VoucherTypeName/g)].map((m) => m[1]) : [];
  const bases = new Map<string, string>();
  return (alterId: number, voucherType?: string): boolean => {
    if (window && !(alterId > Number(window[1]) && alterId <= Number(window[2]))) return false;
    if (voucherType === undefined || kinds.length === 0) return true;
    let base = bases.get(voucherType);
    if (base === undefined) {
      base = baseOf(c, voucherType).replace(' ', '');
      bases.set(voucherType, base);
    }
    return kinds.includes(base);
  };
}

export async function startFakeTally(): Promise<FakeTally> {
  const fake: Omit<FakeTally, 'url' | 'close'> = {
    companies: [],
    encoding: 'utf8',
    open: true,
    closeAfter: null,
    cutShort: false,
    requests: [],
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (xml: string) => {
        const body =
          fake.encoding === 'utf16le'
            ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')])
            : Buffer.from(xml, 'utf8');
        const sent = fake.cutShort ? body.subarray(0, Math.floor(body.length / 2)) : body;
        res.writeHead(200, {
          'content-type': `text/xml; charset=${fake.encoding === 'utf16le' ? 'UTF-16' : 'UTF-8'}`,
          'content-length': sent.length,
        });
        res.end(sent);
      };
      if (req.method !== 'POST') {
        // Tally answers a browser's GET with this line.
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<RESPONSE>TallyPrime Server is Running</RESPONSE>');
      }
      const request = requestParser.parse(Buffer.concat(chunks).toString('utf8'));
      const desc = request?.ENVELOPE?.BODY?.DESC;
      const collection = desc?.TDL?.TDLMESSAGE?.COLLECTION;
      const system = desc?.TDL?.TDLMESSAGE?.SYSTEM;
      const type: string = collection?.TYPE ?? '';
      const companyName: string | undefined = desc?.STATICVARIABLES?.SVCURRENTCOMPANY;
      const filter: string | undefined = system?.['#text'];
      fake.requests.push({ type, ...(companyName && { company: companyName }), ...(filter && { filter }) });
      if (fake.closeAfter !== null && fake.requests.length > fake.closeAfter) fake.open = false;
      if (!fake.open) return res.writeHead(200, { 'content-type': 'text/xml' }).end();
      const wrap = (objects: string) =>
        `<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>1</STATUS></HEADER><BODY><DESC></DESC><DATA><COLLECTION>${objects}</COLLECTION></DATA></BODY></ENVELOPE>`;
      if (type === 'Company') {
        return send(
          wrap(
            fake.companies
              .map(
                (c) =>
                  `<COMPANY NAME="${name(c.name)}"><NAME>${name(c.name)}</NAME><GUID>${c.name.length}-guid</GUID>` +
                  `<ALTMSTID TYPE="Number"> ${Math.max(0, ...c.ledgers.map((l) => l.alterId))}</ALTMSTID>` +
                  `<ALTVCHID TYPE="Number"> ${Math.max(0, ...c.vouchers.map((v) => v.alterId))}</ALTVCHID></COMPANY>`,
              )
              .join(''),
          ),
        );
      }
      const company = fake.companies.find((c) => c.name === companyName);
      if (!company) {
        return send(
          `<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>0</STATUS></HEADER><BODY><DATA><LINEERROR>Could not set 'SVCurrentCompany' to '${esc(companyName ?? '')}'.</LINEERROR></DATA></BODY></ENVELOPE>`,
        );
      }
      switch (type) {
        case 'Group':
          return send(
            wrap(
              company.groups
                .map(
                  ([n, p]) => `<GROUP NAME="${name(n)}"><NAME>${name(n)}</NAME><PARENT>${p}</PARENT></GROUP>`,
                )
                .join(''),
            ),
          );
        case 'VoucherType':
          return send(
            wrap(
              company.voucherTypes
                .map(
                  ([n, p]) =>
                    `<VOUCHERTYPE NAME="${name(n)}"><NAME>${name(n)}</NAME><PARENT>${name(p)}</PARENT></VOUCHERTYPE>`,
                )
                .join(''),
            ),
          );
        case 'Ledger': {
          const passes = filterOf(company, filter);
          return send(
            wrap(
              company.ledgers
                .filter((l) => passes(l.alterId))
                .map(renderLedger)
                .join(''),
            ),
          );
        }
        case 'Voucher': {
          const passes = filterOf(company, filter);
          return send(
            wrap(
              company.vouchers
                .filter((v) => passes(v.alterId, v.type))
                .map(renderVoucher)
                .join(''),
            ),
          );
        }
        case 'Bill':
          return send(
            wrap(
              company.bills
                .map(
                  (b) =>
                    `<BILL NAME="${name(b.name)}"><NAME>${name(b.name)}</NAME><PARENT>${name(b.party)}</PARENT><CLOSINGBALANCE>${b.closing}</CLOSINGBALANCE></BILL>`,
                )
                .join(''),
            ),
          );
        default:
          return send('<RESPONSE>Unknown Request, cannot be processed</RESPONSE>');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
