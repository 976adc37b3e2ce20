import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import { OBJECTS } from '../../domain/business/objects.ts';
import {
  getParty,
  LIST_QUERIES,
  type ListedObject,
  listRecords,
  shownSchema,
} from '../../domain/business/reads.ts';
import { idOf } from '../../domain/fields.ts';
import { defineRoute } from '../route.ts';

/** The seed's "write once, access all your connected systems": one list per unified object. */
const LISTS: { object: ListedObject; path: string; key: string; title: string; summary: string }[] = [
  { object: 'parties', path: '/parties', key: 'parties', title: 'Party', summary: 'Customers and suppliers' },
  {
    object: 'invoices',
    path: '/invoices',
    key: 'invoices',
    title: 'Invoice',
    summary: 'Invoices you raised and received',
  },
  {
    object: 'payments',
    path: '/payments',
    key: 'payments',
    title: 'Payment',
    summary: 'Payments in and out',
  },
  {
    object: 'settlements',
    path: '/settlements',
    key: 'settlements',
    title: 'Settlement',
    summary: 'Settlements to your bank',
  },
  {
    object: 'bank_transactions',
    path: '/bank-transactions',
    key: 'bank_transactions',
    title: 'BankTransaction',
    summary: 'Bank account entries',
  },
  { object: 'orders', path: '/orders', key: 'orders', title: 'Order', summary: 'E-commerce orders' },
];

export const businessRoutes = (db: Db) => [
  ...LISTS.map(({ object, path, key, title, summary }) => {
    const record = shownSchema(object).meta({ id: title });
    return defineRoute({
      method: 'get',
      path,
      operationId: `list${key.replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase())}`,
      summary: `${summary}, from every connected system, newest first`,
      description: `Live records of the unified ${OBJECTS[object].table} object; each names its source.`,
      tag: 'Business data',
      access: 'user',
      query: LIST_QUERIES[object],
      response: z.object({ [key]: z.array(record) }).meta({ id: `${title}List` }),
      handler: async ({ ctx, query }) => {
        const q = query as { page: number; limit: number };
        const page = await listRecords(db, ctx, object, query as never);
        return { data: { [key]: page.items }, page: { page: q.page, limit: q.limit, total: page.total } };
      },
    });
  }),
  defineRoute({
    method: 'get',
    path: '/parties/{id}',
    operationId: 'getParty',
    summary: 'One customer or supplier',
    tag: 'Business data',
    access: 'user',
    params: z.strictObject({ id: idOf('pty').meta({ example: 'pty_01jq4m7v2a000000000000' }) }),
    response: shownSchema('parties'),
    errors: { 404: 'No such party in this business' },
    handler: async ({ ctx, params }) => ({ data: await getParty(db, ctx, params.id) }),
  }),
];
