import type { Db } from '../../db/types.ts';
import {
  ComplianceSettings,
  ComplianceUpdate,
  getCompliance,
  updateCompliance,
} from '../../domain/compliance/service.ts';
import { defineRoute } from '../route.ts';

export const complianceRoutes = (db: Db) => [
  defineRoute({
    method: 'get',
    path: '/compliance',
    operationId: 'getCompliance',
    summary: 'Compliance filings: which apply to the business, alert days and upcoming due dates',
    tag: 'Compliance',
    access: 'user',
    response: ComplianceSettings,
    handler: async ({ ctx }) => ({ data: await getCompliance(db, ctx, new Date()) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/compliance',
    operationId: 'updateCompliance',
    summary: 'Choose the filings that apply and how many days ahead to be alerted',
    description:
      'Alerts go to the owners as a message and a `compliance.alert` event, once per filing, due date and ' +
      'threshold (default 3 and 1 days before). Owners only.',
    tag: 'Compliance',
    access: 'owner',
    body: ComplianceUpdate,
    response: ComplianceSettings,
    handler: async ({ ctx, body }) => ({ data: await updateCompliance(db, ctx, body, new Date()) }),
  }),
];
