import type { ReliabilityConfig } from '../config/schema.ts';
import { UpstreamCallError, type AbortLike } from '../providers/upstream-client.ts';
import type { UpstreamError, UpstreamTarget } from '../providers/types.ts';
import { retryDelayMs, sleep } from './backoff.ts';
import type { BreakerRegistry } from './circuit-breaker.ts';

export interface AttemptRecord {
  model: string;
  ok: boolean;
  errorKind?: UpstreamError['kind'] | 'breaker_open';
  status?: number;
  message?: string;
}

export type FallbackOutcome<T> =
  | { ok: true; value: T; target: UpstreamTarget; attempts: AttemptRecord[] }
  | { ok: false; error: UpstreamError; clientFault: boolean; attempts: AttemptRecord[] };

const RETRYABLE = new Set<UpstreamError['kind']>(['rate_limited', 'server_error', 'overloaded', 'connection']);
/** Errors that say the client's request is wrong: another model would refuse it too. */
const CLIENT_FAULT = new Set<UpstreamError['kind']>(['bad_request', 'content_filter']);
/** Errors about this model only that say nothing of its health. */
const NOT_HEALTH = new Set<UpstreamError['kind']>(['context_length']);

/**
 * Tries each candidate in order: retries retryable failures of the same model with backoff (honouring
 * retry-after up to a cap), then falls back to the next candidate; skips models whose breaker is open.
 * With `callerRecordsSuccess` a successful attempt leaves the breaker as it is: a stream is only a
 * success once it has ended cleanly, so the relay records its outcome (and frees a half-open probe).
 */
export async function callWithFallback<T>(
  targets: readonly UpstreamTarget[],
  attempt: (target: UpstreamTarget) => Promise<T>,
  deps: { breakers: BreakerRegistry; reliability: ReliabilityConfig; now?: () => number; signal?: AbortLike; callerRecordsSuccess?: boolean },
): Promise<FallbackOutcome<T>> {
  const now = deps.now ?? Date.now;
  const { reliability } = deps;
  const attempts: AttemptRecord[] = [];
  let lastError: UpstreamError | undefined;

  for (const target of targets) {
    const breaker = deps.breakers.get(target.model.id);
    for (let retry = 0; retry <= reliability.max_retries; retry++) {
      if (!breaker.tryAcquire(now())) {
        attempts.push({ model: target.model.id, ok: false, errorKind: 'breaker_open' });
        lastError ??= { kind: 'server_error', status: 503, message: `circuit breaker open for ${target.model.id}` };
        break;
      }
      try {
        const value = await attempt(target);
        if (!deps.callerRecordsSuccess) breaker.recordSuccess();
        attempts.push({ model: target.model.id, ok: true });
        return { ok: true, value, target, attempts };
      } catch (err) {
        if (deps.signal?.aborted) {
          // The client left: not the model's fault, and nobody is waiting for a fallback.
          breaker.recordSuccess();
          const error: UpstreamError = { kind: 'connection', status: 499, message: 'the client closed the request', providerCode: 'client_closed' };
          attempts.push({ model: target.model.id, ok: false, errorKind: error.kind, status: error.status, message: error.message });
          return { ok: false, error, clientFault: true, attempts };
        }
        if (!(err instanceof UpstreamCallError)) {
          breaker.recordFailure(now()); // frees a half-open probe slot
          throw err;
        }
        const error = err.upstream;
        lastError = error;
        attempts.push({ model: target.model.id, ok: false, errorKind: error.kind, status: error.status, message: error.message });
        if (CLIENT_FAULT.has(error.kind)) {
          breaker.recordSuccess();
          return { ok: false, error, clientFault: true, attempts };
        }
        if (NOT_HEALTH.has(error.kind)) {
          breaker.recordSuccess();
          break;
        }
        breaker.recordFailure(now());
        const canRetry =
          RETRYABLE.has(error.kind) &&
          retry < reliability.max_retries &&
          (error.retryAfterMs === undefined || error.retryAfterMs <= reliability.max_retry_after_ms);
        if (!canRetry || deps.signal?.aborted) break;
        await sleep(
          retryDelayMs(retry + 1, {
            baseMs: reliability.backoff_base_ms,
            maxMs: reliability.backoff_max_ms,
            retryAfterMs: error.retryAfterMs,
          }),
          deps.signal,
        );
      }
    }
  }
  return {
    ok: false,
    error: lastError ?? { kind: 'server_error', status: 503, message: 'no candidate model' },
    clientFault: false,
    attempts,
  };
}
