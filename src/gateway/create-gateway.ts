import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { createLogger } from '../util/logger.ts';
import type { GatewayConfig } from '../config/schema.ts';
import { KeyResolver } from '../auth/key-resolver.ts';
import { KeysRequired } from '../auth/keys-required.ts';
import { KeyChangeBus, keyChangeChannel } from '../auth/key-change-bus.ts';
import { FallbackRateLimiter } from '../auth/fallback-rate-limiter.ts';
import { MemoryRateLimiter } from '../auth/rate-limiter.ts';
import { RedisRateLimiter } from '../auth/redis-rate-limiter.ts';
import { LeasedRateLimiter } from '../auth/leased-rate-limiter.ts';
import { FallbackBudgetLedger } from '../costs/fallback-budget-ledger.ts';
import { ComponentHealth, oneLine } from '../util/component-health.ts';
import { DiskSpool } from '../store/disk-spool.ts';
import { connectRedis, openStoreWhenReachable } from './connect-dependencies.ts';
import { createResponseCache } from '../cache/create-response-cache.ts';
import { MemoryBudgetLedger } from '../costs/memory-budget-ledger.ts';
import { ObservedLengths } from '../optimizer/recommend/observed-lengths.ts';
import { RollupRefresher } from '../analytics/rollup/rollup-refresher.ts';
import { RedisBudgetLedger } from '../costs/redis-budget-ledger.ts';
import { LeasedBudgetLedger } from '../costs/budget-lease.ts';
import { GatewayMetrics } from '../metrics/metrics.ts';
import { UpstreamClient } from '../providers/upstream-client.ts';
import { BreakerRegistry } from '../reliability/circuit-breaker.ts';
import { LiveStats } from '../router/live-stats.ts';
import { buildRouter } from './build-router.ts';
import { preloadPredictor } from '../router/predictor/load-predictor.ts';
import { createLearning, createRetrainScheduler } from './create-learning.ts';
import { createRoutingBackend } from '../router/backends/create-routing-backend.ts';
import { BatchWriter } from '../store/batch-writer.ts';
import { configuredStoreOptions } from '../store/open-store.ts';
import { Catalog } from '../pipeline/catalog.ts';
import type { Gateway } from '../pipeline/gateway-types.ts';
import { InFlight } from '../pipeline/in-flight.ts';
import { JudgeQueue } from '../quality/judge-queue.ts';
import { startTracing } from '../telemetry/tracing.ts';
import { gatewayJudgeComplete } from '../pipeline/gateway-judge-complete.ts';
import { AlertMetrics } from '../alerts/alert-metrics.ts';
import { AlertService } from '../alerts/alert-service.ts';

export interface CreateGatewayOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  simulated?: boolean;
}

export interface GatewayRuntime {
  /** The current snapshot; read it once per request. */
  readonly gateway: Gateway;
  /** Swaps config, catalog and router; in-flight requests keep the objects they started with. */
  reload(config: GatewayConfig): void;
  close(): Promise<void>;
}

const KEYS_CHECK_TTL_MS = 2_000;
/** Longest shutdown waits for handlers whose clients already left (their rows are still to be written). */
const SHUTDOWN_DRAIN_MS = 30_000;

export async function createGateway(config: GatewayConfig, opts: CreateGatewayOptions): Promise<GatewayRuntime> {
  const env = opts.env ?? process.env;
  const logger = opts.logger ?? createLogger(env);
  const resilience = config.resilience;
  const health = new ComponentHealth(logger);
  health.track('store');
  const storeResult = (err: unknown) => (err === undefined ? health.reportOk('store') : health.reportDown('store', err));
  // The router model's binary copy is read on the thread pool while the store opens; awaited before the router is built.
  const predictorPreloaded = preloadPredictor(config.routing.model_file);
  const store = await openStoreWhenReachable(
    {
      ...configuredStoreOptions(opts.cwd, config.store, env),
      connectTimeoutMs: resilience.store_timeout_ms,
      onConnectionError: (err) => health.reportDown('store', err),
    },
    logger,
  );
  const metrics = new GatewayMetrics();
  // Started once with the first config (an exporter is process-wide; a reload does not move it).
  const tracing = await startTracing(config.telemetry, env);
  const writer = new BatchWriter(store, {
    batchSize: config.store.batch_size,
    flushIntervalMs: config.store.flush_interval_ms,
    maxQueue: config.store.max_queue,
    logger,
    spool: new DiskSpool(resolve(opts.cwd, resilience.spool_dir), resilience.spool_max_bytes),
    onStoreResult: storeResult,
  });
  metrics.trackWriter(() => writer.counters);
  metrics.trackHealth(health);
  const redisUrl = env.REDIS_URL ?? config.redis_url;
  const redisPrefix = env.AIGW_REDIS_PREFIX ?? 'aigw:';
  const redis = redisUrl ? await connectRedis(redisUrl, resilience.redis_timeout_ms, health) : undefined;
  const redisResult = (err: unknown) => (err === undefined ? health.reportOk('redis') : health.reportDown('redis', err));
  const redisDown = () => health.isDown('redis');
  const loadSpend = (keyId: string, sinceMs: number) => store.sumKeySpendSince(keyId, sinceMs);
  const redisLedger = redis ? new RedisBudgetLedger({ redis, keyPrefix: redisPrefix, rateLimitKeyPrefix: redisPrefix, loadSpend }) : undefined;
  const leased =
    redisLedger && resilience.budget_lease_ttl_ms > 0 ? new LeasedBudgetLedger({ shared: redisLedger, leaseTtlMs: resilience.budget_lease_ttl_ms }) : undefined;
  const ledger = redisLedger
    ? new FallbackBudgetLedger({
        shared: leased ?? redisLedger,
        loadSpend,
        share: resilience.redis_fallback_share,
        sharedDown: redisDown,
        onSharedResult: redisResult,
      })
    : new MemoryBudgetLedger({ loadSpend });
  const redisLimiter = redis ? new RedisRateLimiter({ redis, keyPrefix: redisPrefix }) : undefined;
  const leasedLimiter =
    redisLimiter && resilience.budget_lease_ttl_ms > 0
      ? new LeasedRateLimiter({ shared: redisLimiter, leaseTtlMs: resilience.budget_lease_ttl_ms })
      : undefined;
  const limiter = redisLimiter
    ? new FallbackRateLimiter({
        shared: leasedLimiter ?? redisLimiter,
        share: resilience.redis_fallback_share,
        sharedDown: redisDown,
        onSharedResult: redisResult,
      })
    : new MemoryRateLimiter();
  const storeLookup = {
    maxStaleMs: resilience.key_cache_max_stale_ms,
    lookupTimeoutMs: resilience.store_timeout_ms,
    onStoreResult: storeResult,
  };
  const keys = new KeyResolver({ findByHash: (hash) => store.findApiKeyByHash(hash), ttlMs: resilience.key_cache_ttl_ms, ...storeLookup });
  const keysRequired = new KeysRequired({
    anyActiveKey: async () => (await store.listApiKeys()).some((k) => k.revoked_at === null),
    ttlMs: KEYS_CHECK_TTL_MS,
    ...storeLookup,
  });
  const forgetKeys = (hash?: string) => {
    keys.invalidate(hash);
    keysRequired.invalidate();
  };
  const keyBus = redis ? new KeyChangeBus(redis, keyChangeChannel(redisPrefix), forgetKeys) : undefined;
  keyBus?.start().catch((err: unknown) => logger.warn({ err }, 'key change subscription failed; key caches fall back to their TTL'));
  health.onChange((name, state) => {
    if (name !== 'redis' || state !== 'ok') return;
    // Changes announced while disconnected were missed; spend settled locally goes to Redis.
    forgetKeys();
    if (ledger instanceof FallbackBudgetLedger) void ledger.sharedRecovered();
  });
  const liveStats = new LiveStats();
  // Background refreshes fail every interval while the store is down: the outage is logged once (health), not each time.
  const backgroundError = (what: string) => (err: unknown) => {
    if (!health.isDown('store')) logger.warn({ error: oneLine(err) }, `${what}: refresh failed`);
  };
  const observedLengths = new ObservedLengths(store.db, { onError: backgroundError('observed completion lengths') });
  observedLengths.start();
  const rollups = new RollupRefresher(store.db, { onError: backgroundError('analytics rollups') });
  rollups.start();
  const breakers = new BreakerRegistry({
    failureThreshold: config.reliability.breaker.failure_threshold,
    cooldownMs: config.reliability.breaker.cooldown_ms,
  });
  let currentConfig = config;
  await predictorPreloaded;
  const learning = await createLearning(config, store, () => currentConfig, logger);
  const retrain = learning ? createRetrainScheduler(learning, store, { cwd: opts.cwd, env }, () => currentConfig, logger) : undefined;
  // A reload that names another model file serves it without the learned state (fitted on the old base) until restart.
  const learningFor = (c: GatewayConfig) =>
    learning && c.routing.model_file === config.routing.model_file && c.routing.learning.enabled
      ? { predictor: learning.predictor, exploreShare: () => currentConfig.routing.learning.explore_share }
      : undefined;
  const routerFor = (c: GatewayConfig) => {
    // A model whose provider key is not set is never routed to: it is skipped like an open breaker.
    const keyless = new Set([...new Catalog(c, env).missingKeyEnvs().values()].flat());
    return buildRouter(c, liveStats, (id) => keyless.has(id) || breakers.get(id).isOpen(Date.now()), learningFor(c));
  };

  // The current snapshot. A reload replaces it whole (never edits it), so a request that took a
  // snapshot at its start sees one consistent config, catalog and router to its end.
  let current: Gateway = {
    config,
    catalog: new Catalog(config, env),
    router: routerFor(config),
    ...(learning ? { learning } : {}),
    routingBackend: createRoutingBackend(config),
    store,
    writer,
    ledger,
    limiter,
    keys,
    liveStats,
    observedLengths,
    upstream: new UpstreamClient(),
    breakers,
    metrics,
    cache: createResponseCache(config.cache, redis, env.AIGW_REDIS_PREFIX ?? 'aigw:'),
    logger,
    inFlight: new InFlight(),
    tracing,
    adminKey: env[config.server.admin_key_env] || undefined,
    metricsToken: (config.server.metrics_token_env && env[config.server.metrics_token_env]) || undefined,
    simulated: opts.simulated ?? false,
    health,
    keysRequired: () => keysRequired.get(),
    keysRequiredNow: () => keysRequired.peek(),
    keysChanged() {
      forgetKeys();
      keyBus?.publish().catch((err: unknown) => logger.warn({ err }, 'could not announce a key change; other replicas see it within the key cache TTL'));
    },
  };

  // Reads the current config on every offer, so a reload changes the judge's model, rates and rubrics.
  current.judge = new JudgeQueue({ config: () => current.config.quality.judge, complete: gatewayJudgeComplete(() => current), store, logger });

  // Alert rules and scheduled reviews, off the request path; idle until `alerts.destinations` names one.
  const alerts = new AlertService({
    db: store.db,
    readDb: store.readDb,
    recommendationStore: store,
    config: () => current.config,
    logger,
    metrics: new AlertMetrics(metrics.registry),
    openBreakers: () => breakers.notClosed(),
    cwd: opts.cwd,
    env,
  });
  current.alerts = alerts;
  alerts.start();

  return {
    get gateway() {
      return current;
    },
    reload(next: GatewayConfig) {
      // Build everything first so a config the router refuses leaves the running one in place.
      const router = routerFor(next);
      const routingBackend = createRoutingBackend(next);
      const catalog = new Catalog(next, env);
      current = { ...current, config: next, catalog, router, routingBackend };
      currentConfig = next;
      breakers.configure({
        failureThreshold: next.reliability.breaker.failure_threshold,
        cooldownMs: next.reliability.breaker.cooldown_ms,
      });
    },
    async close() {
      const gateway = current;
      if (!(await gateway.inFlight.drained(SHUTDOWN_DRAIN_MS))) {
        logger.warn({ inFlight: gateway.inFlight.size }, 'shutdown: requests still in flight after the drain timeout');
      }
      // Returns this replica's leases (their spend flushed) so other replicas need not wait for their TTL.
      await leased?.close().catch((err: unknown) => logger.warn({ err }, 'shutdown: budget leases not returned; they expire on their own'));
      await leasedLimiter?.close();
      // Grades in progress write their call rows through the writer: finish them first.
      await gateway.judge?.close();
      await alerts.stop();
      await writer.close();
      await retrain?.close();
      await learning?.close();
      await tracing?.close();
      await observedLengths.stop();
      await rollups.stop();
      await gateway.upstream.close();
      await store.close();
      await keyBus?.close();
      if (redis) await (redis.status === 'ready' ? redis.quit() : redis.disconnect());
    },
  };
}
