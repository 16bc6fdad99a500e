import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Gateway } from '../pipeline/gateway-types.ts';
import { authenticate } from './authenticate.ts';
import { errors, GatewayError } from '../util/errors.ts';
import { newRequestRecord, finishTiming, type RequestRecord } from '../pipeline/request-record.ts';
import { gatewayHeaders, recordRequest } from '../pipeline/request-log.ts';
import { registerChatCompletions } from './routes/chat-completions.ts';
import { registerInfoRoutes } from './routes/info.ts';
import { registerDecisionRoutes } from './routes/decisions.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerRouteDryRun } from './routes/route.ts';
import { registerOptimizeRoute } from './routes/optimize.ts';
import { registerOptimizationImpactRoute } from './routes/optimization-impact.ts';
import { registerFeedbackRoutes } from './routes/feedback.ts';
import { registerReportRoutes } from './routes/report.ts';
import { registerAnalyticsRoutes } from './routes/analytics.ts';
import { registerMcpRoutes } from './routes/mcp.ts';
import { registerDashboardRoutes } from './routes/dashboard.ts';
import { registerRequestLogRoutes } from './routes/requests.ts';

declare module 'fastify' {
  interface FastifyRequest {
    record: RequestRecord;
  }
}

/** Routes whose every request leaves a row in the spend log. */
const LOGGED_ROUTES = new Set(['/v1/chat/completions']);
const PUBLIC_ROUTES = new Set(['/health', '/metrics', '/dashboard', '/dashboard/app.js']);

export function buildApp(gateway: () => Gateway): FastifyInstance {
  const g0 = gateway();
  const app = Fastify({
    logger: false,
    bodyLimit: g0.config.server.body_limit_bytes,
    genReqId: () => randomUUID(),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    keepAliveTimeout: 65_000,
  });

  app.decorateRequest('record', null as unknown as RequestRecord);

  app.addHook('onRequest', async (req, reply) => {
    // The matched route pattern, not the raw URL: `/%61dmin/keys` routes to `/admin/keys` and must be
    // authorized as it. Unmatched URLs (404s) fall back to the decoded path.
    const path = req.routeOptions.url ?? decodePath(req.url);
    req.record = newRequestRecord(req.id, Date.now());
    reply.header('x-aigw-request-id', req.id);
    if (!LOGGED_ROUTES.has(path)) req.record.written = true;
    if (PUBLIC_ROUTES.has(path)) return;
    await authenticate(gateway(), req, path);
  });

  app.setErrorHandler((err: FastifyError | GatewayError, req: FastifyRequest, reply: FastifyReply) => {
    const g = gateway();
    const gwError = toGatewayError(err, req, g);
    const record = req.record;
    if (record) {
      record.row.status = gwError.status;
      record.row.error_type = gwError.code ?? gwError.type;
      finishTiming(record);
      reply.headers(gatewayHeaders(record, undefined, undefined, g.simulated));
    }
    if (gwError.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(gwError.retryAfterMs / 1000)));
    reply.status(gwError.status).type('application/json').send(JSON.stringify(gwError.toBody()));
  });

  app.setNotFoundHandler((req, reply) => {
    reply
      .status(404)
      .type('application/json')
      .send(JSON.stringify(new GatewayError(404, 'not_found_error', `No route ${req.method} ${req.url}.`, { code: 'route_not_found' }).toBody()));
  });

  app.addHook('onResponse', async (req) => {
    if (req.record && !req.record.written) recordRequest(gateway(), req.record);
  });

  registerChatCompletions(app, gateway);
  registerInfoRoutes(app, gateway);
  registerDecisionRoutes(app, gateway);
  registerAdminRoutes(app, gateway);
  registerRouteDryRun(app, gateway);
  registerOptimizeRoute(app, gateway);
  registerOptimizationImpactRoute(app, gateway);
  registerFeedbackRoutes(app, gateway);
  registerReportRoutes(app, gateway);
  registerAnalyticsRoutes(app, gateway);
  registerMcpRoutes(app, gateway);
  registerDashboardRoutes(app);
  registerRequestLogRoutes(app, gateway);
  return app;
}

function decodePath(url: string): string {
  const raw = url.split('?', 1)[0] ?? url;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function toGatewayError(err: FastifyError | GatewayError, req: FastifyRequest, g: Gateway): GatewayError {
  if (err instanceof GatewayError) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.bodyTooLarge(g.config.server.body_limit_bytes);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.malformedJson(err.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError(415, 'invalid_request_error', 'Content-Type must be application/json.', { code: 'unsupported_media_type' });
    default:
      break;
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) return errors.malformedJson(err.message);
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new GatewayError(err.statusCode, 'invalid_request_error', err.message, { code: err.code ?? null });
  }
  g.logger.error({ err, requestId: req.id }, 'unhandled error in request');
  return errors.internal(req.id);
}
