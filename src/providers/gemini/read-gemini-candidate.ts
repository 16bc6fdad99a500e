import type { ToolCall } from '../chat-schema.ts';
import { asArray, asNumber, asRecord, asString } from '../shared/wire-json.ts';

export interface GeminiCandidateContent {
  index: number;
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason: string | undefined;
}

/**
 * The parts of one candidate, split into answer text, thought summaries (`thought: true`) and
 * function calls. Gemini rarely sends call ids, so ids are derived from the request, candidate and
 * call position, which keeps them unique across the chunks of one stream.
 */
export function readGeminiCandidate(raw: unknown, position: number, requestId: string, firstToolIndex = 0): GeminiCandidateContent {
  const candidate = asRecord(raw) ?? {};
  const index = asNumber(candidate.index) ?? position;
  const result: GeminiCandidateContent = {
    index,
    text: '',
    reasoning: '',
    toolCalls: [],
    finishReason: asString(candidate.finishReason),
  };
  for (const rawPart of asArray(asRecord(candidate.content)?.parts)) {
    const part = asRecord(rawPart);
    if (!part) continue;
    const text = asString(part.text);
    if (text !== undefined) {
      if (part.thought === true) result.reasoning += text;
      else result.text += text;
      continue;
    }
    const call = asRecord(part.functionCall);
    if (call) {
      const n = firstToolIndex + result.toolCalls.length;
      result.toolCalls.push({
        id: asString(call.id) || `call_${requestId}_${index}_${n}`,
        type: 'function',
        function: { name: asString(call.name) ?? '', arguments: JSON.stringify(call.args ?? {}) },
      });
    }
  }
  return result;
}

/** Set when Gemini blocked the prompt itself; the response then has no candidates. */
export function promptBlockReason(body: unknown): string | undefined {
  return asString(asRecord(asRecord(body)?.promptFeedback)?.blockReason);
}
