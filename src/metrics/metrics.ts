import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ComponentHealth } from '../util/component-health.ts';
import { PlainHistogram } from './plain-histogram.ts';
import { RequestCounts } from './request-counts.ts';

/** Prometheus metrics; labels stay low-cardinality (model ids, providers, status classes, never keys). */
export class GatewayMetrics {
  readonly registry = new Registry();
  /** What each request adds to aigw_requests_total, aigw_cost_usd_total and aigw_tokens_total, taken when they are read. */
  readonly counts = new RequestCounts();
  readonly requests = new Counter({
    name: 'aigw_requests_total',
    help: 'Chat completion requests by model used, provider and HTTP status class.',
    labelNames: ['model', 'provider', 'status_class', 'stream'] as const,
    registers: [this.registry],
    collect: (): void => this.counts.flushRequests(this.requests),
  });
  /** Per-request histograms: each label set's series is found once and observed into plain numbers. */
  readonly latency = new PlainHistogram({
    name: 'aigw_request_duration_seconds',
    help: 'Total request latency seen by the client.',
    labelNames: ['model', 'stream'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly overhead = new PlainHistogram({
    name: 'aigw_overhead_seconds',
    help: 'Time spent in the gateway itself (total minus upstream).',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05],
    registers: [this.registry],
  });
  readonly ttft = new PlainHistogram({
    name: 'aigw_time_to_first_token_seconds',
    help: 'Time to the first streamed token.',
    labelNames: ['model'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: 'aigw_tokens_total',
    help: 'Tokens by model and kind (input, cached_input, cache_write, output, reasoning).',
    labelNames: ['model', 'kind'] as const,
    registers: [this.registry],
    collect: (): void => this.counts.flushTokens(this.tokens),
  });
  readonly costUsd = new Counter({
    name: 'aigw_cost_usd_total',
    help: 'Spend in USD by model.',
    labelNames: ['model'] as const,
    registers: [this.registry],
    collect: (): void => this.counts.flushCost(this.costUsd),
  });
  readonly upstreamErrors = new Counter({
    name: 'aigw_upstream_errors_total',
    help: 'Failed upstream attempts by model and error kind (retries and fallbacks included).',
    labelNames: ['model', 'kind'] as const,
    registers: [this.registry],
  });
  readonly cacheLookups = new Counter({
    name: 'aigw_cache_lookups_total',
    help: 'Response cache outcomes per chat request: hit, miss or bypass (client header or sampled request).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly cacheSavedUsd = new Counter({
    name: 'aigw_cache_saved_usd_total',
    help: 'What the answers served from the response cache cost when they were first bought upstream.',
    registers: [this.registry],
  });
  readonly routingDecisionSeconds = new PlainHistogram({
    name: 'aigw_routing_decision_seconds',
    help: 'Time the router takes to decide.',
    buckets: [0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.005],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'aigw_process_' });
  }

  /** Exposes the store writer's queue and totals, read at scrape time. */
  trackWriter(counters: () => { queued: number; written: number; failedFlushes: number; spoolBytes: number; spoolSegments: number }): void {
    new Gauge({
      name: 'aigw_store_spool_bytes',
      help: 'Bytes of log rows spooled to disk while the store was unreachable, not yet replayed.',
      registers: [this.registry],
      collect() {
        this.set(counters().spoolBytes);
      },
    });
    new Gauge({
      name: 'aigw_store_spool_batches',
      help: 'Batches of log rows waiting in the on-disk spool.',
      registers: [this.registry],
      collect() {
        this.set(counters().spoolSegments);
      },
    });
    new Gauge({
      name: 'aigw_store_queue_rows',
      help: 'Rows waiting in the batched store writer.',
      registers: [this.registry],
      collect() {
        this.set(counters().queued);
      },
    });
    new Gauge({
      name: 'aigw_store_failed_flushes',
      help: 'Store flushes that failed and were retried (rows are kept).',
      registers: [this.registry],
      collect() {
        this.set(counters().failedFlushes);
      },
    });
  }

  /** aigw_dependency_up{component}: 1 while the store / Redis answers, 0 while the gateway serves degraded without it. */
  trackHealth(health: ComponentHealth): void {
    new Gauge({
      name: 'aigw_dependency_up',
      help: 'Whether a dependency (store, redis) answers: 1 up, 0 down (the gateway serves degraded).',
      labelNames: ['component'] as const,
      registers: [this.registry],
      collect() {
        for (const [component, status] of Object.entries(health.snapshot())) this.set({ component }, status.state === 'ok' ? 1 : 0);
      },
    });
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
