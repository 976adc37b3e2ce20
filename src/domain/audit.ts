import { z } from 'zod';
import { type Db, inTenant, PREPARED, type Tx } from '../db/types.ts';
import type { Ctx } from './context.ts';
import { text } from './fields.ts';
import { fetchPage, type Page, pageFields } from './pagination.ts';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/** The audit row's INSERT, its parameters $1–$10 in `auditParams` order. */
export const AUDIT_INSERT = `INSERT INTO audit_log (tenant_id, actor_type, actor_id, via, action, entity, entity_id, before, after, request_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

export const auditParams = (ctx: Ctx, entry: AuditEntry): unknown[] => [
  ctx.tenantId,
  ctx.apiKeyId ? 'api_key' : ctx.actor,
  ctx.apiKeyId ?? ctx.userId,
  ctx.via,
  entry.action,
  entry.entity,
  entry.entityId,
  entry.before === undefined ? null : JSON.stringify(entry.before),
  entry.after === undefined ? null : JSON.stringify(entry.after),
  ctx.requestId ?? null,
];

/** Appends one audit row inside the caller's transaction, so the record and the change commit together. */
export function appendAudit(tx: Tx, ctx: Ctx, entry: AuditEntry): void {
  tx.queue(AUDIT_INSERT, auditParams(ctx, entry), PREPARED);
}

export const AuditRecord = z
  .object({
    id: z.string(),
    actor_type: z.enum(['user', 'agent', 'system', 'api_key']),
    actor_id: z.string().nullable(),
    via: z.enum(['api', 'whatsapp', 'telegram', 'console', 'job']),
    action: z.string(),
    entity: z.string(),
    entity_id: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    request_id: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'AuditRecord' });
export type AuditRecord = z.infer<typeof AuditRecord>;

export const AuditQuery = z.strictObject({
  entity: z
    .string()
    .max(50)
    .regex(/^[a-z_]+$/)
    .optional(),
  entity_id: text(64).optional(),
  action: z
    .string()
    .max(50)
    .regex(/^[a-z_.]+$/)
    .optional(),
  ...pageFields,
});
export type AuditQuery = z.infer<typeof AuditQuery>;

interface AuditRow {
  id: string | number;
  actor_type: AuditRecord['actor_type'];
  actor_id: string | null;
  via: AuditRecord['via'];
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  created_at: Date;
}

export async function listAudit(db: Db, tenantId: string, q: AuditQuery): Promise<Page<AuditRecord>> {
  const page = await inTenant(db, tenantId, (tx) =>
    fetchPage<AuditRow>(tx, {
      from: 'audit_log',
      where:
        '($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR entity_id = $2) AND ($3::text IS NULL OR action = $3)',
      order: 'id DESC',
      params: [q.entity ?? null, q.entity_id ?? null, q.action ?? null],
      page: q.page,
      limit: q.limit,
    }),
  );
  return {
    total: page.total,
    items: page.items.map((r) => ({
      id: String(r.id),
      actor_type: r.actor_type,
      actor_id: r.actor_id,
      via: r.via,
      action: r.action,
      entity: r.entity,
      entity_id: r.entity_id,
      before: r.before,
      after: r.after,
      request_id: r.request_id,
      created_at: r.created_at.toISOString(),
    })),
  };
}
