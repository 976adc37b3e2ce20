import { z } from 'zod';
import { ApiKeyParams, type ApiKeyService, CreateApiKeyBody, SCOPES } from '../../domain/auth/api-keys.ts';
import { defineRoute } from '../route.ts';

/** API keys for a business's own servers (owners; a key cannot manage keys). */

const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The key’s public start, shown with its last four characters' }),
    last4: z.string(),
    scopes: z
      .array(z.string())
      .meta({ description: `What the key may do: ${SCOPES.join(', ')}, area:* or *` }),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    last_used_at: z.string().nullable().meta({ description: 'To the minute' }),
    created_at: z.string(),
  })
  .meta({ id: 'ApiKey' });

const CreatedApiKey = ApiKey.extend({
  key: z
    .string()
    .meta({ description: 'The key itself: shown only in this answer. Send it as Authorization: Bearer' }),
}).meta({ id: 'CreatedApiKey' });

export const apiKeyRoutes = (keys: ApiKeyService) => [
  defineRoute({
    method: 'post',
    path: '/api-keys',
    operationId: 'createApiKey',
    summary: 'Create an API key (shown once) with the scopes it may use',
    tag: 'API keys',
    access: 'owner',
    body: CreateApiKeyBody,
    idempotency: 'separate',
    response: CreatedApiKey,
    // A replay does not show the key again.
    replayAs: ApiKey,
    status: 201,
    errors: { 400: 'expiry_in_past' },
    handler: async ({ ctx, body }) => ({ data: await keys.create(ctx, body), status: 201 }),
  }),
  defineRoute({
    method: 'get',
    path: '/api-keys',
    operationId: 'listApiKeys',
    summary: 'The business’s API keys, newest first (never the keys themselves)',
    tag: 'API keys',
    access: 'owner',
    response: z.object({ api_keys: z.array(ApiKey) }).meta({ id: 'ApiKeyList' }),
    handler: async ({ ctx }) => ({ data: { api_keys: await keys.list(ctx) } }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api-keys/{id}',
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key: it stops working at once, in every process',
    tag: 'API keys',
    access: 'owner',
    params: ApiKeyParams,
    response: ApiKey,
    errors: { 404: 'api_key_not_found' },
    handler: async ({ ctx, params }) => ({ data: await keys.revoke(ctx, params.id) }),
  }),
];
