import type { FastifyInstance } from 'fastify';
import { refreshRollups } from '../../analytics/rollup/refresh-rollups.ts';
import { buildReport, reportOptionsOf } from '../../analytics/report/build-report.ts';
import { ReportParams } from '../../analytics/report/report-params.ts';
import { REPORT_CONTENT_TYPES, renderReport } from '../../analytics/report/render-report.ts';
import { formatPath } from '../../config/load-config.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { analyticsDbOf, mainDbOf } from '../../mcp/store-context.ts';
import { analysisParamsOf } from '../../mcp/tool-context.ts';
import { AnalysisParamsError, resolveAnalysisQuery } from '../../analytics/analysis-query.ts';
import { errors } from '../../util/errors.ts';

/** GET /v1/report?timeframe=7d&goal=cost&cost_threshold=0.01&quality_threshold=0.8&format=md|json|html (admin key). */
export function registerReportRoutes(app: FastifyInstance, gateway: () => Gateway): void {
  app.get('/v1/report', async (req, reply) => {
    const parsed = ReportParams.safeParse(req.query ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw errors.invalidField(issue ? formatPath(issue.path) : 'query', issue?.message ?? 'invalid query');
    }
    const g = gateway();
    const nowMs = Date.now();
    const params = analysisParamsOf(parsed.data);
    try {
      resolveAnalysisQuery(params, nowMs);
    } catch (err) {
      if (err instanceof AnalysisParamsError) throw errors.invalidField('from', err.message);
      throw err;
    }
    await g.writer.flush();
    await refreshRollups(mainDbOf(g.store), nowMs);
    // Stored so the report's `aigw rules apply ID` lines find their recommendations.
    const doc = await buildReport(analyticsDbOf(g.store), params, { ...reportOptionsOf(parsed.data, g.config), persistTo: g.store }, nowMs);
    reply.type(REPORT_CONTENT_TYPES[parsed.data.format]).send(renderReport(doc, parsed.data.format));
  });
}
