import { z } from 'zod';
import { findParties } from '../../domain/business/find-party.ts';
import { METRICS } from '../../domain/insights/metrics.ts';
import { MetricCall, queryMetric } from '../../domain/insights/query.ts';
import { answerText } from '../insights-answer.ts';
import { defineTool, fail } from './tool.ts';

/** Questions about the business's own numbers, answered from its connected systems through the metrics catalogue. */

const catalogue = Object.entries(METRICS)
  .map(([name, m]) => `${name}: ${m.description}`)
  .join('\n');

export const queryBusinessData = defineTool({
  name: 'query_business_data',
  description:
    'Answer a question about the business’s own numbers (sales, dues, payments, bank balance, GST, orders) from its connected systems, by naming a metric. Never guess a number: give the user the `answer` text as it is. A name of a customer or supplier is first turned into an id with find_party. Metrics:\n' +
    catalogue,
  args: MetricCall,
  async run(args, { ctx, now }, { db, connectorName }) {
    const result = await queryMetric(db, ctx, args, now);
    return { ok: true, ...result, answer: answerText(result, now, connectorName ?? ((id) => id)) };
  },
});

/** A customer or supplier as the model and the user see it. */
export interface PartyBrief {
  id: string;
  name: string;
  kinds: string[];
}

export const findParty = defineTool({
  name: 'find_party',
  description:
    'Find a customer or supplier of this business by how the user names them ("ABC Traders", "Sharma ji"): its id for query_business_data. Several close matches: ask the user which.',
  args: z.object({ name: z.string().trim().min(1).max(200).describe('The name as the user said it') }),
  async run({ name }, { ctx }, { db }) {
    const found = await findParties(db, ctx, name);
    const brief: PartyBrief[] = found.map((p) => ({ id: p.id, name: p.name, kinds: p.kinds }));
    if (brief.length === 0) return fail('not_found', `No customer or supplier matches "${name}".`);
    if (brief.length > 1) return fail('ambiguous', `${brief.length} parties match "${name}".`, brief);
    return { ok: true, party: brief[0] as PartyBrief };
  },
});
