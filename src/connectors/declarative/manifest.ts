import { z } from 'zod';
import { OBJECT_NAMES } from '../../domain/business/objects.ts';
import { CATEGORIES } from '../types.ts';

/**
 * A connector for a plain HTTP/JSON API written as data: who it is, what the owner gives it, how to
 * authenticate, page and resume, and how each record maps onto a unified object. `engine.ts` turns one into
 * a Connector that runs on the same sync engine as coded connectors. Strings may hold `{{config.x}}` and
 * `{{credentials.x}}`.
 */

const template = z.string().min(1);
const path = z
  .string()
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'must be a dot path such as customer.id');

/** A setting the owner gives: becomes a zod field, served as JSON Schema. */
const Field = z.strictObject({
  type: z.enum(['string', 'number']),
  description: z.string().min(1),
  optional: z.boolean().default(false),
  /** A credential never returned by the API (writeOnly in its JSON Schema). */
  secret: z.boolean().default(false),
  pattern: z.string().optional(),
  pattern_message: z.string().optional(),
  min_length: z.number().int().min(0).optional(),
  max_length: z.number().int().min(1).default(500),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  lowercase: z.boolean().default(false),
});
export type Field = z.infer<typeof Field>;

const Condition = z.strictObject({
  path,
  present: z.boolean().optional(),
  equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
  in: z.array(z.union([z.string(), z.number()])).optional(),
});

const CONVERSIONS = ['text', 'number', 'integer', 'rupees', 'paise', 'date', 'instant', 'boolean'] as const;

/** Where a unified field's value comes from in the vendor's record. */
export type ValueSpec =
  | string
  | {
      path?: string;
      /** The first of these paths that holds a value. */
      first?: string[];
      /** These paths' values joined (a first and a last name). */
      join?: string[];
      separator?: string;
      const?: unknown;
      /** The first case whose condition holds gives the value. */
      cases?: { when: z.infer<typeof Condition>; value: unknown }[];
      /** Vendor value → unified value; a value not listed falls to `default`. */
      map?: Record<string, unknown>;
      as?: (typeof CONVERSIONS)[number];
      /** Where the value comes from when this spec finds none (a company name when a person has none). */
      otherwise?: ValueSpec;
      default?: unknown;
    };

export const ValueSpec: z.ZodType<ValueSpec> = z.union([
  path,
  z
    .strictObject({
      path: path.optional(),
      first: z.array(path).min(1).optional(),
      join: z.array(path).min(1).optional(),
      separator: z.string().optional(),
      const: z.unknown().optional(),
      cases: z.array(z.strictObject({ when: Condition, value: z.unknown() })).optional(),
      map: z.record(z.string(), z.unknown()).optional(),
      as: z.enum(CONVERSIONS).optional(),
      get otherwise() {
        return ValueSpec.optional();
      },
      default: z.unknown().optional(),
    })
    .refine(
      (v) => [v.path, v.first, v.join, v.const, v.cases].filter((x) => x !== undefined).length === 1,
      'must take its value from exactly one of path, first, join, const or cases',
    ),
]);

const Paging = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('offset'),
    limit_param: z.string(),
    offset_param: z.string(),
    size: z.number().int().min(1).max(1000),
  }),
  z.strictObject({
    kind: z.literal('page'),
    page_param: z.string(),
    size_param: z.string().optional(),
    size: z.number().int().min(1).max(1000),
    first_page: z.number().int().min(0).default(1),
  }),
  z.strictObject({ kind: z.literal('cursor'), param: z.string(), next: path }),
  /** RFC 8288 `Link: <…>; rel="next"`: the next page's whole URL, filters included. */
  z.strictObject({ kind: z.literal('link_header') }),
]);

/** Where a stream's records are in a response: an array at a path, or arrays of columns zipped into rows. */
const Records = z.union([path, z.strictObject({ columns: path })]);

const Stream = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  object: z.enum(OBJECT_NAMES as [string, ...string[]]),
  description: z.string().min(1),
  path: template,
  query: z.record(z.string(), template).default({}),
  records: Records,
  paging: Paging,
  /**
   * Only what changed since the last run: the vendor's filter parameter and the record field it follows.
   * Without a parameter the vendor's whole answer is read each run (a forecast), and the cursor still keeps
   * what `lookups` found.
   */
  incremental: z.strictObject({ param: z.string().optional(), field: path }).optional(),
  /** A full stream whose absent records were deleted at the source. */
  tracks_deletes: z.boolean().default(false),
  map: z.record(z.string(), ValueSpec).refine((m) => 'external_id' in m, 'must map external_id'),
});
export type StreamManifest = z.infer<typeof Stream>;

/**
 * Values fetched once per connection (a city's coordinates), kept with the stream's cursor; each fills the
 * config field of its name for the requests that follow.
 */
const Lookup = z.strictObject({
  /** Skipped when this config field is set already. */
  unless: z.string().optional(),
  /** A URL of `urls`, or the base URL. */
  url: z.string().default('base'),
  path: template,
  query: z.record(z.string(), template).default({}),
  /** config field → path in the answer. */
  pick: z.record(z.string(), path),
  /** Said to the owner when the answer lacks the first picked value. */
  not_found: z.string(),
});

export const DeclarativeManifest = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
    name: z.string().min(1),
    category: z.enum(CATEGORIES),
    description: z.string().min(1),
    setup: z.string().min(1),
    base_url: template,
    /** Further addresses of the same vendor; when the base URL is overridden they go to the override too. */
    urls: z.record(z.string(), z.url()).default({}),
    frequency_minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    rate_limit: z.strictObject({ per_second: z.number().positive(), burst: z.number().int().min(1) }),
    config: z.record(z.string(), Field).default({}),
    /** Config fields of which at least one group must be complete (a city, or both coordinates). */
    config_one_of: z.array(z.array(z.string()).min(1)).optional(),
    credentials: z.record(z.string(), Field).default({}),
    auth: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('none') }),
      z.strictObject({ kind: z.literal('header'), name: z.string(), value: template }),
      z.strictObject({ kind: z.literal('bearer'), token: template }),
      z.strictObject({ kind: z.literal('basic'), username: template, password: template }),
      z.strictObject({ kind: z.literal('query'), name: z.string(), value: template }),
    ]),
    check: z.strictObject({ path: template, query: z.record(z.string(), template).default({}) }),
    errors: z
      .strictObject({
        /** Statuses that mean the credentials were refused (401 always does). */
        disconnected: z.array(z.number().int().min(400).max(599)).default([]),
        /** Where the vendor's error text is in an error body. */
        text: z.array(path).default([]),
      })
      .default({ disconnected: [], text: [] }),
    lookups: z.array(Lookup).default([]),
    streams: z.array(Stream).min(1),
    webhook: z
      .strictObject({
        stream: z.string(),
        signature: z.strictObject({
          header: z.string(),
          algorithm: z.enum(['sha256']),
          encoding: z.enum(['base64', 'hex']),
          secret: template,
        }),
        event_id_header: z.string(),
      })
      .optional(),
  })
  .superRefine((m, ctx) => {
    const streams = new Set(m.streams.map((s) => s.name));
    if (m.webhook && !streams.has(m.webhook.stream)) {
      ctx.addIssue({ code: 'custom', path: ['webhook', 'stream'], message: `no stream ${m.webhook.stream}` });
    }
    for (const group of m.config_one_of ?? []) {
      for (const f of group) {
        if (!(f in m.config))
          ctx.addIssue({ code: 'custom', path: ['config_one_of'], message: `no config ${f}` });
      }
    }
  });
export type DeclarativeManifest = z.infer<typeof DeclarativeManifest>;
