import type { Db, Queryable } from '../db/types.ts';

export const IDEMPOTENCY_TTL_HOURS = 24;
// A claim with no response after this long belongs to a request that died; the key may be used again.
// Only claims made outside the request's transaction (see `claimKey`) can be left like that.
const ABANDONED_AFTER_SECONDS = 60;

export type Claim =
  | { state: 'claimed' }
  | { state: 'replay'; status: number; body: unknown }
  | { state: 'mismatch' }
  | { state: 'in_progress' };

export interface IdempotencyRequest {
  scope: string;
  key: string;
  method: string;
  path: string;
  hash: string;
  /** The caller's business, when signed in: the rows are the tenant's, under row-level security. */
  tenantId: string | null;
}

/**
 * Claims a key for one request, or says what the first request with that key got. Inside the request's
 * own transaction (`tx`), the claim is held until that transaction ends: a second request with the key
 * waits for it, then finds the saved answer, and a crash rolls the claim back with the write.
 */
export async function claimKey(tx: Queryable, r: IdempotencyRequest): Promise<Claim> {
  await tx.query(
    `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2
     AND (created_at < now() - make_interval(hours => $3)
          OR (status_code IS NULL AND created_at < now() - make_interval(secs => $4)))`,
    [r.scope, r.key, IDEMPOTENCY_TTL_HOURS, ABANDONED_AFTER_SECONDS],
  );
  const inserted = await tx.query(
    `INSERT INTO idempotency_keys (scope, key, method, path, request_hash, tenant_id)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [r.scope, r.key, r.method, r.path, r.hash, r.tenantId],
  );
  if (inserted.length > 0) return { state: 'claimed' };
  const [prior] = await tx.query<{
    method: string;
    path: string;
    request_hash: string;
    status_code: number | null;
    response: unknown;
  }>(
    'SELECT method, path, request_hash, status_code, response FROM idempotency_keys WHERE scope = $1 AND key = $2',
    [r.scope, r.key],
  );
  if (!prior) return { state: 'in_progress' };
  if (prior.method !== r.method || prior.path !== r.path || prior.request_hash !== r.hash)
    return { state: 'mismatch' };
  if (prior.status_code === null) return { state: 'in_progress' };
  return { state: 'replay', status: prior.status_code, body: prior.response };
}

export async function recordResponse(
  tx: Queryable,
  scope: string,
  key: string,
  status: number,
  body: unknown,
): Promise<void> {
  await tx.query(
    'UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE scope = $1 AND key = $2',
    [scope, key, status, JSON.stringify(body)],
  );
}

/** Keeps the answer of a request that wrote nothing (a client error), unless the key was taken meanwhile. */
export async function keepAnswer(
  tx: Queryable,
  r: IdempotencyRequest,
  status: number,
  body: unknown,
): Promise<void> {
  await tx.query(
    `INSERT INTO idempotency_keys (scope, key, method, path, request_hash, tenant_id, status_code, response)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (scope, key) DO NOTHING`,
    [r.scope, r.key, r.method, r.path, r.hash, r.tenantId, status, JSON.stringify(body)],
  );
}

/** Frees a key whose request failed, so the client's retry is processed, not refused. */
export async function releaseKey(db: Db, scope: string, key: string): Promise<void> {
  await db.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status_code IS NULL', [
    scope,
    key,
  ]);
}
