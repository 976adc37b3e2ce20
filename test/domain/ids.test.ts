import { describe, expect, it } from 'vitest';
import { idPattern, newId } from '../../src/domain/ids.ts';

describe('ids', () => {
  it('are unique across many refills of the random pool, and each is well formed', () => {
    const ids = Array.from({ length: 10_000 }, () => newId('inv'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(idPattern('inv'));
    // Every random character of the alphabet turns up: the pool is not stuck on a few bytes.
    expect(new Set(ids.flatMap((id) => [...id.slice(-12)])).size).toBe(32);
  });

  it('sort by the time they were made', () => {
    const earlier = newId('task', Date.UTC(2026, 2, 25));
    const later = newId('task', Date.UTC(2026, 2, 25, 0, 0, 1));
    expect(earlier.slice(0, 15) < later.slice(0, 15)).toBe(true);
  });
});
