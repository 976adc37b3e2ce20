import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Outstanding } from '../../domain/business/records.ts';
import { checkHost, hostOf } from '../../domain/net/address-policy.ts';
import { ConnectorError, ConnectorSetupError } from '../errors.ts';
import type { Connector, ConnectorContext, Cursor, StreamPage } from '../types.ts';
import {
  INVOICE_KINDS,
  invoiceOf,
  type OpenBills,
  openBills,
  PAYMENT_KINDS,
  type PartyKey,
  partyOf,
  paymentOf,
  taxLedgers,
  type VoucherKind,
  voided,
  voucherKind,
} from './records.ts';
import {
  answerErrors,
  type CollectionRequest,
  collectionEnvelope,
  field,
  findAll,
  parseAnswer,
  TallyAnswerError,
  type XmlNode,
} from './xml.ts';

/**
 * Tally Prime / Tally.ERP 9 over its XML port. Ledgers under Sundry Debtors and Creditors become parties,
 * sales and purchase vouchers (and credit and debit notes) invoices, receipts and payments payments.
 * Incremental by AlterID, which Tally raises on every change: a stream reads windows of AlterIDs up to
 * the company's highest (ALTMSTID for masters, ALTVCHID for vouchers), saving its place after each.
 * AlterIDs never tell of a deletion, so once a day each stream reads everything, and a ledger or voucher
 * no longer there is taken for deleted (the platform's full pass). Parties are keyed by their ledger's
 * GUID, which a rename keeps; vouchers and bills name their party, and are linked through that name's GUID.
 *
 * Two ways to reach it: `direct`, when the server can reach Tally's port (a LAN install, or a host the
 * owner exposes; the address policy applies), or `bridge`, when `npx axon tally-bridge` runs on the PC
 * with Tally, reads it there with this same code and pushes the pages (src/connectors/bridge.ts).
 */

/** AlterIDs per request: a window's answer stays a few megabytes however large the books are. */
const WINDOW = 1000;

const config = z
  .object({
    reach: z
      .enum(['bridge', 'direct'])
      .default('bridge')
      .describe(
        'bridge: run `npx axon tally-bridge` on the PC where Tally runs (works behind any router); direct: AxonBOS calls Tally’s port itself',
      ),
    url: z
      .url({ protocol: /^https?$/, error: 'must be Tally’s address, such as http://192.168.1.20:9000' })
      .max(500)
      .optional()
      .describe('Tally’s address, for direct reach (Tally: F1 Help → Settings → Connectivity, port 9000)'),
    company: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('The company to read, as Tally names it (needed only when several are open)'),
  })
  .refine((c) => c.reach === 'bridge' || c.url !== undefined, {
    path: ['url'],
    error: 'direct reach needs Tally’s address (or choose reach: bridge)',
  });
const credentials = z.object({});
type Config = z.infer<typeof config>;
type Ctx = ConnectorContext<Config, z.infer<typeof credentials>>;

const NOT_OPEN =
  'Tally answered with nothing: open the company in Tally (Gateway of Tally → Select Company) and keep Tally running';

const TAGS: Record<string, string> = {
  Company: 'COMPANY',
  Group: 'GROUP',
  Ledger: 'LEDGER',
  VoucherType: 'VOUCHERTYPE',
  Voucher: 'VOUCHER',
  Bill: 'BILL',
};

/** Tally's objects for one collection export; an answer with nothing in it means no company is open. */
async function ask(ctx: Ctx, request: CollectionRequest) {
  const res = await ctx.http.post<unknown>('', {
    body: { type: 'text/xml; charset=utf-8', data: collectionEnvelope(request) },
    headers: { accept: 'text/xml, */*;q=0.5' },
    raw: true,
    ...(ctx.signal && { signal: ctx.signal }),
  });
  const bytes = Buffer.isBuffer(res.body) ? res.body : Buffer.alloc(0);
  let answer: XmlNode = {};
  try {
    if (bytes.length > 0) answer = parseAnswer(bytes);
  } catch (err) {
    if (err instanceof TallyAnswerError) throw new ConnectorError('tally', err.message);
    throw err;
  }
  const errors = answerErrors(answer);
  if (errors.length > 0) throw new ConnectorError('tally', `Tally said: ${errors[0]}`);
  const envelope = answer.ENVELOPE;
  if (!envelope || typeof envelope !== 'object') throw new ConnectorError('tally', NOT_OPEN);
  return findAll(envelope, TAGS[request.type] ?? request.type.toUpperCase());
}

async function assertReachable(ctx: Ctx): Promise<void> {
  if (ctx.allowPrivate) return;
  const url = new URL(ctx.baseUrl);
  const verdict = await checkHost(hostOf(url));
  if (verdict.ok) return;
  throw new ConnectorSetupError(
    'tally',
    'refused' in verdict
      ? `Tally's address is a private one (${verdict.refused}) that AxonBOS's servers do not call: use the bridge (reach: bridge), or set CONNECTOR_ALLOW_PRIVATE=true on a server inside your network`
      : `Tally's host ${url.hostname} could not be found`,
  );
}

interface Company {
  name: string;
  /** The highest AlterID of masters and of vouchers. */
  masters: number;
  vouchers: number;
}

/** The company to read: the one named, or the only one open. */
async function companyOf(ctx: Ctx): Promise<Company> {
  await assertReachable(ctx);
  const companies = await ask(ctx, { type: 'Company', fetch: ['NAME', 'GUID', 'ALTMSTID', 'ALTVCHID'] });
  if (companies.length === 0) throw new ConnectorError('tally', NOT_OPEN);
  const wanted = ctx.config.company?.toLowerCase();
  const open = companies.map((c) => field(c, 'NAME') ?? '').filter((n) => n !== '');
  const found = wanted
    ? companies.find((c) => field(c, 'NAME')?.toLowerCase() === wanted)
    : companies.length === 1
      ? companies[0]
      : undefined;
  if (!found) {
    if (wanted) {
      throw new ConnectorError(
        'tally',
        `The company “${ctx.config.company}” is not open in Tally (open: ${open.join(', ')})`,
      );
    }
    throw new ConnectorSetupError(
      'tally',
      `several companies are open in Tally (${open.join(', ')}): name the one to read in config.company`,
    );
  }
  return {
    name: field(found, 'NAME') as string,
    masters: Number(field(found, 'ALTMSTID')) || 0,
    vouchers: Number(field(found, 'ALTVCHID')) || 0,
  };
}

/** NAME → PARENT of a master type (groups, voucher types). */
async function parentsOf(ctx: Ctx, company: string, type: 'Group' | 'VoucherType') {
  const rows = await ask(ctx, { type, company, fetch: ['NAME', 'PARENT'] });
  return new Map(rows.map((r) => [field(r, 'NAME') ?? '', field(r, 'PARENT') ?? '']));
}

/** Every ledger by name: its PARENT (which ledgers are tax), and its GUID (the key of a party it names). */
async function ledgersOf(
  ctx: Ctx,
  company: string,
): Promise<{ parents: Map<string, string>; key: PartyKey }> {
  const rows = await ask(ctx, { type: 'Ledger', company, fetch: ['NAME', 'PARENT', 'GUID'] });
  const guids = new Map(rows.map((r) => [field(r, 'NAME') ?? '', field(r, 'GUID')]));
  return {
    parents: new Map(rows.map((r) => [field(r, 'NAME') ?? '', field(r, 'PARENT') ?? ''])),
    key: (name) => guids.get(name),
  };
}

const alterWindow = (after: number, upTo: number) => `$AlterID > ${after} AND $AlterID <= ${upTo}`;
const ofKinds = (kinds: VoucherKind[]) =>
  `(${kinds.map((k) => `$$Is${k.replace(' ', '')}:$VoucherTypeName`).join(' OR ')})`;

const VOUCHER_FIELDS = [
  'GUID',
  'ALTERID',
  'DATE',
  'VOUCHERTYPENAME',
  'VOUCHERNUMBER',
  'REFERENCE',
  'PARTYLEDGERNAME',
  'NARRATION',
  'ISCANCELLED',
  'ISOPTIONAL',
  'ISDELETED',
  'ALLLEDGERENTRIES.*',
  'LEDGERENTRIES.*',
  'ALLINVENTORYENTRIES.*',
  'INVENTORYENTRIES.*',
];

async function* readParties(ctx: Ctx, cursor: Cursor | null): AsyncGenerator<StreamPage> {
  const company = await companyOf(ctx);
  const groups = await parentsOf(ctx, company.name, 'Group');
  yield* readPass(ctx, cursor, company.masters, async (after, upTo) => {
    const ledgers = await ask(ctx, {
      type: 'Ledger',
      company: company.name,
      filter: alterWindow(after, upTo),
      fetch: [
        'NAME',
        'GUID',
        'ALTERID',
        'PARENT',
        'PARTYGSTIN',
        'LEDGSTREGDETAILS.*',
        'LEDMAILINGDETAILS.*',
        'LEDSTATENAME',
        'EMAIL',
        'LEDGERPHONE',
        'LEDGERMOBILE',
        'INCOMETAXNUMBER',
        'OPENINGBALANCE',
        'CLOSINGBALANCE',
      ],
    });
    return ledgers.flatMap((l) => partyOf(l, groups) ?? []);
  });
}

/** How often a stream reads everything: AlterIDs say what changed, never what was deleted. */
const WHOLE_PASS_EVERY_MS = 24 * 3_600_000;

/**
 * How records are keyed (parties by GUID, and vouchers name them so): a cursor saved under another
 * (parties by name, before) starts a whole pass, which rewrites every record under the new keys.
 */
const KEYS = 'guid';

/**
 * Where a stream's pass starts. Mid-pass (`pass` set) it goes on as it was; otherwise it reads everything
 * when it never has or not for a day (deletions are settled then), and only what changed since the last
 * pass in between.
 */
function passOf(cursor: Cursor | null, highest: number, now: Date) {
  const after = Number(cursor?.alter_id) || 0;
  const wholeAt = typeof cursor?.whole_at === 'string' ? cursor.whole_at : null;
  const keyed = cursor?.keys === KEYS;
  if ((cursor?.pass === 'whole' || cursor?.pass === 'changes') && wholeAt && keyed && after <= highest) {
    return { whole: cursor.pass === 'whole', after, wholeAt };
  }
  const due = !wholeAt || !keyed || now.getTime() - Date.parse(wholeAt) >= WHOLE_PASS_EVERY_MS;
  // A company restored to fewer AlterIDs starts over.
  if (due || after > highest) return { whole: true, after: 0, wholeAt: now.toISOString() };
  return { whole: false, after, wholeAt };
}

/** What a pass adds to its last page. */
interface PassEnding {
  outstanding?: (whole: boolean) => StreamPage['outstanding'];
  carry?: Cursor;
}

/**
 * One pass of a stream over AlterID windows up to `highest`, a page per window, saving its place after
 * each; `ending` adds to the last page.
 */
async function* readPass(
  ctx: Ctx,
  cursor: Cursor | null,
  highest: number,
  read: (after: number, upTo: number) => Promise<unknown[]>,
  ending: PassEnding = {},
): AsyncGenerator<StreamPage> {
  const pass = passOf(cursor, highest, ctx.now());
  const at = (alterId: number): StreamPage => ({
    records: [],
    cursor: { alter_id: alterId, pass: pass.whole ? 'whole' : 'changes', whole_at: pass.wholeAt, keys: KEYS },
    carry: { alter_id: alterId, whole_at: pass.wholeAt, keys: KEYS },
    changesOnly: !pass.whole,
  });
  let after = pass.after;
  while (after < highest) {
    const upTo = Math.min(highest, after + WINDOW);
    yield { ...at(upTo), records: await read(after, upTo) };
    after = upTo;
  }
  // Always a last page, so the pass ends saying what it read even when nothing changed.
  const last = at(after);
  const outstanding = ending.outstanding?.(pass.whole);
  yield { ...last, carry: { ...last.carry, ...ending.carry }, ...(outstanding && { outstanding }) };
}

async function* readVouchers(
  ctx: Ctx,
  company: Company,
  cursor: Cursor | null,
  kinds: VoucherKind[],
  map: (v: XmlNode, kind: VoucherKind) => Record<string, unknown>,
  ending?: PassEnding,
): AsyncGenerator<StreamPage> {
  const types = await parentsOf(ctx, company.name, 'VoucherType');
  yield* readPass(
    ctx,
    cursor,
    company.vouchers,
    async (after, upTo) => {
      const vouchers = await ask(ctx, {
        type: 'Voucher',
        company: company.name,
        filter: `${ofKinds(kinds)} AND ${alterWindow(after, upTo)}`,
        fetch: VOUCHER_FIELDS,
      });
      return vouchers.flatMap((v) => {
        const kind = voucherKind(types, field(v, 'VOUCHERTYPENAME') ?? '');
        return kind && kinds.includes(kind) && field(v, 'GUID') ? [map(v, kind)] : [];
      });
    },
    ending,
  );
}

async function* readInvoices(ctx: Ctx, cursor: Cursor | null): AsyncGenerator<StreamPage> {
  const company = await companyOf(ctx);
  const ledgers = await ledgersOf(ctx, company.name);
  const bills = openBills(
    await ask(ctx, { type: 'Bill', company: company.name, fetch: ['NAME', 'PARENT', 'CLOSINGBALANCE'] }),
    ledgers.key,
  );
  const groups = await parentsOf(ctx, company.name, 'Group');
  const isTax = taxLedgers(new Map([...groups, ...ledgers.parents]));
  const map = (v: XmlNode, kind: VoucherKind) => invoiceInBooks(v, kind, bills.map, isTax, ledgers.key);
  // Read to the end: what Tally lists as owed now is every bill's balance, old invoices' too. Invoices this
  // pass writes take their balance from the list as they are mapped; the others need it only when the list
  // changed since the last pass applied it (or on a whole pass), so an unchanged list is not sent again.
  const seen = billsDigest(bills.list);
  yield* readVouchers(ctx, company, cursor, INVOICE_KINDS, map, {
    outstanding: (whole) => (whole || cursor?.bills !== seen ? bills.list : undefined),
    carry: { bills: seen },
  });
}

/** The open bills as a short digest, whatever order Tally lists them in. */
function billsDigest(list: Outstanding[]): string {
  const lines = list.map((b) => `${b.party_name}\u0000${b.bill}\u0000${b.balance}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 22);
}

async function* readPayments(ctx: Ctx, cursor: Cursor | null): AsyncGenerator<StreamPage> {
  const company = await companyOf(ctx);
  const ledgers = await ledgersOf(ctx, company.name);
  yield* readVouchers(ctx, company, cursor, PAYMENT_KINDS, (v, kind) =>
    paymentInBooks(v, kind, ctx.timezone, ledgers.key),
  );
}

function invoiceInBooks(
  v: XmlNode,
  kind: VoucherKind,
  open: OpenBills,
  isTax: (ledger: string) => boolean,
  partyKey: PartyKey,
) {
  const invoice = invoiceOf(v, kind, open, isTax, partyKey);
  return voided(v) ? { ...invoice, status: 'void', balance: 0 } : invoice;
}

function paymentInBooks(v: XmlNode, kind: VoucherKind, timeZone: string, partyKey: PartyKey) {
  const payment = paymentOf(v, kind, timeZone, partyKey);
  return voided(v) ? { ...payment, status: 'failed' } : payment;
}

export const tally: Connector<typeof config, typeof credentials> = {
  manifest: {
    id: 'tally',
    name: 'Tally',
    category: 'accounting',
    auth: 'none',
    description:
      'Your books in Tally Prime or Tally.ERP 9: customers and suppliers, sales and purchase invoices, receipts and payments, and what each party still owes.',
    config,
    credentials,
    streams: [
      {
        name: 'parties',
        object: 'parties',
        mode: 'full',
        tracksDeletes: true,
        cursorField: 'ALTERID',
        description: 'Ledgers under Sundry Debtors (customers) and Sundry Creditors (suppliers).',
      },
      {
        name: 'invoices',
        object: 'invoices',
        mode: 'full',
        tracksDeletes: true,
        cursorField: 'ALTERID',
        description:
          'Sales and purchase vouchers, credit and debit notes; balances from Tally’s bill-wise outstanding.',
      },
      {
        name: 'payments',
        object: 'payments',
        mode: 'full',
        tracksDeletes: true,
        cursorField: 'ALTERID',
        description: 'Receipt and payment vouchers.',
      },
    ],
    frequencyMinutes: 60,
    baseUrl: 'http://localhost:9000/',
    rateLimit: { perSecond: 5, burst: 5 },
    setup:
      'In Tally, switch on the XML port (TallyPrime: F1 Help → Settings → Connectivity → “TallyPrime acts as” Both, port 9000) and keep the company open. ' +
      'Connect with reach “bridge” and run the command AxonBOS shows, `npx axon tally-bridge …`, on that PC (it keeps your books in sync through any router); ' +
      'or, if AxonBOS runs inside your network, connect with reach “direct” and Tally’s address.',
  },
  ownerHosted: true,
  authHeaders: () => ({}),
  baseUrlFor: (c) => c.url ?? 'http://localhost:9000/',
  pushed: (c) => (c.reach === 'bridge' ? 'bridge' : false),
  async check(ctx) {
    await companyOf(ctx);
  },
  read(ctx, stream, cursor) {
    switch (stream) {
      case 'parties':
        return readParties(ctx, cursor);
      case 'invoices':
        return readInvoices(ctx, cursor);
      case 'payments':
        return readPayments(ctx, cursor);
      default:
        throw new Error(`tally has no stream ${stream}`);
    }
  },
};
