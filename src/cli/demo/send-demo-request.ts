import OpenAI from 'openai';
import type { Pricing } from '../../config/schema.ts';
import { costUsd } from '../../costs/cost.ts';
import type { NormalizedUsage } from '../../providers/types.ts';
import type { DemoRequest } from './demo-plan.ts';
import type { DemoMessage } from './prompts.ts';

export interface DemoUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
}

/** What the demo saw of one request, from the client's side of the HTTP API. */
export interface DemoRequestResult {
  index: number;
  promptId: string;
  /** The task type the prompt was written for (the gateway's own classification is in its decision log). */
  taskType: string;
  template: string;
  modelRequested: string;
  stream: boolean;
  /** HTTP status; 0 when no response arrived or the demo was interrupted. A stream that broke after its 200 counts as 502. */
  status: number;
  /** OpenAI-style error code or type, `stream_interrupted`, or `connection_error`; null on success. */
  errorType: string | null;
  /** x-aigw-request-id: the key of the request's row in the store. */
  requestId: string | null;
  modelUsed: string | null;
  simulated: boolean;
  costUsd: number;
  /** `header`: x-aigw-cost-usd; `usage`: streamed usage × the model's catalog price (streams send cost as a trailer). */
  costSource: 'header' | 'usage' | 'none';
  /** Wall time seen by the client, request sent to last byte. */
  latencyMs: number;
  /** x-aigw-overhead-ms: the gateway's own time (for streams, up to the first byte). */
  overheadMs: number | null;
  usage: DemoUsage | null;
  routeRule: string | null;
}

export type ModelPrices = ReadonlyMap<string, Pricing>;

/** The gateway's `metadata` field: lands in the request row, so the store alone can tell demo traffic apart. */
export function demoMetadata(req: DemoRequest): Record<string, string> {
  return { source: 'aigw-demo', demo_task_type: req.prompt.taskType, demo_template: req.prompt.template };
}

/** Sends one demo request through the SDK and records the outcome; never throws for HTTP or stream failures. */
export async function sendDemoRequest(client: OpenAI, req: DemoRequest, prices: ModelPrices, signal?: AbortSignal): Promise<DemoRequestResult> {
  const started = performance.now();
  const result: DemoRequestResult = {
    index: req.index,
    promptId: req.prompt.id,
    taskType: req.prompt.taskType,
    template: req.prompt.template,
    modelRequested: req.model,
    stream: req.stream,
    status: 0,
    errorType: null,
    requestId: null,
    modelUsed: null,
    simulated: false,
    costUsd: 0,
    costSource: 'none',
    latencyMs: 0,
    overheadMs: null,
    usage: null,
    routeRule: null,
  };
  const params = {
    model: req.model,
    messages: req.prompt.messages.map(toSdkMessage),
    metadata: demoMetadata(req),
    ...(req.prompt.tools ? { tools: req.prompt.tools } : {}),
    ...(req.prompt.jsonMode ? { response_format: { type: 'json_object' as const } } : {}),
  };
  try {
    if (req.stream) {
      const { data: stream, response } = await client.chat.completions
        .create({ ...params, stream: true, stream_options: { include_usage: true } }, { signal })
        .withResponse();
      readGatewayHeaders(result, response.headers);
      result.status = response.status;
      try {
        for await (const chunk of stream) if (chunk.usage) result.usage = toDemoUsage(chunk.usage);
      } catch (err) {
        if (err instanceof OpenAI.APIUserAbortError) {
          result.status = 0;
          result.errorType = 'aborted';
        } else {
          result.status = 502;
          result.errorType = err instanceof OpenAI.APIError ? (err.code ?? err.type ?? 'stream_interrupted') : 'stream_interrupted';
        }
      }
      const pricing = result.modelUsed ? prices.get(result.modelUsed) : undefined;
      if (result.usage && pricing) {
        result.costUsd = costUsd(fromDemoUsage(result.usage), pricing);
        result.costSource = 'usage';
      }
    } else {
      const { data, response } = await client.chat.completions.create(params, { signal }).withResponse();
      readGatewayHeaders(result, response.headers);
      result.status = response.status;
      if (data.usage) result.usage = toDemoUsage(data.usage);
    }
  } catch (err) {
    if (!(err instanceof OpenAI.APIError)) throw err;
    // instanceof narrows to APIError<any, any, any>; the class's defaults type status and headers.
    const apiError = err as InstanceType<typeof OpenAI.APIError>;
    result.status = apiError.status ?? 0;
    result.errorType = errorTypeOf(apiError);
    if (apiError.headers) readGatewayHeaders(result, apiError.headers);
  }
  result.latencyMs = performance.now() - started;
  return result;
}

function errorTypeOf(err: InstanceType<typeof OpenAI.APIError>): string {
  if (err instanceof OpenAI.APIUserAbortError) return 'aborted';
  if (err instanceof OpenAI.APIConnectionError) return 'connection_error';
  return err.code ?? err.type ?? 'error';
}

function readGatewayHeaders(result: DemoRequestResult, headers: Headers): void {
  result.requestId = headers.get('x-aigw-request-id');
  result.modelUsed = headers.get('x-aigw-model');
  result.simulated = headers.get('x-aigw-simulated') === 'true';
  result.routeRule = headers.get('x-aigw-route-rule');
  const overhead = numberHeader(headers, 'x-aigw-overhead-ms');
  if (overhead !== undefined) result.overheadMs = overhead;
  const cost = numberHeader(headers, 'x-aigw-cost-usd');
  if (cost !== undefined) {
    result.costUsd = cost;
    result.costSource = 'header';
  }
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function toSdkMessage(m: DemoMessage): OpenAI.ChatCompletionMessageParam {
  switch (m.role) {
    case 'system':
      return { role: 'system', content: m.content };
    case 'assistant':
      return { role: 'assistant', content: m.content };
    case 'user':
      return { role: 'user', content: m.content };
  }
}

function toDemoUsage(u: OpenAI.CompletionUsage): DemoUsage {
  return {
    promptTokens: u.prompt_tokens,
    completionTokens: u.completion_tokens,
    cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/** Usage in the gateway's normalized form (the OpenAI wire does not carry cache writes). */
export function fromDemoUsage(u: DemoUsage): NormalizedUsage {
  return {
    inputTokens: u.promptTokens,
    cachedInputTokens: u.cachedTokens,
    cacheWriteTokens: 0,
    outputTokens: u.completionTokens,
    reasoningTokens: u.reasoningTokens,
  };
}
