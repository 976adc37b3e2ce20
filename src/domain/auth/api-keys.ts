import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import { appendAudit } from '../audit.ts';
import type { Ctx } from '../context.ts';
import { DomainError, notFound } from '../errors.ts';
import { idOf, isoDateTime, requiredText } from '../fields.ts';
import { newId } from '../ids.ts';
import { PRINCIPAL_COLUMNS, type PrincipalRow, toPrincipal } from '../tenants.ts';
import type { Session } from './tokens.ts';

/**
 * API keys: how a business's own server calls the API, as the business, within the scopes the owner gave
 * the key. A key is shown once (`axk_live_…`, `axk_test_…` outside production); only its SHA-256 is kept.
 * Its public prefix finds it in one indexed read and the hash is compared in constant time; nothing is
 * cached, so a revoked key stops at once in every process. `last_used_at` is written at most once a minute
 * per key and process, not on every request.
 */

export const SCOPES = [
  'tasks:read',
  'tasks:write',
  'follow-ups:read',
  'follow-ups:write',
  'memory:read',
  'memory:write',
  'chat',
  'connectors:read',
  'connectors:write',
  'data:read',
  'insights',
  'webhooks:read',
  'webhooks:write',
] as const;
export type Scope = (typeof SCOPES)[number];

const GRANTS = [...SCOPES, 'tasks:*', 'follow-ups:*', 'memory:*', 'connectors:*', 'webhooks:*', '*'] as const;

/** Whether what a key was given covers `needed`: the scope itself, its area's `*`, or `*`. */
export function grants(given: readonly string[], needed: Scope): boolean {
  const area = needed.split(':')[0];
  return given.some((g) => g === '*' || g === needed || g === `${area}:*`);
}

export const CreateApiKeyBody = z.strictObject({
  name: requiredText(100).meta({ example: 'Billing server' }),
  scopes: z
    .array(z.enum(GRANTS))
    .min(1)
    .max(GRANTS.length)
    .meta({ example: ['tasks:*', 'follow-ups:read'] }),
  expires_at: isoDateTime.optional().meta({ example: '2027-12-31T23:59:59+05:30' }),
});

export interface ApiKey {
  id: string;
  name: string;
  /** The key's public start and its last four characters: how a person tells keys apart. */
  prefix: string;
  last4: string;
  scopes: string[];
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  scopes: string[];
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const keyOf = (r: KeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  last4: r.last4,
  scopes: r.scopes,
  expires_at: iso(r.expires_at),
  revoked_at: iso(r.revoked_at),
  last_used_at: iso(r.last_used_at),
  created_at: new Date(r.created_at).toISOString(),
});

const KEY = /^(axk_(?:live|test)_[a-z0-9]{10})([A-Za-z0-9_-]{32})$/;
const hashOf = (key: string) => createHash('sha256').update(key).digest();
const PUBLIC_ID = 'abcdefghijklmnopqrstuvwxyz0123456789';
const LAST_USED_EVERY_MS = 60_000;

export const looksLikeApiKey = (token: string) => token.startsWith('axk_');

export function createApiKeyService(db: Db, settings: { live: boolean }) {
  /** When this process last wrote a key's last use. */
  const written = new Map<string, number>();

  const invalid = () =>
    new DomainError(
      'unauthorized',
      'invalid_api_key',
      'This API key is not valid, or was revoked or expired.',
    );

  return {
    async create(ctx: Ctx, body: z.infer<typeof CreateApiKeyBody>): Promise<ApiKey & { key: string }> {
      if (body.expires_at && Date.parse(body.expires_at) <= Date.now()) {
        throw new DomainError('invalid', 'expiry_in_past', 'expires_at must be in the future.');
      }
      const publicId = Array.from(randomBytes(10), (b) => PUBLIC_ID[b % PUBLIC_ID.length]).join('');
      const prefix = `axk_${settings.live ? 'live' : 'test'}_${publicId}`;
      const key = `${prefix}${randomBytes(24).toString('base64url')}`;
      const id = newId('key');
      const [row] = await db.tenant(ctx.tenantId, async (tx) => {
        const rows = await tx.query<KeyRow>(
          `INSERT INTO api_keys (id, tenant_id, created_by, name, prefix, secret_hash, last4, scopes, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
          [
            id,
            ctx.tenantId,
            ctx.userId,
            body.name,
            prefix,
            hashOf(key).toString('hex'),
            key.slice(-4),
            body.scopes,
            body.expires_at ?? null,
          ],
        );
        appendAudit(tx, ctx, {
          action: 'api_key.created',
          entity: 'api_key',
          entityId: id,
          after: { name: body.name, prefix, scopes: body.scopes, expires_at: body.expires_at ?? null },
        });
        return rows;
      });
      if (!row) throw new Error('the API key was not stored');
      return { ...keyOf(row), key };
    },

    async list(ctx: Ctx): Promise<ApiKey[]> {
      const rows = await db.tenant(ctx.tenantId, (tx) =>
        tx.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at DESC, id DESC'),
      );
      return rows.map(keyOf);
    },

    async revoke(ctx: Ctx, id: string): Promise<ApiKey> {
      return db.tenant(ctx.tenantId, async (tx) => {
        const [row] = await tx.query<KeyRow>(
          'UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING *',
          [id],
        );
        if (!row) throw notFound('api_key', id);
        appendAudit(tx, ctx, {
          action: 'api_key.revoked',
          entity: 'api_key',
          entityId: id,
          before: { prefix: row.prefix },
        });
        return keyOf(row);
      });
    },

    /** The business a key stands for, as its creator, with the key's scopes. */
    async authenticate(key: string): Promise<Session> {
      const m = KEY.exec(key);
      if (!m) throw invalid();
      // Found by its public prefix before its business is known: the one read made as the owner role.
      const [row] = await db.query<
        PrincipalRow & { key_id: string; secret_hash: string; scopes: string[]; live: boolean }
      >(
        `SELECT k.id AS key_id, k.secret_hash, k.scopes,
                k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AS live, ${PRINCIPAL_COLUMNS}
         FROM api_keys k JOIN users u ON u.id = k.created_by JOIN tenants t ON t.id = k.tenant_id
         WHERE k.prefix = $1 AND u.removed_at IS NULL`,
        [m[1]],
      );
      const stored = row ? Buffer.from(row.secret_hash, 'hex') : Buffer.alloc(32);
      const same = timingSafeEqual(stored, hashOf(key));
      if (!row || !same || !row.live) throw invalid();
      const now = Date.now();
      if ((written.get(row.key_id) ?? 0) < now - LAST_USED_EVERY_MS) {
        written.set(row.key_id, now);
        await db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [row.key_id]);
      }
      return { ...toPrincipal(row), sessionId: row.key_id, apiKey: { id: row.key_id, scopes: row.scopes } };
    },
  };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;

export const ApiKeyParams = z.strictObject({ id: idOf('key') });
