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
import { startFakeZohoBooks } from '../../test/fakes/zoho-books.ts';

export type VendorId = 'razorpay' | 'zoho-books';

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

const VENDORS: Record<VendorId, (records: number) => Promise<Started>> = {
  razorpay,
  'zoho-books': zohoBooks,
};

/** A vendor fake running in a child process. */
export interface VendorProcess {
  url: string;
  connect: ConnectInput;
  change(): Promise<number>;
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
    close: async () => {
      child.kill();
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

/** In the child: serve one vendor until killed. */
function serve(): void {
  let started: Started | undefined;
  process.on('message', async (message: { start?: VendorId; records?: number; change?: boolean }) => {
    try {
      if (message.start) {
        started = await VENDORS[message.start](message.records ?? 0);
        process.send?.({ url: started.url, connect: started.connect });
      } else if (message.change && started) {
        process.send?.({ changed: started.change() });
      }
    } catch (err) {
      process.send?.({ error: err instanceof Error ? err.message : String(err) });
    }
  });
}

if (process.send && process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) serve();
