import { request as undiciRequest, type Dispatcher } from 'undici';
import { costUsd, sumUsd } from '../costs/cost.ts';
import type { Pricing } from '../config/schema.ts';
import type { ChatCompletion, ChatRequest, OpenAIUsage } from '../providers/chat-schema.ts';
import type { NormalizedUsage } from '../providers/types.ts';
import { callBody } from './call-body.ts';
import { sumUsage } from './sum-usage.ts';
import type { Complete, CompletionResult } from './types.ts';

/**
 * `Complete` over any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, an aigw gateway, the
 * simulator), for `aigw optimize` and `aigw eval optimize`. The gateway itself uses its own
 * providers instead (src/pipeline/gateway-complete.ts).
 *
 * Cost of a call, in order: the `x-aigw-cost-usd` header when the endpoint is an aigw gateway (it
 * priced the call itself); else the caller's per-1M-token prices; else 0 with `costSource: 'unknown'`.
 */

export const AIGW_COST_HEADER = 'x-aigw-cost-usd';

export type CostSource = 'aigw' | 'prices' | 'unknown';

export interface HttpCompletionResult extends CompletionResult {
  costSource: CostSource;
}

export interface HttpCompleteOptions {
  /** Base URL including the version path, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey?: string;
  /** The request every call inherits its unset fields from (its model, sampling parameters …). */
  request: ChatRequest;
  /** false: the endpoint lacks `n`, so n choices are n parallel requests. Default true. */
  supportsN?: boolean;
  /** Per-1M-token prices used when the endpoint does not price its answers. */
  pricing?: Pricing;
  timeoutMs?: number;
  /** Tries per request on 429, 5xx and connection errors (default 3); the wait honours retry-after up to 5 s. */
  attempts?: number;
  dispatcher?: Dispatcher;
}

export class HttpCompleteError extends Error {
  override readonly name = 'HttpCompleteError';
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function usageOf(u: OpenAIUsage | undefined): NormalizedUsage {
  return {
    inputTokens: u?.prompt_tokens ?? 0,
    cachedInputTokens: u?.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteTokens: 0,
    outputTokens: u?.completion_tokens ?? 0,
    reasoningTokens: u?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

interface OneResponse {
  completion: ChatCompletion;
  usage: NormalizedUsage;
  costUsd: number;
  costSource: CostSource;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function httpComplete(opts: HttpCompleteOptions): Complete {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;

  async function post(body: ChatRequest): Promise<OneResponse> {
    const attempts = Math.max(1, opts.attempts ?? 3);
    for (let attempt = 1; ; attempt++) {
      try {
        return await postOnce(body);
      } catch (err) {
        const retryable = !(err instanceof HttpCompleteError) || err.status === 429 || err.status >= 500;
        if (!retryable || attempt >= attempts) throw err;
        const waitMs = err instanceof HttpCompleteError && err.retryAfterMs !== undefined ? Math.min(err.retryAfterMs, 5_000) : 200 * attempt;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  async function postOnce(body: ChatRequest): Promise<OneResponse> {
    const res = await undiciRequest(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      headersTimeout: opts.timeoutMs ?? 120_000,
      bodyTimeout: opts.timeoutMs ?? 120_000,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const retryAfterS = Number(headerValue(res.headers['retry-after']));
      throw new HttpCompleteError(
        res.statusCode,
        `${url} answered ${res.statusCode}: ${text.slice(0, 500)}`,
        Number.isFinite(retryAfterS) ? retryAfterS * 1000 : undefined,
      );
    }
    const completion = JSON.parse(text) as ChatCompletion;
    const usage = usageOf(completion.usage);
    const aigwCost = Number(headerValue(res.headers[AIGW_COST_HEADER]));
    if (headerValue(res.headers[AIGW_COST_HEADER]) !== undefined && Number.isFinite(aigwCost))
      return { completion, usage, costUsd: aigwCost, costSource: 'aigw' };
    if (opts.pricing) return { completion, usage, costUsd: costUsd(usage, opts.pricing), costSource: 'prices' };
    return { completion, usage, costUsd: 0, costSource: 'unknown' };
  }

  return async (call): Promise<HttpCompletionResult> => {
    const n = call.n ?? 1;
    const responses =
      n > 1 && opts.supportsN === false
        ? await Promise.all(Array.from({ length: n }, () => post(callBody(opts.request, call, 1))))
        : [await post(callBody(opts.request, call, n))];
    const choices = responses.flatMap((r) => r.completion.choices);
    if (choices.length !== n) throw new HttpCompleteError(502, `${url} returned ${choices.length} choices for '${call.label}'; asked for ${n}`);
    const sources = new Set(responses.map((r) => r.costSource));
    return {
      texts: choices.map((c) => c.message.content ?? ''),
      finishReasons: choices.map((c) => c.finish_reason),
      usage: sumUsage(responses.map((r) => r.usage)),
      costUsd: sumUsd(responses.map((r) => r.costUsd)),
      model: responses[0]!.completion.model,
      upstreamRequests: responses.length,
      costSource: sources.has('unknown') ? 'unknown' : sources.has('prices') ? 'prices' : 'aigw',
    };
  };
}
