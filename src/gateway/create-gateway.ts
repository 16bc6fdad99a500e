import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.ts';
import { KeyResolver } from '../auth/key-resolver.ts';
import { MemoryRateLimiter } from '../auth/rate-limiter.ts';
import { RedisRateLimiter } from '../auth/redis-rate-limiter.ts';
import { createResponseCache } from '../cache/create-response-cache.ts';
import { MemoryBudgetLedger } from '../costs/memory-budget-ledger.ts';
import { ObservedLengths } from '../optimizer/recommend/observed-lengths.ts';
import { RollupRefresher } from '../analytics/rollup/rollup-refresher.ts';
import { RedisBudgetLedger } from '../costs/redis-budget-ledger.ts';
import { GatewayMetrics } from '../metrics/metrics.ts';
import { UpstreamClient } from '../providers/upstream-client.ts';
import { BreakerRegistry } from '../reliability/circuit-breaker.ts';
import { LiveStats } from '../router/live-stats.ts';
import { buildRouter } from './build-router.ts';
import { createRoutingBackend } from '../router/backends/create-routing-backend.ts';
import { BatchWriter } from '../store/batch-writer.ts';
import { openStore } from '../store/open-store.ts';
import { Catalog } from '../pipeline/catalog.ts';
import type { Gateway } from '../pipeline/gateway-types.ts';
import { InFlight } from '../pipeline/in-flight.ts';
import { JudgeQueue } from '../quality/judge-queue.ts';
import { gatewayJudgeComplete } from '../pipeline/gateway-judge-complete.ts';

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
  const logger = opts.logger ?? pino({ level: env.AIGW_LOG_LEVEL ?? 'info' });
  const store = await openStore({
    databaseUrl: env.DATABASE_URL ?? config.store.database_url,
    dir: resolve(opts.cwd, config.store.dir),
    schema: config.store.pg_schema,
  });
  const metrics = new GatewayMetrics();
  const writer = new BatchWriter(store, {
    batchSize: config.store.batch_size,
    flushIntervalMs: config.store.flush_interval_ms,
    maxQueue: config.store.max_queue,
    logger,
  });
  metrics.trackWriter(() => writer.counters);
  const redisUrl = env.REDIS_URL ?? config.redis_url;
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false }) : undefined;
  const loadSpend = (keyId: string, sinceMs: number) => store.sumKeySpendSince(keyId, sinceMs);
  const ledger = redis
    ? new RedisBudgetLedger({ redis, keyPrefix: env.AIGW_REDIS_PREFIX ?? 'aigw:', loadSpend })
    : new MemoryBudgetLedger({ loadSpend });
  const limiter = redis
    ? new RedisRateLimiter({ redis, keyPrefix: env.AIGW_REDIS_PREFIX ?? 'aigw:' })
    : new MemoryRateLimiter();
  const keys = new KeyResolver({ findByHash: (hash) => store.findApiKeyByHash(hash) });
  const liveStats = new LiveStats();
  const observedLengths = new ObservedLengths(store.db, { onError: (err) => logger.warn({ err }, 'observed completion lengths: refresh failed') });
  observedLengths.start();
  const rollups = new RollupRefresher(store.db, { onError: (err) => logger.warn({ err }, 'analytics rollups: refresh failed') });
  rollups.start();
  const breakers = new BreakerRegistry({
    failureThreshold: config.reliability.breaker.failure_threshold,
    cooldownMs: config.reliability.breaker.cooldown_ms,
  });
  const routerFor = (c: GatewayConfig) => buildRouter(c, liveStats, (id) => breakers.get(id).isOpen(Date.now()));

  let keysRequiredCache = { value: false, atMs: 0 };
  // The current snapshot. A reload replaces it whole (never edits it), so a request that took a
  // snapshot at its start sees one consistent config, catalog and router to its end.
  let current: Gateway = {
    config,
    catalog: new Catalog(config, env),
    router: routerFor(config),
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
    adminKey: env[config.server.admin_key_env] || undefined,
    simulated: opts.simulated ?? false,
    async keysRequired() {
      const now = Date.now();
      if (keysRequiredCache.value || now - keysRequiredCache.atMs < KEYS_CHECK_TTL_MS) return keysRequiredCache.value;
      const active = (await store.listApiKeys()).some((k) => k.revoked_at === null);
      keysRequiredCache = { value: active, atMs: now };
      return active;
    },
    keysChanged() {
      // Once keys have existed, revoking the last one must not reopen the gateway to everyone.
      if (!keysRequiredCache.value) keysRequiredCache = { value: false, atMs: 0 };
      keys.invalidate();
    },
  };

  // Reads the current config on every offer, so a reload changes the judge's model, rates and rubrics.
  current.judge = new JudgeQueue({ config: () => current.config.quality.judge, complete: gatewayJudgeComplete(() => current), store, logger });

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
      // Grades in progress write their call rows through the writer: finish them first.
      await gateway.judge?.close();
      await writer.close();
      await observedLengths.stop();
      await rollups.stop();
      await gateway.upstream.close();
      await store.close();
      if (redis) await redis.quit();
    },
  };
}
