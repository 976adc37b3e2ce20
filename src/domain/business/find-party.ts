import { type Db, inTenant } from '../../db/types.ts';
import type { Ctx } from '../context.ts';
import { anyPatternCondition, CANDIDATES, namePatterns, rankByName } from '../lookup.ts';

/** A party as a person is asked to choose among them. */
export interface PartyMatch {
  id: string;
  name: string;
  kinds: string[];
  gstin: string | null;
  phone: string | null;
  connector: string;
}

/**
 * The parties of this business a person means by a name ("ABC Traders", "Sharma ji", "abc wale"): the one
 * that matches best, or the few that match about equally (two Sharmas: the caller asks which), or none.
 * The same fuzzy lookup as tasks (stems, honorifics dropped), over this business's parties only.
 */
export async function findParties(db: Db, ctx: Ctx, name: string, limit = 5): Promise<PartyMatch[]> {
  const patterns = namePatterns(name);
  if (patterns.length === 0) return [];
  const match = anyPatternCondition(['name'], patterns);
  const candidates = await inTenant(db, ctx.tenantId, (tx) =>
    tx.query<PartyMatch>(
      `SELECT id, name, kinds, gstin, phone, connector FROM parties
       WHERE deleted_at IS NULL AND ${match.where} ORDER BY name, id LIMIT ${CANDIDATES}`,
      match.params,
    ),
  );
  return rankByName(name, candidates, (p) => p.name).slice(0, limit);
}
