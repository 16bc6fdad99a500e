import type { ChatRequest } from '../providers/chat-schema.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import type { AbortLike } from '../providers/upstream-client.ts';
import { callWithFallback, type FallbackOutcome } from '../reliability/call-with-fallback.ts';
import { errors, GatewayError } from '../util/errors.ts';
import type { TraceSpan } from '../telemetry/trace-types.ts';
import type { Gateway } from './gateway-types.ts';
import type { RequestRecord } from './request-record.ts';
import { tracedAttempts, type GenAiOperation } from './trace-spans.ts';
import type { AttemptContext } from './upstream-attempts.ts';

export type AnsweredOutcome<T> = Extract<FallbackOutcome<T>, { ok: true }>;

/** The context every attempt of one upstream request shares; `record` collects the time spent waiting. */
export function attemptContext(
  g: Pick<Gateway, 'upstream' | 'config'>,
  body: ChatRequest,
  record: RequestRecord,
  simHeaders: Record<string, string>,
  signal: AbortLike,
): AttemptContext {
  return { upstream: g.upstream, body, record, defaultTimeoutMs: g.config.reliability.default_timeout_ms, simHeaders, signal };
}

/**
 * One upstream request, as the plain and the optimized paths both make it: the targets in order
 * with retries, fallback and breakers; every failed attempt counted in aigw_upstream_errors_total;
 * `onOutcome` sees what happened (attempts, the model) before the client-facing error is thrown
 * when no target answered.
 */
export async function callUpstream<T>(
  g: Pick<Gateway, 'breakers' | 'config' | 'metrics'>,
  targets: readonly UpstreamTarget[],
  attempt: (target: UpstreamTarget) => Promise<T>,
  opts: {
    signal: AbortLike;
    callerRecordsSuccess?: boolean;
    /** The span each attempt becomes a child of, when tracing. */
    trace?: TraceSpan | undefined;
    operation?: GenAiOperation;
    onOutcome?: (outcome: FallbackOutcome<T>) => void;
  },
): Promise<AnsweredOutcome<T>> {
  const outcome = await callWithFallback(targets, tracedAttempts(opts.trace, opts.operation ?? 'chat', attempt), {
    breakers: g.breakers,
    reliability: g.config.reliability,
    signal: opts.signal,
    callerRecordsSuccess: opts.callerRecordsSuccess,
  });
  for (const a of outcome.attempts) if (!a.ok) g.metrics.upstreamErrors.inc({ model: a.model, kind: a.errorKind ?? 'unknown' });
  opts.onOutcome?.(outcome);
  if (!outcome.ok) throw upstreamFailure(outcome);
  return outcome;
}

/** Counts a call's attempts on the row and names the model that answered (or last failed). */
export function noteAttempts(record: RequestRecord, outcome: FallbackOutcome<unknown>): void {
  record.row.attempts = outcome.attempts.length;
  const last = outcome.attempts.at(-1);
  if (outcome.ok) {
    record.row.model_used = outcome.target.model.id;
    record.row.provider = outcome.target.provider.id;
  } else if (last) {
    record.row.model_used = last.model;
  }
}

/** The client-facing error for a request no candidate could answer. */
function upstreamFailure(outcome: Extract<FallbackOutcome<unknown>, { ok: false }>): GatewayError {
  const { error } = outcome;
  if (outcome.clientFault) {
    return new GatewayError(error.status >= 400 && error.status < 500 ? error.status : 400, 'invalid_request_error', error.message, {
      code: error.providerCode ?? error.kind,
    });
  }
  const tried = [...new Set(outcome.attempts.map((a) => a.model))].join(', ');
  const detail = `${error.message} (tried: ${tried || 'none'})`;
  const allTimeouts = outcome.attempts.length > 0 && outcome.attempts.every((a) => a.errorKind === 'timeout');
  if (outcome.attempts.length > 0 && outcome.attempts.every((a) => a.errorKind === 'context_length')) {
    return new GatewayError(400, 'invalid_request_error', `The prompt is too long for every candidate model: ${detail}`, {
      param: 'messages',
      code: 'context_length_exceeded',
    });
  }
  return allTimeouts ? errors.upstreamTimeout(detail) : errors.noHealthyUpstream(detail);
}
