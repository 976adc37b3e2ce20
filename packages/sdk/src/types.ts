/**
 * Each operation's method signature and result, read from the generated types (`schema.ts`) and table
 * (`operations.ts`), so a change to the API changes the client's types with no hand edit.
 */
import type { operations as table } from './operations.ts';
import type { operations as schema, webhooks } from './schema.ts';

type Table = typeof table;
export type OperationId = keyof Table;
type Spec<K extends OperationId> = schema[K];

/** Per call: an abort signal, extra headers, and the Idempotency-Key of a POST (else a random one). */
export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  /** For a file upload (a bank statement): its type, when not the operation's first (`text/csv`). */
  contentType?: string;
}

/** A file's bytes or text, for an operation that takes a file as its body. */
export type FileBody = string | Uint8Array | ArrayBuffer | Blob;

type Defined<T> = Exclude<T, undefined>;
type Strings<T extends readonly unknown[]> = { -readonly [I in keyof T]: string };
type Path<K extends OperationId> = Strings<Table[K]['pathParams']>;
type Query<K extends OperationId> = Defined<Spec<K>['parameters']['query']>;
type JsonBody<K extends OperationId> =
  NonNullable<Spec<K>['requestBody']> extends { content: { 'application/json': infer B } } ? B : never;
type Body<K extends OperationId> = Table[K]['body'] extends 'application/json'
  ? JsonBody<K>
  : Table[K]['body'] extends string
    ? FileBody
    : never;

/** An argument that may be left out when none of its fields is required. */
type Input<T> = [T] extends [never] ? [] : Record<string, never> extends T ? [input?: T] : [input: T];

/** `(…path params in path order, body or query, options?)`: `updateTask(id, { title })`. */
export type Args<K extends OperationId> = [
  ...Path<K>,
  ...([Body<K>] extends [never] ? Input<Query<K>> : Input<Body<K>>),
  options?: RequestOptions,
];

type Success<K extends OperationId> = Spec<K>['responses'][Extract<
  keyof Spec<K>['responses'],
  200 | 201 | 202
>];

/** What a call resolves to: the envelope's `data`, or the bytes of an image. */
export type Result<K extends OperationId> = Table[K]['response'] extends 'binary'
  ? Uint8Array
  : Success<K> extends { content: { 'application/json': { data: infer D } } }
    ? D
    : unknown;

export type Methods = { [K in OperationId]: (...args: Args<K>) => Promise<Result<K>> };

/** The operations that page (`page`, `limit`), and the array in their `data` that does. */
export type ListId = {
  [K in OperationId]: Table[K]['list'] extends { items: string } ? K : never;
}[OperationId];
type ListKey<K extends ListId> = NonNullable<Table[K]['list']>['items'] & keyof Result<K>;
export type Item<K extends ListId> = Result<K>[ListKey<K>] extends readonly (infer T)[] ? T : never;

export type Paginators = { [K in ListId]: (...args: Args<K>) => AsyncIterable<Item<K>> };

/** Any event a webhook endpoint may receive, by its `type`. */
export type WebhookEvent = {
  [E in keyof webhooks]: NonNullable<webhooks[E]['post']['requestBody']>['content']['application/json'];
}[keyof webhooks];
