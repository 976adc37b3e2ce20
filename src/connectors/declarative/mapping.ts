import { localDate } from '../../domain/time.ts';
import { instantAt } from '../../domain/wall-clock.ts';
import { toPaise } from '../money.ts';
import type { ValueSpec } from './manifest.ts';

/** A dot path's value in a vendor record (`customer.id`, `results.0.latitude`). */
export function at(record: unknown, path: string): unknown {
  let value: unknown = record;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** An ISO instant with its offset; a local date-time without one is read in the business's zone. */
function instant(value: unknown, timeZone: string): string | undefined {
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(' ', 'T');
  const local = LOCAL_TIME.exec(value.trim());
  if (local) {
    const at = instantAt(local[1] as string, Number(local[2]), Number(local[3]), timeZone);
    return new Date(at.getTime() + Number(local[4] ?? 0) * 1000).toISOString();
  }
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

/** A calendar date; an instant becomes its date in the business's zone. */
function date(value: unknown, timeZone: string): string | undefined {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return value.trim();
  const at = instant(value, timeZone);
  if (!at) return undefined;
  return localDate(new Date(at), timeZone);
}

type Conversion = Exclude<ValueSpec, string>['as'];

/** The vendor's value in the unified field's type; undefined when it cannot be read as one. */
function convert(value: unknown, as: Conversion, timeZone: string): unknown {
  if (!present(value)) return null;
  switch (as) {
    case undefined:
      return value;
    case 'text':
      return String(value);
    case 'number': {
      const n = Number(value);
      return Number.isFinite(n) ? n : undefined;
    }
    case 'integer': {
      const n = Number(value);
      return Number.isFinite(n) ? Math.round(n) : undefined;
    }
    case 'rupees':
      return typeof value === 'number' || typeof value === 'string'
        ? (toPaise(value) ?? undefined)
        : undefined;
    case 'paise':
      return Number.isInteger(Number(value)) ? Number(value) : undefined;
    case 'date':
      return date(value, timeZone);
    case 'instant':
      return instant(value, timeZone);
    case 'boolean':
      return value === true || value === 'true' || value === 1;
  }
}

function holds(record: unknown, when: { path: string; present?: boolean; equals?: unknown; in?: unknown[] }) {
  const v = at(record, when.path);
  if (when.present !== undefined && present(v) !== when.present) return false;
  if (when.equals !== undefined && v !== when.equals) return false;
  if (when.in !== undefined && !when.in.includes(v as string | number)) return false;
  return true;
}

export class MappingError extends Error {}

/** One unified field's value from a vendor record. */
export function fieldValue(record: unknown, spec: ValueSpec, field: string, timeZone: string): unknown {
  if (typeof spec === 'string') return at(record, spec) ?? null;
  let value: unknown;
  if (spec.path !== undefined) value = at(record, spec.path);
  else if (spec.first) value = spec.first.map((p) => at(record, p)).find(present);
  else if (spec.join) {
    const parts = spec.join.map((p) => at(record, p)).filter(present);
    value = parts.length ? parts.join(spec.separator ?? ' ') : undefined;
  } else if (spec.cases) value = spec.cases.find((c) => holds(record, c.when))?.value;
  else value = spec.const;
  if (spec.map && present(value)) value = spec.map[String(value)];
  if (!present(value) && spec.otherwise) return fieldValue(record, spec.otherwise, field, timeZone);
  if (!present(value) && spec.default !== undefined) value = spec.default;
  const converted = convert(value, spec.as, timeZone);
  if (converted === undefined) {
    throw new MappingError(`${field}: ${JSON.stringify(value)} is not ${spec.as ?? 'a value'}`);
  }
  return converted;
}

/** A vendor record as a unified record: each mapped field, and the record itself as `raw`. */
export function mapRecord(
  record: unknown,
  map: Record<string, ValueSpec>,
  timeZone: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(map)) {
    try {
      const value = fieldValue(record, spec, field, timeZone);
      if (value !== null) out[field] = value;
    } catch (err) {
      if (!(err instanceof MappingError)) throw err;
      // Left as the vendor sent it: the unified schema then rejects this record alone, naming the field.
      out[field] = typeof spec === 'string' ? at(record, spec) : spec.path && at(record, spec.path);
    }
  }
  if (out.external_id !== undefined) out.external_id = String(out.external_id);
  out.raw = record !== null && typeof record === 'object' ? record : { value: record };
  return out;
}

/** `{{config.shop}}` and the like filled from `values`; a name without a value is an error. */
export function fill(text: string, values: Record<string, unknown>): string {
  return text.replace(/\{\{\s*([a-z_]+)\.([A-Za-z0-9_]+)\s*\}\}/g, (_, scope: string, key: string) => {
    const v = (values[scope] as Record<string, unknown> | undefined)?.[key];
    if (!present(v)) throw new MappingError(`${scope}.${key} is not set`);
    return String(v);
  });
}
