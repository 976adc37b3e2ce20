import type { Outstanding } from '../../domain/business/records.ts';
import { addDays, instantAt } from '../../domain/wall-clock.ts';
import { toPaise } from '../money.ts';
import { field, listOf, type XmlNode } from './xml.ts';

/**
 * Tally's objects as unified records. A voucher's type is one of the business's own (GST Sales, Cash
 * Receipt) whose chain of parents ends in a predefined one; ledgers are parties when their group's chain
 * ends in Sundry Debtors or Sundry Creditors. Amounts are signed as Tally writes them: a debit is negative
 * (ISDEEMEDPOSITIVE Yes). What is still owed on a bill comes from Tally's own bill-wise outstanding.
 */

export type VoucherKind = 'Sales' | 'Purchase' | 'Receipt' | 'Payment' | 'Credit Note' | 'Debit Note';
const KINDS = new Set<string>(['Sales', 'Purchase', 'Receipt', 'Payment', 'Credit Note', 'Debit Note']);
export const INVOICE_KINDS: VoucherKind[] = ['Sales', 'Purchase', 'Credit Note', 'Debit Note'];
export const PAYMENT_KINDS: VoucherKind[] = ['Receipt', 'Payment'];

/** A name's predefined ancestor among `roots`, following PARENT (a cycle or a dead end: none). */
export function rootOf(parents: Map<string, string>, name: string, roots: Set<string>): string | undefined {
  let at: string | undefined = name;
  for (let hops = 0; at !== undefined && hops < 50; hops++) {
    if (roots.has(at)) return at;
    const parent = parents.get(at);
    if (parent === at) return undefined;
    at = parent;
  }
  return undefined;
}

export const voucherKind = (types: Map<string, string>, name: string) =>
  rootOf(types, name, KINDS) as VoucherKind | undefined;

const PARTY_GROUPS = new Set(['Sundry Debtors', 'Sundry Creditors']);

/** Tally's `20240401` as `2024-04-01`. */
export function tallyDate(value: string | undefined): string | undefined {
  const m = value && /^(\d{4})(\d{2})(\d{2})$/.exec(value.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** A Tally amount (`-11800.00`, `₹ 1,180.00 Dr`) in paise, signed as Tally signs it; 0 when absent. */
export function tallyAmount(value: string | undefined): number {
  if (!value) return 0;
  const m = /(-)?\s*([\d,]+(?:\.\d+)?)/.exec(value.replace(/₹|Rs\.?/g, ''));
  if (!m?.[2]) return 0;
  const paise = toPaise(m[2].replace(/,/g, '')) ?? 0;
  const debit = m[1] === '-' || /\bDr\b/.test(value);
  return debit ? -paise : paise;
}

const yes = (v: string | undefined) => v?.toLowerCase() === 'yes';

/** A voucher the books do not count: cancelled, optional (a quotation kept aside) or deleted. */
export const voided = (v: XmlNode) =>
  yes(field(v, 'ISCANCELLED')) || yes(field(v, 'ISOPTIONAL')) || yes(field(v, 'ISDELETED'));

const entriesOf = (v: XmlNode) => [...listOf(v, 'ALLLEDGERENTRIES.LIST'), ...listOf(v, 'LEDGERENTRIES.LIST')];
const inventoryOf = (v: XmlNode) => [
  ...listOf(v, 'ALLINVENTORYENTRIES.LIST'),
  ...listOf(v, 'INVENTORYENTRIES.LIST'),
];

const TAX_GROUPS = new Set(['Duties & Taxes']);

/** Whether a ledger is a tax one (GST, cess, TDS): under Duties & Taxes, by the chain of ledger and group parents. */
export const taxLedgers = (parents: Map<string, string>) => (ledger: string) =>
  rootOf(parents, ledger, TAX_GROUPS) !== undefined;

/** The party's own entry: the one on its ledger, or the first that carries bills. */
function partyEntry(v: XmlNode, party: string | undefined): XmlNode | undefined {
  const entries = entriesOf(v);
  return (
    entries.find((e) => party !== undefined && field(e, 'LEDGERNAME') === party) ??
    entries.find((e) => listOf(e, 'BILLALLOCATIONS.LIST').length > 0)
  );
}

/**
 * A party ledger's key, by the name vouchers and bills call it by: its GUID, which a rename keeps, so a
 * party renamed in Tally stays one party with its invoices and payments.
 */
export type PartyKey = (ledgerName: string) => string | undefined;

/** Open bills by party and bill name; a bill Tally no longer lists is settled. */
export type OpenBills = Map<string, number>;
export const billKey = (party: string, bill: string) => `${party}\u0000${bill}`;

export function openBills(bills: XmlNode[], partyKey: PartyKey): { map: OpenBills; list: Outstanding[] } {
  const map: OpenBills = new Map();
  const list: Outstanding[] = [];
  for (const b of bills) {
    const party = field(b, 'PARENT');
    const bill = field(b, 'NAME');
    const balance = Math.abs(tallyAmount(field(b, 'CLOSINGBALANCE')));
    if (!party || !bill || balance === 0) continue;
    map.set(billKey(party, bill), balance);
    const key = partyKey(party);
    list.push({ party_name: party, ...(key && { party_external_id: key }), bill, balance });
  }
  return { map, list };
}

/** Days of credit from `30 Days` (or a bare number). */
function creditDays(value: string | undefined): number | undefined {
  const m = value && /^\s*(\d{1,4})\s*(?:days?)?\s*$/i.exec(value);
  return m ? Number(m[1]) : undefined;
}

function base(v: XmlNode, kind: VoucherKind) {
  const guid = field(v, 'GUID') as string;
  return {
    external_id: guid,
    raw: {
      voucher_type: field(v, 'VOUCHERTYPENAME'),
      kind,
      alter_id: Number(field(v, 'ALTERID')) || null,
      ...(field(v, 'NARRATION') && { narration: field(v, 'NARRATION')?.slice(0, 1000) }),
    },
  };
}

export function invoiceOf(
  v: XmlNode,
  kind: VoucherKind,
  open: OpenBills,
  isTax: (ledger: string) => boolean,
  partyKey: PartyKey,
): Record<string, unknown> {
  const party = field(v, 'PARTYLEDGERNAME');
  const entry = partyEntry(v, party);
  const partyName = party ?? (entry && field(entry, 'LEDGERNAME'));
  const total = Math.abs(tallyAmount(entry && field(entry, 'AMOUNT')));
  const issued = tallyDate(field(v, 'DATE'));
  // The bill this voucher opens; a note's allocations point at another voucher's bill.
  const allocation = entry
    ? listOf(entry, 'BILLALLOCATIONS.LIST').find((a) => (field(a, 'BILLTYPE') ?? 'New Ref') === 'New Ref')
    : undefined;
  const bill = allocation && field(allocation, 'NAME');
  const days = creditDays(allocation && field(allocation, 'BILLCREDITPERIOD'));
  const tax = entriesOf(v)
    .filter((e) => e !== entry && isTax(field(e, 'LEDGERNAME') ?? ''))
    .reduce((sum, e) => sum + Math.abs(tallyAmount(field(e, 'AMOUNT'))), 0);
  const note = kind === 'Credit Note' || kind === 'Debit Note';
  const sign = note ? -1 : 1;
  // Bill-wise details say what is owed; without them a note settles at once and an invoice stays open.
  const balance = note ? 0 : bill && partyName ? (open.get(billKey(partyName, bill)) ?? 0) : total;
  const lines = inventoryOf(v).map((i) => ({
    description: field(i, 'STOCKITEMNAME') ?? null,
    quantity: Number.parseFloat(field(i, 'BILLEDQTY') ?? field(i, 'ACTUALQTY') ?? '') || null,
    unit_price: field(i, 'RATE') ? Math.abs(tallyAmount(field(i, 'RATE'))) : null,
    amount: sign * Math.abs(tallyAmount(field(i, 'AMOUNT'))),
  }));
  const b = base(v, kind);
  return {
    ...b,
    raw: { ...b.raw, ...(bill && !note && { bill }) },
    direction: kind === 'Sales' || kind === 'Credit Note' ? 'receivable' : 'payable',
    number: field(v, 'VOUCHERNUMBER') ?? null,
    party_external_id: (partyName && partyKey(partyName)) ?? null,
    party_name: partyName ?? null,
    issue_date: issued ?? null,
    due_date: issued ? addDays(issued, days ?? 0) : null,
    status: note || balance === 0 ? 'paid' : balance < total ? 'partially_paid' : 'open',
    currency: 'INR',
    subtotal: sign * (total - tax),
    tax: sign * tax,
    total: sign * total,
    balance,
    lines,
  };
}

export function paymentOf(
  v: XmlNode,
  kind: VoucherKind,
  timeZone: string,
  partyKey: PartyKey,
): Record<string, unknown> {
  const party = field(v, 'PARTYLEDGERNAME');
  const entry = partyEntry(v, party);
  const partyName = party ?? (entry && field(entry, 'LEDGERNAME'));
  const other = entriesOf(v).find((e) => e !== entry);
  const account = other && field(other, 'LEDGERNAME');
  const day = tallyDate(field(v, 'DATE'));
  const bills = (entry ? listOf(entry, 'BILLALLOCATIONS.LIST') : [])
    .map((a) => ({
      name: field(a, 'NAME'),
      type: field(a, 'BILLTYPE'),
      amount: tallyAmount(field(a, 'AMOUNT')),
    }))
    .filter((a) => a.name);
  const b = base(v, kind);
  return {
    ...b,
    raw: { ...b.raw, ...(account && { account }), ...(bills.length > 0 && { bills }) },
    direction: kind === 'Receipt' ? 'in' : 'out',
    party_external_id: (partyName && partyKey(partyName)) ?? null,
    party_name: partyName ?? null,
    paid_at: day ? instantAt(day, 0, 0, timeZone).toISOString() : undefined,
    method: account ? (/cash/i.test(account) ? 'cash' : 'bank') : null,
    amount: Math.abs(tallyAmount(entry && field(entry, 'AMOUNT'))),
    currency: 'INR',
    reference: field(v, 'REFERENCE') ?? field(v, 'VOUCHERNUMBER') ?? null,
    status: 'settled',
  };
}

const GSTIN = /^[0-9]{2}[A-Z0-9]{13}$/;
const PAN = /^[A-Z]{5}[0-9]{4}[A-Z]$/;

/** A ledger under Sundry Debtors or Creditors as a party, keyed by its GUID; any other ledger is not one. */
export function partyOf(l: XmlNode, groups: Map<string, string>): Record<string, unknown> | undefined {
  const name = field(l, 'NAME');
  const guid = field(l, 'GUID');
  const parent = field(l, 'PARENT');
  const group = parent && rootOf(groups, parent, PARTY_GROUPS);
  if (!name || !guid || !group) return undefined;
  const registration = listOf(l, 'LEDGSTREGDETAILS.LIST')[0];
  const mailing = listOf(l, 'LEDMAILINGDETAILS.LIST')[0];
  const gstin = (field(l, 'PARTYGSTIN') ?? (registration && field(registration, 'GSTIN')))?.toUpperCase();
  const pan = field(l, 'INCOMETAXNUMBER')?.toUpperCase();
  return {
    external_id: guid,
    raw: {
      group: parent,
      alter_id: Number(field(l, 'ALTERID')) || null,
      opening_balance: tallyAmount(field(l, 'OPENINGBALANCE')),
      closing_balance: tallyAmount(field(l, 'CLOSINGBALANCE')),
    },
    name,
    kinds: [group === 'Sundry Debtors' ? 'customer' : 'supplier'],
    email: field(l, 'EMAIL') ?? null,
    phone: field(l, 'LEDGERMOBILE') ?? field(l, 'LEDGERPHONE') ?? null,
    gstin: gstin && GSTIN.test(gstin) ? gstin : null,
    pan: pan && PAN.test(pan) ? pan : null,
    state: field(l, 'LEDSTATENAME') ?? (mailing && field(mailing, 'STATE')) ?? null,
  };
}
