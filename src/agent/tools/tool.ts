import type { z } from 'zod';
import type { Db } from '../../db/types.ts';
import type { Ctx } from '../../domain/context.ts';
import type { MemoryService } from '../../domain/memory/service.ts';

/**
 * What every tool of the Digital Employee is: a name, a description and an argument schema the model sees,
 * and a handler over the domain services. Who is acting (tenant, user, channel, time zone) comes from the
 * turn, never from the model's arguments, and row-level security holds every query to that tenant anyway.
 */

export interface TurnContext {
  ctx: Ctx;
  now: Date;
  /** The conversation the turn belongs to: where a remembered fact came from. */
  conversationId?: string | undefined;
}

/** The services tools run on; main.ts builds them once. */
export interface ToolDeps {
  db: Db;
  /** Long-term memory; its tools refuse politely when it is not set up. */
  memory?: MemoryService | undefined;
  /** A connector's name ("Zoho Books") from its id, for where an answer's numbers come from. */
  connectorName?: ((id: string) => string) | undefined;
}

/** A refusal the model can explain: not found, ambiguous (with the candidates), invalid arguments… */
export interface Failure {
  ok: false;
  error: string;
  message: string;
  candidates?: unknown[];
}

export type Success = { ok: true };

export const fail = (error: string, message: string, candidates?: unknown[]): Failure => ({
  ok: false,
  error,
  message,
  ...(candidates ? { candidates } : {}),
});

export interface Tool<
  N extends string = string,
  A extends z.ZodObject = z.ZodObject,
  R extends Success = Success,
> {
  name: N;
  description: string;
  args: A;
  run(args: z.infer<A>, turn: TurnContext, deps: ToolDeps): Promise<R | Failure>;
}

/** Declares a tool; the literal name and the result type are kept for the registry and the offline replies. */
export const defineTool = <const N extends string, A extends z.ZodObject, R extends Success>(
  tool: Tool<N, A, R>,
): Tool<N, A, R> => tool;

/** What a tool answers when it succeeds: the shape its replies are written from. */
export type SuccessOf<T> = T extends Tool<string, z.ZodObject, infer R> ? R : never;
