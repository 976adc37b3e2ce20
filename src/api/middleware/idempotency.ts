import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Db } from '../../db/types.ts';
import { claimKey, recordResponse, releaseKey } from '../../domain/idempotency.ts';
import { sendError } from '../envelope.ts';
import { HttpError } from '../errors.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

type Handler = (req: Request, res: Response) => Promise<void>;

/**
 * `Idempotency-Key` on a POST: the first response (success or client error) is stored and replayed for
 * 24 h; the same key with another body is a 409. A 5xx frees the key so the retry really runs.
 */
export function withIdempotency(handle: Handler): Handler {
  return async (req, res) => {
    const key = req.get('Idempotency-Key');
    if (key === undefined) return handle(req, res);
    if (!KEY.test(key)) {
      throw new HttpError(
        400,
        'invalid_idempotency_key',
        'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      );
    }
    const db = req.app.locals.db as Db;
    const session = res.locals.session;
    const scope = session ? `usr:${session.userId}` : `ip:${req.ip}`;
    const hash = createHash('sha256')
      .update(JSON.stringify(req.body ?? null))
      .digest('hex');
    const claim = await claimKey(db, { scope, key, method: req.method, path: req.path, hash });
    if (claim.state === 'mismatch') {
      return sendError(res, 409, {
        code: 'idempotency_key_reused',
        message: 'This Idempotency-Key was already used with a different request.',
      });
    }
    if (claim.state === 'in_progress') {
      return sendError(res, 409, {
        code: 'idempotency_in_progress',
        message: 'A request with this Idempotency-Key is still being processed. Retry shortly.',
      });
    }
    if (claim.state === 'replay') {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(claim.status).json(claim.body);
      return;
    }
    // Whatever this request answers (the error handler included) is what later retries get.
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const settle =
        res.statusCode >= 500
          ? releaseKey(db, scope, key)
          : recordResponse(db, scope, key, res.statusCode, body);
      settle.then(
        () => json(body),
        () => json(body),
      );
      return res;
    };
    await handle(req, res);
  };
}
