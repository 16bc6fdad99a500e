import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.ts';
import type { BudgetLedger } from '../costs/budget-ledger.ts';
import type { KeyResolver } from '../auth/key-resolver.ts';
import type { ResponseCache } from '../cache/response-cache.ts';
import type { RateLimiter } from '../auth/rate-limiter.ts';
import type { GatewayMetrics } from '../metrics/metrics.ts';
import type { ObservedLengths } from '../optimizer/recommend/observed-lengths.ts';
import type { UpstreamClient } from '../providers/upstream-client.ts';
import type { BreakerRegistry } from '../reliability/circuit-breaker.ts';
import type { LiveStats } from '../router/live-stats.ts';
import type { Router } from '../router/router.ts';
import type { RoutingBackend } from '../router/backends/routing-backend.ts';
import type { BatchWriter } from '../store/batch-writer.ts';
import type { Store } from '../store/types.ts';
import type { Catalog } from './catalog.ts';
import type { InFlight } from './in-flight.ts';
import type { JudgeQueue } from '../quality/judge-queue.ts';
import type { LearningLoop } from '../router/learning/learning-loop.ts';
import type { ComponentHealth } from '../util/component-health.ts';
import type { Tracing } from '../telemetry/trace-types.ts';
import type { AlertService } from '../alerts/alert-service.ts';

/** Everything the request path needs, built once at start; `catalog` and `router` swap on reload. */
export interface Gateway {
  config: GatewayConfig;
  catalog: Catalog;
  router: Router;
  /** Re-picks the router's choice with an external service when configured; swaps on reload with `router`. */
  routingBackend: RoutingBackend;
  store: Store;
  writer: BatchWriter;
  ledger: BudgetLedger;
  limiter: RateLimiter;
  keys: KeyResolver;
  liveStats: LiveStats;
  upstream: UpstreamClient;
  breakers: BreakerRegistry;
  metrics: GatewayMetrics;
  /** Exact-match response cache (Redis when configured, else in-process); used only with `cache.enabled`. */
  cache: ResponseCache;
  logger: Logger;
  /** Recent completion lengths per task type, refreshed from the request log in the background (max_tokens sizing). */
  observedLengths: ObservedLengths;
  /** Background LLM-as-judge (`quality.judge`); the request path offers each written row (see docs/quality-signals.md). */
  judge?: JudgeQueue;
  /** The router learning from outcomes (`routing.learning`): decision-time rows and the background refit. */
  learning?: LearningLoop;
  /** Alert rules and scheduled reviews (docs/alerts.md); evaluates only while a destination is configured. */
  alerts?: AlertService;
  /** Chat requests being handled; shutdown waits for them before the log writer closes. */
  inFlight: InFlight;
  adminKey: string | undefined;
  /** When set (server.metrics_token_env), /metrics requires it as a bearer token. */
  metricsToken: string | undefined;
  /** Up/down state of the store and Redis: /health, /metrics and the fallbacks read it. */
  health: ComponentHealth;
  /** True once at least one active API key exists; until then requests need no key (localhost only). */
  keysRequired(): Promise<boolean>;
  /** keysRequired()'s answer when it needs no store lookup; undefined when it would wait for one. */
  keysRequiredNow?(): boolean | undefined;
  /** Call after creating or revoking keys: this replica forgets its key cache, the others hear it through Redis. */
  keysChanged(): void;
  /** OpenTelemetry tracing, present only when an OTLP endpoint is configured (telemetry.otlp_endpoint). */
  tracing?: Tracing;
  /** Labels shown when the simulated fleet is serving (no real provider configured). */
  simulated: boolean;
}
