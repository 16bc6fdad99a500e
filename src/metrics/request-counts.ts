import type { Counter } from 'prom-client';

/** aigw_tokens_total's kinds; a kind's index is its slot in ModelCounts.tokens. */
export const TOKEN_KINDS = ['input', 'cached_input', 'cache_write', 'output', 'reasoning'] as const;

const STATUS_CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** One model's request counts, spend and tokens since the counters last took them. */
class ModelCounts {
  costUsd = 0;
  readonly tokens = new Float64Array(TOKEN_KINDS.length);
  /** provider → requests by status class (0xx–5xx) × stream (false, true): index class * 2 + stream. */
  readonly requests = new Map<string, Float64Array>();

  constructor(readonly model: string) {}
}

/**
 * The per-request counters (aigw_requests_total, aigw_cost_usd_total, aigw_tokens_total) summed in
 * plain numbers per model and handed to prom-client when it is read (each counter's `collect`, run
 * by every scrape and `get()`): a request costs a map lookup and an add per count instead of
 * prom-client's label check, label hash string and lookup per `inc` (~1% of the gateway's CPU per
 * request with the histograms). Every count made before a read is in it.
 */
export class RequestCounts {
  private readonly byModel = new Map<string, ModelCounts>();
  /** Requests with a status outside 0–599 (none is sent), which have no slot: counted one by one. */
  private odd: Array<{ model: string; provider: string; statusClass: string; stream: boolean }> | undefined;

  private of(model: string): ModelCounts {
    let counts = this.byModel.get(model);
    if (!counts) {
      counts = new ModelCounts(model);
      this.byModel.set(model, counts);
    }
    return counts;
  }

  request(model: string, provider: string, status: number, stream: boolean): void {
    const statusClass = Math.floor(status / 100);
    const counts = this.of(model);
    let byClass = counts.requests.get(provider);
    if (!byClass) {
      byClass = new Float64Array(STATUS_CLASSES.length * 2);
      counts.requests.set(provider, byClass);
    }
    if (statusClass >= 0 && statusClass < STATUS_CLASSES.length) byClass[statusClass * 2 + (stream ? 1 : 0)]! += 1;
    else (this.odd ??= []).push({ model, provider, statusClass: `${statusClass}xx`, stream });
  }

  cost(model: string, usd: number): void {
    this.of(model).costUsd += usd;
  }

  tokens(model: string, kind: number, count: number): void {
    this.of(model).tokens[kind]! += count;
  }

  /** Adds the request counts to aigw_requests_total and starts them again from zero. */
  flushRequests(counter: Counter<'model' | 'provider' | 'status_class' | 'stream'>): void {
    for (const counts of this.byModel.values()) {
      for (const [provider, byClass] of counts.requests) {
        for (let i = 0; i < byClass.length; i++) {
          if (byClass[i] === 0) continue;
          counter.inc({ model: counts.model, provider, status_class: STATUS_CLASSES[i >> 1]!, stream: i & 1 ? 'true' : 'false' }, byClass[i]);
          byClass[i] = 0;
        }
      }
    }
    for (const o of this.odd ?? []) counter.inc({ model: o.model, provider: o.provider, status_class: o.statusClass, stream: o.stream ? 'true' : 'false' });
    this.odd = undefined;
  }

  /** Adds the spend to aigw_cost_usd_total and starts it again from zero. */
  flushCost(counter: Counter<'model'>): void {
    for (const counts of this.byModel.values()) {
      if (counts.costUsd === 0) continue;
      counter.inc({ model: counts.model }, counts.costUsd);
      counts.costUsd = 0;
    }
  }

  /** Adds the tokens to aigw_tokens_total and starts them again from zero. */
  flushTokens(counter: Counter<'model' | 'kind'>): void {
    for (const counts of this.byModel.values()) {
      for (let k = 0; k < TOKEN_KINDS.length; k++) {
        if (counts.tokens[k] === 0) continue;
        counter.inc({ model: counts.model, kind: TOKEN_KINDS[k]! }, counts.tokens[k]);
        counts.tokens[k] = 0;
      }
    }
  }
}
