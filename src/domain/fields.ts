import { z } from 'zod';
import { idPattern } from './ids.ts';
import { isE164, normalisePhone } from './phone.ts';

/** Field schemas shared by every payload, so a date or a phone is checked the same way everywhere. */

// Postgres rejects NUL in text; refusing it here turns a would-be 500 into a clear 400.
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const requiredText = (max: number) =>
  text(max)
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, 'must not be empty');

const inRange = (year: number) => year >= 1970 && year <= 2200;

export const isoDate = z.iso
  .date()
  .refine((s) => inRange(Number(s.slice(0, 4))), 'must be between 1970 and 2200')
  .meta({ description: 'A calendar date, YYYY-MM-DD', example: '2026-03-26' });

export const isoDateTime = z.iso
  .datetime({ offset: true })
  .refine((s) => {
    const d = new Date(s);
    return !Number.isNaN(d.getTime()) && inRange(d.getUTCFullYear());
  }, 'must be a real time between 1970 and 2200')
  .meta({ description: 'An ISO 8601 timestamp with offset', example: '2026-03-26T17:00:00+05:30' });

export const e164Phone = z
  .string()
  .max(20)
  .refine(isE164, 'must be an E.164 phone number such as +919019922652')
  .meta({ example: '+919019922652' });

/** Accepts E.164 or the usual Indian ways of writing a number, and stores E.164. */
export const contactPhone = z
  .string()
  .max(30)
  .transform((s, ctx) => {
    const phone = normalisePhone(s);
    if (!phone) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a phone number such as +919845012345 or 98450 12345',
      });
      return z.NEVER;
    }
    return phone;
  })
  .meta({ example: '+919845012345' });

export const idOf = (prefix: string) => z.string().regex(idPattern(prefix), `must be a ${prefix}_… id`);

export const Source = z.enum(['api', 'chat', 'whatsapp', 'telegram', 'console']);
export type Source = z.infer<typeof Source>;

export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
