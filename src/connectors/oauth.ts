import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Ctx } from '../domain/context.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { type ConnectorRuntime, contextFor } from './runtime.ts';
import { type Connection, type ConnectorService, ownerError, type SyncRun } from './service.ts';
import type { Connector, OAuthClient } from './types.ts';

/**
 * Connecting through the vendor's consent page (OAuth 2 authorization code), for any connector whose
 * manifest has `oauth`. The owner asks for the page; its `state` is random, kept only hashed, bound to the
 * business and the owner who asked, and good once for ten minutes. The vendor sends the browser back to
 * the callback with a code and that state: the state alone says whose connection it is (the callback
 * carries no token), the code is exchanged for credentials, and the connection is made as a pasted one
 * would be (checked, sealed, first sync started).
 */

const STATE_MINUTES = 10;
/** Under /api/v1: where a vendor's consent page sends the browser back. */
export const CALLBACK_PATH = '/connectors/oauth/callback';

export interface OAuthSettings {
  /** Where browsers reach this server: the callback is under it. */
  publicUrl: string;
  /** This install's OAuth app at each vendor, by connector id. */
  clients: Record<string, OAuthClient>;
}

export const AuthorizeBody = z
  .strictObject({ config: z.record(z.string(), z.unknown()).default({}) })
  .meta({ id: 'AuthorizeRequest' });

export const CallbackQuery = z.object({
  state: z.string().min(20).max(200).optional(),
  code: z.string().min(1).max(2000).optional(),
  error: z.string().max(200).optional(),
});

const hashOf = (state: string) => createHash('sha256').update(state).digest('base64url');

const invalidState = () =>
  new DomainError(
    'invalid',
    'oauth_state_invalid',
    'This connection link has expired or was already used. Start connecting again from AxonBOS.',
  );

export function createOAuthFlow(
  runtime: ConnectorRuntime,
  service: ConnectorService,
  settings: OAuthSettings,
) {
  const { db } = runtime;
  const redirectUri = `${settings.publicUrl.replace(/\/+$/, '')}/api/v1${CALLBACK_PATH}`;

  /** The connector and this install's app for it, or why it cannot be connected this way. */
  const consentable = (id: string): { connector: Connector; client: OAuthClient } => {
    const connector = runtime.connector(id);
    if (!connector) throw notFound('connector', id);
    if (!connector.oauth) {
      throw new DomainError(
        'invalid',
        'oauth_not_supported',
        `${connector.manifest.name} is connected by pasting its credentials: POST /api/v1/connectors/${id}/connect.`,
      );
    }
    const client = settings.clients[id];
    if (!client) {
      const env = `CONNECTOR_${id.toUpperCase().replaceAll('-', '_')}`;
      throw new DomainError(
        'unavailable',
        'oauth_not_configured',
        `Connecting ${connector.manifest.name} by its consent page needs ${env}_CLIENT_ID and ${env}_CLIENT_SECRET on this server; pasting credentials works without them.`,
      );
    }
    return { connector, client };
  };

  const contextOf = (connector: Connector, config: Record<string, unknown>) =>
    contextFor(runtime, connector, { config, credentials: {}, timezone: 'Asia/Kolkata' });

  return {
    redirectUri,

    /** The vendor's consent page for this business, with a state good once for ten minutes. */
    async authorize(ctx: Ctx, id: string, body: z.input<typeof AuthorizeBody>) {
      const { connector, client } = consentable(id);
      if (!ctx.userId)
        throw new DomainError('forbidden', 'forbidden', 'Only the business owner can connect.');
      const parsed = connector.manifest.config.safeParse(AuthorizeBody.parse(body).config);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new DomainError(
          'invalid',
          'connector_config_invalid',
          `config.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'not valid'}`,
        );
      }
      const config = parsed.data as Record<string, unknown>;
      const state = randomBytes(32).toString('base64url');
      const expiresAt = new Date(runtime.now().getTime() + STATE_MINUTES * 60_000);
      await db.tenant(ctx.tenantId, async (tx) => {
        // This business's spent and lapsed links go as it asks for a new one.
        await tx.query("DELETE FROM oauth_states WHERE expires_at < now() - interval '1 day'");
        await tx.query(
          `INSERT INTO oauth_states (state_hash, tenant_id, user_id, connector, config, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [hashOf(state), ctx.tenantId, ctx.userId, id, JSON.stringify(config), expiresAt],
        );
      });
      const oauth = connector.oauth as NonNullable<Connector['oauth']>;
      const url = new URL(oauth.consentUrl(contextOf(connector, config)));
      const params = {
        response_type: 'code',
        client_id: client.id,
        scope: oauth.scope,
        redirect_uri: redirectUri,
        state,
        ...oauth.consentParams,
      };
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      return { authorize_url: url.href, expires_at: expiresAt.toISOString() };
    },

    /** The vendor sent the browser back: the state names the business, the code is exchanged, and it connects. */
    async complete(
      query: z.infer<typeof CallbackQuery>,
    ): Promise<{ connection: Connection; run: SyncRun | null }> {
      const state = query.state;
      if (!state) throw invalidState();
      // Used once, whatever follows: a replayed or leaked link never connects anything.
      const [claimed] = await db.transaction((tx) =>
        tx.query<{ tenant_id: string; user_id: string; connector: string; config: Record<string, unknown> }>(
          `UPDATE oauth_states SET used_at = now()
           WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2
           RETURNING tenant_id, user_id, connector, config`,
          [hashOf(state), runtime.now()],
        ),
      );
      if (!claimed) throw invalidState();
      const { connector, client } = consentable(claimed.connector);
      if (query.error || !query.code) {
        throw new DomainError(
          'invalid',
          'oauth_consent_refused',
          `${connector.manifest.name} did not give access${query.error ? ` (${query.error})` : ''}. Try connecting again and accept.`,
        );
      }
      const [tenant] = await db.tenant(claimed.tenant_id, (tx) =>
        tx.query<{ timezone: string }>('SELECT timezone FROM tenants WHERE id = $1', [claimed.tenant_id]),
      );
      const ctx: Ctx = {
        tenantId: claimed.tenant_id,
        userId: claimed.user_id,
        actor: 'user',
        via: 'api',
        timezone: tenant?.timezone ?? 'Asia/Kolkata',
      };
      const oauth = connector.oauth as NonNullable<Connector['oauth']>;
      let credentials: Record<string, unknown>;
      try {
        credentials = await oauth.exchange(contextOf(connector, claimed.config), {
          code: query.code,
          redirectUri,
          client,
        });
      } catch (err) {
        throw ownerError(connector, err);
      }
      return service.connect(ctx, claimed.connector, { config: claimed.config, credentials });
    },
  };
}

export type OAuthFlow = ReturnType<typeof createOAuthFlow>;
