import type { RazorpayPayment } from '../../../src/connectors/razorpay/records.ts';
import type {
  ZohoContact,
  ZohoCustomerPayment,
  ZohoInvoice,
} from '../../../src/connectors/zoho-books/index.ts';

/**
 * The insights evaluation's books, generated, with their truth kept beside them in unified terms (paise,
 * our statuses, instants): a business A and a business B that share party names, each through Zoho Books,
 * and A's Razorpay payments. Among them: a void and a draft invoice, partly paid ones, invoices on 31 March
 * and 1 April (either side of a financial year), a Razorpay payment at 23:45 IST on the last day of
 * February, a failed one, and two parties called Sharma.
 */

export const PARTIES = [
  'ABC Traders',
  'Mehta Electricals',
  'Gupta & Sons',
  'Sharma Hardware',
  'Sharma Textiles',
  'Patel Agencies',
  'Iyer Stores',
] as const;

/** A customer of business B only. */
export const ONLY_B = 'Kulkarni Steel';

export interface TruthInvoice {
  party: string;
  issue: string;
  due: string;
  status: 'open' | 'partially_paid' | 'paid' | 'void' | 'draft';
  total: number;
  balance: number;
}

export interface TruthPayment {
  party: string | null;
  /** The instant it was made. */
  at: string;
  amount: number;
  counted: boolean;
  method: string;
}

export interface Books {
  invoices: TruthInvoice[];
  payments: TruthPayment[];
  zoho: { contacts: ZohoContact[]; invoices: ZohoInvoice[]; payments: ZohoCustomerPayment[] };
  /** Razorpay payments as its API returns them (unix seconds). */
  razorpay: Pick<RazorpayPayment, 'id' | 'amount' | 'status' | 'method' | 'created_at'>[];
}

const MONTHS = [
  '2025-04',
  '2025-05',
  '2025-06',
  '2025-07',
  '2025-08',
  '2025-09',
  '2025-10',
  '2025-11',
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-03',
];
const rupees = (paise: number) => (paise / 100).toFixed(2);
const ZOHO_STATUS: Record<TruthInvoice['status'], string> = {
  open: 'sent',
  partially_paid: 'partially_paid',
  paid: 'paid',
  void: 'void',
  draft: 'draft',
};
const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** A business's books; `scale` makes B's amounts differ from A's under the same names. */
export function generateBooks(scale: number, withRazorpay: boolean): Books {
  const invoices: TruthInvoice[] = [];
  const payments: TruthPayment[] = [];
  PARTIES.forEach((party, k) => {
    MONTHS.forEach((month, m) => {
      const issue = `${month}-${String(3 + k * 3).padStart(2, '0')}`;
      // Another business's amounts carry paise A's never do: a leak shows.
      const total = scale * (10_000_00 + k * 2_500_00 + m * 1_000_00) + (scale === 1 ? 0 : 37);
      // Settled up to January; February half paid; March unpaid.
      const status = m < 10 ? 'paid' : m === 10 ? 'partially_paid' : 'open';
      const balance = status === 'paid' ? 0 : status === 'partially_paid' ? total / 2 : total;
      invoices.push({ party, issue, due: addDays(issue, 15 + k * 5), status, total, balance });
      const paid = total - balance;
      if (paid > 0) {
        const on = addDays(issue, 10);
        payments.push({
          party,
          at: `${on}T00:00:00+05:30`,
          amount: paid,
          counted: true,
          method: 'Bank Transfer',
        });
      }
    });
  });
  // Either side of the financial year's turn, a void one and a draft one that never count.
  invoices.push(
    {
      party: 'ABC Traders',
      issue: '2025-03-31',
      due: '2025-04-30',
      status: 'paid',
      total: scale * 7_77_000_00,
      balance: 0,
    },
    {
      party: 'Mehta Electricals',
      issue: '2025-04-01',
      due: '2025-05-01',
      status: 'paid',
      total: scale * 3_33_000_00,
      balance: 0,
    },
    {
      party: 'Patel Agencies',
      issue: '2026-03-12',
      due: '2026-03-27',
      status: 'void',
      total: scale * 9_00_000_00,
      balance: scale * 9_00_000_00,
    },
    {
      party: 'Iyer Stores',
      issue: '2026-03-13',
      due: '2026-03-28',
      status: 'draft',
      total: scale * 8_00_000_00,
      balance: scale * 8_00_000_00,
    },
  );
  // A customer only B has: a question naming it as A must find no one.
  if (scale !== 1) {
    invoices.push({
      party: ONLY_B,
      issue: '2026-03-02',
      due: '2026-03-17',
      status: 'open',
      total: 6_66_666_37,
      balance: 6_66_666_37,
    });
  }
  const names: string[] = scale === 1 ? [...PARTIES] : [...PARTIES, ONLY_B];
  const contacts: ZohoContact[] = names.map((name, k) => ({
    contact_id: `c${k}`,
    contact_name: name,
    contact_type: 'customer',
    last_modified_time: '2026-03-01T10:00:00+0530',
  }));
  const idOf = (name: string) => `c${names.indexOf(name)}`;
  const razorpay: Books['razorpay'] = [];
  if (withRazorpay) {
    const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
    const rzp = [
      // 23:45 in Kolkata on the last day of February: February's, not March's.
      {
        at: '2026-02-28T23:45:00+05:30',
        amount: 4_321_00,
        status: 'captured' as const,
        method: 'upi' as const,
      },
      {
        at: '2026-03-24T11:00:00+05:30',
        amount: 2_500_00,
        status: 'captured' as const,
        method: 'upi' as const,
      },
      {
        at: '2026-03-24T15:30:00+05:30',
        amount: 1_200_00,
        status: 'captured' as const,
        method: 'card' as const,
      },
      {
        at: '2026-03-23T12:00:00+05:30',
        amount: 9_999_00,
        status: 'failed' as const,
        method: 'card' as const,
      },
      {
        at: '2026-03-25T09:15:00+05:30',
        amount: 800_00,
        status: 'captured' as const,
        method: 'upi' as const,
      },
    ];
    // The API lists by creation time: index order is time order.
    rzp.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    rzp.forEach((p, i) => {
      razorpay.push({
        id: `pay_eval${String(i).padStart(8, '0')}`,
        amount: p.amount,
        status: p.status,
        method: p.method,
        created_at: at(p.at),
      });
      payments.push({
        party: null,
        at: p.at,
        amount: p.amount,
        counted: p.status === 'captured',
        method: p.method,
      });
    });
  }
  return {
    invoices,
    payments,
    razorpay,
    zoho: {
      contacts,
      invoices: invoices.map((inv, i) => ({
        invoice_id: `inv${i}`,
        invoice_number: `INV-${String(i).padStart(4, '0')}`,
        customer_id: idOf(inv.party),
        customer_name: inv.party,
        status: ZOHO_STATUS[inv.status],
        date: inv.issue,
        due_date: inv.due,
        currency_code: 'INR',
        total: rupees(inv.total),
        balance: rupees(inv.balance),
        last_modified_time: '2026-03-20T10:00:00+0530',
      })),
      payments: payments
        .filter((p) => p.party)
        .map((p, i) => ({
          payment_id: `pmt${i}`,
          customer_id: idOf(p.party ?? ''),
          customer_name: p.party ?? '',
          payment_mode: p.method,
          date: p.at.slice(0, 10),
          amount: rupees(p.amount),
          currency_code: 'INR',
          last_modified_time: '2026-03-20T10:00:00+0530',
        })),
    },
  };
}
