import type { ChatRequest } from '../providers/chat-schema.ts';
import type { CompletionCall } from './types.ts';

/**
 * The request one technique call sends: the client's request with the call's messages and sampling
 * overrides, asking for `choices` (n only above 1), never streamed (a technique needs whole answers).
 * Shared by the gateway's `Complete` and the one over any OpenAI-compatible endpoint.
 */
export function callBody(request: ChatRequest, call: CompletionCall, choices: number): ChatRequest {
  const body: ChatRequest = { ...request, messages: call.messages, stream: false };
  delete body.stream_options;
  if (choices > 1) body.n = choices;
  else delete body.n;
  if (call.temperature !== undefined) body.temperature = call.temperature;
  if (call.top_p !== undefined) body.top_p = call.top_p;
  if (call.max_tokens !== undefined) {
    // Some models refuse max_tokens next to max_completion_tokens: set the one the client used.
    if (body.max_completion_tokens != null) body.max_completion_tokens = call.max_tokens;
    else body.max_tokens = call.max_tokens;
  }
  return body;
}
