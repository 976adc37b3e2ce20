import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { joinTransaction } from '../../db/joinable.ts';
import type { Db } from '../../db/types.ts';
import { type Claim, claimKey, keepAnswer, recordResponse, releaseKey } from '../../domain/idempotency.ts';
import { type DataEnvelope, sendError } from '../envelope.ts';
import { HttpError } from '../errors.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** A route's answer before it is sent: its status and envelope. */
export interface Answer {
  status: number;
  body: DataEnvelope;
}

type Settled = Exclude<Claim, { state: 'claimed' }>;

type Run = (req: Request, res: Response) => Promise<Answer>;

/**
 * How a POST honours `Idempotency-Key`:
 * - `transaction`: the key is claimed, the route's writes are made and its answer saved in one tenant
 *   transaction (the route's services reach the database through the app's `joinable` db), so a crash
 *   leaves either all of it or none, and a key means exactly once;
 * - `separate`: for long work that must not hold a transaction (a chat turn): the key is claimed, the
 *   route runs, then the answer is saved, so a crash between the two can let a retry run it again;
 * - `none`: the key is ignored (sign-in, whose answer must never be handed out twice).
 */
export type IdempotencyMode = 'transaction' | 'separate' | 'none';

export interface IdempotencyOptions {
  mode: IdempotencyMode;
  /** What is kept of an answer for replays: never a secret that the first answer showed once. */
  stored: (body: DataEnvelope) => unknown;
}

const send = (res: Response, status: number, body: unknown) => {
  res.status(status).json(body);
};

/**
 * The first answer to a key (a success or a client error) is kept 24 h and replayed; the same key with
 * another body is a 409. After a server error nothing is kept, so the retry really runs.
 */
/**
 * The header as the OpenAPI document declares it, on every POST that can be sent again safely with it: a
 * client (the SDK) retries exactly those.
 */
export const IdempotencyHeader = z.object({
  'Idempotency-Key': z.string().regex(KEY).optional().meta({
    description:
      '1 to 255 visible ASCII characters, one per intended action: sent again with the same body, the first answer comes back (kept 24 h) and nothing is done twice.',
  }),
});

/** The request's Idempotency-Key, refused when it is not one (a route that does not replay still checks it). */
export function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key !== undefined && !KEY.test(key)) {
    throw new HttpError(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    );
  }
  return key;
}

export function withIdempotency(db: Db, run: Run, options: IdempotencyOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    const key = idempotencyKeyOf(req);
    if (key === undefined || options.mode === 'none') {
      const answer = await run(req, res);
      return send(res, answer.status, answer.body);
    }
    const session = res.locals.session;
    const request = {
      scope: session ? `usr:${session.userId}` : `ip:${req.ip}`,
      key,
      method: req.method,
      path: req.path,
      hash: createHash('sha256')
        .update(JSON.stringify(req.body ?? null))
        .digest('hex'),
      tenantId: session?.tenantId ?? null,
    };
    // Without a session there is no tenant transaction to hold the key: the route refuses the caller anyway.
    if (options.mode === 'transaction' && session) {
      const tenantId = session.tenantId;
      let outcome: Settled | Answer;
      try {
        outcome = await db.tenant(tenantId, async (tx): Promise<Settled | Answer> => {
          const claim = await claimKey(tx, request);
          if (claim.state !== 'claimed') return claim;
          const answer = await joinTransaction(tenantId, tx, () => run(req, res));
          await recordResponse(tx, request.scope, key, answer.status, options.stored(answer.body));
          return answer;
        });
      } catch (err) {
        // Nothing was written; a client error is kept all the same, so its retry gets the same answer.
        keepClientError(res, (status, body) =>
          db.tenant(tenantId, (tx) => keepAnswer(tx, request, status, body)),
        );
        throw err;
      }
      return 'state' in outcome ? answerClaim(res, outcome) : send(res, outcome.status, outcome.body);
    }
    const claim = await db.transaction((tx) => claimKey(tx, request));
    if (claim.state !== 'claimed') return answerClaim(res, claim);
    let answer: Answer;
    try {
      answer = await run(req, res);
    } catch (err) {
      keepClientError(
        res,
        (status, body) => recordResponse(db, request.scope, key, status, body),
        () => releaseKey(db, request.scope, key),
      );
      throw err;
    }
    // The work is done: its answer goes out even if it cannot be kept (a retry then finds the claim open).
    await recordResponse(db, request.scope, key, answer.status, options.stored(answer.body)).catch((err) =>
      req.log?.warn({ err }, 'an idempotent answer could not be saved'),
    );
    send(res, answer.status, answer.body);
  };
}

/**
 * The error handler answers a failed request: a client error (4xx) is kept for the key's retries; after a
 * server error the key is freed (`release`), so the retry really runs.
 */
function keepClientError(
  res: Response,
  keep: (status: number, body: unknown) => Promise<unknown>,
  release: () => Promise<unknown> = async () => {},
): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const settle = res.statusCode < 500 ? keep(res.statusCode, body) : release();
    settle.then(
      () => json(body),
      () => json(body),
    );
    return res;
  };
}

function answerClaim(res: Response, claim: Settled): void {
  if (claim.state === 'mismatch') {
    sendError(res, 409, {
      code: 'idempotency_key_reused',
      message: 'This Idempotency-Key was already used with a different request.',
    });
  } else if (claim.state === 'in_progress') {
    sendError(res, 409, {
      code: 'idempotency_in_progress',
      message: 'A request with this Idempotency-Key is still being processed. Retry shortly.',
    });
  } else {
    res.setHeader('Idempotent-Replayed', 'true');
    send(res, claim.status, claim.body);
  }
}
