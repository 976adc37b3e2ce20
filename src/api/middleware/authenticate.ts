import type { RequestHandler } from 'express';
import { type ApiKeyService, looksLikeApiKey } from '../../domain/auth/api-keys.ts';
import type { TokenService } from '../../domain/auth/tokens.ts';
import { DomainError } from '../../domain/errors.ts';

/**
 * Identifies the caller from `Authorization: Bearer …` (a session token or an API key) or `X-API-Key` when
 * present. It never rejects by itself: routes that need a user say so, and rate limiting can key on the
 * tenant for everything after this.
 */
export function authenticate(tokens: TokenService, apiKeys?: ApiKeyService): RequestHandler {
  return async (req, res, next) => {
    const apiKey = req.get('X-API-Key');
    const header = req.get('Authorization') ?? (apiKey ? `Bearer ${apiKey}` : undefined);
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
      const token = match[1];
      res.locals.session =
        apiKeys && looksLikeApiKey(token)
          ? await apiKeys.authenticate(token)
          : await tokens.authenticate(token);
    } catch (err) {
      if (!(err instanceof DomainError)) return next(err);
      res.locals.authError = err;
    }
    next();
  };
}
