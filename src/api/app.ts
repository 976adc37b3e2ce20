import express, { type Express, type RequestHandler } from 'express';
import type { Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { TurnRunner } from '../agent/runner.ts';
import type { Bridge } from '../connectors/bridge.ts';
import { CALLBACK_PATH, type OAuthFlow } from '../connectors/oauth.ts';
import type { ConnectorService } from '../connectors/service.ts';
import { joinable } from '../db/joinable.ts';
import type { Db } from '../db/types.ts';
import type { ApiKeyService } from '../domain/auth/api-keys.ts';
import type { OtpService } from '../domain/auth/otp.ts';
import type { TokenService } from '../domain/auth/tokens.ts';
import type { MemoryService } from '../domain/memory/service.ts';
import type { ResidencyMode } from '../domain/net/residency.ts';
import type { Prioritizer } from '../domain/priorities.ts';
import { docsRoutes } from './docs-page.ts';
import { sendData, sendError } from './envelope.ts';
import { errorHandler, notFoundHandler } from './errors.ts';
import { authenticate } from './middleware/authenticate.ts';
import { httpMetrics, metricsAccess } from './middleware/metrics.ts';
import { type RateLimits, tenantRateLimit } from './middleware/rate-limit.ts';
import { jsonOnly, noSniff, requestId } from './middleware/request-context.ts';
import { buildDocument, createRegistry } from './openapi.ts';
import { mountRoutes, refuseOtherMethods } from './route.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { bridgeBodies, bridgeRoutes } from './routes/bridge.ts';
import { businessRoutes } from './routes/business.ts';
import { chatRoutes } from './routes/chat.ts';
import { complianceRoutes } from './routes/compliance.ts';
import {
  connectorRoutes,
  connectorWebhookHandlers,
  oauthCallbackHandler,
  registerOAuthCallback,
  registerStatementImport,
  STATEMENT_IMPORT_PATH,
  statementImportHandlers,
} from './routes/connectors.ts';
import { followUpRoutes } from './routes/follow-ups.ts';
import { CHART_PATH, chartHandler, insightRoutes, registerChart } from './routes/insights.ts';
import { meRoutes } from './routes/me.ts';
import { memberRoutes } from './routes/members.ts';
import { memoryRoutes } from './routes/memory.ts';
import { myDayRoutes } from './routes/my-day.ts';
import { taskRoutes } from './routes/tasks.ts';
import { registerWebhookEvents, webhookRoutes } from './routes/webhooks.ts';

export interface AppDeps {
  db: Db;
  otp: OtpService;
  tokens: TokenService;
  runTurn: TurnRunner;
  memory: MemoryService;
  logger: Logger;
  limits: RateLimits;
  rateLimitStore?: Store | undefined;
  bodyLimit: string;
  trustProxy: string;
  version: string;
  /** METRICS_TOKEN: the bearer token /metrics asks for; without it only loopback clients may read it. */
  metricsToken?: string | undefined;
  /** Ranks my-day's priorities with the model when one is configured; the transparent score otherwise. */
  prioritize?: Prioritizer | undefined;
  /** WEBHOOK_ALLOW_PRIVATE: whether webhook URLs may point at private addresses; refused when absent. */
  webhookPolicy?: { allowPrivate: boolean };
  /** Chat channels' webhook routes (Telegram), outside /api/v1 and its envelope: vendors post here. */
  channelWebhooks?: { path: string; handlers: RequestHandler[] }[];
  connectors?: ConnectorService;
  /** DATA_RESIDENCY, reported by /me and /readyz. */
  residency?: ResidencyMode;
  /** API keys for integrations (absent: only session tokens authenticate). */
  apiKeys?: ApiKeyService;
  /** Where bridges on owners' PCs push what they read (Tally). */
  bridge?: Bridge;
  /** Connecting by a vendor's consent page (with `connectors`). */
  oauth?: OAuthFlow;
}

/** Express's `trust proxy` from a setting: true/false, a hop count, or addresses such as "loopback". */
function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting(deps.trustProxy));
  // The routes' services write through this db, so a POST's writes join its idempotency key's transaction.
  const db = joinable(deps.db);

  app.use(requestId);
  app.use(noSniff);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (_req, res) => String(res.locals?.requestId ?? ''),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  const metrics = httpMetrics();
  app.use(metrics.middleware);

  app.get('/healthz', (_req, res) => sendData(res, 200, { status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.db.query('SELECT 1');
      sendData(res, 200, {
        status: 'ready',
        database: deps.db.kind,
        data_residency: deps.residency ?? 'off',
      });
    } catch {
      sendError(res, 503, { code: 'not_ready', message: 'The database is not reachable.' });
    }
  });
  app.get('/metrics', metricsAccess(deps.metricsToken), metrics.handler);

  const registry = createRegistry();
  const api = express.Router();
  api.use(authenticate(deps.tokens, deps.apiKeys));
  api.use(tenantRateLimit(deps.limits, deps.rateLimitStore));
  if (deps.connectors) {
    // A file, not JSON: ahead of the JSON-only rule.
    api.post(STATEMENT_IMPORT_PATH, ...statementImportHandlers(deps.connectors));
    refuseOtherMethods(api, STATEMENT_IMPORT_PATH, ['POST']);
    registerStatementImport(registry);
  }
  api.use(jsonOnly);
  api.use(express.json({ limit: deps.bodyLimit }));
  mountRoutes(api, registry, deps.db, [
    ...authRoutes(deps.otp, deps.tokens),
    ...meRoutes(db, deps.tokens, deps.limits, deps.residency ?? 'off'),
    ...(deps.apiKeys ? apiKeyRoutes(deps.apiKeys) : []),
    ...memberRoutes(db, deps.tokens),
    ...myDayRoutes(db, deps.prioritize),
    ...complianceRoutes(db),
    ...taskRoutes(db),
    ...followUpRoutes(db),
    ...auditRoutes(db),
    ...chatRoutes(db, deps.runTurn),
    ...memoryRoutes(deps.memory),
    ...webhookRoutes(db, deps.webhookPolicy ?? { allowPrivate: false }),
    ...(deps.connectors ? connectorRoutes(deps.connectors, deps.oauth) : []),
    ...businessRoutes(db),
    ...insightRoutes(db, deps.runTurn),
  ]);
  // Routes that answer other than in the envelope, behind the same authentication and body rules.
  api.get(CHART_PATH, chartHandler(db));
  refuseOtherMethods(api, CHART_PATH, ['GET']);
  registerChart(registry);
  if (deps.oauth) {
    api.get(CALLBACK_PATH, oauthCallbackHandler(deps.oauth));
    refuseOtherMethods(api, CALLBACK_PATH, ['GET']);
    registerOAuthCallback(registry);
  }
  if (deps.bridge) {
    // Its own body rules and no person's token: ahead of the API router.
    const bridgeApi = express.Router();
    bridgeBodies(bridgeApi);
    mountRoutes(bridgeApi, registry, deps.db, bridgeRoutes(deps.bridge));
    app.use('/api/v1', bridgeApi);
  }
  registerWebhookEvents(registry);
  const document = buildDocument(registry, deps.version);
  // The OpenAPI document is served bare, as tools that read it expect, not inside the envelope.
  api.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  // The reference page (Swagger UI from the package's own bundle) reading the document above.
  app.use(docsRoutes('/api/v1/openapi.json'));
  if (deps.connectors) {
    app.post(
      '/api/v1/connectors/:id/webhook/:token',
      ...connectorWebhookHandlers(deps.connectors, deps.bodyLimit),
    );
  }
  app.use('/api/v1', api);
  for (const hook of deps.channelWebhooks ?? []) app.post(hook.path, ...hook.handlers);

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
