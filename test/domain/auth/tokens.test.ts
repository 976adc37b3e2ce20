import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, expect, it } from 'vitest';
import { createTokenService } from '../../../src/domain/auth/tokens.ts';
import { ensureOwner } from '../../../src/domain/tenants.ts';
import { describeEachDb } from '../../support/db.ts';

// A kept token skips its signature check and session query for a moment; what it may never skip: its
// expiry, a revocation, and a different token.

const secret = randomBytes(32).toString('hex');

describeEachDb('bearer tokens, kept for a moment', (get) => {
  let owner: { userId: string; tenantId: string };
  beforeAll(async () => {
    owner = await ensureOwner(get().db, '+919800000601', 'Asia/Kolkata');
  });

  it('answers a token it has just checked without asking the database again', async () => {
    const tokens = createTokenService(get().db, secret, { sessionCacheMs: 60_000 });
    const { access_token } = await tokens.issue(owner.userId, owner.tenantId);
    const first = await tokens.authenticate(access_token);
    // The session row goes; a kept token is still answered from memory within its moment.
    await get().db.query('UPDATE auth_sessions SET expires_at = now() WHERE id = $1', [first.sessionId]);
    expect((await tokens.authenticate(access_token)).sessionId).toBe(first.sessionId);
    const fresh = createTokenService(get().db, secret, { sessionCacheMs: 60_000 });
    await expect(fresh.authenticate(access_token)).rejects.toMatchObject({ code: 'token_revoked' });
  });

  it('never keeps a token past its own expiry, past a revocation, or for another string', async () => {
    let clock = Date.now();
    const tokens = createTokenService(get().db, secret, { sessionCacheMs: 60_000, now: () => clock });
    const { access_token } = await tokens.issue(owner.userId, owner.tenantId);
    const session = await tokens.authenticate(access_token);
    await tokens.revoke(session.sessionId);
    await expect(tokens.authenticate(access_token)).rejects.toMatchObject({ code: 'token_revoked' });

    const issued = await tokens.issue(owner.userId, owner.tenantId);
    await tokens.authenticate(issued.access_token);
    await expect(tokens.authenticate(`${issued.access_token}x`)).rejects.toMatchObject({
      code: 'invalid_token',
    });

    // A token that expires a minute from now is kept no longer than that.
    const live = await tokens.authenticate(issued.access_token);
    const shortLived = await new SignJWT({ tid: owner.tenantId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(owner.userId)
      .setJti(live.sessionId)
      .setIssuer('axonbos')
      .setIssuedAt()
      .setExpirationTime(Math.floor(clock / 1000) + 60)
      .sign(new TextEncoder().encode(secret));
    await tokens.authenticate(shortLived);
    clock += 61_000;
    await expect(tokens.authenticate(shortLived)).rejects.toMatchObject({ code: 'token_expired' });
  });
});
