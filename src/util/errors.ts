/**
 * Errors the client sees, in OpenAI's shape: `{error: {message, type, param, code}}` with the right
 * HTTP status. Internal failures are logged with the request id and reach the client only as a
 * generic message, never as a stack trace.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'budget_exceeded'
  | 'upstream_error'
  | 'timeout_error'
  | 'service_unavailable'
  | 'server_error';

export interface OpenAIErrorBody {
  error: { message: string; type: ErrorType; param: string | null; code: string | null };
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly param: string | null;
  readonly code: string | null;
  /** Sent as the `retry-after` header (seconds, rounded up). */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, type: ErrorType, message: string, opts: { param?: string | null; code?: string | null; retryAfterMs?: number } = {}) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = opts.param ?? null;
    this.code = opts.code ?? null;
    this.retryAfterMs = opts.retryAfterMs;
  }

  toBody(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const errors = {
  malformedJson: (detail: string) => new GatewayError(400, 'invalid_request_error', `Malformed JSON in request body: ${detail}`, { code: 'invalid_json' }),
  invalidField: (param: string, message: string) => new GatewayError(400, 'invalid_request_error', message, { param, code: 'invalid_value' }),
  modelNotFound: (model: string) =>
    new GatewayError(404, 'not_found_error', `The model '${model}' does not exist. GET /v1/models lists the available models.`, {
      param: 'model',
      code: 'model_not_found',
    }),
  bodyTooLarge: (limitBytes: number) =>
    new GatewayError(413, 'invalid_request_error', `Request body is larger than the limit of ${limitBytes} bytes.`, {
      code: 'request_too_large',
    }),
  missingKey: () =>
    new GatewayError(401, 'authentication_error', 'Missing API key. Send it as "Authorization: Bearer <key>".', {
      code: 'missing_api_key',
    }),
  invalidKey: () => new GatewayError(401, 'authentication_error', 'Invalid or revoked API key.', { code: 'invalid_api_key' }),
  adminOnly: () => new GatewayError(401, 'authentication_error', 'This route requires the admin key.', { code: 'admin_key_required' }),
  notAdmin: () => new GatewayError(403, 'permission_error', 'This key may not use admin routes; send the admin key.', { code: 'admin_key_required' }),
  /**
   * The budget check reserves the request's worst case before calling upstream: say that amount and
   * what it is made of, since it (not the spend so far) is often what does not fit.
   */
  budgetExceeded: (b: { window: string; limitUsd: number; usedUsd: number; requestUsd: number; worstCase: string }) =>
    new GatewayError(
      429,
      'budget_exceeded',
      `Budget exceeded: this request's worst-case cost $${b.requestUsd.toFixed(6)} (${b.worstCase}) is reserved before the call, ` +
        `and it does not fit this key's ${b.window} budget of $${b.limitUsd} ($${b.usedUsd.toFixed(6)} already spent or reserved, ` +
        `$${Math.max(0, b.limitUsd - b.usedUsd).toFixed(6)} left). Send a lower max_tokens to reserve less.`,
      { code: 'budget_exceeded' },
    ),
  rateLimited: (limitPerMin: number, retryAfterMs: number) =>
    new GatewayError(429, 'rate_limit_error', `Rate limit of ${limitPerMin} requests per minute reached for this key.`, {
      code: 'rate_limit_exceeded',
      retryAfterMs,
    }),
  noHealthyUpstream: (detail: string) =>
    new GatewayError(503, 'service_unavailable', `No healthy upstream could answer: ${detail}`, { code: 'no_healthy_upstream' }),
  upstreamTimeout: (detail: string) => new GatewayError(504, 'timeout_error', `The upstream did not answer in time: ${detail}`, { code: 'upstream_timeout' }),
  providerKeyMissing: (model: string, envVar: string) =>
    new GatewayError(503, 'service_unavailable', `The model '${model}' is unavailable: its provider's API key is not set (environment variable ${envVar}).`, {
      param: 'model',
      code: 'provider_key_missing',
    }),
  /** A dependency the answer needs (the key store, budget state) is unreachable and nothing cached can stand in. */
  dependencyUnavailable: (what: string, retryAfterMs = 5_000) =>
    new GatewayError(503, 'service_unavailable', `The gateway cannot serve this request right now: ${what}. Retry shortly.`, {
      code: 'service_unavailable',
      retryAfterMs,
    }),
  internal: (requestId: string) => new GatewayError(500, 'server_error', `Internal gateway error (request ${requestId}).`, { code: 'internal_error' }),
};
