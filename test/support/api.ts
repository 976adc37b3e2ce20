import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { answerClientErrors } from '../../src/api/client-errors.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/types.ts';
import type { OtpSender } from '../../src/domain/auth/otp-sender.ts';
import { closeServer, createRuntime, type Runtime, type RuntimeOverrides } from '../../src/main.ts';

export const TEST_CODE = '123456';
/** Fictional numbers with a fixed code, for tests that need many signed-in businesses. */
export const testPhone = (n: number) => `+91900000${String(n).padStart(4, '0')}`;
const TEST_PHONES = Array.from({ length: 100 }, (_, i) => `${testPhone(i)}:${TEST_CODE}`).join(',');

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** The API's envelope around every /api/v1 answer. */
export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

export interface Envelope<T> {
  success: boolean;
  data: T;
  error: ApiError | null;
  meta: { request_id: string; timestamp: string; page?: number; total?: number; limit?: number };
}

export type Res<T> = ApiResponse<Envelope<T>>;

export interface AuditEntry {
  id: string;
  actor_type: string;
  actor_id: string | null;
  via: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string | null;
  created_at: string;
}

/** An error answer: this status and code in the envelope, no data, and a message for people. */
export function expectError(res: { status: number; body: any }, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.success).toBe(false);
  expect(res.body.data).toBeNull();
  expect(res.body.error?.code).toBe(code);
  expect(res.body.error?.message.length).toBeGreaterThan(0);
}

export interface RequestOptions {
  body?: unknown;
  /** The body as it is: text, or a file's bytes. */
  raw?: string | Uint8Array;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestApi {
  url: string;
  runtime: Runtime;
  /** Codes the OTP sender would have delivered, by phone. */
  sentCodes: Map<string, string>;
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
  signIn(phone: string): Promise<string>;
  close(): Promise<void>;
}

/** The real app on a real HTTP port, over the given database, with a capturing OTP sender. */
export async function startTestApi(
  db: Db,
  env: Record<string, string> = {},
  overrides: Omit<RuntimeOverrides, 'db' | 'otpSender'> = {},
): Promise<TestApi> {
  const sentCodes = new Map<string, string>();
  const sender: OtpSender = {
    name: 'capture',
    async send(phone, code) {
      sentCodes.set(phone, code);
    },
  };
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_TEST_PHONES: TEST_PHONES, ...env });
  const runtime = await createRuntime(config, { ...overrides, db, otpSender: sender });
  const server = runtime.app.listen(0, '127.0.0.1');
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function request<T>(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Uint8Array | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}${path}`, { method, headers, body: body as BodyInit | undefined });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  async function signIn(phone: string): Promise<string> {
    const res = await request<any>('POST', '/api/v1/auth/otp/verify', { body: { phone, otp: TEST_CODE } });
    if (res.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(res.body)}`);
    return res.body.data.access_token;
  }

  return {
    url,
    runtime,
    sentCodes,
    request,
    signIn,
    async close() {
      await closeServer(server);
      await runtime.close();
    },
  };
}

/** A call to /api/v1 as the holder of this token, answered in the envelope. */
export type ApiCall = <T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Res<T>>;

export function callAs(api: TestApi, token: string): ApiCall {
  return (method, path, body, headers) =>
    api.request(method, `/api/v1${path}`, {
      token,
      ...(body === undefined ? {} : { body }),
      ...(headers ? { headers } : {}),
    });
}

/** Someone signed in over real HTTP: who they are, and a small client acting as them. */
export interface SignedIn {
  token: string;
  userId: string;
  tenantId: string;
  call: ApiCall;
  /** The audit log of one record, as an owner reads it. */
  audit(entityId: string): Promise<AuditEntry[]>;
}

/** Signs in test phone n: its own business the first time, unless an owner added that phone as a member. */
export async function signedIn(api: TestApi, n: number): Promise<SignedIn> {
  const token = await api.signIn(testPhone(n));
  const call = callAs(api, token);
  const me = await call<{ user_id: string; tenant_id: string }>('GET', '/me');
  expect(me.status, JSON.stringify(me.body)).toBe(200);
  return {
    token,
    userId: me.body.data.user_id,
    tenantId: me.body.data.tenant_id,
    call,
    async audit(entityId) {
      const res = await call<{ entries: AuditEntry[] }>(
        'GET',
        `/audit?entity_id=${encodeURIComponent(entityId)}&limit=100`,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data.entries;
    },
  };
}
