import { errors, jwtVerify, SignJWT } from 'jose';
import type { Db } from '../../db/types.ts';
import { DomainError } from '../errors.ts';
import { newId } from '../ids.ts';
import { PRINCIPAL_COLUMNS, type Principal, type PrincipalRow, toPrincipal } from '../tenants.ts';

export const TOKEN_TTL_SECONDS = 86_400;
const ISSUER = 'axonbos';

export interface AccessToken {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
}

export interface Session extends Principal {
  sessionId: string;
  /** Present when the caller is an API key: its id and the scopes it was given. */
  apiKey?: { id: string; scopes: readonly string[] };
}

const unauthorized = (code: string, message: string) => new DomainError('unauthorized', code, message);

/** NOTIFY channel on which the database says that sessions or what they stand for changed. */
export const SESSIONS_CHANNEL = 'axon_sessions';
const MAX_CACHED = 10_000;

export interface TokenSettings {
  /**
   * How long a checked session is trusted without asking the database again (AUTH_SESSION_CACHE_MS): a
   * burst of requests costs one lookup. Logout forgets it here at once and, through SESSIONS_CHANNEL, in
   * every other process; this bound covers a notification missed while a listener reconnects. 0: ask every time.
   */
  sessionCacheMs: number;
  /** Now, in milliseconds (tests move it past a token's expiry instead of waiting for it). */
  now?: () => number;
}

/** Bearer tokens: HS256 JWTs naming a session row, so logout can revoke a token before it expires. */
export function createTokenService(db: Db, secret: string, settings: TokenSettings = { sessionCacheMs: 0 }) {
  const key = new TextEncoder().encode(secret);
  const now = settings.now ?? Date.now;
  // By the token itself: the very string that verified a moment ago verifies again, so a kept token skips
  // the signature check as well as the session's query, until its session check is due or it expires.
  const checked = new Map<string, { until: number; session: Session }>();

  function keep(token: string, session: Session, expiresAt: number): void {
    if (settings.sessionCacheMs <= 0) return;
    const oldest = checked.keys().next();
    if (checked.size >= MAX_CACHED && !oldest.done) checked.delete(oldest.value);
    checked.set(token, { until: Math.min(now() + settings.sessionCacheMs, expiresAt), session });
  }

  async function issue(userId: string, tenantId: string): Promise<AccessToken> {
    const sessionId = newId('ses');
    await db.query(
      `INSERT INTO auth_sessions (id, tenant_id, user_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [sessionId, tenantId, userId, TOKEN_TTL_SECONDS],
    );
    const access_token = await new SignJWT({ tid: tenantId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setJti(sessionId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_TTL_SECONDS}s`)
      .sign(key);
    return { access_token, token_type: 'bearer', expires_in: TOKEN_TTL_SECONDS };
  }

  async function authenticate(token: string): Promise<Session> {
    const hit = checked.get(token);
    if (hit && hit.until > now()) return hit.session;
    checked.delete(token);
    let sub: string | undefined;
    let jti: string | undefined;
    let exp = 0;
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: new Date(now()),
      });
      sub = payload.sub;
      jti = payload.jti;
      exp = (payload.exp ?? 0) * 1000;
    } catch (err) {
      if (err instanceof errors.JWTExpired)
        throw unauthorized('token_expired', 'Your session has expired. Please sign in again.');
      throw unauthorized('invalid_token', 'The access token is not valid.');
    }
    if (!sub || !jti) throw unauthorized('invalid_token', 'The access token is not valid.');
    // One round trip per request: the session's liveness and everything the request needs about its user.
    const [row] = await db.query<PrincipalRow & { live: boolean }>(
      `SELECT s.revoked_at IS NULL AND s.expires_at > now() AS live, ${PRINCIPAL_COLUMNS}
       FROM auth_sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = u.tenant_id
       WHERE s.id = $1 AND s.user_id = $2 AND u.removed_at IS NULL`,
      [jti, sub],
    );
    if (!row?.live) throw unauthorized('token_revoked', 'This session has ended. Please sign in again.');
    const session = { ...toPrincipal(row), sessionId: jti };
    keep(token, session, exp);
    return session;
  }

  /** Forgets the kept sessions of one user (their profile changed), or all of them. */
  function forget(userId?: string): void {
    for (const [id, entry] of checked)
      if (userId === undefined || entry.session.userId === userId) checked.delete(id);
  }

  async function revoke(sessionId: string): Promise<void> {
    await db.query('UPDATE auth_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
      sessionId,
    ]);
    // After the update, so a request that checked the session while it was still live cannot keep it.
    for (const [token, entry] of checked) if (entry.session.sessionId === sessionId) checked.delete(token);
  }

  return { issue, authenticate, revoke, forget };
}

export type TokenService = ReturnType<typeof createTokenService>;
