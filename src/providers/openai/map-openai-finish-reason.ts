import type { FinishReason } from '../chat-schema.ts';

const KNOWN: ReadonlySet<string> = new Set<FinishReason>(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

// Spellings some OpenAI-compatible servers (TGI, older llama.cpp, passthrough proxies) use.
const ALIASES: Record<string, FinishReason> = {
  eos: 'stop',
  eos_token: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
};

/** Keeps OpenAI's values, maps known aliases; null means "not finished yet". */
export function mapOpenAIFinishReason(raw: unknown): FinishReason | null {
  if (typeof raw !== 'string' || raw === '') return null;
  if (KNOWN.has(raw)) return raw as FinishReason;
  return ALIASES[raw] ?? 'stop';
}
