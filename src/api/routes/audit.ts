import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import { AuditQuery, AuditRecord, listAudit } from '../../domain/audit.ts';
import { defineRoute } from '../route.ts';

export const auditRoutes = (db: Db) => [
  defineRoute({
    method: 'get',
    path: '/audit',
    operationId: 'listAuditEntries',
    summary: "The business's audit log, newest first",
    description: 'Every change by a person, the Digital Employee or a job. Owners only.',
    tag: 'Audit',
    access: 'owner',
    query: AuditQuery,
    response: z.object({ entries: z.array(AuditRecord) }).meta({ id: 'AuditList' }),
    handler: async ({ session, query }) => {
      const page = await listAudit(db, session.tenantId, query);
      return {
        data: { entries: page.items },
        page: { page: query.page, total: page.total, limit: query.limit },
      };
    },
  }),
];
