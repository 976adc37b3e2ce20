import { z } from 'zod';
import { Plan, Role } from '../../domain/tenants.ts';
import { limitFor, type RateLimits } from '../middleware/rate-limit.ts';
import { defineRoute } from '../route.ts';

const Me = z
  .object({
    user_id: z.string(),
    tenant_id: z.string(),
    phone: z.string(),
    role: Role,
    plan: Plan,
    timezone: z.string(),
    rate_limit_per_minute: z.number().int(),
  })
  .meta({ id: 'Me' });

export const meRoutes = (limits: RateLimits) => [
  defineRoute({
    method: 'get',
    path: '/me',
    summary: 'Who the token belongs to',
    tag: 'Auth',
    access: 'user',
    response: Me,
    handler: async ({ session }) => ({
      data: {
        user_id: session.userId,
        tenant_id: session.tenantId,
        phone: session.phone,
        role: session.role,
        plan: session.plan,
        timezone: session.timezone,
        rate_limit_per_minute: limitFor(session, limits),
      },
    }),
  }),
];
