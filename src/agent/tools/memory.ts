import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';
import { type Memory, MemoryKind, memoryId } from '../../domain/memory/schema.ts';
import type { MemoryService, ScoredHit } from '../../domain/memory/service.ts';
import { defineTool, fail, type ToolDeps } from './tool.ts';

/** Long-term memory: recall what the owner said before, keep a new fact, forget one. */

export interface MemoryBrief {
  id: string;
  content: string;
  kind: Memory['kind'];
  subject: string | null;
  remembered_on: string;
}

export const briefMemory = (m: Memory | ScoredHit): MemoryBrief => ({
  id: m.id,
  content: m.content,
  kind: m.kind,
  subject: m.subject,
  remembered_on: m.updated_at.slice(0, 10),
});

const RECALL_LIMIT = 5;

function memoryOf(deps: ToolDeps): MemoryService {
  if (!deps.memory) throw new DomainError('unavailable', 'memory_unavailable', 'Memory is not set up here.');
  return deps.memory;
}

export const searchMemory = defineTool({
  name: 'search_memory',
  description:
    'Recall what the user told you before (contacts, how customers behave, preferences, facts), by meaning and words.',
  args: z.object({
    query: z
      .string()
      .min(1)
      .describe('What to recall, in a few words (e.g. "Ramesh\'s number", "how ABC Traders pays")'),
    kind: MemoryKind.optional().describe('Only memories of this kind'),
  }),
  async run({ query, kind }, { ctx }, deps) {
    const hits = await memoryOf(deps).recall(ctx, query, RECALL_LIMIT, kind);
    return { ok: true, query, total: hits.length, memories: hits.map(briefMemory) };
  },
});

export const remember = defineTool({
  name: 'remember',
  description:
    'Keep a lasting fact the user tells you (a number, how someone pays, a preference) for later conversations. Restating or correcting a fact updates it.',
  args: z.object({
    content: z
      .string()
      .min(1)
      .max(1000)
      .describe(
        'One short statement that makes sense on its own later, in the user\'s words, naming who it is about (e.g. "Ramesh\'s number is 98450 12345", "ABC Traders always pays late")',
      ),
    kind: MemoryKind.optional().describe('contact, pattern, preference or fact; worked out when left out'),
    subject: z.string().min(1).max(200).optional().describe('Who or what it is about, when there is someone'),
  }),
  async run({ content, kind, subject }, { ctx, conversationId }, deps) {
    const memory = memoryOf(deps);
    const written = await memory.remember(ctx, {
      content,
      kind,
      subject,
      source: 'conversation',
      conversationId,
    });
    const replaced = written.supersedes ? await memory.get(ctx, written.supersedes) : null;
    return {
      ok: true,
      outcome: written.outcome,
      memory: briefMemory(written),
      ...(replaced ? { replaced: briefMemory(replaced) } : {}),
    };
  },
});

export const forget = defineTool({
  name: 'forget',
  description: 'Forget a memory the user asks you to forget; it is gone from recall for good.',
  args: z.object({
    memory: z
      .string()
      .min(1)
      .describe('The memory to forget: its id (mem_…) or words from it (e.g. "Ramesh\'s number")'),
  }),
  async run({ memory: ref }, { ctx }, deps) {
    const memory = memoryOf(deps);
    let target: Memory;
    if (memoryId.safeParse(ref).success) target = await memory.get(ctx, ref);
    else {
      const r = await memory.resolve(ctx, ref);
      if ('notFound' in r) return fail('not_found', `Nothing I remember matches "${ref}".`);
      if ('ambiguous' in r)
        return fail(
          'ambiguous',
          `${r.ambiguous.length} memories match "${ref}".`,
          r.ambiguous.map(briefMemory),
        );
      target = r.found;
    }
    await memory.forget(ctx, target.id);
    return { ok: true, forgotten: briefMemory(target) };
  },
});
