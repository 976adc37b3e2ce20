import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { DomainError, type ErrorKind } from '../domain/errors.ts';
import { sendError } from './envelope.ts';

/** An error raised by the HTTP layer itself (bad header, wrong media type). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

// body-parser tags its errors with a `type`; each becomes a clear client error instead of a 500.
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'The request body is not valid JSON.'],
  'entity.too.large': [413, 'payload_too_large', 'The request body is too large.'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'The request body encoding is not supported.'],
  'charset.unsupported': [415, 'unsupported_charset', 'The request body must be UTF-8 JSON.'],
  'request.aborted': [400, 'request_aborted', 'The request was aborted before its body arrived.'],
  'request.size.invalid': [
    400,
    'invalid_body_size',
    'The request body is shorter or longer than Content-Length.',
  ],
  'stream.encoding.set': [400, 'invalid_body', 'The request body could not be read.'],
};

const describe = (err: ZodError) =>
  err.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) return;
  if (err instanceof ZodError) {
    const issues = describe(err);
    const first = issues[0];
    const message = first
      ? `${first.path ? `${first.path}: ` : ''}${first.message}`
      : 'The request is not valid.';
    return sendError(res, 400, { code: 'validation_error', message, details: { issues } });
  }
  if (err instanceof DomainError) {
    const retry = err.details?.retry_after;
    if (err.kind === 'rate_limited' && typeof retry === 'number') res.setHeader('Retry-After', String(retry));
    return sendError(res, STATUS[err.kind], {
      code: err.code,
      message: err.message,
      ...(err.details ? { details: err.details } : {}),
    });
  }
  if (err instanceof HttpError) {
    return sendError(res, err.status, {
      code: err.code,
      message: err.message,
      ...(err.details ? { details: err.details } : {}),
    });
  }
  const bodyError = typeof err?.type === 'string' ? BODY_ERRORS[err.type] : undefined;
  if (bodyError) {
    const [status, code, message] = bodyError;
    return sendError(res, status, { code, message });
  }
  req.log?.error({ err }, 'unhandled error');
  return sendError(res, 500, {
    code: 'internal_error',
    message: 'Something went wrong on our side. Please try again.',
  });
};

export const notFoundHandler: RequestHandler = (req, res) =>
  sendError(res, 404, { code: 'not_found', message: `No route for ${req.method} ${req.path}.` });
