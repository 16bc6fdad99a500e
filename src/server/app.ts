import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Gateway } from '../pipeline/gateway-types.ts';
import { authenticate, authenticatedNow } from './authenticate.ts';
import { GatewayError } from '../util/errors.ts';
import { newRequestRecord, type RequestRecord } from '../pipeline/request-record.ts';
import { recordRequest } from '../pipeline/request-log.ts';
import { registerChatCompletions } from './routes/chat-completions.ts';
import { registerMessagesRoute } from './routes/messages.ts';
import { registerEmbeddingsRoute } from './routes/embeddings.ts';
import { errorReply } from './error-reply.ts';
import { clientErrorHandler, drainingError, installDrainGuard } from './edge-errors.ts';
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
import { registerAlertRoutes } from './routes/alerts.ts';
import { registerRequestLogRoutes } from './routes/requests.ts';
import { timeOrderedId } from '../util/time-ordered-id.ts';

declare module 'fastify' {
  interface FastifyRequest {
    record: RequestRecord;
  }
}

/** Routes whose every request leaves a row in the spend log. */
const LOGGED_ROUTES = new Set(['/v1/chat/completions', '/v1/messages', '/v1/embeddings']);
const PUBLIC_ROUTES = new Set(['/health', '/metrics', '/dashboard', '/dashboard/app.js']);

/**
 * fastify's own schema compilers (ajv, fast-json-stringify: ~600 KB of code), loaded only if a route
 * ever declares a schema. None does (bodies are checked with zod), so Fastify() no longer evaluates
 * them at start-up, and the build leaves them out of dist/vendor/fastify.js (scripts/build.mjs).
 */
type Compilers = Required<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>>;
/** fastify's default compiler factory `name`, required (through fastify's own location) on its first call. */
function loadedOnFirstCall<F>(name: string): F {
  let real: ((...args: unknown[]) => unknown) | undefined;
  const load = () => (createRequire(createRequire(import.meta.url).resolve('fastify'))(name) as () => (...args: unknown[]) => unknown)();
  return ((...args: unknown[]) => (real ??= load())(...args)) as F;
}
const SCHEMA_COMPILERS: Compilers = {
  buildValidator: loadedOnFirstCall<Compilers['buildValidator']>('@fastify/ajv-compiler'),
  buildSerializer: loadedOnFirstCall<Compilers['buildSerializer']>('@fastify/fast-json-stringify-compiler'),
};

export function buildApp(gateway: () => Gateway): FastifyInstance {
  const g0 = gateway();
  const app = Fastify({
    logger: false,
    bodyLimit: g0.config.server.body_limit_bytes,
    // Time-ordered: the id is the requests table's key (src/util/time-ordered-id.ts).
    genReqId: () => timeOrderedId(),
    forceCloseConnections: 'idle',
    // Requests during the drain are answered by the drain guard: OpenAI-shaped, with retry-after and a row.
    return503OnClosing: false,
    keepAliveTimeout: 65_000,
    clientErrorHandler: clientErrorHandler(gateway),
    schemaController: { compilersFactory: SCHEMA_COMPILERS },
    ...(g0.config.server.tls ? { https: readTls(g0.config.server.tls) } : {}),
  });
  const drain = installDrainGuard(app);

  app.decorateRequest('record', null as unknown as RequestRecord);

  // Callback style: only authentication may wait (on the key store), and fastify settles a returned
  // promise with extra turns; the rest of the hook is synchronous.
  app.addHook('onRequest', (req, reply, done) => {
    // The matched route pattern, not the raw URL: `/%61dmin/keys` routes to `/admin/keys` and must be
    // authorized as it. Unmatched URLs (404s) fall back to the decoded path.
    const path = routePath(req);
    req.record = newRequestRecord(req.id, Date.now());
    reply.header('x-aigw-request-id', req.id);
    if (!LOGGED_ROUTES.has(path)) req.record.written = true;
    else startRequestTrace(gateway(), req, reply, path);
    if (drain.isDraining()) {
      reply.header('connection', 'close');
      done(drainingError());
      return;
    }
    if (PUBLIC_ROUTES.has(path) || authenticatedNow(gateway(), req, path)) {
      done();
      return;
    }
    authenticate(gateway(), req, path).then(() => done(), done);
  });

  app.setErrorHandler(errorReply(gateway, (e) => e.toBody()));

  app.setNotFoundHandler((req, reply) => {
    reply
      .status(404)
      .type('application/json')
      .send(JSON.stringify(new GatewayError(404, 'not_found_error', `No route ${req.method} ${req.url}.`, { code: 'route_not_found' }).toBody()));
  });

  // Callback style: an async hook would cost every request a promise and a turn for nothing to wait on.
  app.addHook('onResponse', (req, _reply, done) => {
    try {
      if (req.record && !req.record.written) recordRequest(gateway(), req.record);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  });

  registerChatCompletions(app, gateway);
  registerMessagesRoute(app, gateway);
  registerEmbeddingsRoute(app, gateway);
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
  registerAlertRoutes(app, gateway);
  registerRequestLogRoutes(app, gateway);
  return app;
}

/** The request's root span (named again once the body says which model), when tracing is on. */
function startRequestTrace(g: Gateway, req: FastifyRequest, reply: FastifyReply, path: string): void {
  if (!g.tracing) return;
  const operation = path === '/v1/embeddings' ? 'embeddings' : 'chat';
  req.record.trace = g.tracing.startRequest(operation, req.headers, {
    'gen_ai.operation.name': operation,
    'http.request.method': req.method,
    'http.route': path,
    'aigw.request_id': req.id,
  });
  reply.header('x-aigw-trace-id', req.record.trace.traceId);
}

function readTls(tls: { cert_file: string; key_file: string }): { cert: Buffer; key: Buffer } {
  return { cert: readFileSync(tls.cert_file), key: readFileSync(tls.key_file) };
}

/** Static routes whose raw URL names them exactly (no query, nothing encoded), in the common case. */
const STATIC_PATHS = new Set([...LOGGED_ROUTES, ...PUBLIC_ROUTES]);

/**
 * The matched route pattern, or the decoded path for a URL no route matched. A URL that is exactly one
 * of the static paths gives that path either way (a static route outranks a parametric one; the
 * decoded path of a plain path is itself), without building fastify's routeOptions object.
 */
function routePath(req: FastifyRequest): string {
  return STATIC_PATHS.has(req.url) ? req.url : (req.routeOptions.url ?? decodePath(req.url));
}

function decodePath(url: string): string {
  const raw = url.split('?', 1)[0] ?? url;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
