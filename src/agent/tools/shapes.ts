import { z } from 'zod';
import type { Ctx } from '../../domain/context.ts';
import type { Source } from '../../domain/fields.ts';

/** Tool arguments shared by several tools: what the model sees for a date, a time or a named record. */

export const dateArg = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('A calendar date, YYYY-MM-DD');

export const dateTimeArg = z
  .string()
  .describe("An ISO 8601 time with the user's offset, e.g. 2026-03-26T17:00:00+05:30");

/** At most this many records in a list the model reads. */
export const LIST_LIMIT = 10;

const SOURCE: Record<Ctx['via'], Source> = {
  api: 'chat',
  whatsapp: 'whatsapp',
  telegram: 'telegram',
  console: 'console',
  job: 'chat',
};

/** Where a record made in a turn came from, for its `source`. */
export const sourceOf = (ctx: Ctx): Source => SOURCE[ctx.via];
