import { z } from 'zod';
import type { RateLimit } from './connectors/http.ts';
import { type MasterKey, parseMasterKey } from './connectors/vault.ts';
import { MAX_INDEXED_DIMENSION } from './domain/memory/embedder.ts';
import { DEFAULT_MEMORY_SETTINGS } from './domain/memory/service.ts';
import { type ResidencyPolicy, residencyRefusal } from './domain/net/residency.ts';
import { isE164 } from './domain/phone.ts';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from './domain/webhooks/retry-schedule.ts';

/** Every setting AxonBOS reads, validated once at start. README's settings table mirrors this file. */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** `+919019922652:123456,+919000000001:654321` → Map(phone → code). */
const testPhones = z
  .string()
  .transform((raw, ctx) => {
    const phones = new Map<string, string>();
    for (const entry of raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [phone, code] = entry.split(':');
      if (!phone || !isE164(phone) || !code || !/^\d{6}$/.test(code)) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not phone:6-digit-code` });
        return z.NEVER;
      }
      phones.set(phone, code);
    }
    return phones;
  })
  .default(new Map());

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-IN', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Kolkata');

const masterKey = z.string().transform((raw, ctx): MasterKey => {
  try {
    return parseMasterKey(raw);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** A cosine similarity threshold, 0 to 1. */
const similarity = z.coerce.number().min(0).max(1);

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    // Where people's browsers reach this server (a vendor's consent page sends them back here). Unset:
    // http://localhost:<PORT>.
    PUBLIC_URL: z
      .string()
      .url()
      .regex(/^https?:\/\//, 'must be an http(s) URL')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().default('./data'),
    // Unset: src/db/pglite.ts's default.
    PGLITE_SHARED_BUFFERS: z
      .string()
      .regex(/^[1-9][0-9]*(kB|MB|GB)$/, 'must be a size such as 16MB (kB, MB or GB)')
      .optional(),
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z.string().url().optional(),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    ALLOW_SIGNUP: bool.default(true),
    AUTH_SESSION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
    AUTH_TEST_PHONES: testPhones,
    OTP_SMS_URL: z.string().url().optional(),
    OTP_SMS_TEMPLATE: z
      .string()
      .default('{"to":"{phone}","message":"Your AxonBOS code is {code}. It expires in 10 minutes."}'),
    OTP_SMS_AUTH_HEADER: z.string().optional(),
    RATE_LIMIT_SELF_SERVICE: z.coerce.number().int().min(1).default(60),
    RATE_LIMIT_MANAGED: z.coerce.number().int().min(1).default(300),
    RATE_LIMIT_ENTERPRISE: z.coerce.number().int().min(1).default(1000),
    RATE_LIMIT_ANONYMOUS: z.coerce.number().int().min(1).default(60),
    BODY_LIMIT: z.string().default('100kb'),
    TRUST_PROXY: z.string().default('loopback'),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    DEFAULT_TIMEZONE: timezone.default('Asia/Kolkata'),
    OPENAI_API_KEY: z.string().optional(),
    OPENAI_BASE_URL: z.string().url().optional(),
    OPENAI_MODEL: z.string().default('gpt-4o-mini'),
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
    AGENT_HISTORY_TURNS: z.coerce.number().int().min(0).max(50).default(10),
    AGENT_TURN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(90_000),
    CONSOLE_PHONE: z.string().refine(isE164, 'must be an E.164 phone number').default('+910000000000'),
    EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small'),
    // lexical: offline, no download, matches words not meaning; openai: any OpenAI-compatible /v1/embeddings.
    EMBEDDINGS_PROVIDER: z.enum(['lexical', 'openai']).default('lexical'),
    EMBEDDINGS_BASE_URL: z.string().url().optional(),
    EMBEDDINGS_API_KEY: z.string().optional(),
    EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(1).max(MAX_INDEXED_DIMENSION).optional(),
    MEMORY_DEDUP_SIMILARITY: similarity.default(DEFAULT_MEMORY_SETTINGS.dedupSimilarity),
    MEMORY_SUPERSEDE_SIMILARITY: similarity.default(DEFAULT_MEMORY_SETTINGS.supersedeSimilarity),
    MEMORY_MIN_RELEVANCE: similarity.default(DEFAULT_MEMORY_SETTINGS.minRelevance),
    MEMORY_CONTEXT_LIMIT: z.coerce.number().int().min(0).max(20).default(5),
    TELEGRAM_BOT_TOKEN: z.string().optional(),
    TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
    TELEGRAM_WEBHOOK_URL: z.string().url().optional(),
    TELEGRAM_GROUPS_ENABLED: bool.default(true),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1–256 of A-Z, a-z, 0-9, _ and -')
      .optional(),
    CHANNEL_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(1500),
    CHANNEL_BATCH_MAX: z.coerce.number().int().min(1).max(100).default(10),
    CHANNEL_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
    WHATSAPP_ENABLED: bool.default(false),
    WHATSAPP_SESSION: z
      .string()
      .regex(/^[a-z0-9_-]{1,64}$/, 'must be 1–64 of a-z, 0-9, _ and -')
      .default('default'),
    WHATSAPP_GROUPS_ENABLED: bool.default(false),
    WHATSAPP_SEND_GAP_MS: z.coerce.number().int().min(0).max(60_000).default(1500),
    WHATSAPP_WATCHDOG_SECONDS: z.coerce.number().int().min(30).max(3600).default(120),
    OPENAI_TRANSCRIBE_MODEL: z.string().optional(),
    WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    // Connectors may reach private and loopback addresses (a Tally PC or a calendar on the LAN).
    CONNECTOR_ALLOW_PRIVATE: bool.default(false),
    // The vault's master key, `<version>:<base64 of 32 bytes>`; unset outside production: one kept in the db.
    // Indian data residency: `in` sends business data only to endpoints served from India (see README).
    DATA_RESIDENCY: z.enum(['off', 'in']).default('off'),
    RESIDENCY_ALLOWED_HOSTS: z
      .string()
      .default('')
      .transform((raw) =>
        raw
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      ),
    CONNECTOR_MASTER_KEY: masterKey.optional(),
    // Earlier master keys, comma-separated, until `axon keys rotate` has re-wrapped what they wrapped.
    CONNECTOR_MASTER_KEYS_RETIRED: z
      .string()
      .transform((raw, ctx) => {
        const keys: MasterKey[] = [];
        for (const entry of raw
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean)) {
          try {
            keys.push(parseMasterKey(entry));
          } catch (err) {
            ctx.addIssue({ code: 'custom', message: (err as Error).message });
            return z.NEVER;
          }
        }
        return keys;
      })
      .default([]),
    SCHEDULER_ENABLED: bool.default(true),
    WEBHOOK_RETRY_SCHEDULE: z
      .string()
      .default(DEFAULT_RETRY_SCHEDULE)
      .transform((raw, ctx) => {
        const waits = parseRetrySchedule(raw);
        if (!waits) {
          ctx.addIssue({ code: 'custom', message: 'must be waits such as 5s,1m,5m,30m,2h (ms, s, m, h, d)' });
          return z.NEVER;
        }
        return waits;
      }),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
    WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(60_000),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && c.AUTH_TEST_PHONES.size > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_TEST_PHONES'],
        message: 'is refused when NODE_ENV=production',
      });
    }
    if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required with TELEGRAM_WEBHOOK_URL, so only Telegram can post updates',
      });
    }
    if (
      c.EMBEDDINGS_PROVIDER === 'openai' &&
      !c.EMBEDDINGS_API_KEY &&
      !c.OPENAI_API_KEY &&
      !c.EMBEDDINGS_BASE_URL
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['EMBEDDINGS_PROVIDER'],
        message:
          'openai needs EMBEDDINGS_API_KEY or OPENAI_API_KEY, or EMBEDDINGS_BASE_URL for a local server',
      });
    }
    // Every endpoint this configuration would send business data to, held to the residency policy at start.
    const policy = { mode: c.DATA_RESIDENCY, allowedHosts: c.RESIDENCY_ALLOWED_HOSTS };
    const openAi = c.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
    const endpoints: [string, string | undefined, string][] = [
      ['OPENAI_BASE_URL', c.OPENAI_API_KEY ? openAi : undefined, 'conversations to the model'],
      [
        c.EMBEDDINGS_BASE_URL ? 'EMBEDDINGS_BASE_URL' : 'OPENAI_BASE_URL',
        c.EMBEDDINGS_PROVIDER === 'openai' ? (c.EMBEDDINGS_BASE_URL ?? openAi) : undefined,
        'memories to the embeddings endpoint',
      ],
      ['OPENAI_BASE_URL', c.OPENAI_API_KEY && c.OPENAI_TRANSCRIBE_MODEL ? openAi : undefined, 'voice notes'],
    ];
    for (const [setting, url, what] of endpoints) {
      const refusal = url ? residencyRefusal(policy, url, what) : null;
      if (refusal) ctx.addIssue({ code: 'custom', path: [setting], message: refusal });
    }
    if (c.MEMORY_SUPERSEDE_SIMILARITY > c.MEMORY_DEDUP_SIMILARITY) {
      ctx.addIssue({
        code: 'custom',
        path: ['MEMORY_SUPERSEDE_SIMILARITY'],
        message: 'must not be above MEMORY_DEDUP_SIMILARITY',
      });
    }
    if (c.NODE_ENV === 'production' && !c.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required when NODE_ENV=production' });
    }
    if (c.NODE_ENV === 'production' && !c.CONNECTOR_MASTER_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['CONNECTOR_MASTER_KEY'],
        message: 'is required when NODE_ENV=production (1:$(openssl rand -base64 32))',
      });
    }
  });

/**
 * Per-connector settings named after the connector's id (`zoho-books` → `ZOHO_BOOKS`):
 * CONNECTOR_<ID>_BASE_URL, one address under which every path the vendor uses is served (sandboxes,
 * proxies, tests), CONNECTOR_<ID>_RATE, requests per second (`2` or `2/s`, optionally `,burst`), and
 * CONNECTOR_<ID>_CLIENT_ID with CONNECTOR_<ID>_CLIENT_SECRET, the OAuth app for the vendor's consent page.
 */
export interface ConnectorOverrides {
  baseUrls: Record<string, string>;
  rateLimits: Record<string, RateLimit>;
  /** CONNECTOR_<ID>_CLIENT_ID and _CLIENT_SECRET: this install's OAuth app at the vendor, for its consent page. */
  oauthClients: Record<string, { id: string; secret: string }>;
}

const OVERRIDE = /^CONNECTOR_([A-Z0-9]+(?:_[A-Z0-9]+)*)_(BASE_URL|RATE|CLIENT_ID|CLIENT_SECRET)$/;

function connectorOverrides(env: Record<string, string>, ctx: z.RefinementCtx): ConnectorOverrides {
  const found: ConnectorOverrides = { baseUrls: {}, rateLimits: {}, oauthClients: {} };
  const clients: Record<string, { id?: string; secret?: string }> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = OVERRIDE.exec(key);
    if (!match?.[1] || key.startsWith('CONNECTOR_MASTER_')) continue;
    const id = match[1].toLowerCase().replaceAll('_', '-');
    if (match[2] === 'CLIENT_ID' || match[2] === 'CLIENT_SECRET') {
      clients[id] = { ...clients[id], [match[2] === 'CLIENT_ID' ? 'id' : 'secret']: value };
      continue;
    }
    if (match[2] === 'BASE_URL') {
      if (!URL.canParse(value) || !/^https?:/.test(value)) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'must be an http(s) URL' });
      } else found.baseUrls[id] = value;
      continue;
    }
    const rate = /^(\d+(?:\.\d+)?)(?:\/s)?(?:,(\d+))?$/.exec(value.trim());
    const perSecond = Number(rate?.[1]);
    if (!rate || !(perSecond > 0)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'must be requests per second, e.g. 5 or 5/s or 5/s,10',
      });
    } else found.rateLimits[id] = { perSecond, burst: Number(rate[2] ?? Math.max(1, Math.ceil(perSecond))) };
  }
  for (const [id, client] of Object.entries(clients)) {
    const name = `CONNECTOR_${id.toUpperCase().replaceAll('-', '_')}`;
    if (client.id && client.secret) found.oauthClients[id] = { id: client.id, secret: client.secret };
    else
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `${name}_CLIENT_ID and _CLIENT_SECRET go together`,
      });
  }
  return found;
}

export type Config = z.infer<typeof configSchema> & { CONNECTOR_OVERRIDES: ConnectorOverrides };

/** The residency policy these settings ask for. */
export const residencyOf = (
  c: Pick<Config, 'DATA_RESIDENCY' | 'RESIDENCY_ALLOWED_HOSTS'>,
): ResidencyPolicy => ({
  mode: c.DATA_RESIDENCY,
  allowedHosts: c.RESIDENCY_ALLOWED_HOSTS,
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses settings from an environment; empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
  const parsed = configSchema.safeParse(present);
  const overrides = z.record(z.string(), z.string()).transform(connectorOverrides).safeParse(present);
  const issues = [...(parsed.error?.issues ?? []), ...(overrides.error?.issues ?? [])];
  if (parsed.success && overrides.success) {
    const policy = { mode: parsed.data.DATA_RESIDENCY, allowedHosts: parsed.data.RESIDENCY_ALLOWED_HOSTS };
    for (const [id, url] of Object.entries(overrides.data.baseUrls)) {
      const refusal = residencyRefusal(policy, url, `${id} data`);
      const key = `CONNECTOR_${id.toUpperCase().replaceAll('-', '_')}_BASE_URL`;
      if (refusal) issues.push({ code: 'custom', path: [key], message: refusal, input: url });
    }
  }
  if (!parsed.success || !overrides.success || issues.length > 0) {
    const lines = issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid settings:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, CONNECTOR_OVERRIDES: overrides.data };
}
