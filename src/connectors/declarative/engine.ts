import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ObjectName } from '../../domain/business/objects.ts';
import { ConnectorError, ConnectorSetupError } from '../errors.ts';
import type { AuthKind, Connector, ConnectorContext, Cursor, StreamPage, StreamSpec } from '../types.ts';
import type { DeclarativeManifest, Field, StreamManifest } from './manifest.ts';
import { at, fill, MappingError, mapRecord } from './mapping.ts';

/**
 * A declarative manifest as a Connector: the sync engine, vault, health and webhooks treat it like any
 * coded one. Paging, resuming and mapping are here once, for every manifest.
 */

function fieldSchema(f: Field): z.ZodType {
  if (f.type === 'number') {
    let n = z.coerce.number();
    if (f.minimum !== undefined) n = n.min(f.minimum);
    if (f.maximum !== undefined) n = n.max(f.maximum);
    const described = n.describe(f.description);
    return f.optional ? described.optional() : described;
  }
  let s = z.string().trim();
  if (f.lowercase) s = s.toLowerCase();
  if (f.min_length !== undefined) s = s.min(f.min_length);
  s = s.max(f.max_length);
  if (f.pattern) s = s.regex(new RegExp(f.pattern), f.pattern_message);
  const described = s.describe(f.description).meta(f.secret ? { writeOnly: true } : {});
  return f.optional ? described.optional() : described;
}

function objectOf(fields: Record<string, Field>, oneOf?: string[][]): z.ZodObject {
  const shape = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, fieldSchema(f)]));
  const object = z.object(shape);
  if (!oneOf) return object;
  const names = oneOf.map((g) => g.join(' and ')).join(', or ');
  // Still a ZodObject to the platform (its JSON Schema and keys); the rule runs on every parse.
  return object.superRefine((v, ctx) => {
    const given = (k: string) => v[k] !== undefined && v[k] !== '';
    if (!oneOf.some((g) => g.every(given))) ctx.addIssue({ code: 'custom', message: `give ${names}` });
  }) as unknown as z.ZodObject;
}

const AUTH_KINDS: Record<DeclarativeManifest['auth']['kind'], AuthKind> = {
  none: 'none',
  header: 'api_key',
  query: 'api_key',
  bearer: 'api_key',
  basic: 'basic',
};

type Values = { config: unknown; credentials: unknown };

function authHeaders(m: DeclarativeManifest, values: Values): Record<string, string> {
  const a = m.auth;
  const f = (t: string) => fill(t, values);
  if (a.kind === 'header') return { [a.name.toLowerCase()]: f(a.value) };
  if (a.kind === 'bearer') return { authorization: `Bearer ${f(a.token)}` };
  if (a.kind === 'basic') {
    return { authorization: `Basic ${Buffer.from(`${f(a.username)}:${f(a.password)}`).toString('base64')}` };
  }
  return {};
}

/** The query a request carries: the manifest's, filled, and the key where the vendor takes it there. */
function queryOf(m: DeclarativeManifest, query: Record<string, string>, values: Values) {
  const out = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, fill(v, values)]));
  if (m.auth.kind === 'query') out[m.auth.name] = fill(m.auth.value, values);
  return out;
}

/** `<https://…>; rel="next"` from an RFC 8288 Link header. */
export function nextLink(header: string | null): string | undefined {
  for (const part of header?.split(',') ?? []) {
    const m = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (m?.[1] && /\brel="?next"?/.test(m[2] ?? '')) return m[1];
  }
  return undefined;
}

function recordsIn(body: unknown, where: StreamManifest['records']): unknown[] | undefined {
  if (typeof where === 'string') {
    const items = at(body, where);
    return Array.isArray(items) ? items : undefined;
  }
  const columns = at(body, where.columns);
  if (columns === null || typeof columns !== 'object') return undefined;
  const entries = Object.entries(columns as Record<string, unknown>).filter(([, v]) => Array.isArray(v));
  const length = Math.max(0, ...entries.map(([, v]) => (v as unknown[]).length));
  return Array.from({ length }, (_, i) =>
    Object.fromEntries(entries.map(([k, v]) => [k, (v as unknown[])[i] ?? null])),
  );
}

const SavedCursor = z.object({
  state: z.record(z.string(), z.unknown()).optional(),
  /** The incremental filter of the run in progress, or of the next run once one completed. */
  since: z.string().optional(),
  /** The highest cursor field seen so far in the run in progress. */
  max: z.string().optional(),
  /** Where the run in progress goes on: a next-page URL, an offset, a page number or the vendor's token. */
  next: z.union([z.string(), z.number()]).optional(),
});

const later = (a: string | undefined, b: string | undefined) => {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const [ta, tb] = [Date.parse(a), Date.parse(b)];
  return (Number.isNaN(ta) || Number.isNaN(tb) ? a < b : ta < tb) ? b : a;
};

export function declarativeConnector(m: DeclarativeManifest): Connector {
  const config = objectOf(m.config, m.config_one_of);
  const credentials = objectOf(m.credentials);
  const streams: StreamSpec[] = m.streams.map((s) => ({
    name: s.name,
    object: s.object as ObjectName,
    mode: s.incremental ? 'incremental' : 'full',
    ...(s.incremental && { cursorField: s.incremental.field }),
    ...(s.tracks_deletes && { tracksDeletes: true }),
    description: s.description,
  }));
  const templated = m.base_url.includes('{{');

  /** Where a named URL goes: its own address, or the base URL's override when there is one (a fake). */
  const urlOf = (ctx: ConnectorContext, name: string): string => {
    if (name === 'base') return ctx.baseUrl;
    const own = m.urls[name];
    if (!own) throw new ConnectorSetupError(m.id, `${m.id}: no URL called ${name}`);
    const manifestBase = templated ? fill(m.base_url, { config: ctx.config }) : m.base_url;
    return ctx.baseUrl === manifestBase ? own : ctx.baseUrl;
  };

  async function lookups(ctx: ConnectorContext): Promise<Record<string, unknown>> {
    const state: Record<string, unknown> = {};
    for (const l of m.lookups) {
      if (l.unless && ctx.config[l.unless] !== undefined) continue;
      const values = { config: { ...ctx.config, ...state }, credentials: ctx.credentials };
      const url = new URL(fill(l.path, values).replace(/^\//, ''), withSlash(urlOf(ctx, l.url)));
      const res = await ctx.http.get<unknown>(url.toString(), {
        query: queryOf(m, l.query, values),
        signal: ctx.signal,
      });
      const picked = Object.entries(l.pick).map(([k, p]) => [k, at(res.body, p)] as const);
      if (picked[0]?.[1] === undefined || picked[0][1] === null) {
        throw new ConnectorSetupError(m.id, fill(l.not_found, values));
      }
      Object.assign(state, Object.fromEntries(picked));
    }
    return state;
  }

  async function* read(
    ctx: ConnectorContext,
    s: StreamManifest,
    saved: Cursor | null,
  ): AsyncIterable<StreamPage> {
    const parsed = SavedCursor.safeParse(saved ?? {});
    const cursor = parsed.success ? parsed.data : {};
    const state = cursor.state ?? (await lookups(ctx));
    const values = { config: { ...ctx.config, ...state }, credentials: ctx.credentials };
    const { paging } = s;
    let next = cursor.next;
    let max = cursor.max;
    for (;;) {
      const query = queryOf(m, s.query, values);
      if (s.incremental?.param && cursor.since) query[s.incremental.param] = cursor.since;
      if (paging.kind === 'offset') {
        query[paging.limit_param] = String(paging.size);
        query[paging.offset_param] = String(next ?? 0);
      } else if (paging.kind === 'page') {
        if (paging.size_param) query[paging.size_param] = String(paging.size);
        query[paging.page_param] = String(next ?? paging.first_page);
      } else if (paging.kind === 'cursor' && next !== undefined) query[paging.param] = String(next);
      const following = paging.kind === 'link_header' && typeof next === 'string';
      // A next-page link is followed only on the vendor's own address: never where an answer points elsewhere.
      if (following && new URL(next as string, ctx.baseUrl).origin !== new URL(ctx.baseUrl).origin) {
        throw new ConnectorError(m.id, `${m.name} gave a next page on another address; not followed`);
      }
      const res = await ctx.http.get<unknown>(following ? (next as string) : fill(s.path, values), {
        // A next-page link carries its own filters; the vendor refuses them twice.
        query: following ? queryOf(m, {}, values) : query,
        signal: ctx.signal,
      });
      const items = recordsIn(res.body, s.records);
      if (!items) {
        throw new ConnectorSetupError(m.id, `${m.name} answered ${fill(s.path, values)} without its records`);
      }
      if (s.incremental) {
        const field = s.incremental.field;
        for (const item of items) {
          const v = at(item, field);
          if (typeof v === 'string' || typeof v === 'number') max = later(max, String(v));
        }
      }
      next = nextPage(s, next, items.length, res.body, res.headers);
      const records = items.map((item) => mapRecord(item, s.map, ctx.timezone));
      yield {
        records,
        cursor:
          next === undefined
            ? { state, ...((max ?? cursor.since) && { since: max ?? cursor.since }) }
            : { state, ...(cursor.since && { since: cursor.since }), ...(max && { max }), next },
      };
      if (next === undefined) return;
    }
  }

  const connector: Connector = {
    manifest: {
      id: m.id,
      name: m.name,
      category: m.category,
      auth: AUTH_KINDS[m.auth.kind],
      description: m.description,
      config,
      credentials,
      streams,
      frequencyMinutes: m.frequency_minutes,
      baseUrl: m.base_url,
      rateLimit: { perSecond: m.rate_limit.per_second, burst: m.rate_limit.burst },
      setup: m.setup,
    },
    authHeaders: (c) => authHeaders(m, { config: {}, credentials: c }),
    ...(templated && { baseUrlFor: (c: Record<string, unknown>) => fill(m.base_url, { config: c }) }),
    errorText(body) {
      for (const p of m.errors.text) {
        const t = at(body, p);
        if (typeof t === 'string' && t) return t;
        if (t && typeof t === 'object') return JSON.stringify(t);
      }
      return undefined;
    },
    refused: (status) => m.errors.disconnected.includes(status),
    async check(ctx) {
      const values = { config: ctx.config, credentials: ctx.credentials };
      await ctx.http.get(fill(m.check.path, values), {
        query: queryOf(m, m.check.query, values),
        signal: ctx.signal,
      });
    },
    read(ctx, stream, cursor) {
      const s = m.streams.find((x) => x.name === stream);
      if (!s) throw new Error(`${m.id} has no stream ${stream}`);
      return read(ctx, s, cursor);
    },
  };
  if (m.webhook) connector.webhook = webhookOf(m, m.webhook);
  return connector;
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

function nextPage(
  s: StreamManifest,
  current: string | number | undefined,
  count: number,
  body: unknown,
  headers: Headers,
): string | number | undefined {
  const p = s.paging;
  switch (p.kind) {
    case 'none':
      return undefined;
    case 'offset':
      return count < p.size ? undefined : Number(current ?? 0) + count;
    case 'page':
      return count < p.size ? undefined : Number(current ?? p.first_page) + 1;
    case 'cursor': {
      const token = at(body, p.next);
      return count > 0 && (typeof token === 'string' || typeof token === 'number') && token !== ''
        ? token
        : undefined;
    }
    case 'link_header':
      return nextLink(headers.get('link'));
  }
}

function webhookOf(
  m: DeclarativeManifest,
  w: NonNullable<DeclarativeManifest['webhook']>,
): Connector['webhook'] {
  const stream = m.streams.find((s) => s.name === w.stream) as StreamManifest;
  const header = w.signature.header.toLowerCase();
  return {
    verify(rawBody, headers, credentials) {
      let secret: string;
      try {
        secret = fill(w.signature.secret, { config: {}, credentials });
      } catch (err) {
        if (err instanceof MappingError) return false;
        throw err;
      }
      const given = Buffer.from(headers[header] ?? '', 'utf8');
      const expected = Buffer.from(
        createHmac(w.signature.algorithm, secret).update(rawBody).digest(w.signature.encoding),
        'utf8',
      );
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
    eventId: (headers) => headers[w.event_id_header.toLowerCase()],
    // The vendor's zone is unknown here; the stream's dates carry their own offsets.
    records: (body) => [
      { object: stream.object as ObjectName, records: [mapRecord(body, stream.map, 'Asia/Kolkata')] },
    ],
  };
}
