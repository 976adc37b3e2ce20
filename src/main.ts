import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { Store } from 'express-rate-limit';
import { channelsFromConfig } from '../channels/from-config.ts';
import { createPipeline, type Pipeline } from '../channels/pipeline/pipeline.ts';
import { channelNotifier } from '../channels/router/notifier.ts';
import { channelOtpSender } from '../channels/router/otp-sender.ts';
import { httpSmsOtpSender } from '../channels/sms/http-sms-sender.ts';
import { chooseEmbedder } from './agent/embeddings.ts';
import { createLlmMemoryExtractor } from './agent/memory-extractor.ts';
import { type ChosenModel, chooseModel } from './agent/model.ts';
import { OfflineChatModel } from './agent/offline/model.ts';
import { createLlmPrioritizer } from './agent/prioritizer.ts';
import { loadPrompts, type Prompts } from './agent/prompts.ts';
import { createTurnRunner, type TurnRunner } from './agent/runner.ts';
import { createApp } from './api/app.ts';
import { answerClientErrors } from './api/client-errors.ts';
import { type Config, ConfigError, loadConfig, residencyOf } from './config.ts';
import { statementFromChat } from './connectors/bank-statement/chat.ts';
import { createBridge } from './connectors/bridge.ts';
import { connectorName } from './connectors/catalog.ts';
import { runtimeFromConfig } from './connectors/keys.ts';
import { createOAuthFlow } from './connectors/oauth.ts';
import type { ConnectorRuntime } from './connectors/runtime.ts';
import { createConnectorService } from './connectors/service.ts';
import { openDatabase } from './db/index.ts';
import type { Db } from './db/types.ts';
import { createApiKeyService } from './domain/auth/api-keys.ts';
import { createOtpService } from './domain/auth/otp.ts';
import { logOtpSender, OtpDeliveryError, type OtpSender } from './domain/auth/otp-sender.ts';
import { getOrCreateSecret } from './domain/auth/secrets.ts';
import { createTokenService, SESSIONS_CHANNEL } from './domain/auth/tokens.ts';
import type { Embedder } from './domain/memory/embedder.ts';
import { type MemoryExtractor, offlineExtractor } from './domain/memory/extractor-offline.ts';
import { ensureEmbedder } from './domain/memory/index-state.ts';
import { createMemoryService, type MemoryService } from './domain/memory/service.ts';
import { residentFetch } from './domain/net/residency.ts';
import { logNotifier, type Notifier } from './domain/notifier.ts';
import type { Prioritizer } from './domain/priorities.ts';
import { databaseKnowsZone } from './domain/profile.ts';
import { type Scheduler, startScheduler } from './jobs/scheduler.ts';
import { createWebhookRelay, type WebhookRelay } from './jobs/webhooks/relay.ts';
import { createLogger, type Logger } from './log.ts';

/** The composition root: builds every part from the settings and wires them. No behaviour of its own. */

export const VERSION = '0.1.0';

export interface Runtime {
  config: Config;
  db: Db;
  logger: Logger;
  app: ReturnType<typeof createApp>;
  runTurn: TurnRunner;
  modelName: string;
  memory: MemoryService;
  /** The chat channels' pipeline: `serve` starts it; close stops it. */
  pipeline: Pipeline;
  /** Reaches a user on their linked channel, else the log. */
  notifier: Notifier;
  /** Delivers committed events to webhook endpoints: `serve` starts it; close stops it. */
  webhookRelay: WebhookRelay;
  /** Ranks my-day priorities by the model when one is configured; absent, the transparent score does. */
  prioritize: Prioritizer | undefined;
  /** The connector platform: its syncs run in the scheduler's workers. */
  connectors: ConnectorRuntime;
  close(): Promise<void>;
}

function otpSenderFor(config: Config, logger: Logger): OtpSender {
  if (config.OTP_SMS_URL) {
    return httpSmsOtpSender({
      url: config.OTP_SMS_URL,
      template: config.OTP_SMS_TEMPLATE,
      authHeader: config.OTP_SMS_AUTH_HEADER,
    });
  }
  if (config.NODE_ENV === 'production') {
    logger.warn('No OTP delivery is configured (OTP_SMS_URL); sign-in codes cannot be sent');
    return {
      name: 'none',
      send: async () => {
        throw new OtpDeliveryError('no OTP delivery configured');
      },
    };
  }
  return logOtpSender((msg, fields) => logger.info(fields, msg));
}

async function redisRateLimitStore(
  url: string,
  logger: Logger,
): Promise<{ store: Store; close: () => Promise<void> }> {
  // Loaded only with REDIS_URL: a process without Redis does not pay for the client.
  const [{ createClient }, { RedisStore }] = await Promise.all([import('redis'), import('rate-limit-redis')]);
  let connected = false;
  const client = createClient({
    url,
    // A Redis that cannot be reached at start fails the start; one lost later is reconnected to.
    socket: { reconnectStrategy: (retries, cause) => (connected ? Math.min(retries * 100, 3000) : cause) },
  });
  client.on('error', (err) => {
    if (connected) logger.warn({ err }, 'redis connection error');
  });
  await client.connect();
  connected = true;
  const store = new RedisStore({
    prefix: 'axon:rl:',
    sendCommand: (...args: string[]) => client.sendCommand(args),
  });
  return { store, close: async () => void (await client.close()) };
}

/** What a start has opened so far, closed last first: when a later step fails, and on close. */
function openedSoFar() {
  const closers: (() => Promise<unknown>)[] = [];
  return {
    add(close: () => Promise<unknown>): void {
      closers.push(close);
    },
    /** Every closer runs, even after one fails; the first failure is thrown at the end. */
    async closeAll(): Promise<void> {
      let failure: { err: unknown } | undefined;
      for (const close of closers.splice(0).reverse()) {
        try {
          await close();
        } catch (err) {
          failure ??= { err };
        }
      }
      if (failure) throw failure.err;
    },
  };
}

export interface RuntimeOverrides {
  db?: Db;
  logger?: Logger;
  otpSender?: OtpSender;
  model?: ChosenModel;
  clock?: () => Date;
}

/** The configured embedder, checked against the one the database's memories were built with. */
async function readyEmbedder(config: Config, db: Db): Promise<Embedder> {
  const embedder = await chooseEmbedder({
    ...config,
    fetch: residentFetch(residencyOf(config), 'memories to the embeddings endpoint'),
  });
  // A different embedder is refused (EmbedderMismatchError) with a message to run `axon memory reembed`.
  await ensureEmbedder(db, embedder);
  return embedder;
}

/** With a real model, memories are extracted by it (rules as fallback); offline, by the rules alone. */
function memoryExtractorFor(
  chosen: ChosenModel,
  prompts: Prompts,
  config: Config,
  logger: Logger,
): MemoryExtractor {
  if (chosen.model instanceof OfflineChatModel) return offlineExtractor;
  return createLlmMemoryExtractor({
    model: chosen.model,
    prompts,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    onFallback: (err) => logger.warn({ err }, 'memory extraction by the model failed; used the rules'),
  });
}

export async function createRuntime(config: Config, opts: RuntimeOverrides = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const db = opts.db ?? (await openDatabase(config, logger));
  const opened = openedSoFar();
  if (!opts.db) opened.add(() => db.close());
  try {
    return await wire(config, opts, { db, logger, opened });
  } catch (err) {
    await opened
      .closeAll()
      .catch((closeErr) => logger.error({ err: closeErr }, 'a failed start left something open'));
    throw err;
  }
}

/** Builds everything above the open database; whatever it opens is added to `opened`. */
async function wire(
  config: Config,
  opts: RuntimeOverrides,
  { db, logger, opened }: { db: Db; logger: Logger; opened: ReturnType<typeof openedSoFar> },
): Promise<Runtime> {
  // Every sign-up stores this zone, and the database refuses one it does not know.
  if (!(await databaseKnowsZone(db, config.DEFAULT_TIMEZONE))) {
    throw new ConfigError(`DEFAULT_TIMEZONE: the database does not know the zone ${config.DEFAULT_TIMEZONE}`);
  }
  const embedder = await readyEmbedder(config, db);
  const jwtSecret = config.JWT_SECRET ?? (await getOrCreateSecret(db, 'jwt'));
  const tokens = createTokenService(db, jwtSecret, { sessionCacheMs: config.AUTH_SESSION_CACHE_MS });
  // Every process forgets the sessions it kept when the database says one ended or changed.
  if (config.AUTH_SESSION_CACHE_MS > 0) {
    const unlisten = await db.listen?.(SESSIONS_CHANNEL, () => tokens.forget());
    if (unlisten) opened.add(unlisten);
  }
  const chosen =
    opts.model ??
    (await chooseModel({
      ...config,
      fetch: residentFetch(residencyOf(config), 'conversations to the model'),
    }));
  const prompts = loadPrompts();
  const prioritize =
    chosen.model instanceof OfflineChatModel
      ? undefined
      : createLlmPrioritizer({ model: chosen.model, prompts, timeoutMs: config.OPENAI_TIMEOUT_MS });
  const memory = createMemoryService({
    db,
    embedder,
    settings: {
      dedupSimilarity: config.MEMORY_DEDUP_SIMILARITY,
      supersedeSimilarity: config.MEMORY_SUPERSEDE_SIMILARITY,
      minRelevance: config.MEMORY_MIN_RELEVANCE,
    },
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const runTurn = createTurnRunner({
    db,
    model: chosen.model,
    modelName: chosen.name,
    prompts,
    historyTurns: config.AGENT_HISTORY_TURNS,
    turnTimeoutMs: config.AGENT_TURN_TIMEOUT_MS,
    memory: {
      service: memory,
      extractor: memoryExtractorFor(chosen, prompts, config, logger),
      contextLimit: config.MEMORY_CONTEXT_LIMIT,
    },
    logger,
    connectorName,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const connectors = await runtimeFromConfig(config, db, logger, opts.clock);
  const connectorService = createConnectorService(connectors, {
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
  });
  const pipeline = createPipeline({
    db,
    runTurn,
    // A statement sent as a document is imported as the API would import it.
    documents: (principal, file, channel) =>
      statementFromChat(connectorService.importStatement, principal, file, channel),
    log: logger,
    settings: {
      debounceMs: config.CHANNEL_DEBOUNCE_MS,
      maxBatch: config.CHANNEL_BATCH_MAX,
      leaseMs: config.CHANNEL_LEASE_MS,
      allowSignup: config.ALLOW_SIGNUP,
      defaultTimezone: config.DEFAULT_TIMEZONE,
      groups: { whatsapp: config.WHATSAPP_GROUPS_ENABLED, telegram: config.TELEGRAM_GROUPS_ENABLED },
    },
  });
  opened.add(() => pipeline.stop());
  const channels = await channelsFromConfig(config, { db, logger, pipeline, notifier: () => notifier });
  const notifier = channelNotifier(
    db,
    pipeline,
    logNotifier((fields, msg) => logger.info(fields, msg)),
  );
  const otpSender =
    opts.otpSender ??
    channelOtpSender({
      db,
      pipeline,
      fallback: otpSenderFor(config, logger),
      whatsapp: () => channels.whatsapp?.otpSender(),
    });
  const otp = createOtpService(db, otpSender, {
    pepper: jwtSecret,
    allowSignup: config.ALLOW_SIGNUP,
    defaultTimezone: config.DEFAULT_TIMEZONE,
    testPhones: config.AUTH_TEST_PHONES,
  });
  const redis = config.REDIS_URL ? await redisRateLimitStore(config.REDIS_URL, logger) : undefined;
  if (redis) opened.add(redis.close);
  const webhookRelay = createWebhookRelay({
    db,
    logger,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    retrySchedule: config.WEBHOOK_RETRY_SCHEDULE,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
    userAgent: `AxonBOS-Webhooks/${VERSION}`,
  });
  opened.add(() => webhookRelay.stop());
  const app = createApp({
    db,
    otp,
    tokens,
    runTurn,
    memory,
    logger,
    limits: {
      self_service: config.RATE_LIMIT_SELF_SERVICE,
      managed: config.RATE_LIMIT_MANAGED,
      enterprise: config.RATE_LIMIT_ENTERPRISE,
      anonymous: config.RATE_LIMIT_ANONYMOUS,
    },
    rateLimitStore: redis?.store,
    bodyLimit: config.BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    version: VERSION,
    metricsToken: config.METRICS_TOKEN,
    webhookPolicy: { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE },
    prioritize,
    channelWebhooks: channels.webhooks,
    connectors: connectorService,
    bridge: createBridge(connectors),
    apiKeys: createApiKeyService(db, { live: config.NODE_ENV === 'production' }),
    residency: config.DATA_RESIDENCY,
    oauth: createOAuthFlow(connectors, connectorService, {
      publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
      clients: config.CONNECTOR_OVERRIDES.oauthClients,
    }),
  });
  return {
    config,
    db,
    logger,
    app,
    runTurn,
    modelName: chosen.name,
    memory,
    pipeline,
    notifier,
    webhookRelay,
    prioritize,
    connectors,
    close: () => opened.closeAll(),
  };
}

/**
 * Stops accepting connections and closes idle ones; resolves once in-flight requests have finished. The
 * runtime (database, channels, relay) stays open: its owner closes it.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
  });
}

export async function serve(
  config: Config,
): Promise<{ runtime: Runtime; server: Server; stop(): Promise<void> }> {
  const runtime = await createRuntime(config);
  const server = runtime.app.listen(config.PORT, config.HOST);
  answerClientErrors(server);
  let scheduler: Scheduler | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    // After listening: a Telegram webhook must be reachable before Telegram is told about it.
    await runtime.pipeline.start();
    await runtime.webhookRelay.start();
    // Reminders, briefings and compliance alerts run with the server and stop before the database closes.
    scheduler = config.SCHEDULER_ENABLED
      ? await startScheduler({
          db: runtime.db,
          notifier: runtime.notifier,
          logger: runtime.logger,
          prioritize: runtime.prioritize,
          connectors: runtime.connectors,
        })
      : undefined;
  } catch (err) {
    if (server.listening) await closeServer(server).catch(() => {});
    await runtime
      .close()
      .catch((closeErr) => runtime.logger.error({ err: closeErr }, 'a failed start left something open'));
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  runtime.logger.info(
    { port, database: runtime.db.kind, docs: `http://localhost:${port}/docs` },
    `AxonBOS is serving on http://localhost:${port}`,
  );
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= closeServer(server)
      .then(() => scheduler?.stop())
      .then(() => runtime.close());
    return stopping;
  };
  return { runtime, server, stop };
}

/** `npm start` / `axon serve`: serve until SIGTERM or SIGINT, then shut down gracefully. */
export async function runServer(): Promise<void> {
  const { runtime, stop } = await serve(loadConfig());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      runtime.logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      stop().then(
        () => process.exit(0),
        (err) => {
          runtime.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runServer().catch((err) => {
    const prefix = err instanceof ConfigError ? '' : 'AxonBOS could not start: ';
    process.stderr.write(`${prefix}${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  });
}
