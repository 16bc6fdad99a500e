import type { ChatCompletion, ChatCompletionChoice, ToolCall } from '../chat-schema.ts';
import { toOpenAIUsage } from '../types.ts';
import type { MappedCompletion, UpstreamTarget } from '../types.ts';
import { UpstreamCallError } from '../upstream-client.ts';
import { fallbackCompletionId, nowUnixSeconds } from '../shared/target.ts';
import { asArray, asRecord, asString } from '../shared/wire-json.ts';
import { normalizeAnthropicUsage } from './anthropic-usage.ts';
import { JSON_RESPONSE_TOOL_NAME } from './convert-to-anthropic-tools.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';

/** Thinking text travels as `reasoning_content`, the field vLLM and DeepSeek clients already read. */
export type MessageWithReasoning = ChatCompletionChoice['message'] & { reasoning_content?: string };

/** Anthropic Message → OpenAI chat.completion. */
export function mapAnthropicResponse(body: unknown, target: UpstreamTarget, requestId: string): MappedCompletion {
  const rec = asRecord(body);
  if (!rec || !Array.isArray(rec.content)) {
    throw new UpstreamCallError({ kind: 'server_error', status: 502, message: 'upstream response is not an Anthropic message' });
  }
  let text = '';
  let reasoning = '';
  let answeredWithJsonTool = false;
  const toolCalls: ToolCall[] = [];
  for (const raw of asArray(rec.content)) {
    const block = asRecord(raw);
    if (!block) continue;
    if (block.type === 'text') text += asString(block.text) ?? '';
    else if (block.type === 'thinking') reasoning += asString(block.thinking) ?? '';
    else if (block.type === 'tool_use') {
      const name = asString(block.name) ?? '';
      const args = JSON.stringify(block.input ?? {});
      if (name === JSON_RESPONSE_TOOL_NAME) {
        text += args;
        answeredWithJsonTool = true;
      } else {
        toolCalls.push({ id: asString(block.id) ?? `call_${toolCalls.length}`, type: 'function', function: { name, arguments: args } });
      }
    }
  }
  const message: MessageWithReasoning = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning_content = reasoning;
  const finish = mapAnthropicFinishReason(rec.stop_reason);
  const usage = normalizeAnthropicUsage(rec.usage);
  const completion: ChatCompletion = {
    id: asString(rec.id) || fallbackCompletionId(requestId),
    object: 'chat.completion',
    created: nowUnixSeconds(),
    model: target.model.id,
    choices: [
      {
        index: 0,
        message,
        finish_reason: answeredWithJsonTool && finish === 'tool_calls' ? 'stop' : (finish ?? 'stop'),
        logprobs: null,
      },
    ],
  };
  if (usage) completion.usage = toOpenAIUsage(usage);
  return { completion, usage };
}
