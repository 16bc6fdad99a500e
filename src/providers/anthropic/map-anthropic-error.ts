import type { UpstreamError, UpstreamErrorKind } from '../types.ts';
import { errorKindForStatus, looksLikeContextLengthError, truncateMessage } from '../shared/error-kind.ts';
import { asRecord, asString, parseJson } from '../shared/wire-json.ts';
import { parseRetryAfterMs } from '../retry-after.ts';

// HTTP status of each documented Anthropic error type, for errors that arrive inside a 200 stream.
const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

interface AnthropicErrorFields {
  type: string | undefined;
  message: string | undefined;
  detailCode: string | undefined;
}

function extractFields(parsed: unknown): AnthropicErrorFields | undefined {
  const err = asRecord(asRecord(parsed)?.error);
  if (!err) return undefined;
  return {
    type: asString(err.type),
    message: asString(err.message),
    detailCode: asString(asRecord(err.details)?.error_code),
  };
}

function classify(status: number, f: AnthropicErrorFields): UpstreamErrorKind {
  // A monthly spend cap also answers 429 rate_limit_error, but no retry helps until the cap lifts.
  if (f.detailCode === 'enforced_spend_limit_reached') return 'auth';
  switch (f.type) {
    case 'invalid_request_error':
      return looksLikeContextLengthError(f.message ?? '') ? 'context_length' : 'bad_request';
    case 'authentication_error':
    case 'permission_error':
    case 'billing_error':
      return 'auth';
    case 'not_found_error':
      return 'not_found';
    case 'request_too_large':
      return 'bad_request';
    case 'rate_limit_error':
      return 'rate_limited';
    case 'overloaded_error':
      return 'overloaded';
    case 'timeout_error':
      return 'timeout';
    case 'api_error':
      return 'server_error';
    default:
      return errorKindForStatus(status);
  }
}

function toUpstreamError(status: number, f: AnthropicErrorFields): UpstreamError {
  const error: UpstreamError = {
    kind: classify(status, f),
    status,
    message: truncateMessage(f.message ?? `upstream returned HTTP ${status}`),
  };
  if (f.type) error.providerCode = f.type;
  return error;
}

/** Anthropic error body `{type:'error', error:{type, message}, request_id}` → UpstreamError. */
export function mapAnthropicError(status: number, body: string, headers: Record<string, string | string[] | undefined>): UpstreamError {
  const fields = extractFields(parseJson(body)) ?? {
    type: undefined,
    message: body.trim() === '' ? undefined : body,
    detailCode: undefined,
  };
  const error = toUpstreamError(status, fields);
  const retryAfterMs = parseRetryAfterMs(headers);
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
}

/** An `event: error` inside a stream; its status is the one the same error has outside a stream. */
export function mapAnthropicStreamError(parsed: unknown): UpstreamError {
  const fields = extractFields(parsed) ?? { type: undefined, message: 'upstream stream error', detailCode: undefined };
  return toUpstreamError((fields.type && STATUS_BY_TYPE[fields.type]) || 500, fields);
}
