import { expect } from 'vitest';
import type { Lang } from './evaluate.ts';

/** The parts of a case that say where it belongs. */
interface Placed {
  group?: string | undefined;
  lang: Lang;
  holdout?: boolean | undefined;
  origin?: 'tuning' | undefined;
}

/**
 * A set has exactly `groups`, each in both languages, and holds out what it should: every case (a set
 * written to be held out whole) or half of each group's cases as written. Cases added while tuning the
 * parser (`origin: "tuning"`) are tuned by definition and left out of the halves.
 */
export function expectGroupsHeldOut(
  cases: readonly Placed[],
  groups: readonly string[],
  allHeldOut: boolean,
): void {
  const present = new Set(cases.map((c) => c.group));
  expect([...present].sort()).toEqual([...groups].sort());
  for (const group of present) {
    const all = cases.filter((c) => c.group === group);
    for (const lang of ['en', 'hinglish'] as const)
      expect(
        all.some((c) => c.lang === lang),
        group,
      ).toBe(true);
    const written = all.filter((c) => c.origin !== 'tuning');
    const held = written.filter((c) => c.holdout).length;
    if (allHeldOut) expect(held, group).toBe(all.length);
    else expect(Math.abs(2 * held - written.length), group).toBeLessThanOrEqual(2);
  }
}
