import { z } from 'zod';
import { booleanQuery, idOf, requiredText } from '../fields.ts';
import { pageFields } from '../pagination.ts';

/**
 * Long-term memory: what the Digital Employee has learned from one user of one business. A memory is a
 * short statement ("ABC Traders always pays late"), what kind of statement it is, and who or what it is
 * about when that is known.
 */

export const MemoryKind = z.enum(['fact', 'preference', 'contact', 'pattern']).meta({
  description: 'fact, preference (how the user likes things), contact (a number, an address), pattern',
});
export type MemoryKind = z.infer<typeof MemoryKind>;

export const MemorySource = z.enum(['conversation', 'api']);
export type MemorySource = z.infer<typeof MemorySource>;

export const memoryId = idOf('mem').meta({ example: 'mem_01jq2n3v4w5x6y7z8a9b0c' });

/** Longest statement kept: a memory is a fact, not a document. */
export const MAX_CONTENT = 1000;
export const MAX_SUBJECT = 200;

export const MemoryCreate = z
  .strictObject({
    content: requiredText(MAX_CONTENT).meta({ example: 'ABC Traders always pays late' }),
    kind: MemoryKind.optional().meta({ description: 'Worked out from the content when left out' }),
    subject: requiredText(MAX_SUBJECT)
      .optional()
      .meta({ description: 'Who or what it is about; worked out from the content when left out' }),
  })
  .meta({ id: 'MemoryCreate' });
export type MemoryCreate = z.output<typeof MemoryCreate>;

export const Memory = z
  .object({
    id: z.string().meta({ example: 'mem_01jq2n3v4w5x6y7z8a9b0c' }),
    content: z.string().meta({ example: 'ABC Traders always pays late' }),
    kind: MemoryKind,
    subject: z.string().nullable().meta({ example: 'ABC Traders' }),
    source: MemorySource,
    conversation_id: z.string().nullable(),
    turn_id: z.string().nullable(),
    recall_count: z.number().int(),
    last_recalled_at: z.string().nullable(),
    superseded_by: z.string().nullable().meta({
      description: 'The memory that replaced this one; a superseded memory is kept but never recalled',
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Memory' });
export type Memory = z.infer<typeof Memory>;

/**
 * What storing a statement did: `created` a new memory, `updated` a near-duplicate in place, found it
 * `unchanged` (said before), or `superseded` an older memory it contradicts (kept for audit, no longer
 * recalled).
 */
export const WriteOutcome = z.enum(['created', 'updated', 'unchanged', 'superseded']);
export type WriteOutcome = z.infer<typeof WriteOutcome>;

export const MemoryWrite = Memory.extend({
  outcome: WriteOutcome,
  supersedes: z.string().nullable().meta({ description: 'The memory this one replaced, when it did' }),
}).meta({ id: 'MemoryWrite' });
export type MemoryWrite = z.infer<typeof MemoryWrite>;

export const MemoryListQuery = z
  .strictObject({
    kind: MemoryKind.optional(),
    include_superseded: booleanQuery
      .optional()
      .meta({ description: 'Also list memories replaced by newer ones (default false)' }),
    ...pageFields,
  })
  .meta({ id: 'MemoryListQuery' });
export type MemoryListQuery = z.infer<typeof MemoryListQuery>;

export const SEARCH_MAX_LIMIT = 50;

export const MemorySearchQuery = z
  .strictObject({
    q: requiredText(500).meta({
      description: 'What to look for, in your own words',
      example: "Ramesh's number",
    }),
    limit: z.coerce.number().int().min(1).max(SEARCH_MAX_LIMIT).default(10),
    kind: MemoryKind.optional(),
  })
  .meta({ id: 'MemorySearchQuery' });
export type MemorySearchQuery = z.infer<typeof MemorySearchQuery>;

export const MemoryHit = z
  .object({
    id: z.string(),
    content: z.string(),
    kind: MemoryKind,
    subject: z.string().nullable(),
    score: z.number().meta({
      description:
        'Reciprocal-rank fusion of the vector and full-text rankings with a mild recency/recall boost; higher is better',
    }),
    similarity: z.number().meta({ description: 'Cosine similarity of the embeddings, -1 to 1' }),
    source: MemorySource,
    conversation_id: z.string().nullable(),
    turn_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'MemoryHit' });
export type MemoryHit = z.infer<typeof MemoryHit>;
