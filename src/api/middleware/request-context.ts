import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from '../errors.ts';

const CLIENT_ID = /^[\w.:-]{1,128}$/;

/** Accepts the caller's X-Request-Id when it is sane, else makes one; echoed on every response. */
export const requestId: RequestHandler = (req, res, next) => {
  const given = req.get('X-Request-Id');
  const id = given && CLIENT_ID.test(given) ? given : randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-Id', id);
  next();
};

/** Browsers must take every answer as the type it says it is, never guess (MIME sniffing). */
export const noSniff: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  next();
};

const hasBody = (req: Parameters<RequestHandler>[0]) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/** The API speaks JSON only: a body of any other type is a 415, not a silent empty object. */
export const jsonOnly: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is('application/json')) {
    return next(
      new HttpError(
        415,
        'unsupported_media_type',
        'Send the request body as JSON with Content-Type: application/json.',
      ),
    );
  }
  next();
};
