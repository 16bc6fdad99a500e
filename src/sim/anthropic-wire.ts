import { formatSseEvent } from '../providers/sse.ts';
import type { SimAnswer, SimChoice, SimPrompt } from './answer.ts';
import type { SimModel } from './fleet-schema.ts';
import { contentText, InvalidRequest, isRecord, positiveInt, stopList } from './request-text.ts';
import { splitFixed, splitWords, TokenClock, type TimedEvent } from './stream-plan.ts';

/** The Anthropic Messages wire format of the simulator: request parsing, bodies, SSE, errors. */

export interface AnthropicRequest {
  model: string;
  stream: boolean;
  prompt: SimPrompt;
}

function toolChoiceOf(v: unknown): SimPrompt['toolChoice'] {
  if (!isRecord(v)) return 'auto';
  if (v.type === 'none') return 'none';
  if (v.type === 'any') return 'required';
  if (v.type === 'tool' && typeof v.name === 'string') return { name: v.name };
  return 'auto';
}

function endsWithToolResult(content: unknown): boolean {
  return Array.isArray(content) && content.some((b) => isRecord(b) && b.type === 'tool_result');
}

export function parseAnthropicRequest(body: unknown): AnthropicRequest {
  if (!isRecord(body)) throw new InvalidRequest('The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model === '') throw new InvalidRequest('model: Field required', 'model');
  const maxTokens = positiveInt(body.max_tokens);
  if (maxTokens === undefined) throw new InvalidRequest('max_tokens: Field required', 'max_tokens');
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw new InvalidRequest('messages: at least one message is required', 'messages');
  let promptChars = contentText(body.system).length;
  let lastUserText = '';
  for (const m of body.messages) {
    if (!isRecord(m) || (m.role !== 'user' && m.role !== 'assistant')) {
      throw new InvalidRequest('messages: roles must be "user" or "assistant"', 'messages');
    }
    const text = contentText(m.content);
    promptChars += text.length;
    if (Array.isArray(m.content)) {
      for (const b of m.content) if (isRecord(b) && b.type === 'tool_use') promptChars += JSON.stringify(b.input ?? {}).length;
    }
    if (m.role === 'user') lastUserText = text;
  }
  const last = body.messages[body.messages.length - 1] as Record<string, unknown>;
  const tools: SimPrompt['tools'] = [];
  if (Array.isArray(body.tools)) {
    promptChars += JSON.stringify(body.tools).length;
    for (const t of body.tools) if (isRecord(t) && typeof t.name === 'string') tools.push({ name: t.name, parameters: t.input_schema });
  }
  return {
    model: body.model,
    stream: body.stream === true,
    prompt: {
      lastUserText,
      promptChars,
      messageCount: body.messages.length,
      lastIsToolResult: last.role === 'user' && endsWithToolResult(last.content),
      tools,
      toolChoice: toolChoiceOf(body.tool_choice),
      maxTokens,
      n: 1,
      stop: stopList(body.stop_sequences),
      temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
    },
  };
}

type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';

function stopReasonOf(c: SimChoice): StopReason {
  if (c.finish === 'tool_calls') return 'tool_use';
  if (c.finish === 'length') return 'max_tokens';
  return c.stopSequence === undefined ? 'end_turn' : 'stop_sequence';
}

function toolUseId(c: SimChoice): string {
  return `toolu_sim_${c.toolCall?.id ?? ''}`;
}

export function anthropicUsage(answer: SimAnswer) {
  return {
    input_tokens: answer.promptTokens,
    output_tokens: answer.choices[0]?.completionTokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

export function anthropicMessage(answer: SimAnswer, model: string, id: string) {
  const c = answer.choices[0]!;
  const content = c.toolCall
    ? [{ type: 'tool_use', id: toolUseId(c), name: c.toolCall.name, input: JSON.parse(c.toolCall.argumentsJson) as unknown }]
    : [{ type: 'text', text: c.text }];
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReasonOf(c),
    stop_sequence: c.stopSequence ?? null,
    usage: anthropicUsage(answer),
  };
}

/** message_start, content_block_start, ping, content_block_delta…, content_block_stop, message_delta, message_stop. */
export function anthropicStreamEvents(answer: SimAnswer, simModel: SimModel, model: string, id: string, timeScale: number): TimedEvent[] {
  const c = answer.choices[0]!;
  const clock = new TokenClock(simModel, c.reasoningTokens, timeScale);
  const usage = anthropicUsage(answer);
  const events: TimedEvent[] = [
    {
      atMs: 0,
      wire: formatSseEvent('message_start', {
        type: 'message_start',
        message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
      }),
    },
  ];
  const first = clock.firstMs();
  let chars = 0;
  if (c.toolCall) {
    events.push({
      atMs: first,
      wire: formatSseEvent('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: toolUseId(c), name: c.toolCall.name, input: {} },
      }),
    });
    events.push({ atMs: first, wire: formatSseEvent('ping', { type: 'ping' }) });
    for (const piece of splitFixed(c.toolCall.argumentsJson)) {
      chars += piece.length;
      events.push({
        atMs: clock.afterChars(chars),
        wire: formatSseEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: piece } }),
      });
    }
  } else {
    events.push({
      atMs: first,
      wire: formatSseEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    });
    events.push({ atMs: first, wire: formatSseEvent('ping', { type: 'ping' }) });
    for (const piece of splitWords(c.text)) {
      chars += piece.length;
      events.push({
        atMs: clock.afterChars(chars),
        wire: formatSseEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } }),
      });
    }
  }
  const endMs = clock.afterChars(chars);
  events.push({ atMs: endMs, wire: formatSseEvent('content_block_stop', { type: 'content_block_stop', index: 0 }) });
  events.push({
    atMs: endMs,
    wire: formatSseEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReasonOf(c), stop_sequence: c.stopSequence ?? null },
      usage: { output_tokens: usage.output_tokens },
    }),
  });
  events.push({ atMs: endMs, wire: formatSseEvent('message_stop', { type: 'message_stop' }) });
  return events;
}

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

/** Anthropic's error body for a status, with the error type Anthropic documents for it. */
export function anthropicError(status: number, message: string): AnthropicErrorBody {
  const type =
    status === 400
      ? 'invalid_request_error'
      : status === 401
        ? 'authentication_error'
        : status === 403
          ? 'permission_error'
          : status === 404
            ? 'not_found_error'
            : status === 413
              ? 'request_too_large'
              : status === 429
                ? 'rate_limit_error'
                : status === 529 || status === 503
                  ? 'overloaded_error'
                  : status >= 500
                    ? 'api_error'
                    : 'invalid_request_error';
  return { type: 'error', error: { type, message } };
}
