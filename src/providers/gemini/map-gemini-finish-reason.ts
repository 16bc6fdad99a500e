import type { FinishReason } from '../chat-schema.ts';

const CONTENT_FILTER_REASONS = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT']);

/**
 * Gemini finishReason → OpenAI finish_reason. Gemini reports STOP after function calls too, so the
 * caller says whether the candidate called tools. MALFORMED_FUNCTION_CALL, LANGUAGE and OTHER end the
 * answer without a better OpenAI equivalent than stop.
 */
export function mapGeminiFinishReason(reason: unknown, hasToolCalls: boolean): FinishReason | null {
  if (typeof reason !== 'string' || reason === '') return null;
  if (reason === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER_REASONS.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}
