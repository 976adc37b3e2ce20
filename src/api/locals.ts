import type { Session } from '../domain/auth/tokens.ts';
import type { DomainError } from '../domain/errors.ts';

/** What the middleware leaves on `res.locals` for what runs after it: the one declaration of its shape. */
declare module 'express-serve-static-core' {
  interface Locals {
    /** Set first by `requestId`, so every later step and the envelope have it. */
    requestId?: string;
    /** The signed-in caller, when `authenticate` accepted a bearer token. */
    session?: Session;
    /** Why a bearer token was refused; thrown only by routes that need a user. */
    authError?: DomainError;
  }
}
