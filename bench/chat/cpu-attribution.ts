/**
 * Whose CPU a stretch of this process spent, by sampling: a V8 CPU profile taken over the stretch, each
 * sample given to the agent framework (LangChain, LangGraph, LangSmith) or to us by the nearest caller that
 * is one or the other, or to the stand-in model: the offline model (src/agent/offline/) and the rule-based
 * memory extractor (`extractMemories`), with everything they call (our date and format helpers among it),
 * since with a hosted model all of that is the provider's work. Node internals and other libraries pass
 * through: zod validating for LangChain is the framework's, pg reading for our query is ours; a library run
 * straight off the event loop, as pg parsing a reply, counts as ours. Garbage collection, V8's own work and
 * Node's event-loop glue with neither side above are shared in proportion.
 *
 * A sample says where the thread was, not that it ran: a thread the kernel has preempted is sampled in the
 * frame it was preempted in. With Postgres on the same cores that is mostly a socket write (writing to a
 * backend wakes it, and it takes the core), so on Linux the profile is checked against the thread's own CPU
 * time and the difference, the time it was runnable but not running, is taken out of the socket writes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CpuShares {
  /** Share of busy samples (idle excluded) that were the framework's, the stand-in model's, and ours. */
  framework: number;
  model: number;
  ours: number;
  /** The profile's busy time, and how much of it the thread was not on a CPU (undefined off Linux). */
  busyMs: number;
  offCpuMs: number | undefined;
}

const FRAMEWORK = /\/node_modules\/(@langchain\/[^/]+|langchain|langsmith)\//;
/** The offline model answers in this process; with a hosted model this work is the provider's. */
const MODEL = /\/src\/agent\/offline\//;
/** The rule-based memory extractor stands in for the LLM extractor a hosted model brings. */
const EXTRACTOR = { url: /\/src\/domain\/memory\/extractor-offline\.ts$/, functionName: 'extractMemories' };
const OURS = /\/(src|channels)\//;
/** Native frames of a socket write: where a thread that wakes Postgres is preempted. */
const SOCKET_WRITE = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String']);

type Owner = 'framework' | 'model' | 'ours' | 'shared' | 'idle';

function ownersOf(profile: Profile): Map<number, Owner> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const owners = new Map<number, Owner>();
  const ownerOf = (id: number): Owner => {
    const known = owners.get(id);
    if (known) return known;
    const frame = byId.get(id)?.callFrame;
    const url = frame?.url ?? '';
    const up = parent.get(id);
    const above = up === undefined ? undefined : ownerOf(up);
    let owner: Owner;
    if (frame?.functionName === '(idle)') owner = 'idle';
    else if (above === 'model') owner = 'model';
    else if (FRAMEWORK.test(url)) owner = 'framework';
    else if (MODEL.test(url) || (EXTRACTOR.url.test(url) && frame?.functionName === EXTRACTOR.functionName))
      owner = 'model';
    else if (OURS.test(url) && !url.includes('/node_modules/')) owner = 'ours';
    else if (above !== undefined) {
      // A library with nobody of either side above it ran off the event loop for us (pg reading a reply);
      // Node's own glue there (microtasks, promise hooks) serves both sides.
      owner = above === 'shared' && url.includes('/node_modules/') ? 'ours' : above;
    } else owner = 'shared';
    owners.set(id, owner);
    return owner;
  };
  for (const n of profile.nodes) ownerOf(n.id);
  return owners;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The main thread's own CPU time in ms (user + system), where Linux tells it; the process's is no use here. */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

export async function startCpuAttribution(): Promise<() => Promise<CpuShares>> {
  const threadCpuBefore = mainThreadCpuMs();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    session.disconnect();
    // For a closer look (Chrome DevTools, speedscope): the profile this verdict was drawn from.
    const keep = process.env.BENCH_CPU_PROFILE;
    if (keep) await writeFile(keep, JSON.stringify(profile));
    const threadCpuAfter = mainThreadCpuMs();
    const owners = ownersOf(profile);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const time: Record<Owner, number> = { framework: 0, model: 0, ours: 0, shared: 0, idle: 0 };
    const writes: Record<Owner, number> = { framework: 0, model: 0, ours: 0, shared: 0, idle: 0 };
    profile.samples.forEach((id, i) => {
      const owner = owners.get(id) ?? 'shared';
      const us = profile.timeDeltas[i] ?? 0;
      time[owner] += us;
      if (SOCKET_WRITE.has(byId.get(id)?.callFrame.functionName ?? '')) writes[owner] += us;
    });
    const busy = time.framework + time.model + time.ours + time.shared;
    const offCpu =
      threadCpuBefore === undefined || threadCpuAfter === undefined
        ? undefined
        : Math.max(0, busy - (threadCpuAfter - threadCpuBefore) * 1000);
    if (offCpu) {
      // Out of the socket writes first, each side's in proportion; what is left, out of everything.
      const inWrites = writes.framework + writes.model + writes.ours + writes.shared;
      const fromWrites = Math.min(offCpu, inWrites);
      const rest = 1 - (offCpu - fromWrites) / Math.max(1, busy - fromWrites);
      for (const o of ['framework', 'model', 'ours', 'shared'] as const) {
        const cut = inWrites === 0 ? 0 : (fromWrites * writes[o]) / inWrites;
        time[o] = (time[o] - cut) * rest;
      }
    }
    const attributed = time.framework + time.model + time.ours;
    const measured = { busyMs: busy / 1000, offCpuMs: offCpu === undefined ? undefined : offCpu / 1000 };
    return attributed === 0
      ? { framework: 0, model: 0, ours: 0, ...measured }
      : {
          framework: time.framework / attributed,
          model: time.model / attributed,
          ours: time.ours / attributed,
          ...measured,
        };
  };
}
