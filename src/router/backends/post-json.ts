import { request } from 'undici';

/** A routing service answered with an HTTP error status. */
export class BackendHttpError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail ? `HTTP ${status}: ${detail}` : `HTTP ${status}`);
    this.name = 'BackendHttpError';
  }
}

/** Longest piece of an error body quoted in a rationale; enough to say what went wrong. */
const ERROR_DETAIL_CHARS = 200;

/**
 * POSTs JSON and returns the parsed JSON answer. Uses undici's pooled keep-alive dispatcher: a routing
 * backend sits on the request path, so a new TLS handshake per request would eat its timeout.
 */
export async function postJson(url: string, body: unknown, headers: Record<string, string>, signal: AbortSignal): Promise<unknown> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
  if (res.statusCode >= 400) {
    const text = await res.body.text().catch(() => '');
    throw new BackendHttpError(res.statusCode, errorDetail(text));
  }
  return res.body.json();
}

/** The `message` (or `detail`) of a JSON error body, else the start of the raw text. */
function errorDetail(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const nested = record.error && typeof record.error === 'object' ? (record.error as Record<string, unknown>).message : undefined;
      const message = record.message ?? record.detail ?? nested;
      if (typeof message === 'string') return message.slice(0, ERROR_DETAIL_CHARS);
    }
  } catch {
    // Not JSON: quote the text itself.
  }
  return text.trim().slice(0, ERROR_DETAIL_CHARS);
}

/** Joins a configured base URL and a path without doubling or dropping the slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}
