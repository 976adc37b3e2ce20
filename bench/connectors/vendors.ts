/**
 * The vendors' far end for `bench:connectors`, in a process of its own so that the benchmark's RSS is the
 * sync engine's alone (a fake holding 100,000 records would otherwise be counted, and would change how the
 * engine's heap grows). Forked by `run.ts`; speaks over IPC: `{start: connector, records}` answers
 * `{url, connect}`, `{change: true}` changes 1% of the records (half changed, half new) and answers
 * `{changed}`. Only 127.0.0.1.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { startFakeRazorpay } from '../../test/fakes/razorpay.ts';
import {
  type FakeVoucher,
  standardGroups,
  standardVoucherTypes,
  startFakeTally,
} from '../../test/fakes/tally.ts';
import { startFakeZohoBooks } from '../../test/fakes/zoho-books.ts';

export type VendorId = 'razorpay' | 'zoho-books' | 'tally';

export interface ConnectInput {
  config?: Record<string, unknown>;
  credentials: Record<string, unknown>;
}

interface Started {
  url: string;
  connect: ConnectInput;
  change(): number;
}

// 1% of the span is 2 days: the changed 1% lies inside Razorpay's 3-day look-back.
const RAZORPAY_DAYS = 200;
const ZOHO_CONTACTS = 1000;
const onePercent = (records: number) => Math.max(2, Math.round(records / 100));

async function razorpay(records: number): Promise<Started> {
  const step = Math.floor((RAZORPAY_DAYS * 86_400) / records);
  const changes = onePercent(records);
  const fake = await startFakeRazorpay({
    payments: records,
    settlements: 0,
    start: Math.floor(Date.now() / 1000) - 3600 - (records + changes / 2) * step,
    step,
  });
  return {
    url: fake.url,
    connect: { credentials: { key_id: fake.keyId, key_secret: fake.keySecret } },
    change() {
      // Half moved on within Razorpay's look-back window (refunded), half new since.
      for (let i = 0; i < changes / 2; i++) fake.updatePayment(records - 1 - i, { status: 'refunded' });
      fake.addPayments(changes / 2);
      return changes;
    },
  };
}

async function zohoBooks(records: number): Promise<Started> {
  const fake = await startFakeZohoBooks({ contacts: ZOHO_CONTACTS, invoices: records });
  const changes = onePercent(records);
  // Modified after everything the full sync read, one second apart.
  const later = (i: number) =>
    new Date(Date.UTC(2027, 0, 1) + i * 1000).toISOString().replace('.000Z', '+0000');
  return {
    url: fake.url,
    connect: {
      config: { data_center: 'in' },
      credentials: {
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
        refresh_token: fake.refreshToken,
      },
    },
    change() {
      // Half paid, half new.
      for (let i = 0; i < changes / 2; i++) {
        const invoice = fake.invoices[i * 97];
        if (invoice) Object.assign(invoice, { status: 'paid', balance: 0, last_modified_time: later(i) });
      }
      const [template] = fake.invoices;
      if (!template) throw new Error('no invoice to copy');
      for (let i = 0; i < changes / 2; i++) {
        fake.invoices.push({
          ...template,
          invoice_id: `47100000${String(i).padStart(6, '0')}`,
          invoice_number: `INV-N${i}`,
          last_modified_time: later(changes / 2 + i),
        });
      }
      return changes;
    },
  };
}

const TALLY_DEBTORS = 500;
const TALLY_CREDITORS = 50;

/**
 * A trader's day book over 200 days: 60% sales (an item line, GST, a bill), 15% purchases, 20% receipts
 * and 5% payments against bills; a third of the sales still open.
 */
async function tallyBooks(records: number): Promise<Started> {
  const fake = await startFakeTally();
  const debtor = (i: number) => `Customer ${i % TALLY_DEBTORS}`;
  const creditor = (i: number) => `Supplier ${i % TALLY_CREDITORS}`;
  const ledgers = [
    ...Array.from({ length: TALLY_DEBTORS }, (_, i) => ({ name: debtor(i), parent: 'Sundry Debtors' })),
    ...Array.from({ length: TALLY_CREDITORS }, (_, i) => ({ name: creditor(i), parent: 'Sundry Creditors' })),
    { name: 'Sales GST 18%', parent: 'Sales Accounts' },
    { name: 'Purchase GST 18%', parent: 'Purchase Accounts' },
    { name: 'CGST', parent: 'Duties & Taxes' },
    { name: 'SGST', parent: 'Duties & Taxes' },
    { name: 'HDFC Bank', parent: 'Bank Accounts' },
  ].map((l, i) => ({ ...l, guid: `ledger-${i}`, alterId: i + 1 }));
  const start = Date.UTC(2026, 4, 1);
  const day = (i: number) =>
    new Date(start + Math.floor((i / records) * 200) * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replaceAll('-', '');
  const rupees = (paise: number) => (paise / 100).toFixed(2);
  const voucher = (i: number, alterId: number): FakeVoucher => {
    const slot = i % 20;
    const net = 1000_00 + ((i * 7919) % 2_00_000_00);
    const gst = Math.round(net * 0.09);
    const gross = net + 2 * gst;
    const base = { guid: `vch-${i}`, alterId, date: day(i) };
    if (slot < 12) {
      return {
        ...base,
        type: 'Sales',
        number: `S-${i}`,
        party: debtor(i),
        inventory: [
          { item: `Item ${i % 300}`, qty: '10 Nos', rate: `${rupees(net / 10)}/Nos`, amount: rupees(net) },
        ],
        entries: [
          {
            ledger: debtor(i),
            amount: `-${rupees(gross)}`,
            bills: [{ name: `S-${i}`, type: 'New Ref', amount: `-${rupees(gross)}`, days: 30 }],
          },
          { ledger: 'Sales GST 18%', amount: rupees(net) },
          { ledger: 'CGST', amount: rupees(gst) },
          { ledger: 'SGST', amount: rupees(gst) },
        ],
      };
    }
    if (slot < 15) {
      return {
        ...base,
        type: 'Purchase',
        number: `P-${i}`,
        party: creditor(i),
        entries: [
          {
            ledger: creditor(i),
            amount: rupees(gross),
            bills: [{ name: `P-${i}`, type: 'New Ref', amount: rupees(gross) }],
          },
          { ledger: 'Purchase GST 18%', amount: `-${rupees(net)}` },
          { ledger: 'CGST', amount: `-${rupees(gst)}` },
          { ledger: 'SGST', amount: `-${rupees(gst)}` },
        ],
      };
    }
    const receipt = slot < 19;
    const party = receipt ? debtor(i) : creditor(i);
    const bill = receipt ? `S-${i - slot}` : `P-${i - slot + 12}`;
    return {
      ...base,
      type: receipt ? 'Receipt' : 'Payment',
      number: `${receipt ? 'R' : 'PY'}-${i}`,
      party,
      entries: [
        {
          ledger: party,
          amount: receipt ? rupees(gross) : `-${rupees(gross)}`,
          bills: [{ name: bill, type: 'Agst Ref', amount: rupees(gross) }],
        },
        { ledger: 'HDFC Bank', amount: receipt ? `-${rupees(gross)}` : rupees(gross) },
      ],
    };
  };
  const vouchers = Array.from({ length: records }, (_, i) => voucher(i, i + 1));
  fake.companies = [
    {
      name: 'Bench Traders',
      groups: standardGroups(),
      voucherTypes: standardVoucherTypes(),
      ledgers,
      vouchers,
      bills: vouchers
        .filter((v, i) => v.type === 'Sales' && i % 3 === 0)
        .map((v) => ({ party: v.party ?? '', name: v.number, closing: v.entries[0]?.amount ?? '0' })),
    },
  ];
  const changes = onePercent(records);
  return {
    url: fake.url,
    connect: { config: { reach: 'direct', url: fake.url }, credentials: {} },
    change() {
      // Half altered (a new AlterID, as Tally gives an altered voucher), half new.
      let alterId = records;
      for (let i = 0; i < changes / 2; i++) {
        const v = vouchers[i * 97];
        if (v) Object.assign(v, { alterId: ++alterId, narration: 'altered' });
      }
      for (let i = 0; i < changes / 2; i++) vouchers.push(voucher(records + i, ++alterId));
      return changes;
    },
  };
}

const VENDORS: Record<VendorId, (records: number) => Promise<Started>> = {
  razorpay,
  'zoho-books': zohoBooks,
  tally: tallyBooks,
};

/** A vendor fake running in a child process. */
export interface VendorProcess {
  url: string;
  connect: ConnectInput;
  change(): Promise<number>;
  /** CPU seconds the vendor's process has used so far (it shares this machine's cores with the sync). */
  cpuSeconds(): Promise<number>;
  close(): Promise<void>;
}

export async function spawnVendor(id: VendorId, records: number): Promise<VendorProcess> {
  const child = fork(new URL(import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = async <T>(message: object): Promise<T> => {
    child.send(message);
    const [answer] = (await once(child, 'message')) as [T & { error?: string }];
    if (answer.error) throw new Error(answer.error);
    return answer;
  };
  const { url, connect } = await ask<{ url: string; connect: ConnectInput }>({ start: id, records });
  return {
    url,
    connect,
    change: async () => (await ask<{ changed: number }>({ change: true })).changed,
    cpuSeconds: async () => (await ask<{ cpu: number }>({ cpu: true })).cpu,
    close: async () => {
      child.kill();
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

/** In the child: serve one vendor until killed. */
function serve(): void {
  let started: Started | undefined;
  process.on(
    'message',
    async (message: { start?: VendorId; records?: number; change?: boolean; cpu?: boolean }) => {
      try {
        if (message.start) {
          started = await VENDORS[message.start](message.records ?? 0);
          process.send?.({ url: started.url, connect: started.connect });
        } else if (message.change && started) {
          process.send?.({ changed: started.change() });
        } else if (message.cpu) {
          const { user, system } = process.cpuUsage();
          process.send?.({ cpu: (user + system) / 1e6 });
        }
      } catch (err) {
        process.send?.({ error: err instanceof Error ? err.message : String(err) });
      }
    },
  );
}

if (process.send && process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) serve();
