import { z } from 'zod';

/**
 * The unified business objects, the same whatever system they come from: what a connector hands over for
 * each (validated here, once), the table it lands in, the id prefix we give it, and each column's SQL type.
 * Money is integer minor units (paise) with its currency.
 */

const money = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const amount = money.min(0);
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as INR');
const date = z.iso.date();
const instant = z.iso.datetime({ offset: true });
const text = (max = 500) => z.string().trim().min(1).max(max);
const optionalText = (max = 500) => text(max).nullish();

/** What every record carries, whatever its object. */
const sourced = {
  external_id: text(200),
  remote_updated_at: instant.nullish(),
  raw: z.record(z.string(), z.unknown()),
};

export const PartyRecord = z.object({
  ...sourced,
  name: text(300),
  kinds: z.array(z.enum(['customer', 'supplier'])).default([]),
  email: optionalText(320),
  phone: optionalText(40),
  gstin: z
    .string()
    .regex(/^[0-9]{2}[A-Z0-9]{13}$/)
    .nullish(),
  pan: z
    .string()
    .regex(/^[A-Z]{5}[0-9]{4}[A-Z]$/)
    .nullish(),
  state: optionalText(100),
});

const invoiceLine = z.object({
  description: z.string().max(1000).nullish(),
  quantity: z.number().nullish(),
  unit_price: money.nullish(),
  amount: money,
  tax: money.nullish(),
});

export const InvoiceRecord = z.object({
  ...sourced,
  direction: z.enum(['receivable', 'payable']),
  number: optionalText(100),
  party_external_id: optionalText(200),
  party_name: optionalText(300),
  issue_date: date.nullish(),
  due_date: date.nullish(),
  status: z.enum(['draft', 'open', 'partially_paid', 'paid', 'void']),
  currency,
  subtotal: money.nullish(),
  tax: money.nullish(),
  total: money,
  balance: money,
  lines: z.array(invoiceLine).max(1000).default([]),
});

export const PaymentRecord = z.object({
  ...sourced,
  direction: z.enum(['in', 'out']),
  party_external_id: optionalText(200),
  party_name: optionalText(300),
  paid_at: instant,
  method: optionalText(50),
  amount,
  currency,
  reference: optionalText(200),
  status: z.enum(['pending', 'authorized', 'settled', 'failed', 'refunded']),
  applied_to: z
    .array(z.object({ invoice_external_id: text(200), amount }))
    .max(1000)
    .default([]),
});

export const SettlementRecord = z.object({
  ...sourced,
  amount,
  fees: amount.default(0),
  tax: amount.default(0),
  currency,
  utr: optionalText(100),
  status: z.enum(['created', 'processed', 'failed']),
  settled_at: instant.nullish(),
});

export const BankTransactionRecord = z.object({
  ...sourced,
  account: optionalText(100),
  posted_on: date,
  direction: z.enum(['in', 'out']),
  amount,
  currency,
  balance: money.nullish(),
  description: optionalText(1000),
  reference: optionalText(200),
  party_name: optionalText(300),
});

export const OrderRecord = z.object({
  ...sourced,
  number: optionalText(100),
  party_external_id: optionalText(200),
  party_name: optionalText(300),
  ordered_at: instant,
  status: z.enum(['open', 'fulfilled', 'cancelled', 'returned']),
  financial_status: optionalText(50),
  total: amount,
  currency,
});

export const CalendarEventRecord = z.object({
  ...sourced,
  title: text(500),
  starts_at: instant,
  ends_at: instant.nullish(),
  all_day: z.boolean().default(false),
  location: optionalText(500),
  status: z.enum(['confirmed', 'tentative', 'cancelled']),
});

export const WeatherForecastRecord = z.object({
  ...sourced,
  place: optionalText(200),
  day: date,
  /** The WMO weather code, where the source gives one. */
  code: z.number().int().min(0).max(99).nullish(),
  summary: text(100),
  temp_max: z.number().min(-90).max(70).nullish(),
  temp_min: z.number().min(-90).max(70).nullish(),
  rain_chance: z.number().int().min(0).max(100).nullish(),
});

interface ObjectSpec<S extends z.ZodObject> {
  table: string;
  prefix: string;
  schema: S;
  /** SQL type of each column the record fills, beyond those every record has. */
  columns: Record<Exclude<keyof z.infer<S>, keyof typeof sourced>, string>;
  /** Whether the record names a party by its external id, to be linked to ours. */
  linksParty: boolean;
}

const spec = <S extends z.ZodObject>(s: ObjectSpec<S>) => s;

export const OBJECTS = {
  parties: spec({
    table: 'parties',
    prefix: 'pty',
    schema: PartyRecord,
    columns: {
      name: 'text',
      kinds: 'text[]',
      email: 'text',
      phone: 'text',
      gstin: 'text',
      pan: 'text',
      state: 'text',
    },
    linksParty: false,
  }),
  invoices: spec({
    table: 'invoices',
    prefix: 'inv',
    schema: InvoiceRecord,
    columns: {
      direction: 'text',
      number: 'text',
      party_external_id: 'text',
      party_name: 'text',
      issue_date: 'date',
      due_date: 'date',
      status: 'text',
      currency: 'text',
      subtotal: 'bigint',
      tax: 'bigint',
      total: 'bigint',
      balance: 'bigint',
      lines: 'jsonb',
    },
    linksParty: true,
  }),
  payments: spec({
    table: 'payments',
    prefix: 'pmt',
    schema: PaymentRecord,
    columns: {
      direction: 'text',
      party_external_id: 'text',
      party_name: 'text',
      paid_at: 'timestamptz',
      method: 'text',
      amount: 'bigint',
      currency: 'text',
      reference: 'text',
      status: 'text',
      applied_to: 'jsonb',
    },
    linksParty: true,
  }),
  settlements: spec({
    table: 'settlements',
    prefix: 'stl',
    schema: SettlementRecord,
    columns: {
      amount: 'bigint',
      fees: 'bigint',
      tax: 'bigint',
      currency: 'text',
      utr: 'text',
      status: 'text',
      settled_at: 'timestamptz',
    },
    linksParty: false,
  }),
  bank_transactions: spec({
    table: 'bank_transactions',
    prefix: 'btx',
    schema: BankTransactionRecord,
    columns: {
      account: 'text',
      posted_on: 'date',
      direction: 'text',
      amount: 'bigint',
      currency: 'text',
      balance: 'bigint',
      description: 'text',
      reference: 'text',
      party_name: 'text',
    },
    linksParty: false,
  }),
  orders: spec({
    table: 'orders',
    prefix: 'ord',
    schema: OrderRecord,
    columns: {
      number: 'text',
      party_external_id: 'text',
      party_name: 'text',
      ordered_at: 'timestamptz',
      status: 'text',
      financial_status: 'text',
      total: 'bigint',
      currency: 'text',
    },
    linksParty: true,
  }),
  calendar_events: spec({
    table: 'calendar_events',
    prefix: 'cal',
    schema: CalendarEventRecord,
    columns: {
      title: 'text',
      starts_at: 'timestamptz',
      ends_at: 'timestamptz',
      all_day: 'boolean',
      location: 'text',
      status: 'text',
    },
    linksParty: false,
  }),
  weather_forecasts: spec({
    table: 'weather_forecasts',
    prefix: 'wfc',
    schema: WeatherForecastRecord,
    columns: {
      place: 'text',
      day: 'date',
      code: 'integer',
      summary: 'text',
      temp_max: 'numeric',
      temp_min: 'numeric',
      rain_chance: 'integer',
    },
    linksParty: false,
  }),
};

export type ObjectName = keyof typeof OBJECTS;
export const OBJECT_NAMES = Object.keys(OBJECTS) as ObjectName[];
export type RecordOf<O extends ObjectName> = z.input<(typeof OBJECTS)[O]['schema']>;
