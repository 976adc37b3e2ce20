/**
 * Junk at every endpoint. Whatever a client throws at the API (malformed JSON, JSON of the wrong type,
 * unknown fields, fields of the wrong type, NUL / SQL / <script> / huge strings, bad ids, bad phones,
 * impossible dates, bad query strings, oversized bodies, wrong media types, bad encodings, bad
 * Idempotency-Keys) it answers with a 4xx envelope and a clear message, never a 5xx, and stores nothing.
 *
 * The routes come from the app's own OpenAPI document, and the junk is derived from each route's declared
 * parameters and body schema, so a new route is covered without touching this file. Every generated
 * request is invalid by construction; the base bodies it is built on are checked to pass validation first,
 * so a rejection is the junk's doing. fast-check prints the seed and the shrunk counterexample of a
 * failure; set JUNK_RUNS to run more cases per route and kind of junk.
 */
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { describeEachDb } from '../support/db.ts';

const RUNS = Number(process.env.JUNK_RUNS ?? 12);
const BODY_LIMIT = '100kb';
const BODY_LIMIT_BYTES = 100 * 1024;
/** A bridge's page of records (src/api/routes/bridge.ts). */
const BRIDGE_BODY_LIMIT_BYTES = 8 * 1024 * 1024;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

// ---------------------------------------------------------------------------------------------------------
// The OpenAPI document, as far as this test reads it.

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  $ref?: string;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: Schema;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
        security?: unknown[];
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
}

/** One route and method. */
interface Op {
  method: string;
  template: string;
  pathParams: Parameter[];
  query: Parameter[];
  body?: Schema | undefined;
  /** The body is a file (a bank statement), not JSON: any JSON sent to it is the wrong media type. */
  file: boolean;
  /** The media types its body may have. */
  accepts: string[];
  /** Open without a person's token (sign-in; a bridge, which carries its own). */
  open: boolean;
}

/** A route a bridge calls with its own token. */
const bridgeRoute = (op: Op) => op.open && op.template.startsWith('/api/v1/connectors/bridge/');

function deref(doc: OpenApiDoc, s: Schema): Schema {
  if (!s.$ref) return s;
  const name = s.$ref.replace('#/components/schemas/', '');
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
  return deref(doc, target);
}

function operationsOf(doc: OpenApiDoc): Op[] {
  const ops: Op[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!(METHODS as readonly string[]).includes(method.toUpperCase())) continue;
      const params = (op.parameters ?? []).map((p) => ({ ...p, schema: deref(doc, p.schema) }));
      const content = op.requestBody?.content ?? {};
      const body = content['application/json']?.schema;
      const schema = body ? deref(doc, body) : undefined;
      const properties = schema?.properties
        ? Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, deref(doc, v)]))
        : undefined;
      ops.push({
        method: method.toUpperCase(),
        template,
        pathParams: params.filter((p) => p.in === 'path'),
        query: params.filter((p) => p.in === 'query'),
        body: schema && { ...schema, ...(properties ? { properties } : {}) },
        file: Object.keys(content).length > 0 && !body,
        accepts: Object.keys(content),
        open: !op.security || op.security.length === 0,
      });
    }
  }
  return ops;
}

const typesOf = (s: Schema): string[] => {
  if (s.anyOf) return s.anyOf.flatMap(typesOf);
  if (s.enum) return [...new Set(s.enum.map((v) => (v === null ? 'null' : typeof v)))];
  if (Array.isArray(s.type)) return s.type;
  return s.type ? [s.type] : [];
};
const formatsOf = (s: Schema): string[] =>
  s.anyOf ? s.anyOf.flatMap(formatsOf) : s.format ? [s.format] : [];
const isDateish = (s: Schema) => formatsOf(s).some((f) => f === 'date' || f === 'date-time');
const isPhone = (name: string) => /phone/i.test(name);
const isText = (s: Schema) => typesOf(s).includes('string');

/** A value the schema accepts, from its example, enum or format. */
function sample(s: Schema, what: string): unknown {
  if (s.example !== undefined) return s.example;
  if (s.enum) return s.enum[0];
  if (s.anyOf?.[0]) return sample(s.anyOf[0], what);
  const type = typesOf(s).find((t) => t !== 'null');
  if (type === 'string') {
    if (s.format === 'date') return '2026-03-26';
    if (s.format === 'date-time') return '2026-03-26T17:00:00+05:30';
    if (s.pattern)
      throw new Error(`give ${what} an example in its schema so the junk test can build a valid value`);
    return 'x';
  }
  if (type === 'integer' || type === 'number') return s.minimum ?? 1;
  if (type === 'boolean') return true;
  if (type === 'array') return [];
  if (type === 'object') return requiredOf(s, what);
  throw new Error(`cannot build a value for ${what}`);
}

const requiredOf = (s: Schema, what: string) =>
  Object.fromEntries(
    (s.required ?? []).map((k) => [k, sample(s.properties?.[k] ?? {}, `${what}.${k}`)] as const),
  );

/**
 * A body the route's schema accepts: its required fields, or when none are required one field (a PATCH),
 * preferring one that is not a date (a sample date may be refused as past by a business rule).
 */
function validBody(op: Op): Record<string, unknown> | undefined {
  if (!op.body) return undefined;
  const what = `${op.method} ${op.template} body`;
  const body = requiredOf(op.body, what);
  const fields = Object.entries(op.body.properties ?? {});
  const one = fields.find(([, s]) => !isDateish(s)) ?? fields[0];
  if (Object.keys(body).length === 0 && one) body[one[0]] = sample(one[1], `${what}.${one[0]}`);
  return body;
}

// ---------------------------------------------------------------------------------------------------------
// Junk.

/** A long string that prints short in a counterexample and expands only when serialised. */
class Huge {
  constructor(
    readonly seed: string,
    readonly length: number,
  ) {}
  toString(): string {
    return this.seed.repeat(Math.ceil(this.length / this.seed.length)).slice(0, this.length);
  }
  toJSON(): string {
    return this.toString();
  }
  [fc.toStringMethod](): string {
    return `Huge(${JSON.stringify(this.seed)} × ${this.length})`;
  }
}

const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE tasks; --",
  '1; DELETE FROM audit_log',
  '" OR 1=1 --',
  "' UNION SELECT phone FROM users --",
  "'); INSERT INTO tasks (id) VALUES ('x'); --",
  "\\'; SELECT pg_sleep(10); --",
  '$1',
  'drop table tasks',
];
const SCRIPT = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '<svg/onload=alert(1)>',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  '${7*7}',
];
const TRAVERSAL = ['../', '../../etc/passwd', '..\\..\\windows\\win.ini', '/etc/passwd', '%2e%2e%2f'];

const nasty = fc.oneof(
  fc.constantFrom(...SQL, ...SCRIPT, ...TRAVERSAL),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
/** Postgres text cannot hold NUL, so any string with one is invalid everywhere. */
const withNul = fc.tuple(nasty, nasty).map(([a, b]) => `${a}\u0000${b}`);
const overlong = (max: number, room: number) =>
  fc
    .record({ seed: fc.constantFrom(...SQL, ...SCRIPT, 'a', ' x'), extra: fc.integer({ min: 1, max: room }) })
    .map(({ seed, extra }) => new Huge(seed, max + extra));

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const inRangeYear = fc.integer({ min: 1970, max: 2200 });
const anyMonth = fc.integer({ min: 1, max: 12 });
const safeDay = fc.integer({ min: 1, max: 28 });
/** Calendar dates that do not exist or lie outside 1970–2200 even after any UTC offset. */
const impossibleYmd = fc.oneof(
  fc.tuple(inRangeYear, fc.integer({ min: 13, max: 99 }), safeDay),
  fc.tuple(inRangeYear, fc.constant(0), safeDay),
  fc.tuple(inRangeYear, anyMonth, fc.constant(0)),
  fc.tuple(inRangeYear, anyMonth, fc.integer({ min: 32, max: 99 })),
  fc.tuple(inRangeYear, fc.constantFrom(4, 6, 9, 11), fc.constant(31)),
  fc.tuple(inRangeYear, fc.constant(2), fc.integer({ min: 30, max: 31 })),
  fc.tuple(
    inRangeYear.filter((y) => !isLeap(y)),
    fc.constant(2),
    fc.constant(29),
  ),
  fc.tuple(
    fc.oneof(fc.integer({ min: 0, max: 1968 }), fc.integer({ min: 2202, max: 9999 })),
    anyMonth,
    safeDay,
  ),
);
const IMPOSSIBLE_DATES = [
  '2026-02-30',
  '2026-02-29',
  '2100-02-29',
  '2026-04-31',
  '2026-13-01',
  '0000-01-01',
  '1969-12-31',
  '2201-01-01',
  '99999-01-01',
  '2026-1-1',
  '26-03-2026',
  '2026/03/26',
  '20260326',
  'today',
  '',
  ' ',
  '2026-13-01T00:00:00Z',
  '2026-02-30T10:00:00+05:30',
  '2026-03-26T24:00:01Z',
  '2026-03-26T10:60:00Z',
  '2026-03-26T10:00:60Z',
  '2026-03-26T10:00:00',
  '2026-03-26T10:00:00+25:00',
  '2026-03-26T10:00:00+05:60',
  '1969-12-31T23:59:59Z',
  '2201-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '99999-01-01T00:00:00Z',
  '2026-03-26TT10:00:00Z',
];
/** Invalid as a date and as a timestamp, so it is junk for either format and for a union of both. */
const badDate = fc.oneof(
  fc.constantFrom(...IMPOSSIBLE_DATES),
  impossibleYmd.map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`),
  fc
    .tuple(impossibleYmd, fc.constantFrom('T00:00:00Z', 'T10:30:00+05:30', 'T23:59:59.999-08:00'))
    .map(([[y, m, d], time]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}${time}`),
  nasty.filter((s) => !/^\d{4}-\d\d-\d\d/.test(s)),
  withNul,
);

/**
 * Not E.164 and no way of writing an Indian number either, however lenient: a character no phone number
 * has, too few digits (under 8) or too many (over 15), a leading +0, a doubled +, non-ASCII digits.
 */
const badPhone = fc.oneof(
  fc.constantFrom(
    '',
    '+',
    '+0',
    '++919845012345',
    '+0919845012345',
    '+91 98450',
    '12345678901234567',
    '0000000000',
    '+1234567890123456',
    '+919845012345678901',
    'phone',
    '+91-98450-ABCDE',
    '९८४५०१२३४५',
    '+९१९८४५०१२३४५',
    '+91 98450 12345 ext 12',
    'tel:+919845012345',
    '+919845012345\u0000',
    "+91' OR '1'='1",
    '<script>+919845012345</script>',
  ),
  fc.stringMatching(/^\+?\d{0,7}$/),
  fc.stringMatching(/^\+[1-9]\d{15,18}$/),
  fc.tuple(nasty, fc.constantFrom(...'abcxyzABC#*!?;<')).map(([s, c]) => `${s}${c}`),
);

const nearMissesOfEnum = (values: unknown[]) =>
  values.flatMap((v) => [
    `${String(v)} `,
    String(v).toUpperCase(),
    `-${String(v)}`,
    `${String(v)}--`,
    `${String(v)};`,
  ]);

/** `task_` and 22 base-32 characters, read back from an id's pattern `^task_[0-9a-z]{22}$`. */
function idShape(pattern: string): { prefix: string; length: number } | undefined {
  const m = /^\^([a-z]+)_\[0-9a-z\]\{(\d+)\}\$$/.exec(pattern);
  return m?.[1] && m[2] ? { prefix: m[1], length: Number(m[2]) } : undefined;
}
const nearMissesOfPattern = (pattern: string) => {
  const { prefix: p, length: n } = idShape(pattern) ?? { prefix: 'x', length: 22 };
  return [
    `${p}_`,
    `${p}_${'a'.repeat(n - 1)}`,
    `${p}_${'a'.repeat(n + 1)}`,
    `${p.toUpperCase()}_${'a'.repeat(n)}`,
    `${p}_${'A'.repeat(n)}`,
    `${p}-${'a'.repeat(n)}`,
    `${p}_${'a'.repeat(n - 1)}'`,
    `${p}_${'a'.repeat(n - 1)}\u0000`,
    `${p}_${'a'.repeat(n - 11)} OR 1=1--`,
  ];
};

/** A string the field must refuse, whatever kind of string it is. */
function invalidString(name: string, s: Schema, room: number): fc.Arbitrary<unknown> {
  if (isPhone(name)) return badPhone;
  if (isDateish(s)) return badDate;
  if (s.enum) {
    const members = s.enum;
    return fc
      .oneof(nasty, withNul, fc.constantFrom(...nearMissesOfEnum(members)))
      .filter((v) => !members.includes(v));
  }
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    return fc
      .oneof(nasty, withNul, fc.constantFrom(...nearMissesOfPattern(s.pattern)))
      .filter((v) => !re.test(v));
  }
  return s.maxLength === undefined ? withNul : fc.oneof(withNul, overlong(s.maxLength, room));
}

/** A JSON value of a type the field does not take (null only if it is not nullable), or out of its range. */
function wrongType(s: Schema): fc.Arbitrary<unknown> {
  const types = typesOf(s);
  const numbers = types.includes('number') || types.includes('integer');
  const options: fc.Arbitrary<unknown>[] = [];
  if (!types.includes('string')) options.push(nasty);
  if (!numbers) options.push(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  else {
    // The right type, the wrong value: a fraction for an integer, or a number out of range.
    if (!types.includes('number'))
      options.push(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)));
    if (s.minimum !== undefined) options.push(fc.integer({ max: s.minimum - 1 }));
    if (s.maximum !== undefined) options.push(fc.integer({ min: s.maximum + 1 }));
  }
  if (!types.includes('boolean')) options.push(fc.boolean());
  if (!types.includes('null')) options.push(fc.constant(null));
  if (!types.includes('array')) options.push(fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }));
  if (!types.includes('object'))
    options.push(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }));
  return fc.oneof(...options);
}

/** An integer query value that is not an integer in range. */
function badInteger(s: Schema): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [
    fc.constantFrom('', ' ', 'abc', 'NaN', 'Infinity', '-Infinity', '1.5', '1,5', '1 2', 'true', '[]', '{}'),
    fc.constantFrom('1;DROP TABLE tasks', "1' OR '1'='1", '1e400', '-0.5', '%00'),
    fc.stringMatching(/^[a-z]{1,10}$/),
    fc
      .double({ min: -1e6, max: 1e6, noNaN: true })
      .filter((d) => !Number.isInteger(d))
      .map(String),
  ];
  if (s.minimum !== undefined) options.push(fc.integer({ max: s.minimum - 1 }).map(String));
  if (s.maximum !== undefined) options.push(fc.integer({ min: s.maximum + 1 }).map(String));
  return fc.oneof(...options);
}

function badQueryValue(p: Parameter): fc.Arbitrary<unknown> {
  const types = typesOf(p.schema);
  if (types.includes('integer') || types.includes('number')) return badInteger(p.schema);
  return invalidString(p.name, p.schema, 1_000);
}

const unknownKey = (known: Set<string>) =>
  fc
    .oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        'hasOwnProperty',
        'tenant_id',
        'id',
        'created_by',
        'created_at',
        'source',
        'role',
        '$where',
        '$ne',
        'a.b',
        'x[y]',
        'page[]',
        'title ',
        'TITLE',
        ' ',
        "'; DROP TABLE tasks; --",
        '<script>',
      ),
      fc.string({ minLength: 1, maxLength: 30 }),
    )
    .filter((k) => !known.has(k));

const NOT_JSON = [
  "{'title':'x'}",
  '{title: "x"}',
  '{"title":"x",}',
  '[1,]',
  '{"a":NaN}',
  '{"a":undefined}',
  '{"a":0x10}',
  '{"a":01}',
  '/* hi */{}',
  '{"a":"\\x"}',
  '{"a":"line\nbreak"}',
  '{"a":1}}',
  '{}x',
  '{"a" 1}',
  '{{}}',
  '<xml/>',
  'title=x&notes=y',
  '\u0000{}',
  '{"a":"\u0000"',
  'true false',
  '{"__proto__":}',
];
/** Bytes that are not JSON at all: no parser setting could read them as a body. */
const notJson = fc.oneof(
  fc.constantFrom(...NOT_JSON),
  // Valid JSON with its last bracket cut off is always unbalanced.
  fc
    .oneof(
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
      fc.array(fc.jsonValue({ maxDepth: 2 })),
    )
    .map((v) => JSON.stringify(v).slice(0, -1)),
  fc
    .tuple(fc.constantFrom('a', 'x', '<', '#', '!', '=', ')', '}', ']', "'"), fc.string({ maxLength: 60 }))
    .map(([first, rest]) => first + rest),
);

/** Header-safe text (Node refuses control characters in header values). */
const headerText = (min: number, max: number) =>
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    minLength: min,
    maxLength: max,
  });
const visibleAscii = (min: number, max: number) =>
  fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    minLength: min,
    maxLength: max,
  });

/** The caller's X-Request-Id: absent, sane (then echoed) or junk (then replaced). */
const requestIdHeader = fc.option(
  fc.oneof(
    fc.stringMatching(/^[\w.:-]{1,128}$/),
    fc.constantFrom(
      '',
      '<script>alert(1)</script>',
      "'; DROP TABLE audit_log; --",
      'x'.repeat(129),
      'a b',
      'é',
    ),
    headerText(0, 200),
  ),
  { nil: undefined },
);

/** Percent-encodes the UTF-8 of a string (lone surrogates become U+FFFD, as any client would send them). */
const pct = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
const queryString = (pairs: [string, unknown][]) =>
  pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${pct(k)}=${pct(String(v))}`).join('&')}`;

// ---------------------------------------------------------------------------------------------------------
// Requests.

type Body =
  | { json: unknown }
  | { text: string }
  | { oversized: number; shape: 'object' | 'array' | 'garbage' | 'chunked' | 'gzip' };

interface Case {
  /** What is wrong with the request. */
  junk: string;
  method: string;
  /** The request target exactly as sent: already percent-encoded, never normalised. */
  path: string;
  body?: Body;
  /** Content-Type for a body; null sends none. application/json unless said. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** The one right status where there is one; otherwise any 4xx that is not about auth or rate limits. */
  status?: number;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function render(c: Case): { payload?: Buffer; chunked?: boolean; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...c.headers };
  if (!c.body) return { headers };
  if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
  if ('json' in c.body) return { payload: Buffer.from(JSON.stringify(c.body.json)), headers };
  if ('text' in c.body) return { payload: Buffer.from(c.body.text), headers };
  const { oversized: size, shape } = c.body;
  const object = Buffer.from(`{"x":"${'a'.repeat(size)}"}`);
  switch (shape) {
    case 'object':
      return { payload: object, headers };
    case 'array':
      return { payload: Buffer.from(`[${'1,'.repeat(size / 2)}1]`), headers };
    case 'garbage':
      return { payload: Buffer.from('junk '.repeat(size / 5 + 1)), headers };
    case 'chunked':
      return { payload: object, chunked: true, headers: { ...headers, 'transfer-encoding': 'chunked' } };
    case 'gzip':
      return { payload: gzipSync(object), headers: { ...headers, 'content-encoding': 'gzip' } };
  }
}

/** A raw HTTP request: fetch would normalise `..`, refuse bodies on GET and set its own headers. */
function send(baseUrl: string, token: string, c: Case, requestId: string | undefined): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  const { payload, chunked, headers } = render(c);
  headers.authorization = `Bearer ${token}`;
  if (requestId !== undefined) headers['x-request-id'] = requestId;
  if (payload && !chunked) headers['content-length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(
      { host: hostname, port, method: c.method, path: c.path, headers, agent: false },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('no answer within 15 s')));
    // The server may answer (413) and close before it has read all of an oversized body.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (payload && chunked) {
      for (let at = 0; at < payload.length; at += 16_384) req.write(payload.subarray(at, at + 16_384));
      req.end();
    } else {
      req.end(payload);
    }
  });
}

function expectErrorEnvelope(c: Case, res: Answer): void {
  const answer = `answered ${res.status}: ${res.text.slice(0, 400)}`;
  const where = `${c.method} ${c.path.slice(0, 200)} [${c.junk}] ${answer}`;
  if (c.status !== undefined) expect(res.status, where).toBe(c.status);
  expect(res.status >= 400 && res.status < 500, `not a 4xx: ${where}`).toBe(true);
  // A signed-in owner within its rate limit is never refused for who it is: such an answer would hide the
  // validation this test is about (and a 401 means a junk request ended the session).
  expect([401, 403, 429], `refused for the wrong reason: ${where}`).not.toContain(res.status);
  expect(res.headers['content-type'] ?? '', where).toMatch(/^application\/json/);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new Error(`not JSON: ${where}`);
  }
  expect(body, where).toEqual({
    success: false,
    data: null,
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
    meta: { request_id: expect.any(String), timestamp: expect.any(String) },
  });
  const envelope = body as {
    error: { code: string; message: string };
    meta: { request_id: string; timestamp: string };
  };
  expect(envelope.error.code, where).toMatch(/^[a-z][a-z0-9_]*$/);
  expect(envelope.error.message.trim().length, where).toBeGreaterThan(0);
  expect(Number.isNaN(Date.parse(envelope.meta.timestamp)), where).toBe(false);
  expect(envelope.meta.request_id.length, where).toBeGreaterThan(0);
  expect(res.headers['x-request-id'], where).toBe(envelope.meta.request_id);
}

/**
 * What a half-stored record would change: the row count of every table (tasks, follow_ups and audit_log
 * among them, and any table added later), the task and follow-up rows themselves, and the live sessions.
 */
function fingerprintQuery(tables: string[]): string {
  for (const must of ['tasks', 'follow_ups', 'audit_log', 'auth_sessions']) expect(tables).toContain(must);
  const counts = tables.map((t) => `(SELECT count(*) FROM "${t}")::int AS "${t}"`);
  return `SELECT ${counts.join(', ')},
    (SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM tasks t) AS task_rows,
    (SELECT coalesce(md5(string_agg(f::text, '|' ORDER BY f.id)), '') FROM follow_ups f) AS follow_up_rows,
    (SELECT coalesce(max(id), 0)::text FROM audit_log) AS last_audit,
    (SELECT count(*) FROM auth_sessions WHERE revoked_at IS NULL)::int AS live_sessions`;
}

// ---------------------------------------------------------------------------------------------------------
// The suite.

interface World {
  api: TestApi;
  /** The signed-in owner's token; replaced when a failing case ended its session. */
  token: string;
  /** The token of the owner's bridged Tally connection, for the bridge's routes. */
  bridgeToken: string;
  ops: Op[];
  /** The route's path with a real id of the signed-in business. */
  ownPath(op: Op): string;
  /** The route's path with a real id of another business. */
  foreignPath(op: Op): string;
  fingerprint(): Promise<unknown>;
}

type Category = (op: Op, w: World) => fc.Arbitrary<Case> | null;

const withBody = (body: Record<string, unknown> | undefined): Pick<Case, 'body'> =>
  body === undefined ? {} : { body: { json: body } };

const setField = (base: Record<string, unknown> | undefined, name: string, value: unknown) =>
  Object.fromEntries([...Object.entries(base ?? {}).filter(([k]) => k !== name), [name, value]]);

interface Target {
  in: 'body' | 'query';
  name: string;
  schema: Schema;
}

function targetsOf(op: Op): Target[] {
  return [
    ...Object.entries(op.body?.properties ?? {}).map(([name, schema]) => ({
      in: 'body' as const,
      name,
      schema,
    })),
    ...op.query.map((p) => ({ in: 'query' as const, name: p.name, schema: p.schema })),
  ];
}

/** Puts one invalid value into a body field or a query parameter of an otherwise valid request. */
function fieldJunk(
  junk: string,
  pick: (t: Target) => boolean,
  value: (t: Target) => fc.Arbitrary<unknown>,
): Category {
  return (op, w) => {
    const targets = targetsOf(op).filter(pick);
    if (targets.length === 0) return null;
    return fc.constantFrom(...targets).chain((t) =>
      value(t).map((v): Case => {
        if (t.in === 'query') {
          return {
            junk,
            method: op.method,
            path: `${w.ownPath(op)}${queryString([[t.name, v]])}`,
            ...withBody(validBody(op)),
          };
        }
        return {
          junk,
          method: op.method,
          path: w.ownPath(op),
          body: { json: setField(validBody(op), t.name, v) },
        };
      }),
    );
  };
}

const CATEGORIES: Record<string, Category> = {
  'malformed JSON': (op, w) =>
    notJson.map((text) => ({
      junk: 'malformed JSON',
      method: op.method,
      path: w.ownPath(op),
      body: { text },
      status: 400,
    })),

  'JSON of the wrong type': (op, w) =>
    fc
      .oneof(
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
        fc.constant([validBody(op) ?? {}]),
        fc.string({ maxLength: 20 }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constant(null),
        fc.boolean(),
      )
      .map((json) => ({
        junk: 'JSON of the wrong type',
        method: op.method,
        path: w.ownPath(op),
        body: { json },
        status: 400,
      })),

  'unknown fields': (op, w) => {
    const known = new Set(Object.keys(op.body?.properties ?? {}));
    return fc
      .uniqueArray(fc.tuple(unknownKey(known), fc.jsonValue({ maxDepth: 2 })), {
        minLength: 1,
        maxLength: 3,
        selector: ([k]) => k,
      })
      .map((extra) => ({
        junk: 'unknown fields',
        method: op.method,
        path: w.ownPath(op),
        body: { json: Object.fromEntries([...Object.entries(validBody(op) ?? {}), ...extra]) },
        status: 400,
      }));
  },

  'fields of the wrong type or range': fieldJunk(
    'field of the wrong type or range',
    (t) => t.in === 'body',
    (t) => wrongType(t.schema),
  ),

  'NUL, SQL, script and huge strings': fieldJunk(
    'bad string',
    (t) => isText(t.schema),
    (t) => invalidString(t.name, t.schema, t.in === 'body' ? 10_000 : 1_000),
  ),

  'bad phone numbers': fieldJunk(
    'bad phone',
    (t) => isPhone(t.name) && isText(t.schema),
    () => badPhone,
  ),

  'impossible dates': fieldJunk(
    'impossible date',
    (t) => isDateish(t.schema),
    () => badDate,
  ),

  'bad query strings': (op, w) => {
    const known = new Set(op.query.map((p) => p.name));
    const pairs: fc.Arbitrary<[string, unknown][]>[] = [
      // Unknown parameters, on every route (those without parameters included).
      fc.tuple(unknownKey(known), fc.string({ maxLength: 20 })).map((pair) => [pair]),
    ];
    if (op.query.length > 0) {
      pairs.push(
        fc
          .constantFrom(...op.query)
          .chain((p) => badQueryValue(p).map((v): [string, unknown][] => [[p.name, v]])),
        // A parameter given twice arrives as a list.
        fc.constantFrom(...op.query).map((p): [string, unknown][] => {
          const v = p.schema.pattern && p.schema.example === undefined ? 'x' : sample(p.schema, p.name);
          return [
            [p.name, v],
            [p.name, v],
          ];
        }),
      );
    }
    return fc.oneof(...pairs).map((q) => ({
      junk: 'bad query string',
      method: op.method,
      path: `${w.ownPath(op)}${queryString(q)}`,
      ...withBody(validBody(op)),
      status: 400,
    }));
  },

  'bad ids in the path': (op, w) => {
    if (op.pathParams.length === 0) return null;
    const body = withBody(validBody(op));
    const withId = (id: string) =>
      op.pathParams.reduce((path, p) => path.replace(`{${p.name}}`, id), op.template);
    const patterns = op.pathParams.map((p) => p.schema.pattern).filter((p): p is string => Boolean(p));
    // A parameter with an enum names a thing of the catalog (a connector), not a record of a business.
    const names = op.pathParams.flatMap((p) => p.schema.enum ?? []);
    const matchesAny = (s: string) => patterns.some((p) => new RegExp(p).test(s)) || names.includes(s);
    const nearMisses = [...patterns.flatMap(nearMissesOfPattern), ...nearMissesOfEnum(names)];
    const malformed = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '...',
        '..%2F..%2Fetc%2Fpasswd',
        '%2e%2e',
        '%2e%2e%2f%2e%2e%2f',
        '..%5C..%5C',
        '%00',
        'x%00',
        '%zz',
        '%',
        '%E0%A4%A',
        '%C0%AE%C0%AE',
        '%FF%FE',
        '%25',
        '%20',
        '+',
        'null',
        'undefined',
        '-1',
        '1e309',
        '%7B%22%24ne%22%3A1%7D',
        '*',
      ),
      ...(nearMisses.length > 0 ? [fc.constantFrom(...nearMisses).map(pct)] : []),
      nasty.filter((s) => s.length > 0 && !matchesAny(s)).map(pct),
      fc
        .record({
          seed: fc.constantFrom('a', '9', '%41', '%E2%82%AC', '..%2F', '%00'),
          n: fc.integer({ min: 100, max: 1_000 }),
        })
        .map(({ seed, n }) => seed.repeat(n)),
    );
    const cases: fc.Arbitrary<Case>[] = [
      malformed.map((id) => ({ junk: 'malformed id', method: op.method, path: withId(id), ...body })),
    ];
    if (names.length === 0) {
      cases.push(
        fc.constant({
          junk: "another business's id",
          method: op.method,
          path: w.foreignPath(op),
          ...body,
          status: 404,
        }),
      );
    }
    const shape = patterns.length === 1 && patterns[0] ? idShape(patterns[0]) : undefined;
    if (shape) {
      cases.push(
        fc.stringMatching(new RegExp(`^[0-9a-z]{${shape.length}}$`)).map((rest) => ({
          junk: 'well-formed id of nothing',
          method: op.method,
          path: withId(`${shape.prefix}_${rest}`),
          ...body,
          status: 404,
        })),
      );
    }
    return fc.oneof(...cases);
  },

  'oversized bodies': (op, w) =>
    fc
      .record({
        oversized: bridgeRoute(op)
          ? fc.integer({ min: BRIDGE_BODY_LIMIT_BYTES + 1, max: BRIDGE_BODY_LIMIT_BYTES + BODY_LIMIT_BYTES })
          : fc.integer({ min: BODY_LIMIT_BYTES + 1, max: 3 * BODY_LIMIT_BYTES }),
        shape: fc.constantFrom('object', 'array', 'garbage', 'chunked', 'gzip'),
      })
      .map((body) => ({ junk: 'oversized body', method: op.method, path: w.ownPath(op), body, status: 413 })),

  'wrong content types': (op, w) =>
    fc
      .record({
        contentType: fc.constantFrom(
          null,
          'text/plain',
          'text/plain; charset=utf-8',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          'text/html',
          'application/octet-stream',
          'image/png',
          'application/json; charset=latin1',
          'application/json; charset=iso-8859-1',
          'application/json; charset=us-ascii',
          'application/json; charset=windows-1252',
        ),
        text: fc.oneof(
          fc.constant(JSON.stringify(validBody(op) ?? {})),
          fc.constant('title=x&notes=y'),
          fc.string({ minLength: 1, maxLength: 50 }),
        ),
      })
      .map(({ contentType, text }) => ({
        junk: 'wrong content type',
        method: op.method,
        path: w.ownPath(op),
        body: { text },
        contentType,
        status: 415,
      })),

  'bad content encodings': (op, w) =>
    fc
      .record({
        encoding: fc.constantFrom('gzip', 'deflate', 'GZIP', 'compress', 'x-junk', 'zip', 'gzip, gzip'),
        // '!' can start neither a gzip nor a zlib stream.
        text: fc.string({ maxLength: 60 }).map((s) => `!${s}`),
      })
      .map(({ encoding, text }) => ({
        junk: 'body not in its content encoding',
        method: op.method,
        path: w.ownPath(op),
        body: { text },
        headers: { 'content-encoding': encoding },
      })),

  'bad Idempotency-Keys': (op, w) => {
    if (op.method !== 'POST') return null;
    return fc
      .oneof(
        fc.constant(''),
        fc.integer({ min: 256, max: 2_000 }).map((n) => 'k'.repeat(n)),
        // Inside the value: a parser trims spaces at either end.
        fc
          .tuple(
            visibleAscii(1, 20),
            fc.constantFrom(' ', '\t', 'é', '\u00ff', '\u0080'),
            visibleAscii(1, 20),
          )
          .map(([a, bad, b]) => `${a}${bad}${b}`),
      )
      .map((key) => ({
        junk: 'bad Idempotency-Key',
        method: op.method,
        path: w.ownPath(op),
        ...withBody(validBody(op)),
        headers: { 'idempotency-key': key },
        status: 400,
      }));
  },
};

describeEachDb('junk at every endpoint', (get) => {
  let world: World;

  beforeAll(async () => {
    const api = await startTestApi(get().db, {
      BODY_LIMIT,
      RATE_LIMIT_SELF_SERVICE: '1000000',
      RATE_LIMIT_ANONYMOUS: '1000000',
      // Fixtures save the schema's example webhook URL; no DNS lookup of it is wanted here.
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // Nothing may reach a real vendor: a connector's check goes to a closed local port.
      CONNECTOR_RAZORPAY_BASE_URL: 'http://127.0.0.1:9/',
    });
    const [token, foreignToken, scratchToken] = await Promise.all(
      [50, 51, 52].map((n) => api.signIn(testPhone(n))),
    );
    if (!token || !foreignToken || !scratchToken) throw new Error('sign-in failed');
    const doc = await api.request<OpenApiDoc>('GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    const ops = operationsOf(doc.body);
    expect(ops.length).toBeGreaterThan(0);

    // A real record behind every {id}, created through its collection route with that route's valid body.
    // A resource with no such route (made as a side effect elsewhere) gets a well-formed id of nothing.
    // Nested ids ({id}/deliveries/{delivery_id}) are resolved left to right, each under its parent's id.
    // A phone in a fixture is the business's own: a member's phone belongs to one business only.
    async function fixtures(
      bearer: string,
      phone: string,
    ): Promise<{ path: (op: Op) => string; bridgeToken: string }> {
      const ids = new Map<string, string>();
      // The bridge's routes take the token of a bridged connection, not a person's.
      const bridged = await api.request('POST', '/api/v1/connectors/tally/connect', {
        token: bearer,
        body: { config: { reach: 'bridge' }, credentials: {} },
      });
      const bridgeToken: string = bridged.body.data.bridge.token;
      const fill = (template: string) =>
        template.replace(/\{[^}]+\}/g, (_, offset: number) => {
          const id = ids.get(template.slice(0, offset - 1));
          if (!id) throw new Error(`no fixture for ${template}`);
          return id;
        });
      for (const op of ops) {
        for (const param of op.pathParams) {
          const collection = op.template.slice(0, op.template.indexOf(`/{${param.name}}`));
          if (ids.has(collection)) continue;
          const create = ops.find((o) => o.method === 'POST' && o.template === collection);
          if (create) {
            const res = await api.request('POST', fill(collection), {
              token: create.open ? bridgeToken : bearer,
              body: Object.fromEntries(
                Object.entries(validBody(create) ?? {}).map(([k, v]) => [k, isPhone(k) ? phone : v]),
              ),
            });
            if (res.status !== 201)
              throw new Error(`cannot create a fixture at ${collection}: ${JSON.stringify(res.body)}`);
            ids.set(collection, res.body.data.id ?? res.body.data.run_id);
          } else {
            const named = param.schema.enum?.[0];
            const shape = param.schema.pattern ? idShape(param.schema.pattern) : undefined;
            if (typeof named !== 'string' && !shape) {
              throw new Error(`teach the junk test to make an id for ${op.template}`);
            }
            ids.set(
              collection,
              typeof named === 'string' ? named : `${shape?.prefix}_${'0'.repeat(shape?.length ?? 0)}`,
            );
          }
        }
      }
      return { path: (op) => fill(op.template), bridgeToken };
    }
    const own = await fixtures(token, '+919845099950');
    const ownPath = own.path;
    const foreignPath = (await fixtures(foreignToken, '+919845099951')).path;

    // Every base body passes its route's validation (a business rule may still refuse it), so a validation
    // error on a case built from one is the junk's doing. Checked in a third business, before the snapshot.
    const scratch = await fixtures(scratchToken, '+919845099952');
    for (const op of ops) {
      const body = validBody(op);
      if (body === undefined) continue;
      const res = await api.request(op.method, scratch.path(op), {
        token: op.open && bridgeRoute(op) ? scratch.bridgeToken : scratchToken,
        body,
      });
      const where = `base body of ${op.method} ${op.template}: ${res.status} ${JSON.stringify(res.body)}`;
      expect(res.status, where).toBeLessThan(500);
      expect(res.body?.error?.code, where).not.toBe('validation_error');
    }

    const tables = await api.runtime.db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const fingerprint = fingerprintQuery(tables.map((t) => t.name));
    world = {
      api,
      token,
      bridgeToken: own.bridgeToken,
      ops,
      ownPath,
      foreignPath,
      fingerprint: async () => (await api.runtime.db.query(fingerprint))[0],
    };
  });

  afterAll(async () => {
    await world?.api.close();
  });

  for (const [name, category] of Object.entries(CATEGORIES)) {
    it(`answers ${name} with a 4xx envelope and stores nothing`, async () => {
      const { api, ops } = world;
      let before = await world.fingerprint();
      let covered = 0;
      for (const op of ops) {
        const junk = category(op, world);
        if (!junk) continue;
        const json = (c: Case) =>
          c.contentType === undefined || c.contentType?.startsWith('application/json');
        // JSON of any kind sent where a file belongs is refused for its type before it is read.
        const accepted = (c: Case) => op.accepts.includes((c.contentType ?? '').split(';')[0]?.trim() ?? '');
        // JSON of any kind sent where a file belongs is refused for its type before it is read; a body of a
        // type the file may have is read, and refused for what it holds (any 4xx).
        const asFile = (c: Case): Case =>
          c.body && json(c) ? { ...c, status: 415 } : accepted(c) ? { ...c, status: undefined } : c;
        const arbitrary = op.file ? junk.map(asFile) : junk;
        covered++;
        await fc.assert(
          fc.asyncProperty(arbitrary, requestIdHeader, async (c, requestId) => {
            const res = await send(api.url, bridgeRoute(op) ? world.bridgeToken : world.token, c, requestId);
            try {
              expectErrorEnvelope(c, res);
              const after = await world.fingerprint();
              expect(after, `${c.method} ${c.path.slice(0, 200)} [${c.junk}] stored something`).toEqual(
                before,
              );
            } catch (err) {
              // Keep runs independent (a junk request may have ended the session or changed a row), so that
              // fast-check shrinks this failure and not its after-effects.
              world.token = await api.signIn(testPhone(50));
              before = await world.fingerprint();
              throw err;
            }
          }),
          { numRuns: RUNS },
        );
      }
      expect(covered).toBeGreaterThan(0);
      // The junk did not end the session either.
      expect((await api.request('GET', '/api/v1/me', { token: world.token })).status).toBe(200);
    }, 120_000);
  }

  it('answers a method a path does not have with a 405 envelope naming the allowed ones', async () => {
    const { api, ops } = world;
    const before = await world.fingerprint();
    for (const template of new Set(ops.map((o) => o.template))) {
      const here = ops.filter((o) => o.template === template);
      const allowed = here.map((o) => o.method);
      const first = here[0];
      if (!first) continue;
      for (const method of METHODS.filter((m) => !allowed.includes(m))) {
        const c: Case = { junk: 'wrong method', method, path: world.ownPath(first), status: 405 };
        const res = await send(api.url, world.token, c, undefined);
        expectErrorEnvelope(c, res);
        expect(String(res.headers.allow).split(', ').sort()).toEqual([...allowed].sort());
      }
    }
    expect(await world.fingerprint()).toEqual(before);
  });
});
