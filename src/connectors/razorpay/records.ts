/** Razorpay's payment and settlement entities, and the unified records they become. */

export interface RazorpayPayment {
  id: string;
  amount: number;
  currency: string;
  status: 'created' | 'authorized' | 'captured' | 'refunded' | 'failed';
  method?: string | null;
  order_id?: string | null;
  invoice_id?: string | null;
  customer_id?: string | null;
  email?: string | null;
  contact?: string | null;
  description?: string | null;
  vpa?: string | null;
  acquirer_data?: {
    rrn?: string | null;
    upi_transaction_id?: string | null;
    bank_transaction_id?: string | null;
  } | null;
  created_at: number;
}

export interface RazorpaySettlement {
  id: string;
  amount: number;
  status: 'created' | 'processed' | 'failed';
  fees: number;
  tax: number;
  utr: string | null;
  created_at: number;
}

const PAYMENT_STATUS = {
  created: 'pending',
  authorized: 'authorized',
  captured: 'settled',
  refunded: 'refunded',
  failed: 'failed',
} as const;

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

export function paymentRecord(p: RazorpayPayment) {
  const ref =
    p.acquirer_data?.rrn ?? p.acquirer_data?.upi_transaction_id ?? p.acquirer_data?.bank_transaction_id;
  return {
    external_id: p.id,
    direction: 'in' as const,
    party_external_id: p.customer_id ?? null,
    party_name: null,
    paid_at: iso(p.created_at),
    method: p.method ?? null,
    amount: p.amount,
    currency: p.currency,
    reference: ref ?? p.order_id ?? null,
    status: PAYMENT_STATUS[p.status] ?? 'pending',
    applied_to: p.invoice_id ? [{ invoice_external_id: p.invoice_id, amount: p.amount }] : [],
    remote_updated_at: null,
    raw: p as unknown as Record<string, unknown>,
  };
}

export function settlementRecord(s: RazorpaySettlement) {
  return {
    external_id: s.id,
    amount: s.amount,
    fees: s.fees ?? 0,
    tax: s.tax ?? 0,
    currency: 'INR',
    utr: s.utr ?? null,
    status: s.status,
    settled_at: s.status === 'processed' ? iso(s.created_at) : null,
    remote_updated_at: null,
    raw: s as unknown as Record<string, unknown>,
  };
}
