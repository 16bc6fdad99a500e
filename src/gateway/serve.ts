import { createLogger } from '../util/logger.ts';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.ts';
import { buildApp } from '../server/app.ts';
import { createGateway, type GatewayRuntime } from './create-gateway.ts';
import { loadTokenizer } from '../costs/estimate-tokens.ts';
import { unknownPriceModels } from '../config/known-models/fill-known-models.ts';
import { needsSimulatedFleet, readConfig, withSimulatedFleet } from './resolve-config.ts';

/** Longest a shutdown waits for open connections (long streams) before closing them. */
const SHUTDOWN_CONNECTION_LIMIT_MS = 10_000;

export interface ServeOptions {
  cwd: string;
  configPath?: string;
  port?: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Install SIGHUP/SIGTERM/SIGINT handlers (the CLI does; tests don't). */
  handleSignals?: boolean;
  /** Force the simulated fleet on or off; default: on when no provider can be called. */
  simulated?: boolean;
  /** Delay multiplier of the simulated fleet (0 in tests). */
  simTimeScale?: number;
}

export interface RunningGateway {
  url: string;
  app: FastifyInstance;
  runtime: GatewayRuntime;
  simUrl: string | undefined;
  reload(): void;
  /** Stop accepting, finish in-flight requests, flush the log, close everything. */
  shutdown(): Promise<void>;
}

export async function startGateway(opts: ServeOptions): Promise<RunningGateway> {
  const env = opts.env ?? process.env;
  const logger = opts.logger ?? createLogger(env);
  const resolved = readConfig(opts.cwd, opts.configPath);
  const simulated = opts.simulated ?? needsSimulatedFleet(resolved.config, env);
  const sim = simulated ? await startSimulatedFleet(opts.simTimeScale ?? 1) : undefined;
  const effective = (config: GatewayConfig): GatewayConfig => (sim ? withSimulatedFleet(config, sim.url, env) : config);

  const runtime = await createGateway(effective(resolved.config), { cwd: opts.cwd, env, logger, simulated });
  const g = runtime.gateway;
  const keysExist = await g.keysRequired();
  warmUp(runtime, keysExist);
  const app = buildApp(() => runtime.gateway);
  const host = opts.host ?? g.config.server.host ?? (keysExist ? '0.0.0.0' : '127.0.0.1');
  const port = opts.port ?? g.config.server.port;
  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const scheme = g.config.server.tls ? 'https' : 'http';
  const url = `${scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${boundPort}`;

  if (!keysExist) logger.warn(`No API keys configured: listening on ${host} only, without authentication. Create one with \`aigw keys create\`.`);
  const unpriced = unknownPriceModels(g.catalog.models);
  if (unpriced.length > 0) {
    logger.warn(
      `No price known for ${unpriced.join(', ')}: their requests are logged at $0 and \`auto\` never routes to them. Add \`pricing:\` to each in aigw.yaml (\`aigw models list\` shows every model's values and sources).`,
    );
  }
  if (sim) logger.warn(`No provider configured (no models in the config): serving the SIMULATED fleet (${sim.url}) — answers are not from real models.`);
  for (const [envVar, models] of g.catalog.missingKeyEnvs()) {
    logger.warn({ env: envVar, models }, `${envVar} is not set: ${models.join(', ')} stay listed in /v1/models as unavailable and answer 503 until it is`);
  }
  logger.info({ url, store: g.store.dialect, models: g.catalog.models.length }, 'aigw gateway listening');

  const reload = () => {
    try {
      runtime.reload(effective(readConfig(opts.cwd, resolved.path).config));
      logger.info('configuration reloaded');
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'configuration reload refused; keeping the previous one');
    }
  };
  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      // Connections that finish their last response while the server drains would otherwise stay
      // open until keep-alive times out; reap them as they go idle.
      const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
      // Draining has a limit: past it, connections still open are closed so the process can exit.
      const deadline = setTimeout(() => {
        logger.warn('shutdown: closing connections still open after the drain limit');
        app.server.closeAllConnections();
      }, SHUTDOWN_CONNECTION_LIMIT_MS);
      try {
        await app.close();
      } finally {
        clearInterval(reaper);
        clearTimeout(deadline);
      }
      await runtime.close();
      if (sim) await sim.close();
    })();
    return closing;
  };
  if (opts.handleSignals) {
    process.on('SIGHUP', reload);
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        logger.info(`${signal}: finishing in-flight requests and flushing the log`);
        void shutdown().then(() => process.exit(0));
      });
    }
  }
  return { url, app, runtime, simUrl: sim?.url, reload, shutdown };
}

/** The simulated fleet, for a gateway without providers; its modules are not loaded otherwise. */
async function startSimulatedFleet(timeScale: number): Promise<{ url: string; close(): Promise<void> }> {
  const [{ startSim }, { DEFAULT_FLEET }] = await Promise.all([import('../sim/server.ts'), import('../sim/fleet.ts')]);
  return startSim({ fleet: DEFAULT_FLEET, port: 0, timeScale });
}

/**
 * Runs the router once before listening, so the first client request does not pay for lazy
 * initialisation and JIT warm-up (tens of ms otherwise). The tokenizer (65 MB, 0.3–0.9 s to load) is
 * loaded here only when API keys exist, for their budget reservations; a keyless gateway loads it on
 * the first request that counts tokens (an upstream without usage, the Messages API, the optimizer).
 */
function warmUp(runtime: GatewayRuntime, keysExist: boolean): void {
  const g = runtime.gateway;
  const messages = [{ role: 'user' as const, content: 'Summarize in one sentence: the weekly sync moved to Tuesday.' }];
  try {
    if (keysExist) loadTokenizer();
    const routingModel = Object.keys(g.config.routing.virtual_models)[0];
    if (routingModel && g.catalog.models.length > 0) g.router.decide({ routingModel, messages });
  } catch (err) {
    g.logger.warn({ err }, 'warm-up failed; the first request will initialise instead');
  }
}
