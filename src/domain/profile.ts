import { z } from 'zod';
import type { Db, Queryable } from '../db/types.ts';
import { appendAudit } from './audit.ts';
import type { Ctx } from './context.ts';
import { DomainError, notFound } from './errors.ts';
import { text } from './fields.ts';

/** The signed-in user's own settings: name, time zone, and when (or whether) the morning briefing comes. */

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const TimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone, e.g. Asia/Kolkata')
  .meta({ example: 'Asia/Kolkata' });

/**
 * Node and the database ship different zone lists (Node still knows US/Pacific-New): a zone is stored only
 * if the database knows it too, since every query that reads it uses AT TIME ZONE. The database refuses
 * one anyway (migration 015); asking first turns that into the same 400 a bad field gets, not a 500.
 */
export async function databaseKnowsZone(db: Queryable, timezone: string): Promise<boolean> {
  const [row] = await db.query<{ known: boolean }>('SELECT axon_zone($1) IS NOT NULL AS known', [timezone]);
  return row?.known === true;
}

async function assertKnownZone(tx: Queryable, timezone: string): Promise<void> {
  if (await databaseKnowsZone(tx, timezone)) return;
  const message = `${timezone} is not a time zone we can use; pick one such as Asia/Kolkata`;
  throw new DomainError('invalid', 'validation_error', `timezone: ${message}`, {
    issues: [{ path: 'timezone', message, code: 'custom' }],
  });
}

export const BriefingTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 24-hour')
  .meta({ description: 'Local time of the morning briefing, HH:MM (24-hour)', example: '08:00' });

export const ProfileUpdate = z
  .strictObject({
    name: text(100).nullable(),
    timezone: TimeZone,
    briefing_time: BriefingTime,
    briefing_enabled: z.boolean(),
  })
  .partial()
  .refine((u) => Object.keys(u).length > 0, 'name at least one field to change')
  .meta({ id: 'ProfileUpdate' });
export type ProfileUpdate = z.infer<typeof ProfileUpdate>;

export interface Profile {
  name: string | null;
  /** The user's own zone, else the business's. */
  timezone: string;
  briefing_time: string;
  briefing_enabled: boolean;
}

const SELECT_PROFILE = `SELECT u.name, coalesce(u.timezone, t.timezone) AS timezone,
  to_char(u.briefing_time, 'HH24:MI') AS briefing_time, u.briefing_enabled
  FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = $1`;

export async function getProfile(db: Db, ctx: Ctx & { userId: string }): Promise<Profile> {
  const [row] = await db.tenant(ctx.tenantId, (tx) => tx.query<Profile>(SELECT_PROFILE, [ctx.userId]));
  if (!row) throw notFound('user', ctx.userId);
  return row;
}

export async function updateProfile(
  db: Db,
  ctx: Ctx & { userId: string },
  patch: ProfileUpdate,
): Promise<Profile> {
  return db.tenant(ctx.tenantId, async (tx) => {
    const [before] = await tx.query<Profile>(`${SELECT_PROFILE} FOR UPDATE OF u`, [ctx.userId]);
    if (!before) throw notFound('user', ctx.userId);
    if (patch.timezone !== undefined) await assertKnownZone(tx, patch.timezone);
    await tx.query(
      `UPDATE users SET
         name = CASE WHEN $2 THEN $3 ELSE name END,
         timezone = coalesce($4, timezone),
         briefing_time = coalesce($5::time, briefing_time),
         briefing_enabled = coalesce($6, briefing_enabled),
         updated_at = now()
       WHERE id = $1`,
      [
        ctx.userId,
        patch.name !== undefined,
        patch.name ?? null,
        patch.timezone ?? null,
        patch.briefing_time ?? null,
        patch.briefing_enabled ?? null,
      ],
    );
    const [after] = await tx.query<Profile>(SELECT_PROFILE, [ctx.userId]);
    if (!after) throw notFound('user', ctx.userId);
    appendAudit(tx, ctx, {
      action: 'user.updated',
      entity: 'user',
      entityId: ctx.userId,
      before,
      after,
    });
    return after;
  });
}
