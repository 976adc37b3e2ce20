/**
 * Whose CPU a stretch of this process spent, by sampling: a V8 CPU profile taken over the stretch, each
 * sample given to the agent framework (LangChain, LangGraph, LangSmith) or to us by the nearest caller that
 * is one or the other, or to the stand-in model (the offline model's own code, src/agent/offline/: with a
 * hosted model that work is the provider's) (Node internals and other libraries pass through: zod validating for LangChain is the
 * framework's, pg reading for our query is ours; a library run straight off the event loop, as pg parsing a
 * reply, counts as ours). Garbage collection, V8's own work and Node's event-loop glue (microtasks, promise
 * hooks) with neither side above are shared in proportion.
 */
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
}

const FRAMEWORK = /\/node_modules\/(@langchain\/[^/]+|langchain|langsmith)\//;
/** The offline model answers in this process; with a hosted model this work is the provider's. */
const MODEL = /\/src\/agent\/offline\//;
const OURS = /\/(src|channels)\//;

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
    let owner: Owner;
    if (FRAMEWORK.test(url)) owner = 'framework';
    else if (MODEL.test(url)) owner = 'model';
    else if (OURS.test(url) && !url.includes('/node_modules/')) owner = 'ours';
    else if (up !== undefined) {
      const above = ownerOf(up);
      // A library with nobody of either side above it ran off the event loop for us (pg reading a reply);
      // Node's own glue there (microtasks, promise hooks) serves both sides.
      owner = above === 'shared' && url.includes('/node_modules/') ? 'ours' : above;
    } else owner = 'shared';
    if (frame?.functionName === '(idle)') owner = 'idle';
    owners.set(id, owner);
    return owner;
  };
  for (const n of profile.nodes) ownerOf(n.id);
  return owners;
}

export async function startCpuAttribution(): Promise<() => Promise<CpuShares>> {
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
    const owners = ownersOf(profile);
    const time: Record<Owner, number> = { framework: 0, model: 0, ours: 0, shared: 0, idle: 0 };
    profile.samples.forEach((id, i) => {
      time[owners.get(id) ?? 'shared'] += profile.timeDeltas[i] ?? 0;
    });
    const attributed = time.framework + time.model + time.ours;
    return attributed === 0
      ? { framework: 0, model: 0, ours: 0 }
      : {
          framework: time.framework / attributed,
          model: time.model / attributed,
          ours: time.ours / attributed,
        };
  };
}
