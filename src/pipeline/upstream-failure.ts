import type { FallbackOutcome } from '../reliability/call-with-fallback.ts';
import { errors, GatewayError } from '../util/errors.ts';

/** The client-facing error for a request no candidate could answer. */
export function upstreamFailure(outcome: Extract<FallbackOutcome<unknown>, { ok: false }>): GatewayError {
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
