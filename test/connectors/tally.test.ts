import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConnectorRuntime, createConnectorRuntime } from '../../src/connectors/runtime.ts';
import { runSync } from '../../src/connectors/sync-engine.ts';
import { tally } from '../../src/connectors/tally/index.ts';
import {
  cleanAnswer,
  decodeAnswer,
  findAll,
  parseAnswer,
  TallyAnswerError,
} from '../../src/connectors/tally/xml.ts';
import type { Connector } from '../../src/connectors/types.ts';
import { createVault, newMasterKey, parseMasterKey } from '../../src/connectors/vault.ts';
import type { Db } from '../../src/db/types.ts';
import { type ConnectionRow, getConnection, queueRun } from '../../src/domain/connections/repo.ts';
import { type FakeCompany, type FakeTally, startFakeTally } from '../fakes/tally.ts';
import { traderBooks } from '../fakes/tally-books.ts';
import { connectedBusiness } from '../support/connections.ts';
import { describeEachDb } from '../support/db.ts';
import { capturingLogger } from '../support/logger.ts';

const connector = tally as unknown as Connector;
const vault = createVault({ current: parseMasterKey(newMasterKey(1)), retired: [] });

describe('Tally answers', () => {
  const xml =
    '<ENVELOPE><BODY><DATA><COLLECTION><VOUCHER><GUID>g-1</GUID><PARTYLEDGERNAME>Shah &amp; Co&#4;</PARTYLEDGERNAME></VOUCHER></COLLECTION></DATA></BODY></ENVELOPE>';

  it('reads UTF-16 with or without a byte-order mark, and UTF-8 with one', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    const bare = Buffer.from(xml, 'utf16le');
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(xml, 'utf16le').swap16()]);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, 'utf8')]);
    for (const bytes of [le, bare, be, utf8]) expect(decodeAnswer(bytes)).toBe(xml);
  });

  it('drops the control characters XML forbids, as references or raw, and keeps the rest', () => {
    expect(cleanAnswer('A&#4;B&#x1F;C&#9;D&#38;E\u0004F&#65;')).toBe('ABC&#9;D&#38;EF&#65;');
    const [voucher] = findAll(parseAnswer(Buffer.from(xml)), 'VOUCHER');
    expect(voucher?.PARTYLEDGERNAME).toBe('Shah & Co');
  });

  it('reads attributes, text beside them, CDATA, and repeated tags as lists', () => {
    const answer = parseAnswer(
      Buffer.from(
        '<ENVELOPE><VOUCHER VCHTYPE="Sales"><DATE TYPE="Date"> 20260325 </DATE><NARRATION><![CDATA[Diwali <order>]]></NARRATION>' +
          '<ALLLEDGERENTRIES.LIST><AMOUNT>-100.00</AMOUNT></ALLLEDGERENTRIES.LIST><X>1</X><X>2</X></VOUCHER></ENVELOPE>',
      ),
    );
    const [voucher] = findAll(answer, 'VOUCHER');
    expect(voucher).toEqual({
      '@VCHTYPE': 'Sales',
      DATE: { '@TYPE': 'Date', '#text': '20260325' },
      NARRATION: 'Diwali <order>',
      'ALLLEDGERENTRIES.LIST': [{ AMOUNT: '-100.00' }],
      X: ['1', '2'],
    });
  });

  it('refuses an answer cut short, saying so', () => {
    expect(() => parseAnswer(Buffer.from(xml.slice(0, 60)))).toThrow(TallyAnswerError);
    expect(() => parseAnswer(Buffer.from(xml.slice(0, 60)))).toThrow(/could not be read/);
  });

  it('finds objects at any depth', () => {
    const nested = parseAnswer(
      Buffer.from(
        '<ENVELOPE><A><B><VOUCHER><GUID>1</GUID></VOUCHER></B></A><VOUCHER><GUID>2</GUID></VOUCHER></ENVELOPE>',
      ),
    );
    expect(findAll(nested, 'VOUCHER').map((v) => v.GUID)).toEqual(['1', '2']);
  });
});

describeEachDb('Tally read directly over its XML port', (get) => {
  let fake: FakeTally;
  let db: Db;
  let c: ConnectionRow;
  /** The runtime's clock: unset, the real one. */
  let clock: Date | undefined;
  const runtime = (allowPrivate = true): ConnectorRuntime =>
    createConnectorRuntime({
      db,
      now: () => clock ?? new Date(),
      vault,
      logger: capturingLogger().logger,
      rateLimits: { tally: { perSecond: 10_000, burst: 100 } },
      http: { timeoutMs: 5000, retries: 0, backoffMs: 10, maxWaitMs: 1000 },
      connectors: [connector],
      allowPrivate,
    });
  async function sync(allowPrivate = true) {
    const { run } = await db.tenant(c.tenant_id, (tx) =>
      queueRun(tx, { tenantId: c.tenant_id, connectionId: c.id }, 'manual'),
    );
    return runSync(runtime(allowPrivate), run.id);
  }
  const rows = <T>(sql: string) => db.tenant(c.tenant_id, (tx) => tx.query<T>(sql));
  // Money as numbers, whichever database (bigint comes back as text from Postgres).
  const invoice = async (number: string) =>
    (
      await db.tenant(c.tenant_id, (tx) =>
        tx.query<Record<string, unknown>>(
          `SELECT *, total::float8 AS total, balance::float8 AS balance, tax::float8 AS tax, subtotal::float8 AS subtotal
             FROM invoices WHERE number = $1`,
          [number],
        ),
      )
    )[0];

  beforeAll(async () => {
    db = get().db;
    fake = await startFakeTally();
  });
  beforeEach(() => {
    fake.companies = [traderBooks()];
    fake.open = true;
    fake.closeAfter = null;
    fake.cutShort = false;
    fake.encoding = 'utf8';
    clock = undefined;
    fake.requests = [];
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('reads parties, invoices with what is still owed on each bill, and payments, from a UTF-16 Tally', async () => {
    fake.encoding = 'utf16le';
    c = await connectedBusiness(db, vault, '+919800000931', {
      connector: 'tally',
      config: { reach: 'direct', url: fake.url },
    });
    const run = await sync();
    expect(run?.error).toBeNull();
    expect(run?.status).toBe('succeeded');

    const parties = await rows<{ name: string; kinds: string[]; gstin: string | null; state: string | null }>(
      'SELECT name, kinds, gstin, state FROM parties ORDER BY name',
    );
    expect(parties).toEqual([
      { name: 'Gupta Kirana', kinds: ['customer'], gstin: null, state: null },
      { name: 'Mehta Traders', kinds: ['customer'], gstin: '23AAACM1234A1Z5', state: 'Madhya Pradesh' },
      { name: 'Raj Suppliers', kinds: ['supplier'], gstin: null, state: null },
    ]);

    expect(await invoice('S-1')).toMatchObject({
      direction: 'receivable',
      party_name: 'Mehta Traders',
      issue_date: expect.anything(),
      status: 'partially_paid',
      total: 1180000,
      tax: 180000,
      subtotal: 1000000,
      balance: 680000,
    });
    const s1 = await invoice('S-1');
    expect(new Date(s1?.due_date as Date).toISOString().slice(0, 10)).toBe('2026-12-01');
    expect((s1?.lines as unknown[] | undefined)?.[0]).toMatchObject({
      description: 'Basmati Rice 25kg',
      quantity: 10,
      amount: 1000000,
    });
    expect(s1?.party_id).toMatch(/^pty_/);
    expect(await invoice('S-2')).toMatchObject({ status: 'partially_paid', balance: 531000 });
    expect(await invoice('P-1')).toMatchObject({ direction: 'payable', status: 'paid', balance: 0 });
    expect(await invoice('CN-1')).toMatchObject({ direction: 'receivable', total: -59000, status: 'paid' });
    // No bill-wise details: owed in full until Tally says otherwise.
    expect(await invoice('S-5')).toMatchObject({ status: 'open', balance: 118000 });
    // Cancelled and optional vouchers count for nothing; a journal is not an invoice.
    expect(await invoice('S-3')).toMatchObject({ status: 'void', balance: 0 });
    expect(await invoice('S-4')).toMatchObject({ status: 'void', balance: 0 });
    expect(await invoice('J-1')).toBeUndefined();

    const payments = await rows<{
      reference: string;
      direction: string;
      amount: number;
      method: string;
      paid_at: Date;
    }>(
      'SELECT reference, direction, amount::float8 AS amount, method, paid_at FROM payments ORDER BY reference',
    );
    expect(payments.map((p) => [p.reference, p.direction, p.amount, p.method])).toEqual([
      ['PY-1', 'out', 2360000, 'cash'],
      ['R-1', 'in', 500000, 'bank'],
    ]);
    // Tally's date is the business's day: midnight in Kolkata.
    expect(new Date(payments[1]?.paid_at as Date).toISOString()).toBe('2026-11-09T18:30:00.000Z');

    const vouchers = fake.requests.filter((r) => r.type === 'Voucher');
    expect(vouchers.map((r) => r.filter)).toEqual([
      '($$IsSales:$VoucherTypeName OR $$IsPurchase:$VoucherTypeName OR $$IsCreditNote:$VoucherTypeName OR $$IsDebitNote:$VoucherTypeName) AND $AlterID > 0 AND $AlterID <= 19',
      '($$IsReceipt:$VoucherTypeName OR $$IsPayment:$VoucherTypeName) AND $AlterID > 0 AND $AlterID <= 19',
    ]);
    expect(vouchers.every((r) => r.company === 'Sharma & Sons Traders')).toBe(true);
  });

  it('reads on from the highest AlterID it saw, and settles an old bill Tally no longer lists', async () => {
    const books = fake.companies[0];
    books?.vouchers.push({
      guid: 'v-r2',
      alterId: 20,
      date: '20261125',
      type: 'Receipt',
      number: 'R-2',
      party: 'Mehta Traders',
      entries: [
        {
          ledger: 'Mehta Traders',
          amount: '6800.00',
          bills: [{ name: 'S-1', type: 'Agst Ref', amount: '6800.00' }],
        },
        { ledger: 'HDFC Bank', amount: '-6800.00' },
      ],
    });
    if (books) books.bills = books.bills.filter((b) => b.name !== 'S-1');
    const run = await sync();
    expect(run?.status).toBe('succeeded');
    expect(run?.counts.payments).toMatchObject({ added: 1 });
    expect(run?.counts.invoices).toMatchObject({ added: 0 });
    expect(await invoice('S-1')).toMatchObject({ status: 'paid', balance: 0 });
    expect(await invoice('S-2')).toMatchObject({ status: 'partially_paid', balance: 531000 });
    const filters = fake.requests.filter((r) => r.type === 'Voucher').map((r) => r.filter);
    expect(filters.every((f) => f?.endsWith('$AlterID > 19 AND $AlterID <= 20'))).toBe(true);
    expect(fake.requests.some((r) => r.type === 'Ledger' && r.filter)).toBe(false);
  });

  it('takes a voucher deleted in Tally for deleted at the next whole pass, a day on, never from a run cut short', async () => {
    const books = fake.companies[0];
    if (!books) throw new Error('no books');
    const [sale] = books.vouchers.filter((v) => v.number === 'S-1');
    if (!sale) throw new Error('no S-1');
    // S-2 and R-1 are deleted in Tally; a new sale raises the AlterIDs past where the last run stopped.
    books.vouchers = [
      ...books.vouchers.filter((v) => v.number !== 'S-2' && v.number !== 'R-1'),
      { ...sale, guid: 'v-s9', alterId: 21, number: 'S-9' },
    ];
    const gone = async () =>
      (
        await rows<{ n: string }>(
          `SELECT number AS n FROM invoices WHERE deleted_at IS NOT NULL
           UNION ALL SELECT reference FROM payments WHERE deleted_at IS NOT NULL ORDER BY 1`,
        )
      ).map((r) => r.n);

    // The same day: only what changed is read, and a deletion is not a change.
    const sameDay = await sync();
    expect(sameDay?.status).toBe('succeeded');
    expect(sameDay?.counts.invoices).toMatchObject({ added: 1, deleted: 0 });
    expect(await gone()).toEqual([]);
    const requestsPerRun = fake.requests.length;

    // A day on, every voucher is read; Tally closing before the payments are read leaves R-1 alone.
    clock = new Date(Date.now() + 25 * 3_600_000);
    fake.requests = [];
    fake.closeAfter = requestsPerRun - 1;
    const cut = await sync();
    expect(cut?.status).toBe('failed');
    expect(await gone()).toEqual(['S-2']);

    fake.open = true;
    fake.closeAfter = null;
    const whole = await sync();
    expect(whole?.status).toBe('succeeded');
    // R-2 was in the last test's books only: gone from Tally as much as R-1.
    expect(whole?.counts.payments).toMatchObject({ deleted: 2 });
    expect(await gone()).toEqual(['R-1', 'R-2', 'S-2']);
    expect(await invoice('S-9')).toMatchObject({ deleted_at: null });
  });

  it('applies the open bills again only when Tally lists them differently', async () => {
    const books = fake.companies[0];
    if (!books) throw new Error('no books');
    const drift = (balance: number) =>
      db.transaction((tx) =>
        tx.query("UPDATE invoices SET balance = $1 WHERE connection_id = $2 AND number = 'S-1'", [
          balance,
          c.id,
        ]),
      );
    // The books as the last test left them, so this run reads only changes.
    const [sale] = books.vouchers.filter((v) => v.number === 'S-1');
    if (!sale) throw new Error('no S-1');
    books.vouchers.push({ ...sale, guid: 'v-s9', alterId: 21, number: 'S-9' });
    // The same bills as the last run applied: a balance changed here is not put back.
    await drift(100);
    expect((await sync())?.status).toBe('succeeded');
    expect(await invoice('S-1')).toMatchObject({ balance: 100 });
    // Tally now lists S-1 with less owed: every invoice is settled against the new list.
    books.bills = books.bills.map((b) => (b.name === 'S-1' ? { ...b, closing: '-1800.00' } : b));
    expect((await sync())?.status).toBe('succeeded');
    expect(await invoice('S-1')).toMatchObject({ balance: 180000, status: 'partially_paid' });
  });

  describe('parties keyed by their ledger’s GUID', () => {
    let d: ConnectionRow;
    const syncBooks = async () => {
      const { run } = await db.tenant(d.tenant_id, (tx) =>
        queueRun(tx, { tenantId: d.tenant_id, connectionId: d.id }, 'manual'),
      );
      return runSync(runtime(), run.id);
    };
    const ofBooks = <T>(sql: string, params: unknown[] = []) =>
      db.tenant(d.tenant_id, (tx) => tx.query<T>(sql, [d.id, ...params]));
    const parties = () =>
      ofBooks<{ id: string; name: string; deleted: boolean }>(
        'SELECT id, name, deleted_at IS NOT NULL AS deleted FROM parties WHERE connection_id = $1 ORDER BY name, deleted',
      );
    const sale = async (number: string) =>
      (
        await ofBooks<{ party_id: string; party_name: string; balance: number; status: string }>(
          `SELECT party_id, party_name, balance::float8 AS balance, status FROM invoices
            WHERE connection_id = $1 AND number = $2`,
          [number],
        )
      )[0];
    /** A rename in Tally: the ledger's AlterID rises; its vouchers and bills take the new name, their AlterIDs do not. */
    const rename = (books: FakeCompany, from: string, to: string, alterId: number) => {
      for (const l of books.ledgers) if (l.name === from) Object.assign(l, { name: to, alterId });
      for (const v of books.vouchers) {
        if (v.party === from) v.party = to;
        for (const e of v.entries) if (e.ledger === from) e.ledger = to;
      }
      for (const b of books.bills) if (b.party === from) b.party = to;
    };
    const walkIn = { guid: 'l-9', alterId: 9, name: 'Walk-in Customers', parent: 'Sundry Debtors' };

    it('keeps a ledger renamed in Tally one party with its bills still owed, and deletes one gone from Tally at the next whole pass', async () => {
      const books = fake.companies[0] as FakeCompany;
      books.ledgers.push(walkIn);
      d = await connectedBusiness(db, vault, '+919800000933', {
        connector: 'tally',
        config: { reach: 'direct', url: fake.url },
      });
      expect((await syncBooks())?.status).toBe('succeeded');
      const mehta = (await parties()).find((p) => p.name === 'Mehta Traders');
      expect(await sale('S-1')).toMatchObject({
        party_id: mehta?.id,
        balance: 680000,
        status: 'partially_paid',
      });

      rename(books, 'Mehta Traders', 'Mehta Traders Pvt Ltd', 10);
      const sameDay = await syncBooks();
      expect(sameDay?.status).toBe('succeeded');
      expect(sameDay?.counts.parties).toMatchObject({ added: 0, updated: 1, deleted: 0 });
      expect((await parties()).filter((p) => p.name.startsWith('Mehta'))).toEqual([
        { id: mehta?.id, name: 'Mehta Traders Pvt Ltd', deleted: false },
      ]);
      // The open bills now name the new ledger: S-1, written under the old name, is still owed.
      expect(await sale('S-1')).toMatchObject({
        party_id: mehta?.id,
        balance: 680000,
        status: 'partially_paid',
      });

      books.ledgers = books.ledgers.filter((l) => l.guid !== walkIn.guid);
      clock = new Date(Date.now() + 25 * 3_600_000);
      const whole = await syncBooks();
      expect(whole?.status).toBe('succeeded');
      expect(whole?.counts.parties).toMatchObject({ deleted: 1 });
      expect((await parties()).map((p) => [p.name, p.deleted])).toEqual([
        ['Gupta Kirana', false],
        ['Mehta Traders Pvt Ltd', false],
        ['Raj Suppliers', false],
        ['Walk-in Customers', true],
      ]);
      expect(await sale('S-1')).toMatchObject({
        party_id: mehta?.id,
        party_name: 'Mehta Traders Pvt Ltd',
        balance: 680000,
      });
    });

    it('moves books synced when parties were keyed by name onto GUIDs in one whole pass, nothing owed lost', async () => {
      // What the name-keyed connector left: parties and the records naming them keyed by ledger name, and
      // cursors that say nothing of keys.
      for (const sql of [
        'UPDATE parties SET external_id = name WHERE connection_id = $1 AND deleted_at IS NULL',
        'UPDATE invoices SET party_external_id = party_name WHERE connection_id = $1',
        'UPDATE payments SET party_external_id = party_name WHERE connection_id = $1',
        "UPDATE connection_streams SET cursor = cursor - 'keys' WHERE connection_id = $1",
      ])
        await ofBooks(sql);
      const books = fake.companies[0] as FakeCompany;
      rename(books, 'Mehta Traders', 'Mehta Traders Pvt Ltd', 10);
      const run = await syncBooks();
      expect(run?.status).toBe('succeeded');
      const live = (await parties()).filter((p) => !p.deleted);
      expect(live.map((p) => p.name)).toEqual(['Gupta Kirana', 'Mehta Traders Pvt Ltd', 'Raj Suppliers']);
      const mehta = live.find((p) => p.name.startsWith('Mehta'));
      expect(await sale('S-1')).toMatchObject({
        party_id: mehta?.id,
        balance: 680000,
        status: 'partially_paid',
      });
      expect(await sale('S-2')).toMatchObject({ balance: 531000, status: 'partially_paid' });
      const keys = await ofBooks<{ n: number }>(
        `SELECT count(*)::int AS n FROM invoices i JOIN parties p ON p.id = i.party_id
          WHERE i.connection_id = $1 AND i.party_external_id <> p.external_id`,
      );
      expect(keys[0]?.n).toBe(0);
    });
  });

  it('says the company is not open when Tally answers with nothing: an error, not a disconnection', async () => {
    fake.open = false;
    const run = await sync();
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/open the company in Tally/);
    const after = await db.tenant(c.tenant_id, (tx) => getConnection(tx, c.id));
    expect(after?.status).toBe('error');
    expect(after?.disconnected_at).toBeNull();
  });

  it('fails the run, naming why, when Tally’s answer stops halfway', async () => {
    fake.cutShort = true;
    const run = await sync();
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/Tally's answer could not be read/);
    const after = await db.tenant(c.tenant_id, (tx) => getConnection(tx, c.id));
    expect(after?.status).toBe('error');
  });

  it('names the company it was told to read when Tally has another one open', async () => {
    const other = traderBooks();
    other.name = 'Verma Textiles';
    fake.companies = [other];
    await db.tenant(c.tenant_id, (tx) =>
      tx.query(
        'UPDATE connections SET config = config || \'{"company": "Sharma & Sons Traders"}\' WHERE id = $1',
        [c.id],
      ),
    );
    const run = await sync();
    expect(run?.error).toBe(
      'The company “Sharma & Sons Traders” is not open in Tally (open: Verma Textiles)',
    );
  });

  it('asks which company to read when several are open and none is named', async () => {
    const other = traderBooks();
    other.name = 'Verma Textiles';
    fake.companies.push(other);
    const d = await connectedBusiness(db, vault, '+919800000932', {
      connector: 'tally',
      config: { reach: 'direct', url: fake.url },
    });
    const { run } = await db.tenant(d.tenant_id, (tx) =>
      queueRun(tx, { tenantId: d.tenant_id, connectionId: d.id }, 'manual'),
    );
    const ended = await runSync(runtime(), run.id);
    expect(ended?.error).toMatch(
      /several companies are open in Tally \(Sharma & Sons Traders, Verma Textiles\)/,
    );
  });

  it('does not call a private address unless CONNECTOR_ALLOW_PRIVATE is set', async () => {
    const requests = fake.requests.length;
    const run = await sync(false);
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/private one \(127\.0\.0\.1\).*use the bridge/);
    expect(fake.requests.length).toBe(requests);
  });
});
