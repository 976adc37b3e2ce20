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
}

const unauthorized = (code: string, message: string) => new DomainError('unauthorized', code, message);

/** Bearer tokens: HS256 JWTs naming a session row, so logout can revoke a token before it expires. */
export function createTokenService(db: Db, secret: string) {
  const key = new TextEncoder().encode(secret);

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
    let sub: string | undefined;
    let jti: string | undefined;
    try {
      const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
      sub = payload.sub;
      jti = payload.jti;
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
       WHERE s.id = $1 AND s.user_id = $2`,
      [jti, sub],
    );
    if (!row?.live) throw unauthorized('token_revoked', 'This session has ended. Please sign in again.');
    return { ...toPrincipal(row), sessionId: jti };
  }

  async function revoke(sessionId: string): Promise<void> {
    await db.query('UPDATE auth_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
      sessionId,
    ]);
  }

  return { issue, authenticate, revoke };
}

export type TokenService = ReturnType<typeof createTokenService>;
