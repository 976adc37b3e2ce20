import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import type { Session, TokenService } from '../../domain/auth/tokens.ts';
import type { ResidencyMode } from '../../domain/net/residency.ts';
import { getProfile, type Profile, ProfileUpdate, updateProfile } from '../../domain/profile.ts';
import { Plan, Role } from '../../domain/tenants.ts';
import { limitFor, type RateLimits } from '../middleware/rate-limit.ts';
import { defineRoute } from '../route.ts';

const Me = z
  .object({
    user_id: z.string(),
    tenant_id: z.string(),
    phone: z.string(),
    name: z.string().nullable(),
    role: Role,
    plan: Plan,
    timezone: z.string(),
    briefing_time: z
      .string()
      .meta({ description: 'Local time of the morning briefing, HH:MM', example: '08:00' }),
    briefing_enabled: z.boolean(),
    rate_limit_per_minute: z.number().int(),
    data_residency: z
      .enum(['off', 'in'])
      .meta({ description: '`in`: business data goes only to endpoints served from India (DATA_RESIDENCY)' }),
  })
  .meta({ id: 'Me' });

const meOf = (
  session: Session,
  profile: Profile,
  limits: RateLimits,
  residency: ResidencyMode,
): z.infer<typeof Me> => ({
  user_id: session.userId,
  tenant_id: session.tenantId,
  phone: session.phone,
  role: session.role,
  plan: session.plan,
  ...profile,
  rate_limit_per_minute: limitFor(session, limits),
  data_residency: residency,
});

export const meRoutes = (db: Db, tokens: TokenService, limits: RateLimits, residency: ResidencyMode) => [
  defineRoute({
    method: 'get',
    path: '/me',
    operationId: 'getMe',
    summary: 'Who the token belongs to',
    tag: 'Auth',
    access: 'user',
    scope: 'any',
    response: Me,
    handler: async ({ session, ctx }) => {
      const profile = await getProfile(db, { ...ctx, userId: session.userId });
      return { data: meOf(session, profile, limits, residency) };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/me',
    operationId: 'updateMe',
    summary: 'Change your name, time zone or morning briefing',
    description:
      'Set `briefing_time` (HH:MM, your time zone) or `briefing_enabled: false` to stop the briefing.',
    tag: 'Auth',
    access: 'user',
    body: ProfileUpdate,
    response: Me,
    handler: async ({ session, ctx, body }) => {
      const profile = await updateProfile(db, { ...ctx, userId: session.userId }, body);
      // This process's next request must see the new zone and name (others hear it from the database).
      tokens.forget(session.userId);
      return { data: meOf(session, profile, limits, residency) };
    },
  }),
];
