import { z } from 'zod';
import {
  Memory,
  MemoryCreate,
  MemoryHit,
  MemoryListQuery,
  MemorySearchQuery,
  MemoryWrite,
  memoryId,
} from '../../domain/memory/schema.ts';
import type { MemoryService, ScoredHit } from '../../domain/memory/service.ts';
import { defineRoute } from '../route.ts';

const IdParams = z.strictObject({ id: memoryId });
const MemoryList = z.object({ memories: z.array(Memory) }).meta({ id: 'MemoryList' });
const MemorySearchResult = z
  .object({ query: z.string(), memories: z.array(MemoryHit) })
  .meta({ id: 'MemorySearchResult' });
const Forgotten = z
  .object({
    id: z.string(),
    forgotten: z.literal(true),
    versions_removed: z
      .number()
      .int()
      .meta({ description: 'This memory and the older versions it replaced' }),
  })
  .meta({ id: 'MemoryForgotten' });
const notFound = { 404: 'No such memory of yours' };

/** The public hit: `matched_words` is the agent's relevance test, not part of the contract. */
const publicHit = ({ matched_words: _, ...hit }: ScoredHit): MemoryHit => hit;

export const memoryRoutes = (memory: MemoryService) => [
  defineRoute({
    method: 'get',
    path: '/memory/search',
    operationId: 'searchMemory',
    summary: 'Search memory',
    description:
      'Hybrid search of your memories: nearest neighbours by embedding and full-text matches, fused by ' +
      'reciprocal rank (k=60) with a mild recency/recall boost. Superseded memories are never returned.',
    tag: 'Memory',
    access: 'user',
    query: MemorySearchQuery,
    response: MemorySearchResult,
    handler: async ({ ctx, query }) => {
      const hits = await memory.search(ctx, query);
      return { data: { query: query.q, memories: hits.map(publicHit) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/memory',
    operationId: 'listMemories',
    summary: 'List memories',
    description: 'Newest first. Superseded memories only with include_superseded=true.',
    tag: 'Memory',
    access: 'user',
    query: MemoryListQuery,
    response: MemoryList,
    handler: async ({ ctx, query }) => {
      const page = await memory.list(ctx, query);
      return {
        data: { memories: page.items },
        page: { page: query.page, total: page.total, limit: query.limit },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/memory',
    operationId: 'createMemory',
    summary: 'Remember something',
    description:
      'Stores a statement, or updates the memory it restates (outcome updated or unchanged), or replaces ' +
      'one it contradicts (outcome superseded, supersedes names the old one, which is kept but never recalled).',
    tag: 'Memory',
    access: 'user',
    body: MemoryCreate,
    response: MemoryWrite,
    // The memory service holds its own database and may wait on an embedder; a repeat is deduplicated anyway.
    idempotency: 'separate',
    status: 201,
    handler: async ({ ctx, body }) => ({ data: await memory.remember(ctx, { ...body, source: 'api' }) }),
  }),
  defineRoute({
    method: 'get',
    path: '/memory/{id}',
    operationId: 'getMemory',
    summary: 'Get a memory',
    tag: 'Memory',
    access: 'user',
    params: IdParams,
    response: Memory,
    errors: notFound,
    handler: async ({ ctx, params }) => ({ data: await memory.get(ctx, params.id) }),
  }),
  defineRoute({
    method: 'delete',
    path: '/memory/{id}',
    operationId: 'deleteMemory',
    summary: 'Forget a memory',
    description:
      'Deletes it and the older versions it replaced; it is gone from search at once. The audit log keeps ' +
      'that it was forgotten, never what it said.',
    tag: 'Memory',
    access: 'user',
    params: IdParams,
    response: Forgotten,
    errors: notFound,
    handler: async ({ ctx, params }) => {
      const gone = await memory.forget(ctx, params.id);
      return { data: { id: gone.id, forgotten: true as const, versions_removed: gone.versions_removed } };
    },
  }),
];
