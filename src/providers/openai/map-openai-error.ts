import type { UpstreamError, UpstreamErrorKind } from '../types.ts';
import { errorKindForStatus, looksLikeContextLengthError, truncateMessage } from '../shared/error-kind.ts';
import { asArray, asNumber, asRecord, asString, parseJson } from '../shared/wire-json.ts';
import type { JsonRecord } from '../shared/wire-json.ts';
import { parseRetryAfterMs } from '../retry-after.ts';

interface ErrorFields {
  message: string | undefined;
  type: string | undefined;
  code: string | undefined;
  numericCode: number | undefined;
}

/**
 * Finds the error object in the shapes OpenAI-compatible servers use: OpenAI/Groq/Together/llama.cpp
 * `{error:{message,type,param,code}}`, vLLM `{object:'error',message,type,code}`, Ollama
 * `{error:'text'}`, and a one-element array around any of them.
 */
export function extractOpenAIErrorFields(parsed: unknown): ErrorFields | undefined {
  const root: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
  const rec = asRecord(root);
  if (!rec) return undefined;
  if (typeof rec.error === 'string') return { message: rec.error, type: undefined, code: undefined, numericCode: undefined };
  const err: JsonRecord | undefined = asRecord(rec.error) ?? (rec.object === 'error' ? rec : undefined);
  if (!err) return undefined;
  const code = err.code;
  return {
    message: asString(err.message) ?? asString(asArray(err.errors).map(asRecord)[0]?.message),
    type: asString(err.type),
    code: asString(code),
    numericCode: asNumber(code) ?? asNumber(Number(asString(code))),
  };
}

const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached']);
const CONTENT_FILTER_CODES = new Set(['content_filter', 'content_policy_violation']);

/** Error kind from the status and the provider's own code/type, which is more specific. */
export function classifyOpenAIError(status: number, f: ErrorFields): UpstreamErrorKind {
  const ids = [f.code, f.type].filter((s): s is string => s !== undefined);
  if (ids.some((s) => s === 'context_length_exceeded' || s === 'exceed_context_size_error')) return 'context_length';
  // Out of credit: a retry cannot succeed, but another provider can serve the request.
  if (ids.some((s) => QUOTA_CODES.has(s))) return 'auth';
  if (ids.some((s) => CONTENT_FILTER_CODES.has(s))) return 'content_filter';
  if (ids.includes('rate_limit_exceeded')) return 'rate_limited';
  const kind = errorKindForStatus(status);
  if ((kind === 'bad_request' || status === 413) && looksLikeContextLengthError(`${f.message ?? ''} ${f.type ?? ''}`)) {
    return 'context_length';
  }
  return kind;
}

export function mapOpenAIError(status: number, body: string, headers: Record<string, string | string[] | undefined>): UpstreamError {
  const fields = extractOpenAIErrorFields(parseJson(body)) ?? {
    message: body.trim() === '' ? undefined : body,
    type: undefined,
    code: undefined,
    numericCode: undefined,
  };
  const error: UpstreamError = {
    kind: classifyOpenAIError(status, fields),
    status,
    message: truncateMessage(fields.message ?? `upstream returned HTTP ${status}`),
  };
  const providerCode = fields.code ?? fields.type;
  if (providerCode) error.providerCode = providerCode;
  const retryAfterMs = parseRetryAfterMs(headers);
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
}

/**
 * An error sent inside a 200 stream or body. There is no HTTP status, so one is inferred from a
 * numeric `code` (OpenRouter, vLLM) or the error's type, defaulting to 500.
 */
export function mapOpenAIInlineError(parsed: unknown): UpstreamError | undefined {
  const fields = extractOpenAIErrorFields(parsed);
  if (!fields) return undefined;
  const n = fields.numericCode;
  let status = n !== undefined && n >= 400 && n < 600 ? n : 500;
  if (n === undefined && (fields.code === 'rate_limit_exceeded' || fields.type === 'rate_limit_error')) status = 429;
  if (n === undefined && (fields.type === 'invalid_request_error' || fields.code === 'context_length_exceeded')) status = 400;
  const error: UpstreamError = {
    kind: classifyOpenAIError(status, fields),
    status,
    message: truncateMessage(fields.message ?? 'upstream reported an error'),
  };
  const providerCode = fields.code ?? fields.type;
  if (providerCode) error.providerCode = providerCode;
  return error;
}
