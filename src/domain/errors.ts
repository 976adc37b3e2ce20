/**
 * A failure the caller can act on. `kind` says what went wrong in business terms; the API maps it to an
 * HTTP status, a channel to a friendly sentence. `code` is the stable machine code integrators match on.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable';

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (entity: string, id: string) =>
  new DomainError('not_found', `${entity}_not_found`, `No ${entity.replace('_', '-')} with id ${id}.`, {
    id,
  });
