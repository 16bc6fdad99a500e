import type { UpstreamErrorKind } from '../types.ts';

/** Default error class for an HTTP status, before any provider-specific code refines it. */
export function errorKindForStatus(status: number): UpstreamErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status >= 500) return 'server_error';
  if (status === 404 || status === 405) return 'not_found';
  if (status >= 400) return 'bad_request';
  // A 2xx/3xx that still failed to parse means the upstream misbehaved.
  return 'server_error';
}

// Phrasings of "prompt too long" across OpenAI, vLLM, llama.cpp, Anthropic, Gemini and others.
const CONTEXT_LENGTH_PATTERNS: RegExp[] = [
  /context[_ ]length/i,
  /context (window|limit|size)/i,
  /exceed_context_size/i,
  /prompt is too long/i,
  /input token count.*exceeds/i,
  /too many (input|prompt) tokens/i,
];

export function looksLikeContextLengthError(text: string): boolean {
  return CONTEXT_LENGTH_PATTERNS.some((re) => re.test(text));
}

/** Upstream error messages are shown to operators; keep a runaway HTML page from flooding logs. */
export function truncateMessage(text: string, maxChars = 500): string {
  const trimmed = text.trim();
  return trimmed.length > maxChars ? `${trimmed.slice(0, maxChars)}…` : trimmed;
}
