import type { Response } from 'express';
import { z } from 'zod';

/** The one response shape of the whole API: `{ success, data, error, meta }`, errors included. */

export interface PageMeta {
  page: number;
  total: number;
  limit: number;
}

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

export const requestIdOf = (res: Response): string => res.locals.requestId ?? '';

function meta(res: Response, page?: PageMeta) {
  return { request_id: requestIdOf(res), timestamp: new Date().toISOString(), ...page };
}

export interface DataEnvelope<T = unknown> {
  success: true;
  data: T;
  error: null;
  meta: ReturnType<typeof meta>;
}

export const dataEnvelope = <T>(res: Response, data: T, page?: PageMeta): DataEnvelope<T> => ({
  success: true,
  data,
  error: null,
  meta: meta(res, page),
});

export function sendData(res: Response, status: number, data: unknown, page?: PageMeta): void {
  res.status(status).json(dataEnvelope(res, data, page));
}

export function sendError(res: Response, status: number, error: ApiErrorBody): void {
  res.status(status).json({ success: false, data: null, error, meta: meta(res) });
}

const Meta = z.object({
  request_id: z.string(),
  timestamp: z.string(),
  page: z.number().int().optional(),
  total: z.number().int().optional(),
  limit: z.number().int().optional(),
});

export const ErrorEnvelope = z
  .object({
    success: z.literal(false),
    data: z.null(),
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
    meta: Meta,
  })
  .meta({ id: 'ErrorEnvelope' });

/** The OpenAPI schema of a success envelope around `data`. */
export const envelopeOf = (data: z.ZodType) =>
  z.object({ success: z.literal(true), data, error: z.null(), meta: Meta });
