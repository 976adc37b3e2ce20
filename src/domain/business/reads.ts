import { z } from 'zod';
import { type Db, inTenant } from '../../db/types.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { idOf, isoDate, text } from '../fields.ts';
import { fetchPage, type Page, pageFields } from '../pagination.ts';
import { OBJECTS, type ObjectName } from './objects.ts';

/**
 * The unified objects read back, the same whichever system filled them ("write once, access all your
 * connected systems"): each list paginated, filtered by source (connector id) and its obvious fields, live
 * records only. Every record carries its source, never its raw payload.
 */

const source = z
  .string()
  .regex(/^[a-z0-9-]{1,50}$/)
  .optional()
  .meta({ description: 'Only records from this connector, e.g. razorpay', example: 'razorpay' });
const yes = z.enum(['true', 'false']).optional();
const day = isoDate.optional();

export const LIST_QUERIES = {
  parties: z.strictObject({
    ...pageFields,
    source,
    kind: z.enum(['customer', 'supplier']).optional(),
    q: text(100).optional().meta({ description: 'Words of the name' }),
  }),
  invoices: z.strictObject({
    ...pageFields,
    source,
    direction: z.enum(['receivable', 'payable']).optional(),
    status: z.enum(['draft', 'open', 'partially_paid', 'paid', 'void']).optional(),
    party_id: idOf('pty').optional().meta({ example: 'pty_01jq4m7v2a000000000000' }),
    due_before: day,
    due_after: day,
    overdue: yes.meta({
      description: 'true: open or partly paid, due before today in the business’s time zone',
    }),
  }),
  payments: z.strictObject({
    ...pageFields,
    source,
    direction: z.enum(['in', 'out']).optional(),
    party_id: idOf('pty').optional().meta({ example: 'pty_01jq4m7v2a000000000000' }),
    from: day.meta({ description: 'Paid on or after this day (the business’s time zone)' }),
    to: day.meta({ description: 'Paid on or before this day' }),
  }),
  settlements: z.strictObject({ ...pageFields, source, from: day, to: day }),
  bank_transactions: z.strictObject({
    ...pageFields,
    source,
    direction: z.enum(['in', 'out']).optional(),
    from: day,
    to: day,
  }),
  orders: z.strictObject({
    ...pageFields,
    source,
    status: z.enum(['open', 'fulfilled', 'cancelled', 'returned']).optional(),
    from: day,
    to: day,
  }),
} as const;

export type ListedObject = keyof typeof LIST_QUERIES;

/** Each filter: the SQL it adds, given its parameter; `zone()` is the business's time zone's parameter. */
type Filters = Record<string, (p: string, zone: () => string) => string>;

const inZone = (column: string, zone: () => string) => `(${column} AT TIME ZONE ${zone()})::date`;

const FILTERS: Record<ListedObject, Filters> = {
  parties: { kind: (p) => `${p} = ANY(kinds)`, q: (p) => `name ILIKE '%' || ${p} || '%'` },
  invoices: {
    direction: (p) => `direction = ${p}`,
    status: (p) => `status = ${p}`,
    party_id: (p) => `party_id = ${p}`,
    due_before: (p) => `due_date < ${p}::date`,
    due_after: (p) => `due_date > ${p}::date`,
    overdue: (p, zone) =>
      `(${p} = 'true') = (status IN ('open', 'partially_paid') AND due_date < (now() AT TIME ZONE ${zone()})::date)`,
  },
  payments: {
    direction: (p) => `direction = ${p}`,
    party_id: (p) => `party_id = ${p}`,
    from: (p, zone) => `${inZone('paid_at', zone)} >= ${p}::date`,
    to: (p, zone) => `${inZone('paid_at', zone)} <= ${p}::date`,
  },
  settlements: {
    from: (p, zone) => `${inZone('settled_at', zone)} >= ${p}::date`,
    to: (p, zone) => `${inZone('settled_at', zone)} <= ${p}::date`,
  },
  bank_transactions: {
    direction: (p) => `direction = ${p}`,
    from: (p) => `posted_on >= ${p}::date`,
    to: (p) => `posted_on <= ${p}::date`,
  },
  orders: {
    status: (p) => `status = ${p}`,
    from: (p, zone) => `${inZone('ordered_at', zone)} >= ${p}::date`,
    to: (p, zone) => `${inZone('ordered_at', zone)} <= ${p}::date`,
  },
};

const ORDER: Record<ListedObject, string> = {
  parties: 'name, id',
  invoices: 'issue_date DESC NULLS LAST, id DESC',
  payments: 'paid_at DESC, id DESC',
  settlements: 'settled_at DESC NULLS LAST, id DESC',
  bank_transactions: 'posted_on DESC, id DESC',
  orders: 'ordered_at DESC, id DESC',
};

/** A stored row as the API shows it: our id, the unified fields, its source; the raw payload stays home. */
function shown(object: ObjectName, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id };
  for (const column of Object.keys(OBJECTS[object].columns)) {
    const value = row[column];
    if (column === 'party_external_id') continue;
    out[column] =
      value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? Number(value) : value;
  }
  if (OBJECTS[object].linksParty) out.party_id = row.party_id ?? null;
  for (const money of ['subtotal', 'tax', 'total', 'balance', 'amount', 'fees']) {
    if (typeof out[money] === 'string') out[money] = Number(out[money]);
  }
  out.source = { connector: row.connector, external_id: row.external_id };
  out.remote_updated_at = row.remote_updated_at
    ? new Date(row.remote_updated_at as string).toISOString()
    : null;
  out.synced_at = new Date(row.synced_at as string).toISOString();
  return out;
}

export async function listRecords<O extends ListedObject>(
  db: Db,
  ctx: Ctx,
  object: O,
  query: z.infer<(typeof LIST_QUERIES)[O]>,
): Promise<Page<Record<string, unknown>>> {
  const where = ['deleted_at IS NULL'];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  let zoneParam: string | undefined;
  const zone = () => {
    zoneParam ??= `${param(ctx.timezone)}::text`;
    return zoneParam;
  };
  const filters = FILTERS[object];
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    if (value === undefined || name === 'page' || name === 'limit') continue;
    const filter = name === 'source' ? (p: string) => `connector = ${p}` : filters[name];
    if (!filter) throw new Error(`no filter ${name} on ${object}`);
    where.push(filter(param(value), zone));
  }
  const { page, limit } = query as { page: number; limit: number };
  const found = await inTenant(db, ctx.tenantId, (tx) =>
    fetchPage<Record<string, unknown>>(tx, {
      from: OBJECTS[object].table,
      where: where.join(' AND '),
      order: ORDER[object],
      params,
      page,
      limit,
    }),
  );
  return { items: found.items.map((r) => shown(object, r)), total: found.total };
}

export async function getParty(db: Db, ctx: Ctx, id: string): Promise<Record<string, unknown>> {
  const [row] = await inTenant(db, ctx.tenantId, (tx) =>
    tx.query<Record<string, unknown>>('SELECT * FROM parties WHERE id = $1 AND deleted_at IS NULL', [id]),
  );
  if (!row) throw notFound('party', id);
  return shown('parties', row);
}

const SourceRef = z
  .object({ connector: z.string(), external_id: z.string() })
  .meta({ description: 'Where the record came from: the connector and its id there' });

/** The shape of a record as the API shows it, from its object's own schema. */
export function shownSchema(object: ObjectName) {
  const spec = OBJECTS[object];
  const fields = Object.keys(spec.columns).filter((c) => c !== 'party_external_id');
  const shape = spec.schema.shape as Record<string, z.ZodType>;
  return z.object(Object.fromEntries(fields.map((f) => [f, shape[f] as z.ZodType]))).extend({
    id: z.string(),
    ...(spec.linksParty ? { party_id: z.string().nullable() } : {}),
    source: SourceRef,
    remote_updated_at: z.string().nullable(),
    synced_at: z.string(),
  });
}
