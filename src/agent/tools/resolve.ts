import { type Failure, fail } from './tool.ts';

export type Resolved<T> = { found: T } | { failure: Failure };

/** One record from an id or from how the user names it; none or several matching is a failure to explain. */
export async function resolveNamed<T>(r: {
  ref: string;
  what: string;
  isId: boolean;
  get: () => Promise<T>;
  find: () => Promise<T[]>;
  brief: (found: T) => unknown;
}): Promise<Resolved<T>> {
  if (r.isId) return { found: await r.get() };
  const found = await r.find();
  if (found.length === 0) return { failure: fail('not_found', `No open ${r.what} matches "${r.ref}".`) };
  if (found.length > 1) {
    return {
      failure: fail('ambiguous', `${found.length} open ${r.what}s match "${r.ref}".`, found.map(r.brief)),
    };
  }
  return { found: found[0] as T };
}
