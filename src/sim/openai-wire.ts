import type { ChatCompletion, ChatCompletionChunk, FinishReason, OpenAIUsage } from '../providers/chat-schema.ts';
import { formatSseData, SSE_DONE } from '../providers/sse.ts';
import type { SimAnswer, SimChoice, SimPrompt } from './answer.ts';
import type { SimModel } from './fleet-schema.ts';
import { contentText, InvalidRequest, isRecord, positiveInt, stopList } from './request-text.ts';
import { byDueTime, splitFixed, splitWords, TokenClock, type TimedEvent } from './stream-plan.ts';

/** The OpenAI Chat Completions wire format of the simulator: request parsing, bodies, SSE, errors. */

export interface OpenAIRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  prompt: SimPrompt;
}

function toolChoiceOf(v: unknown): SimPrompt['toolChoice'] {
  if (v === 'none' || v === 'required' || v === 'auto') return v;
  if (isRecord(v) && isRecord(v.function) && typeof v.function.name === 'string') return { name: v.function.name };
  return 'auto';
}

function jsonModeOf(v: unknown): SimPrompt['json'] {
  if (!isRecord(v)) return undefined;
  if (v.type === 'json_object') return {};
  if (v.type === 'json_schema') return { schema: isRecord(v.json_schema) ? v.json_schema.schema : undefined };
  return undefined;
}

export function parseOpenAIRequest(body: unknown): OpenAIRequest {
  if (!isRecord(body)) throw new InvalidRequest('The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model === '') throw new InvalidRequest('you must provide a model parameter', 'model');
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new InvalidRequest("'messages' must be a non-empty array", 'messages');
  }
  let promptChars = 0;
  let lastUserText = '';
  for (const m of body.messages) {
    if (!isRecord(m) || typeof m.role !== 'string') throw new InvalidRequest('each message needs a role', 'messages');
    const text = contentText(m.content);
    promptChars += text.length;
    if (Array.isArray(m.tool_calls)) promptChars += JSON.stringify(m.tool_calls).length;
    if (m.role === 'user') lastUserText = text;
  }
  const last = body.messages[body.messages.length - 1] as Record<string, unknown>;
  const tools: SimPrompt['tools'] = [];
  if (Array.isArray(body.tools)) {
    promptChars += JSON.stringify(body.tools).length;
    for (const t of body.tools) {
      if (isRecord(t) && isRecord(t.function) && typeof t.function.name === 'string') {
        tools.push({ name: t.function.name, parameters: t.function.parameters });
      }
    }
  }
  const n = body.n === undefined || body.n === null ? 1 : positiveInt(body.n);
  if (n === undefined || n > 128) throw new InvalidRequest('n must be an integer between 1 and 128', 'n');
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
  return {
    model: body.model,
    stream: body.stream === true,
    includeUsage: streamOptions.include_usage === true,
    prompt: {
      lastUserText,
      promptChars,
      messageCount: body.messages.length,
      lastIsToolResult: last.role === 'tool' || last.role === 'function',
      tools,
      toolChoice: toolChoiceOf(body.tool_choice),
      json: jsonModeOf(body.response_format),
      maxTokens: positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens),
      n,
      stop: stopList(body.stop),
      temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
      seed: typeof body.seed === 'number' && Number.isInteger(body.seed) ? body.seed : undefined,
    },
  };
}

export function openAIUsage(answer: SimAnswer): OpenAIUsage {
  let completion = 0;
  let reasoning = 0;
  for (const c of answer.choices) {
    completion += c.completionTokens;
    reasoning += c.reasoningTokens;
  }
  return {
    prompt_tokens: answer.promptTokens,
    completion_tokens: completion,
    total_tokens: answer.promptTokens + completion,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}

function finishOf(c: SimChoice): FinishReason {
  return c.finish;
}

function toolCallId(c: SimChoice): string {
  return `call_sim_${c.toolCall?.id ?? ''}`;
}

export function openAICompletion(answer: SimAnswer, model: string, id: string, created: number): ChatCompletion {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: answer.choices.map((c, index) => ({
      index,
      message: c.toolCall
        ? {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: toolCallId(c), type: 'function', function: { name: c.toolCall.name, arguments: c.toolCall.argumentsJson } }],
            refusal: null,
          }
        : { role: 'assistant', content: c.text, refusal: null },
      logprobs: null,
      finish_reason: finishOf(c),
    })),
    usage: openAIUsage(answer),
    system_fingerprint: 'fp_simulated',
  };
}

/** The SSE events of a streamed completion, each due at its simulated time. */
export function openAIStreamEvents(
  answer: SimAnswer,
  simModel: SimModel,
  req: { model: string; includeUsage: boolean },
  id: string,
  created: number,
  timeScale: number,
): TimedEvent[] {
  const base = { id, object: 'chat.completion.chunk' as const, created, model: req.model, system_fingerprint: 'fp_simulated' };
  // Chunks are assembled from a per-request prefix: serializing ~150 whole objects per answer made
  // JSON.stringify the simulator's main cost under load. (The same `data: …\n\n` framing as formatSseData.)
  const prefix = `data: ${JSON.stringify(base).slice(0, -1)},"choices":[`;
  const suffix = req.includeUsage ? '],"usage":null}\n\n' : ']}\n\n';
  const chunk = (choices: ChatCompletionChunk['choices']): string => `${prefix}${JSON.stringify(choices).slice(1, -1)}${suffix}`;
  const contentChunk = (index: number, piece: string): string =>
    `${prefix}{"index":${index},"delta":{"content":${JSON.stringify(piece)}},"logprobs":null,"finish_reason":null}${suffix}`;
  const events: TimedEvent[] = [];
  let endMs = 0;
  answer.choices.forEach((c, index) => {
    const clock = new TokenClock(simModel, c.reasoningTokens, timeScale);
    let chars = 0;
    if (c.toolCall) {
      const call = c.toolCall;
      events.push({
        atMs: clock.firstMs(),
        wire: chunk([
          {
            index,
            delta: {
              role: 'assistant',
              content: null,
              tool_calls: [{ index: 0, id: toolCallId(c), type: 'function', function: { name: call.name, arguments: '' } }],
            },
            logprobs: null,
            finish_reason: null,
          },
        ]),
      });
      for (const piece of splitFixed(call.argumentsJson)) {
        chars += piece.length;
        events.push({
          atMs: clock.afterChars(chars),
          wire: chunk([{ index, delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, logprobs: null, finish_reason: null }]),
        });
      }
    } else {
      events.push({
        atMs: clock.firstMs(),
        wire: chunk([{ index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
      });
      for (const piece of splitWords(c.text)) {
        chars += piece.length;
        events.push({ atMs: clock.afterChars(chars), wire: contentChunk(index, piece) });
      }
    }
    const doneMs = clock.afterChars(chars);
    endMs = Math.max(endMs, doneMs);
    events.push({ atMs: doneMs, wire: chunk([{ index, delta: {}, logprobs: null, finish_reason: finishOf(c) }]) });
  });
  const sorted = answer.choices.length > 1 ? byDueTime(events) : events;
  if (req.includeUsage) sorted.push({ atMs: endMs, wire: formatSseData({ ...base, choices: [], usage: openAIUsage(answer) }) });
  sorted.push({ atMs: endMs, wire: SSE_DONE });
  return sorted;
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** OpenAI's error body for a status, with the type and code OpenAI uses for it. */
export function openAIError(status: number, message: string, param: string | null = null, code: string | null = null): OpenAIErrorBody {
  const type = status === 429 ? 'requests' : status === 401 ? 'invalid_request_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  const defaultCode = status === 429 ? 'rate_limit_exceeded' : status === 401 ? 'invalid_api_key' : null;
  return { error: { message, type, param, code: code ?? defaultCode } };
}
