/**
 * The gateway's errors in Anthropic's shape, `{type: "error", error: {type, message}, request_id}`,
 * with the HTTP status unchanged (the Anthropic SDK picks its error class from the status).
 */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
  request_id: string;
}

function anthropicErrorType(status: number): string {
  if (status === 400 || status === 422) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  if (status === 504) return 'timeout_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

/** `code` (the gateway's own, e.g. budget_exceeded) is kept in the message so nothing is lost. */
export function anthropicErrorBody(status: number, message: string, code: string | null, requestId: string): AnthropicErrorBody {
  return {
    type: 'error',
    error: { type: anthropicErrorType(status), message: code ? `${message} [${code}]` : message },
    request_id: requestId,
  };
}
