import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Session } from '../../domain/auth/tokens.ts';
import type { Plan } from '../../domain/tenants.ts';
import { sendError } from '../envelope.ts';

export interface RateLimits {
  self_service: number;
  managed: number;
  enterprise: number;
  anonymous: number;
}

/** Requests per minute for a caller: the tenant's own limit when set, else its plan's; by IP when signed out. */
export function limitFor(session: Session | null, limits: RateLimits): number {
  if (!session) return limits.anonymous;
  return session.rateLimitPerMinute ?? limits[session.plan satisfies Plan];
}

/** Who a signed-out caller is, for budgets: its IP, or its IPv6 /56, since one host holds a whole range. */
export const clientOf = (req: Request): string => ipKeyGenerator(req.ip ?? '');

/**
 * Per-tenant, per-minute budget with X-RateLimit-* on every response. The store is in memory by default
 * and Redis when configured, so several processes share one budget.
 */
export function tenantRateLimit(limits: RateLimits, store?: Store): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: (_req: Request, res: Response) => limitFor(res.locals.session ?? null, limits),
    keyGenerator: (req: Request, res: Response) => {
      const session = res.locals.session;
      return session ? `tenant:${session.tenantId}` : `ip:${clientOf(req)}`;
    },
    standardHeaders: false,
    legacyHeaders: true,
    ...(store ? { store } : {}),
    handler: (_req, res) => {
      const retryAfter = String(res.getHeader('Retry-After') ?? 60);
      res.setHeader('X-RateLimit-Retry-After', retryAfter);
      sendError(res, 429, {
        code: 'rate_limited',
        message: `Too many requests. Try again in ${retryAfter} seconds.`,
        details: { retry_after: Number(retryAfter) },
      });
    },
  });
}
