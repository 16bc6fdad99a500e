import type { ProviderType } from '../config/schema.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import { UpstreamCallError } from '../providers/upstream-client.ts';
import { upstreamModelName } from '../providers/shared/target.ts';
import type { RouteDecision } from '../router/types.ts';
import type { RequestRow } from '../store/types.ts';
import type { SpanAttributes, TraceSpan } from '../telemetry/trace-types.ts';

/**
 * The request's spans, named and attributed per the OpenTelemetry GenAI semantic conventions
 * (`gen_ai.*`) plus aigw's own (`aigw.*`). Every function takes the span as optional: with tracing off
 * there is none, and nothing here is built.
 */

export type GenAiOperation = 'chat' | 'embeddings';

/** gen_ai.provider.name's well-known values for the gateway's wire formats. */
const PROVIDER_NAMES: Record<ProviderType, string> = { openai: 'openai', anthropic: 'anthropic', gemini: 'gcp.gemini' };

/** The root span's attributes once the row is complete: what was used, what it cost, how it ended. */
export function requestEndAttributes(row: RequestRow, extra: { technique?: string; providerType?: ProviderType } = {}): SpanAttributes {
  return {
    'gen_ai.response.model': row.model_used ?? undefined,
    'gen_ai.provider.name': extra.providerType ? PROVIDER_NAMES[extra.providerType] : undefined,
    'gen_ai.usage.input_tokens': row.input_tokens,
    'gen_ai.usage.output_tokens': row.output_tokens,
    'gen_ai.response.finish_reasons': row.finish_reason ? [row.finish_reason] : undefined,
    'http.response.status_code': row.status,
    'aigw.request_id': row.id,
    'aigw.provider': row.provider ?? undefined,
    'aigw.cost_usd': row.cost_usd,
    'aigw.cache_hit': row.cache_hit,
    'aigw.task_type': row.task_type ?? undefined,
    'aigw.attempts': row.attempts,
    'aigw.overhead_ms': row.overhead_ms,
    'aigw.ttft_ms': row.ttft_ms ?? undefined,
    'aigw.usage_estimated': row.usage_estimated,
    'aigw.technique': extra.technique,
  };
}

/** Ends the request's root span from its finished row; a failed request carries its error type. */
export function endRequestSpan(span: TraceSpan | undefined, row: RequestRow, extra: { technique?: string; providerType?: ProviderType } = {}): void {
  if (!span) return;
  span.set(requestEndAttributes(row, extra));
  if (row.status >= 400) span.fail(row.error_type ?? String(row.status));
  span.end();
}

export function decisionAttributes(decision: RouteDecision): SpanAttributes {
  return {
    'aigw.routing_model': decision.routingModel,
    'aigw.task_type': decision.taskType,
    'aigw.complexity': decision.complexity,
    'aigw.goal': decision.constraints.goal,
    'aigw.chosen_model': decision.chosenModel,
    'aigw.fallbacks': decision.fallbacks,
    'aigw.route_rules': decision.rulesFired,
    'aigw.route_rule': decision.rulesFired.length > 0 ? decision.rulesFired.join(',') : 'default',
    'aigw.candidates': decision.candidates.length,
    'aigw.decision_id': decision.id,
    'aigw.decision_us': decision.decisionUs,
    'aigw.technique': decision.technique?.spec,
  };
}

function attemptAttributes(operation: GenAiOperation, target: UpstreamTarget, attempt: number): SpanAttributes {
  let address: string | undefined;
  let port: number | undefined;
  try {
    const url = new URL(target.provider.base_url);
    address = url.hostname;
    port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  } catch {
    // config validation guarantees a URL; leave the server attributes out otherwise
  }
  return {
    'gen_ai.operation.name': operation,
    'gen_ai.request.model': upstreamModelName(target),
    'gen_ai.provider.name': PROVIDER_NAMES[target.provider.type],
    'server.address': address,
    'server.port': port,
    'aigw.model': target.model.id,
    'aigw.provider': target.provider.id,
    'aigw.attempt': attempt,
  };
}

/**
 * Wraps one upstream attempt function so each call (every retry and fallback) is a CLIENT span under
 * `parent`, failed with the upstream error kind when it throws. Without a parent it is the function itself.
 */
export function tracedAttempts<T>(
  parent: TraceSpan | undefined,
  operation: GenAiOperation,
  attempt: (target: UpstreamTarget) => Promise<T>,
  onAnswer?: (span: TraceSpan, value: T) => void,
): (target: UpstreamTarget) => Promise<T> {
  if (!parent) return attempt;
  let count = 0;
  return async (target) => {
    const span = parent.child(`${operation} ${upstreamModelName(target)}`, 'client', attemptAttributes(operation, target, ++count));
    try {
      const value = await attempt(target);
      onAnswer?.(span, value);
      return value;
    } catch (err) {
      if (err instanceof UpstreamCallError) span.fail(err.upstream.kind, err.upstream.message);
      else span.fail(err instanceof Error ? err.name : 'error', err instanceof Error ? err.message : String(err));
      throw err;
    } finally {
      span.end();
    }
  };
}
