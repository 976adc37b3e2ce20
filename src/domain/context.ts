/** Who is acting, through what, on whose behalf: carried into every domain call and into the audit log. */
export type ActorType = 'user' | 'agent' | 'system';
export type Via = 'api' | 'whatsapp' | 'telegram' | 'console' | 'job';

export interface Ctx {
  tenantId: string;
  userId: string | null;
  actor: ActorType;
  via: Via;
  timezone: string;
  requestId?: string | undefined;
  /** The API key the request came with: the audit log names it. */
  apiKeyId?: string | undefined;
}
