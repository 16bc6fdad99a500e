import type { UpstreamError, UpstreamErrorKind } from '../types.ts';
import { errorKindForStatus, looksLikeContextLengthError, truncateMessage } from '../shared/error-kind.ts';
import { asArray, asNumber, asRecord, asString, parseJson } from '../shared/wire-json.ts';
import { parseRetryAfterMs } from '../retry-after.ts';

interface GeminiErrorFields {
  code: number | undefined;
  status: string | undefined;
  message: string | undefined;
  reasons: string[];
  retryDelayMs: number | undefined;
}

/** `"37s"` / `"1.5s"` (google.protobuf.Duration in JSON) → ms. */
function durationToMs(v: unknown): number | undefined {
  const m = typeof v === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(v) : null;
  return m?.[1] !== undefined ? Math.round(Number(m[1]) * 1000) : undefined;
}

/** Reads `{error:{code,message,status,details}}`, also inside the array that non-SSE streams use. */
function extractFields(parsed: unknown): GeminiErrorFields | undefined {
  const root: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
  const err = asRecord(asRecord(root)?.error);
  if (!err) return undefined;
  const details = asArray(err.details).map(asRecord);
  return {
    code: asNumber(err.code),
    status: asString(err.status),
    message: asString(err.message),
    reasons: details.flatMap((d) => (d && typeof d.reason === 'string' ? [d.reason] : [])),
    retryDelayMs: details.map((d) => durationToMs(d?.retryDelay)).find((ms) => ms !== undefined),
  };
}

function classify(httpStatus: number, f: GeminiErrorFields): UpstreamErrorKind {
  // An invalid key is a 400 INVALID_ARGUMENT on the Gemini API, not a 401.
  if (f.reasons.includes('API_KEY_INVALID') || /api key not valid/i.test(f.message ?? '')) return 'auth';
  switch (f.status) {
    case 'INVALID_ARGUMENT':
    case 'OUT_OF_RANGE':
      return looksLikeContextLengthError(f.message ?? '') ? 'context_length' : 'bad_request';
    // e.g. "free tier is not available in your country": this provider cannot serve, another may.
    case 'FAILED_PRECONDITION':
    case 'PERMISSION_DENIED':
    case 'UNAUTHENTICATED':
      return 'auth';
    case 'NOT_FOUND':
      return 'not_found';
    case 'RESOURCE_EXHAUSTED':
      return 'rate_limited';
    case 'UNAVAILABLE':
      return 'overloaded';
    case 'DEADLINE_EXCEEDED':
      return 'timeout';
    case 'INTERNAL':
    case 'UNKNOWN':
    case 'CANCELLED':
      return 'server_error';
    default:
      return errorKindForStatus(httpStatus);
  }
}

function toUpstreamError(httpStatus: number, f: GeminiErrorFields): UpstreamError {
  const error: UpstreamError = {
    kind: classify(httpStatus, f),
    status: httpStatus,
    message: truncateMessage(f.message ?? `upstream returned HTTP ${httpStatus}`),
  };
  if (f.status) error.providerCode = f.status;
  if (f.retryDelayMs !== undefined) error.retryAfterMs = f.retryDelayMs;
  return error;
}

export function mapGeminiError(status: number, body: string, headers: Record<string, string | string[] | undefined>): UpstreamError {
  const fields = extractFields(parseJson(body)) ?? {
    code: undefined,
    status: undefined,
    message: body.trim() === '' ? undefined : body,
    reasons: [],
    retryDelayMs: undefined,
  };
  const error = toUpstreamError(status, fields);
  const retryAfterMs = parseRetryAfterMs(headers);
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
}

/** An error object inside a 200 stream; its `code` is the HTTP status it would have had. */
export function mapGeminiInlineError(parsed: unknown): UpstreamError | undefined {
  const fields = extractFields(parsed);
  if (!fields) return undefined;
  const status = fields.code !== undefined && fields.code >= 400 && fields.code < 600 ? fields.code : 500;
  return toUpstreamError(status, fields);
}
