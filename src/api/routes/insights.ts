import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { hasChart, renderChart } from '../../agent/charts.ts';
import type { TurnRunner } from '../../agent/runner.ts';
import type { Db } from '../../db/types.ts';
import { DomainError } from '../../domain/errors.ts';
import { idOf, isoDate, requiredText } from '../../domain/fields.ts';
import { DIMENSIONS, METRICS, MetricNameSchema } from '../../domain/insights/metrics.ts';
import { CompareTo, PeriodName } from '../../domain/insights/periods.ts';
import { MAX_ROWS, MetricAnswer, MetricCall, queryMetric } from '../../domain/insights/query.ts';
import { requestIdOf } from '../envelope.ts';
import { ctxOf, defineRoute, requireScope, requireSession } from '../route.ts';

/** Ask your business: the metrics catalogue, a metric call for integrators, and a question in words. */

const MetricInfo = z
  .object({
    name: MetricNameSchema,
    definition: z.string(),
    unit: z.enum(['money', 'count']),
    kind: z.enum(['flow', 'balance']),
    dimensions: z.array(z.enum(DIMENSIONS)),
  })
  .meta({ id: 'MetricInfo' });

export const InsightQuery = z
  .strictObject({
    metric: MetricNameSchema,
    period: PeriodName.optional().meta({
      description: 'this_month, last_month, this_fy, q2, 2026-03, fy2025-26, …; or from and to instead',
      example: 'this_month',
    }),
    from: isoDate.optional().meta({ description: 'With to: the first day of a period of your own' }),
    to: isoDate.optional(),
    group_by: z.enum(DIMENSIONS).optional(),
    compare_to: CompareTo.optional(),
    order: z.enum(['desc', 'asc']).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_ROWS).optional(),
    party_id: idOf('pty').optional(),
    source: z.string().optional(),
    status: z.string().optional(),
    method: z.string().optional(),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), {
    message: 'from and to go together',
    path: ['to'],
  })
  .refine((q) => !(q.period && q.from), {
    message: 'say a period or from and to, not both',
    path: ['period'],
  });

/** The query string as a metric call (the same one the assistant makes). */
export function callOf(q: z.infer<typeof InsightQuery>): MetricCall {
  const filters = Object.fromEntries(
    (['party_id', 'source', 'status', 'method'] as const).flatMap((k) => (q[k] ? [[k, q[k]]] : [])),
  );
  const period = q.from && q.to ? { from: q.from, to: q.to } : q.period;
  return MetricCall.parse({
    metric: q.metric,
    ...(period ? { period } : {}),
    ...(q.group_by ? { group_by: q.group_by } : {}),
    ...(q.compare_to ? { compare_to: q.compare_to } : {}),
    ...(q.order ? { order: q.order } : {}),
    ...(q.limit ? { limit: q.limit } : {}),
    ...(Object.keys(filters).length ? { filters } : {}),
  });
}

const InsightRequest = z
  .strictObject({ question: requiredText(1000).meta({ example: 'who owes me the most?' }) })
  .meta({ id: 'InsightRequest' });

const InsightReply = z
  .object({
    answer: z.string().meta({ description: 'The answer in words, its numbers from the query' }),
    query: MetricCall.nullable().meta({ description: 'The metric call the question became; null if none' }),
    result: MetricAnswer.nullable(),
    chart_url: z
      .string()
      .optional()
      .meta({ description: 'A PNG of a time series, ranking or comparison (GET it with the same token)' }),
  })
  .meta({ id: 'InsightReply' });

export const CHART_PATH = '/insights/chart';

/** The chart's address for a metric call: the same call as query parameters. */
function chartUrl(call: MetricCall): string {
  const q = new URLSearchParams({ metric: call.metric });
  if (typeof call.period === 'string') q.set('period', call.period);
  else if (call.period) {
    q.set('from', call.period.from);
    q.set('to', call.period.to);
  }
  for (const k of ['group_by', 'compare_to', 'order'] as const) if (call[k]) q.set(k, String(call[k]));
  if (call.limit) q.set('limit', String(call.limit));
  for (const [k, v] of Object.entries(call.filters ?? {})) if (v) q.set(k, v);
  return `/api/v1${CHART_PATH}?${q}`;
}

/**
 * `GET /api/v1/insights/chart`: the metric call of `/insights/query` drawn as a PNG, for a time series, a
 * ranking or a comparison; a single number is a 404 `no_chart` (its words say it).
 */
export function chartHandler(db: Db): RequestHandler {
  return async (req, res, next) => {
    try {
      const session = requireSession(res, 'user');
      requireScope(session, 'insights');
      const answer = await queryMetric(
        db,
        ctxOf(session, res),
        callOf(InsightQuery.parse(req.query)),
        new Date(),
      );
      const png = await renderChart(answer);
      if (!png) {
        throw new DomainError(
          'not_found',
          'no_chart',
          'This answer is one number: there is nothing to draw.',
        );
      }
      res.status(200).type('png').setHeader('cache-control', 'private, max-age=60').send(png);
    } catch (err) {
      next(err);
    }
  };
}

export function registerChart(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: `/api/v1${CHART_PATH}`,
    operationId: 'getInsightChart',
    summary: 'A metric call drawn as a PNG: a time series, a ranking or a comparison',
    tags: ['Insights'],
    security: [{ bearerAuth: [] }, { apiKey: ['insights'] }],
    request: { query: InsightQuery as unknown as z.ZodObject },
    responses: {
      200: {
        description: 'The chart',
        content: { 'image/png': { schema: { type: 'string', format: 'binary' } } },
      },
      404: { description: 'no_chart: the answer is one number' },
    },
  });
}

export const insightRoutes = (db: Db, runTurn: TurnRunner) => [
  defineRoute({
    method: 'get',
    path: '/insights/metrics',
    operationId: 'listMetrics',
    summary: 'The metrics your questions are answered from',
    description: 'Each metric with its business rule, unit and the dimensions it can be grouped by.',
    tag: 'Insights',
    access: 'user',
    response: z.object({ metrics: z.array(MetricInfo) }).meta({ id: 'MetricCatalogue' }),
    handler: async () => ({
      data: {
        metrics: Object.entries(METRICS).map(([name, m]) => ({
          name: name as z.infer<typeof MetricNameSchema>,
          definition: m.description,
          unit: m.unit,
          kind: m.kind,
          dimensions: [...m.dimensions],
        })),
      },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/insights/query',
    operationId: 'queryMetric',
    summary: 'One metric over a period, grouped and compared as asked',
    description:
      'The same metric call the assistant makes, without language. Money is integer paise (INR); dates are the business’s own.',
    tag: 'Insights',
    access: 'user',
    query: InsightQuery,
    response: MetricAnswer,
    errors: { 400: 'Not a valid metric call (a dimension the metric lacks, a past day for a balance…)' },
    handler: async ({ ctx, query }) => ({ data: await queryMetric(db, ctx, callOf(query), new Date()) }),
  }),
  defineRoute({
    method: 'post',
    path: '/insights',
    operationId: 'askBusinessQuestion',
    summary: 'Ask a question about your business in plain words',
    description:
      'English or Hinglish ("who owes me the most?", "kal kitna paisa aaya?"). The answer comes from your connected systems through one metric call, shown in `query`.',
    tag: 'Insights',
    access: 'user',
    body: InsightRequest,
    response: InsightReply,
    // A turn waits on the model: it must not hold a transaction open meanwhile.
    idempotency: 'separate',
    handler: async ({ session, body, res }) => {
      const turn = await runTurn({
        principal: session,
        channel: 'api',
        message: body.question,
        requestId: requestIdOf(res),
      });
      const asked = turn.actions.findLast((a) => a.tool === 'query_business_data');
      const answered = MetricAnswer.safeParse(asked?.result);
      const query = asked ? MetricCall.parse(asked.args) : null;
      return {
        data: {
          answer: turn.reply,
          query,
          result: answered.success ? answered.data : null,
          ...(query && answered.success && hasChart(answered.data) ? { chart_url: chartUrl(query) } : {}),
        },
      };
    },
  }),
];
