import type { OpenAPIRegistry, RouteConfig, ZodRequestBody } from '@asteasolutions/zod-to-openapi';
import type { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/types.ts';
import { grants, type Scope } from '../domain/auth/api-keys.ts';
import type { Session } from '../domain/auth/tokens.ts';
import type { Ctx } from '../domain/context.ts';
import { DomainError } from '../domain/errors.ts';
import {
  type DataEnvelope,
  dataEnvelope,
  ErrorEnvelope,
  envelopeOf,
  type PageMeta,
  requestIdOf,
  sendError,
} from './envelope.ts';
import {
  type Answer,
  IdempotencyHeader,
  type IdempotencyMode,
  withIdempotency,
} from './middleware/idempotency.ts';

/**
 * One declaration per endpoint drives its validation, its handler's types and its OpenAPI entry, so the
 * docs cannot drift from what the server accepts.
 */
export type Access = 'public' | 'user' | 'owner';

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  req: Request;
  res: Response;
}

export interface AuthedInput<B, Q, P> extends RouteInput<B, Q, P> {
  session: Session;
  ctx: Ctx;
}

export interface Reply<R> {
  data: R;
  status?: number;
  page?: PageMeta;
}

interface BaseSpec<B, Q, P, R> {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI style, relative to /api/v1: `/tasks/{id}`. */
  path: string;
  /** The operation's stable name (`listTasks`, `createTask`): the SDK's method name. */
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  response: z.ZodType<R>;
  /** Success status; 200 unless said. */
  status?: number;
  errors?: Record<number, string>;
  /**
   * For a POST: how `Idempotency-Key` is honoured (`transaction` unless said; see `IdempotencyMode`). A
   * route whose services hold a database of their own, not the app's joinable one, must say `separate`.
   */
  idempotency?: IdempotencyMode;
  /** What a replay returns of `response`: the first answer cut down to this schema (its secrets dropped). */
  replayAs?: z.ZodType;
  /** The scope an API key needs, where the tag does not say it (`any`: every key may call it). */
  scope?: Scope | 'any';
}

export type RouteSpec<B = unknown, Q = unknown, P = unknown, R = unknown> =
  | (BaseSpec<B, Q, P, R> & { access: 'public'; handler(input: RouteInput<B, Q, P>): Promise<Reply<R>> })
  | (BaseSpec<B, Q, P, R> & {
      access: 'user' | 'owner';
      handler(input: AuthedInput<B, Q, P>): Promise<Reply<R>>;
    });

export const defineRoute = <B = undefined, Q = undefined, P = undefined, R = unknown>(
  spec: RouteSpec<B, Q, P, R>,
) => spec as unknown as RouteSpec;

export const sessionOf = (res: Response): Session | null => res.locals.session ?? null;

export function requireSession(res: Response, access: Access): Session {
  const session = sessionOf(res);
  if (!session) {
    throw (
      res.locals.authError ??
      new DomainError('unauthorized', 'unauthorized', 'Sign in first: send Authorization: Bearer <token>.')
    );
  }
  if (access === 'owner' && session.role !== 'owner') {
    throw new DomainError('forbidden', 'forbidden', 'Only the business owner can do this.');
  }
  return session;
}

/** The scope an API key needs for a route, by its tag and method; null: only a person's sign-in will do. */
const AREAS: Record<string, string> = {
  Tasks: 'tasks',
  'Follow-ups': 'follow-ups',
  Memory: 'memory',
  Connectors: 'connectors',
  Webhooks: 'webhooks',
};
const WHOLE: Record<string, Scope> = {
  Chat: 'chat',
  Insights: 'insights',
  'Business data': 'data:read',
  'My day': 'tasks:read',
};
export function scopeOf(tag: string, method: string): Scope | null {
  const area = AREAS[tag];
  if (area) return `${area}:${method.toLowerCase() === 'get' ? 'read' : 'write'}` as Scope;
  return WHOLE[tag] ?? null;
}

/** A request made with an API key must be within its scopes (`any`: every key may). */
export function requireScope(session: Session, scope: Scope | 'any' | null): void {
  const key = session.apiKey;
  if (!key || scope === 'any') return;
  if (scope === null) {
    throw new DomainError(
      'forbidden',
      'insufficient_scope',
      'This endpoint needs a person’s sign-in: an API key cannot call it.',
    );
  }
  if (!grants(key.scopes, scope)) {
    throw new DomainError('forbidden', 'insufficient_scope', `This API key lacks the scope ${scope}.`, {
      scope,
    });
  }
}

export const ctxOf = (session: Session, res: Response): Ctx => ({
  tenantId: session.tenantId,
  userId: session.userId,
  actor: 'user',
  via: 'api',
  timezone: session.timezone,
  requestId: requestIdOf(res),
  ...(session.apiKey && { apiKeyId: session.apiKey.id }),
});

const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

// A route that declares no body or no query string takes none. What is sent there anyway is refused, not
// ignored: a client that believes its fields mean something must learn they do not (and a stray body on
// POST /auth/logout or DELETE /tasks/{id} must not act as if it were understood). An empty {} is accepted.
const NoBody = z
  .strictObject({}, { error: () => 'This endpoint takes no request body: send none, or {}.' })
  .optional();
const NoQuery = z.strictObject(
  {},
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `This endpoint takes no query parameters: remove ${issue.keys.join(', ')}.`
        : undefined,
  },
);

/** For a route outside `mountRoutes` that takes no query string: the same refusal. */
export const takesNoQuery = (req: Request): void => void NoQuery.parse(req.query);

/** Mounts each route on the router; `db` holds the idempotency keys, the routes' writes joined to them. */
export function mountRoutes(router: Router, registry: OpenAPIRegistry, db: Db, specs: RouteSpec[]): void {
  const methodsByPath = new Map<string, string[]>();
  for (const spec of specs) {
    const path = expressPath(spec.path);
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), spec.method.toUpperCase()]);
  }
  // A path of its own is never a value of a parameter: DELETE /memory/search is a 405 of /memory/search,
  // not an attempt to delete the memory "search".
  const literalPaths = new Set([...methodsByPath.keys()].filter((p) => !p.includes(':')));
  const notLiteral = (req: Request, _res: Response, next: NextFunction) =>
    next(literalPaths.has(req.path) ? 'route' : undefined);
  for (const spec of specs) {
    const path = expressPath(spec.path);
    const run = async (req: Request, res: Response): Promise<Answer> => {
      const session = spec.access === 'public' ? sessionOf(res) : requireSession(res, spec.access);
      if (session && spec.access !== 'public')
        requireScope(session, spec.scope ?? scopeOf(spec.tag, spec.method));
      const input = {
        body: spec.body ? spec.body.parse(req.body ?? {}) : void NoBody.parse(req.body),
        query: spec.query ? spec.query.parse(req.query) : void NoQuery.parse(req.query),
        params: spec.params ? spec.params.parse(req.params) : undefined,
        req,
        res,
        ...(session ? { session, ctx: ctxOf(session, res) } : {}),
      };
      const reply = await (spec.handler as (i: typeof input) => Promise<Reply<unknown>>)(input);
      return { status: reply.status ?? spec.status ?? 200, body: dataEnvelope(res, reply.data, reply.page) };
    };
    const handler =
      spec.method === 'post'
        ? withIdempotency(db, run, {
            mode: spec.idempotency ?? 'transaction',
            stored: storedAnswer(spec.replayAs),
          })
        : async (req: Request, res: Response) => {
            const answer = await run(req, res);
            res.status(answer.status).json(answer.body);
          };
    if (path.includes(':')) router[spec.method](path, notLiteral, handler);
    else router[spec.method](path, handler);
    registry.registerPath(openApiEntry(spec));
  }
  for (const [path, methods] of methodsByPath) refuseOtherMethods(router, path, methods);
}

/** A known path with the wrong method is a 405 naming the allowed ones, not a 404. */
export function refuseOtherMethods(router: Router, path: string, methods: string[]): void {
  router.all(path, (_req, res) => {
    res.setHeader('Allow', methods.join(', '));
    sendError(res, 405, { code: 'method_not_allowed', message: `Use ${methods.join(' or ')} here.` });
  });
}

const storedAnswer = (replayAs: z.ZodType | undefined) => (body: DataEnvelope) =>
  replayAs ? { ...body, data: replayAs.parse(body.data) } : body;

function openApiEntry(spec: RouteSpec): RouteConfig {
  const errors: Record<number, string> = {
    400: 'The request is not valid',
    429: 'Rate limit exceeded',
    ...spec.errors,
  };
  const scope = spec.scope ?? scopeOf(spec.tag, spec.method);
  if (spec.access !== 'public') errors[401] = 'Missing, invalid or revoked token or API key';
  if (spec.access !== 'public') {
    errors[403] = [
      spec.access === 'owner' ? 'forbidden: owners only' : null,
      scope === null
        ? 'insufficient_scope: not for API keys'
        : 'insufficient_scope: the API key lacks the scope',
    ]
      .filter(Boolean)
      .join('; ');
  }
  return {
    method: spec.method,
    path: `/api/v1${spec.path}`,
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    // A person's token always; an API key where the route has a scope (OpenAPI 3.1 names it as the role).
    security:
      spec.access === 'public'
        ? []
        : [{ bearerAuth: [] }, ...(scope === null ? [] : [{ apiKey: scope === 'any' ? [] : [scope] }])],
    request: {
      ...(spec.method === 'post' && spec.idempotency !== 'none' ? { headers: IdempotencyHeader } : {}),
      ...(spec.params ? { params: spec.params as z.ZodObject } : {}),
      ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
      ...(spec.body
        ? { body: { content: { 'application/json': { schema: spec.body } } } as ZodRequestBody }
        : {}),
    },
    responses: {
      [spec.status ?? 200]: {
        description: 'Success',
        content: { 'application/json': { schema: envelopeOf(spec.response) } },
      },
      ...Object.fromEntries(
        Object.entries(errors).map(([status, description]) => [
          status,
          { description, content: { 'application/json': { schema: ErrorEnvelope } } },
        ]),
      ),
    },
  };
}
