import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TIMEFRAMES, type Timeframe } from '../../analytics/analysis-query.ts';
import { listRequests, requestFilterValues, RequestListParams } from '../../analytics/request-log/list-requests.ts';
import { requestDetail } from '../../analytics/request-log/request-detail.ts';
import { formatPath } from '../../config/load-config.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { analyticsDbOf } from '../../mcp/store-context.ts';
import { errors, GatewayError } from '../../util/errors.ts';

const FiltersQuery = z.strictObject({ timeframe: z.enum(Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]]).default('24h') });

function parse<T extends z.ZodType>(schema: T, query: unknown): z.output<T> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') throw errors.invalidField(issue.keys[0] ?? 'query', `Unknown parameter '${issue.keys[0]}'.`);
  throw errors.invalidField(issue ? formatPath(issue.path) : 'query', issue?.message ?? 'invalid query');
}

/**
 * The request log for the dashboard's Requests view (admin key: authenticate.ts guards /admin/):
 * GET /admin/requests (a page, newest first, filters as query parameters), /admin/requests/filters
 * (the values each filter can take in the window) and /admin/requests/:id (one request in full).
 */
export function registerRequestLogRoutes(app: FastifyInstance, gateway: () => Gateway): void {
  app.get('/admin/requests', async (req, reply) => {
    const params = parse(RequestListParams.strict(), req.query);
    const g = gateway();
    await g.writer.flush();
    reply.send(await listRequests(analyticsDbOf(g.store), params, Date.now()));
  });

  app.get('/admin/requests/filters', async (req, reply) => {
    const { timeframe } = parse(FiltersQuery, req.query);
    const g = gateway();
    await g.writer.flush();
    reply.send(await requestFilterValues(analyticsDbOf(g.store), timeframe, Date.now()));
  });

  app.get<{ Params: { id: string } }>('/admin/requests/:id', async (req, reply) => {
    const g = gateway();
    await g.writer.flush();
    const pricing = new Map(g.config.models.map((m) => [m.id, m.pricing]));
    const detail = await requestDetail(analyticsDbOf(g.store), req.params.id, { logContent: g.config.server.log_content, pricingOf: (id) => pricing.get(id) });
    if (!detail) throw new GatewayError(404, 'not_found_error', `No request '${req.params.id}'.`, { param: 'id', code: 'request_not_found' });
    reply.send(detail);
  });
}
