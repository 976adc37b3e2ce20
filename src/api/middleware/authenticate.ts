import type { RequestHandler } from 'express';
import type { TokenService } from '../../domain/auth/tokens.ts';
import { DomainError } from '../../domain/errors.ts';

/**
 * Identifies the caller from `Authorization: Bearer …` when present. It never rejects by itself: routes
 * that need a user say so, and rate limiting can key on the tenant for everything after this.
 */
export function authenticate(tokens: TokenService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('Authorization');
    if (!header) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      res.locals.authError = new DomainError(
        'unauthorized',
        'invalid_token',
        'Use Authorization: Bearer <token>.',
      );
      return next();
    }
    try {
      res.locals.session = await tokens.authenticate(match[1]);
    } catch (err) {
      if (!(err instanceof DomainError)) return next(err);
      res.locals.authError = err;
    }
    next();
  };
}
