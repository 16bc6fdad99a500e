import type { ModelConfig, ProviderConfig } from '../config/schema.ts';
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, OpenAIUsage } from './chat-schema.ts';

/**
 * Token usage normalized across providers. Subsets are explicit so cost can price each kind once:
 * - inputTokens counts every prompt token, including cachedInputTokens and cacheWriteTokens;
 * - outputTokens counts every generated token, including reasoningTokens.
 */
export interface NormalizedUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

export const ZERO_USAGE: NormalizedUsage = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

/** Where a request goes: the catalog entry, its provider and the resolved API key. */
export interface UpstreamTarget {
  model: ModelConfig;
  provider: ProviderConfig;
  apiKey: string | undefined;
}

/** An HTTP request for the upstream, built by a provider's request mapping. */
export interface UpstreamHttpRequest {
  /** Path and query appended to the provider's base URL, e.g. `/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Error classes the reliability layer acts on. */
export type UpstreamErrorKind =
  | 'rate_limited' // 429: retry after retry-after, then fall back
  | 'server_error' // 5xx: retry, then fall back
  | 'overloaded' // 529 and similar: as server_error
  | 'timeout' // no answer in time: fall back
  | 'connection' // refused/reset: retry, then fall back
  | 'bad_request' // 400/422: the client's request is wrong; no retry, no fallback
  | 'not_found' // 404/405: this provider lacks the model or route (deprecated, misconfigured): fall back
  | 'auth' // 401/403: the gateway's upstream key is wrong; fall back
  | 'context_length' // prompt too long for this model: fall back to a larger one
  | 'content_filter'
  | 'stream_cut'; // the stream ended without its terminal event

export interface UpstreamError {
  kind: UpstreamErrorKind;
  status: number;
  message: string;
  /** From retry-after / retry-after-ms, in ms. */
  retryAfterMs?: number;
  /** The provider's own error code or type, e.g. `rate_limit_error`. */
  providerCode?: string;
}

/** Result of mapping a non-stream upstream response. */
export interface MappedCompletion {
  completion: ChatCompletion;
  usage: NormalizedUsage | undefined;
}

/** Stateful mapper of one upstream stream; one instance per request. */
export interface StreamMapper {
  /**
   * Maps one SSE event (its `event:` name, if any, and `data:` payload) to zero or more OpenAI chunks.
   * Returns an UpstreamError when the upstream reports an error inside the stream.
   */
  push(event: { event?: string; data: string }): ChatCompletionChunk[] | UpstreamError;
  /** Usage reported by the upstream so far (undefined if none was sent). */
  usage(): NormalizedUsage | undefined;
  /** True once the upstream sent its terminal event (`[DONE]`, `message_stop`, last Gemini chunk). */
  done(): boolean;
}

/** One wire format. Pure mappings: no I/O happens here. */
export interface ProviderAdapter {
  buildRequest(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }): UpstreamHttpRequest;
  mapResponse(body: unknown, target: UpstreamTarget, requestId: string): MappedCompletion;
  createStreamMapper(target: UpstreamTarget, requestId: string): StreamMapper;
  mapError(status: number, body: string, headers: Record<string, string | string[] | undefined>): UpstreamError;
}

export function toOpenAIUsage(u: NormalizedUsage): OpenAIUsage {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  };
}
