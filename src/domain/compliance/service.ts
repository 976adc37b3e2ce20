import { z } from 'zod';
import type { Db, Queryable } from '../../db/types.ts';
import { appendAudit } from '../audit.ts';
import type { Ctx } from '../context.ts';
import { addDays, localDate } from '../time.ts';
import { type Deadline, daysBetween, deadlinesBetween, FILING_CODES, FILINGS } from './calendar.ts';

export const FilingCode = z.enum(FILING_CODES).meta({ description: 'A recurring filing AxonBOS knows' });

export const Filing = z
  .object({ code: FilingCode, name: z.string(), description: z.string(), enabled: z.boolean() })
  .meta({ id: 'Filing' });

export const UpcomingDeadline = z
  .object({ code: FilingCode, name: z.string(), due_date: z.string(), days_left: z.number().int() })
  .meta({ id: 'ComplianceDeadline' });
export type UpcomingDeadline = z.infer<typeof UpcomingDeadline>;

export const ComplianceSettings = z
  .object({
    filings: z.array(Filing),
    alert_days: z.array(z.number().int()),
    upcoming: z.array(UpcomingDeadline),
  })
  .meta({ id: 'ComplianceSettings' });
export type ComplianceSettings = z.infer<typeof ComplianceSettings>;

export const ComplianceUpdate = z
  .strictObject({
    filings: z.array(FilingCode).max(FILINGS.length).optional(),
    alert_days: z.array(z.number().int().min(0).max(30)).min(1).max(5).optional(),
  })
  .refine((u) => Object.keys(u).length > 0, 'name at least one field to change')
  .meta({ id: 'ComplianceUpdate' });
export type ComplianceUpdate = z.infer<typeof ComplianceUpdate>;

const DEFAULT_ALERT_DAYS = [3, 1];
/** How far ahead my-day and GET /compliance look. */
const UPCOMING_DAYS = 14;

export interface TenantCompliance {
  filings: string[];
  alertDays: number[];
}

export async function readCompliance(tx: Queryable): Promise<TenantCompliance> {
  const [row] = await tx.query<{ filings: string[]; alert_days: number[] }>(
    'SELECT filings, alert_days FROM compliance_settings',
  );
  return { filings: row?.filings ?? [], alertDays: row?.alert_days ?? DEFAULT_ALERT_DAYS };
}

/** The opted-in filings' deadlines from today for the next two weeks, with days left. */
export function upcomingDeadlines(filings: readonly string[], today: string): UpcomingDeadline[] {
  return deadlinesBetween(filings, today, addDays(today, UPCOMING_DAYS)).map((d: Deadline) => ({
    ...d,
    code: d.code as UpcomingDeadline['code'],
    days_left: daysBetween(today, d.due_date),
  }));
}

function present(c: TenantCompliance, today: string): ComplianceSettings {
  return {
    filings: FILINGS.map((f) => ({
      code: f.code as UpcomingDeadline['code'],
      name: f.name,
      description: f.description,
      enabled: c.filings.includes(f.code),
    })),
    alert_days: c.alertDays,
    upcoming: upcomingDeadlines(c.filings, today),
  };
}

export async function getCompliance(db: Db, ctx: Ctx, now: Date): Promise<ComplianceSettings> {
  const c = await db.tenant(ctx.tenantId, readCompliance);
  return present(c, localDate(now, ctx.timezone));
}

export async function updateCompliance(
  db: Db,
  ctx: Ctx,
  patch: ComplianceUpdate,
  now: Date,
): Promise<ComplianceSettings> {
  const after = await db.tenant(ctx.tenantId, async (tx) => {
    const before = await readCompliance(tx);
    const next: TenantCompliance = {
      filings: patch.filings ? [...new Set(patch.filings)] : before.filings,
      alertDays: patch.alert_days ? [...new Set(patch.alert_days)].sort((a, b) => b - a) : before.alertDays,
    };
    await tx.query(
      `INSERT INTO compliance_settings (tenant_id, filings, alert_days) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE SET filings = $2, alert_days = $3, updated_at = now()`,
      [ctx.tenantId, next.filings, next.alertDays],
    );
    appendAudit(tx, ctx, {
      action: 'compliance.updated',
      entity: 'compliance',
      entityId: ctx.tenantId,
      before: { filings: before.filings, alert_days: before.alertDays },
      after: { filings: next.filings, alert_days: next.alertDays },
    });
    return next;
  });
  return present(after, localDate(now, ctx.timezone));
}
