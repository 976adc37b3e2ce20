/**
 * `@axonbos/sdk`: a typed client for the AxonBOS API. The types and the operations table are generated
 * from the OpenAPI document (`npm run sdk:generate` at the repository root); the rest is written by hand.
 */
export { AxonClient, type ClientOptions } from './client.ts';
export { AxonError } from './errors.ts';
export type { components } from './schema.ts';
export type { Args, FileBody, Item, OperationId, RequestOptions, Result, WebhookEvent } from './types.ts';
export { type VerifyOptions, verifyWebhook, WebhookVerificationError } from './webhooks.ts';
