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

// Other errors that already carry a 4xx status are the client's too: the router's for a path that is not
// valid percent-encoding, body-parser's for a body that does not inflate. Their own messages are internals.
const CLIENT_CODES: Record<number, string> = {
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  411: 'length_required',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  431: 'headers_too_large',
};

function clientError(err: unknown): [number, string, string] | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, code } = err as { status?: unknown; code?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (err instanceof URIError) {
    return [
      400,
      'invalid_url',
      'The URL is not valid: each % must start a percent-encoded UTF-8 byte, such as %20.',
    ];
  }
  if (typeof code === 'string' && /^(Z_|ERR_BROTLI|ERR__ERROR)/.test(code)) {
    return [400, 'invalid_body_encoding', 'The request body is not valid data for its Content-Encoding.'];
  }
  return [status, CLIENT_CODES[status] ?? 'bad_request', 'The request could not be read as sent.'];
}

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
  const client = clientError(err);
  if (client) {
    const [status, code, message] = client;
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
