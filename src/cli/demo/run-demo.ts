import { join, relative } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { startGateway, type RunningGateway } from '../../gateway/serve.ts';
import { configuredStoreOptions, SQLITE_FILE_NAME } from '../../store/open-store.ts';
import { planDemoRequests } from './demo-plan.ts';
import { runDemoTraffic } from './demo-traffic.ts';
import { DemoSetupError, fetchGatewayCatalog, mostExpensiveModel, type GatewayCatalog } from './gateway-catalog.ts';
import { startDemoProgress } from './progress-bar.ts';
import { generateDemoPrompts } from './prompts.ts';
import type { DemoRequestResult } from './send-demo-request.ts';
import { summarizeDemoResults, type DemoSummary } from './summarize-results.ts';

export interface RunDemoOptions {
  /** Working directory whose ./aigw.yaml and store the started gateway uses, as `aigw serve` there would. */
  cwd: string;
  configPath?: string;
  /** Send to this already running gateway instead of starting one. */
  url?: string;
  /** Bearer key for the gateway; default AIGW_API_KEY. Needed once API keys exist. */
  apiKey?: string;
  requests?: number;
  concurrency?: number;
  /** Delay multiplier of the simulated fleet the demo starts (0: no delays). */
  timeScale?: number;
  seed?: number;
  env?: NodeJS.ProcessEnv;
  /** Without it the demo refuses to send traffic to models that are not simulated (they cost money). */
  allowRealProviders?: boolean;
  /** Progress bar on stderr; default: when stderr is a terminal. */
  progress?: boolean;
  /** Status lines (default: stderr). */
  log?: (line: string) => void;
  /** Client timeout per request. */
  requestTimeoutMs?: number;
  /** Aborting stops the traffic early; the gateway is still shut down cleanly and the run summarized. */
  signal?: AbortSignal;
  /**
   * Store directory of the gateway the demo starts, relative to `cwd` (default DEMO_STORE_DIR): the
   * demo's synthetic traffic stays out of the store a real gateway in this directory uses.
   */
  storeDir?: string;
}

/** Where a started demo gateway keeps its rows unless told otherwise: apart from the default `./data`. */
export const DEMO_STORE_DIR = './data/demo';

export interface DemoRun {
  gatewayUrl: string;
  startedGateway: boolean;
  /** Where the started gateway wrote its rows, e.g. `sqlite data/demo/aigw.db`. */
  storeDescription: string | undefined;
  /** The store directory (AIGW_STORE_DIR) the started gateway used. */
  storeDir: string;
  catalog: GatewayCatalog;
  /** Requests planned; more than `results.length` when the run was interrupted. */
  planned: number;
  interrupted: boolean;
  results: DemoRequestResult[];
  summary: DemoSummary;
}

export const DEMO_DEFAULTS = { requests: 300, concurrency: 8, timeScale: 0.05, seed: 1 } as const;

/**
 * `aigw demo`: starts the gateway (and, without provider keys, the simulated fleet) in `cwd`, or
 * targets `url`; sends the demo traffic through the HTTP API with the openai SDK; shuts down what it
 * started (flushing the store) and returns every result with the summary numbers.
 */
export async function runDemo(opts: RunDemoOptions): Promise<DemoRun> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const requests = opts.requests ?? DEMO_DEFAULTS.requests;
  const concurrency = opts.concurrency ?? DEMO_DEFAULTS.concurrency;
  const seed = opts.seed ?? DEMO_DEFAULTS.seed;
  const prompts = generateDemoPrompts(requests, seed);

  const storeDir = demoStoreDir(opts, env);
  const gateway = opts.url ? undefined : await startDemoGateway(opts, { ...env, AIGW_STORE_DIR: storeDir }, log);
  try {
    const gatewayUrl = (opts.url ?? gateway?.url ?? '').replace(/\/+$/, '').replace(/\/v1$/, '');
    const client = new OpenAI({
      baseURL: `${gatewayUrl}/v1`,
      apiKey: opts.apiKey ?? env.AIGW_API_KEY ?? 'aigw-demo-no-key',
      // The gateway retries and falls back itself; client retries would hide its failures and add rows.
      maxRetries: 0,
      timeout: opts.requestTimeoutMs ?? 120_000,
    });
    const catalog = await fetchGatewayCatalog(client);
    assertAllowedToSpend(catalog, requests, opts.allowRealProviders === true);
    const plan = planDemoRequests(prompts, catalog, seed);

    log(`Sending ${requests} requests (seed ${seed}, concurrency ${concurrency}) to ${gatewayUrl}…`);
    const progress = startDemoProgress(requests, opts.progress ?? process.stderr.isTTY === true);
    const started = performance.now();
    let results: DemoRequestResult[];
    try {
      results = await runDemoTraffic(client, plan, {
        concurrency,
        prices: new Map(catalog.models.map((m) => [m.id, m.pricing])),
        onResult: (r) => progress.tick(r),
        signal: opts.signal,
      });
    } finally {
      progress.stop();
    }
    const durationMs = performance.now() - started;
    const summary = summarizeDemoResults(results, {
      durationMs,
      baselineModel: mostExpensiveModel(catalog.models),
      fleetSimulated: catalog.models.length > 0 && catalog.models.every((m) => m.simulated),
    });
    return {
      gatewayUrl,
      startedGateway: gateway !== undefined,
      storeDescription: gateway ? describeStore(gateway, opts.cwd, { ...env, AIGW_STORE_DIR: storeDir }) : undefined,
      storeDir,
      catalog,
      planned: requests,
      interrupted: opts.signal?.aborted === true,
      results,
      summary,
    };
  } finally {
    await gateway?.shutdown();
  }
}

/** The demo's store directory: `storeDir`, else AIGW_STORE_DIR, else DEMO_STORE_DIR (never the default ./data). */
export function demoStoreDir(opts: Pick<RunDemoOptions, 'storeDir'>, env: NodeJS.ProcessEnv): string {
  return opts.storeDir ?? env.AIGW_STORE_DIR ?? DEMO_STORE_DIR;
}

/** The gateway `aigw serve` would run in `cwd`, on a free local port, quiet except for errors. */
async function startDemoGateway(opts: RunDemoOptions, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<RunningGateway> {
  const gateway = await startGateway({
    cwd: opts.cwd,
    configPath: opts.configPath,
    port: 0,
    host: '127.0.0.1',
    env,
    logger: pino({ level: env.AIGW_LOG_LEVEL ?? 'error' }, pino.destination(2)),
    // Left to startGateway: the simulated fleet serves exactly when no provider can be called.
    simulated: undefined,
    simTimeScale: opts.timeScale ?? DEMO_DEFAULTS.timeScale,
  });
  const sim = gateway.simUrl ? ` with the SIMULATED fleet at ${gateway.simUrl} (no provider API key configured)` : '';
  log(`Started the gateway at ${gateway.url}${sim}.`);
  return gateway;
}

function assertAllowedToSpend(catalog: GatewayCatalog, requests: number, allowed: boolean): void {
  const real = catalog.models.filter((m) => !m.simulated).map((m) => m.id);
  if (real.length === 0 || allowed) return;
  throw new DemoSetupError(
    `The gateway serves real models (${real.join(', ')}): the demo would send ${requests} paid requests. ` +
      'Rerun with --allow-real-providers to do that, or unset the provider API keys to use the simulated fleet.',
  );
}

function describeStore(gateway: RunningGateway, cwd: string, env: NodeJS.ProcessEnv): string {
  const g = gateway.runtime.gateway;
  if (g.store.dialect !== 'sqlite') return g.store.dialect;
  return `sqlite ${relative(cwd, join(configuredStoreOptions(cwd, g.config.store, env).dir, SQLITE_FILE_NAME)) || SQLITE_FILE_NAME}`;
}
