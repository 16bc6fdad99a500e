import { hash } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  type ChatCompletionFunctionDefinition,
  COMPLETION_REQUEST_TOKEN_OVERHEAD,
  FUNCTION_CALL_METADATA_TOKEN_OVERHEAD,
  FUNCTION_CALL_NAME_TOKEN_OVERHEAD,
  FUNCTION_CALL_NONE_TOKEN_OVERHEAD,
  FUNCTION_DEFINITION_TOKEN_OVERHEAD,
  FUNCTION_ROLE_TOKEN_DISCOUNT,
  MESSAGE_NAME_TOKEN_OVERHEAD,
  MESSAGE_TOKEN_OVERHEAD,
  SYSTEM_FUNCTION_TOKEN_DEDUCTION,
  formatFunctionDefinitions,
} from 'gpt-tokenizer/functionCalling';
import type { ChatMessage, ContentPart, ToolChoice, ToolDefinition } from '../providers/chat-schema.ts';

/**
 * Prompt token counts with the o200k_base encoding (GPT-4o, 4.1, 5, o-series), used when an
 * upstream reports no usage and to size budget reservations and routing before the call.
 *
 * Speed: exact BPE on a 90k-character, ~20k-token prompt took 5 ms (README prose) to 21 ms
 * (TypeScript declarations) on the dev machine, blocking the event loop. So text up to
 * EXACT_CHAR_LIMIT is counted exactly; longer text is estimated from SAMPLE_COUNT evenly spaced
 * windows of SAMPLE_CHARS characters, scaled by length: 0.7–1.5 ms on the same prompts, within
 * 0.1% and 3% of the exact count. Sampling keeps the text's own chars-per-token ratio (code, CJK
 * and prose differ 3×), so it is far closer than a fixed "4 chars per token".
 *
 * Message overhead follows OpenAI's cookbook: 3 tokens per message plus the role, 1 more with a
 * `name`, and 3 priming the reply. Tool definitions are rendered the way OpenAI renders them to the
 * model (a TypeScript `namespace functions`, via gpt-tokenizer's formatter); gpt-tokenizer checks
 * these rules against token counts reported by the API, and our test replays those cases.
 * Images count as OpenAI bills them without knowing their size: 85 tokens at `detail: low`, 765
 * (a 1024×1024 image in 512-px tiles) otherwise. Audio and file parts are not counted.
 */

type CountTokens = (text: string, options: { disallowedSpecial: Set<string> }) => number;
let loadedCountTokens: CountTokens | undefined;

/**
 * The o200k_base encoding is loaded on the first count, not with the module: its rank table holds
 * ~65 MB of RSS and takes 0.3–0.9 s to build, which a gateway that never counts (upstreams report
 * usage, no budgets) should not pay. `loadTokenizer()` loads it ahead of need (at start when API keys exist).
 */
export function loadTokenizer(): void {
  loadedCountTokens ??= (createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as { countTokens: CountTokens }).countTokens;
}

function countTokens(text: string, options: { disallowedSpecial: Set<string> }): number {
  loadTokenizer();
  return loadedCountTokens!(text, options);
}

export const EXACT_CHAR_LIMIT = 16_000;
const SAMPLE_COUNT = 6;
const SAMPLE_CHARS = 2_000;
const IMAGE_LOW_DETAIL_TOKENS = 85;
const IMAGE_DEFAULT_TOKENS = 765;

/** User text is text: special-token markers such as `<|endoftext|>` are counted, never rejected. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Exact o200k_base token count, whatever the length. */
export function countTextTokensExact(text: string): number {
  return text.length === 0 ? 0 : countTokens(text, PLAIN_TEXT);
}

/** Token count: exact up to EXACT_CHAR_LIMIT characters, sampled estimate above (see module doc). */
export function countTextTokens(text: string): number {
  if (text.length <= EXACT_CHAR_LIMIT) return countTextTokensExact(text);
  const stride = (text.length - SAMPLE_CHARS) / (SAMPLE_COUNT - 1);
  let sampledTokens = 0;
  for (let i = 0; i < SAMPLE_COUNT; i++) {
    const start = Math.round(i * stride);
    sampledTokens += countTokens(text.slice(start, start + SAMPLE_CHARS), PLAIN_TEXT);
  }
  return Math.ceil((sampledTokens * text.length) / (SAMPLE_COUNT * SAMPLE_CHARS));
}

/** Longest prompt text whose count is cached, and most cached counts (~100 bytes each: ≤ ~1 MB). */
const CACHED_TEXT_MAX_CHARS = EXACT_CHAR_LIMIT;
const CACHE_MAX_ENTRIES = 10_000;
const promptTextTokens = new Map<string, number>();

/**
 * countTextTokens of a prompt's text, remembered: a budget reservation counts every prompt, and
 * prompts repeat their texts (system prompts, a conversation's earlier turns resent each turn, role
 * names), which cost a BPE pass and its garbage each time. Keyed by the text's SHA-1, so no prompt
 * text stays in memory (`log_content` off means off). Bounded by entry count; the oldest go first.
 */
function countPromptTextTokens(text: string): number {
  if (text.length > CACHED_TEXT_MAX_CHARS) return countTextTokens(text);
  const key = hash('sha1', text, 'base64');
  const cached = promptTextTokens.get(key);
  if (cached !== undefined) return cached;
  const tokens = countTextTokens(text);
  promptTextTokens.set(key, tokens);
  if (promptTextTokens.size > CACHE_MAX_ENTRIES) promptTextTokens.delete(promptTextTokens.keys().next().value!);
  return tokens;
}

/** How many prompt-text counts the cache holds (for tests). */
export function cachedPromptTextCount(): number {
  return promptTextTokens.size;
}

function contentPartTokens(part: ContentPart): number {
  if (part.type === 'text' && 'text' in part && typeof part.text === 'string') return countPromptTextTokens(part.text);
  if (part.type === 'image_url') {
    const image = (part as { image_url?: { detail?: unknown } }).image_url;
    return image?.detail === 'low' ? IMAGE_LOW_DETAIL_TOKENS : IMAGE_DEFAULT_TOKENS;
  }
  return 0;
}

function contentTokens(content: ChatMessage['content'], suffix: string): number {
  if (typeof content === 'string') return countPromptTextTokens(suffix ? content + suffix : content);
  let tokens = suffix ? countPromptTextTokens(suffix) : 0;
  if (Array.isArray(content)) for (const part of content) tokens += contentPartTokens(part);
  return tokens;
}

/** Tokens of one message, without the reply priming. `suffix` is appended to string content. */
function messageTokens(message: ChatMessage, suffix = ''): number {
  let tokens = MESSAGE_TOKEN_OVERHEAD + countPromptTextTokens(message.role) + contentTokens(message.content, suffix);
  if (message.name) tokens += countPromptTextTokens(message.name) + MESSAGE_NAME_TOKEN_OVERHEAD;
  for (const call of message.tool_calls ?? []) {
    tokens += countTextTokens(call.function.name) + countTextTokens(call.function.arguments) + FUNCTION_CALL_METADATA_TOKEN_OVERHEAD;
  }
  const legacyCall = (message as { function_call?: { name?: unknown; arguments?: unknown } }).function_call;
  if (legacyCall && typeof legacyCall === 'object') {
    if (typeof legacyCall.name === 'string') tokens += countTextTokens(legacyCall.name);
    if (typeof legacyCall.arguments === 'string') tokens += countTextTokens(legacyCall.arguments);
    tokens += FUNCTION_CALL_METADATA_TOKEN_OVERHEAD;
  }
  if (message.role === 'function') tokens -= FUNCTION_ROLE_TOKEN_DISCOUNT;
  return tokens;
}

/** Tokens the rendered tool definitions add to the prompt. */
export function countToolTokens(tools: readonly ToolDefinition[]): number {
  if (tools.length === 0) return 0;
  const functions = tools.map((t) => t.function) as unknown as ChatCompletionFunctionDefinition[];
  let rendered: string;
  try {
    rendered = formatFunctionDefinitions(functions);
  } catch {
    // Malformed JSON Schema (e.g. a null property): its JSON is an upper-bound stand-in.
    rendered = JSON.stringify(functions);
  }
  return countTextTokens(rendered) + FUNCTION_DEFINITION_TOKEN_OVERHEAD;
}

function toolChoiceTokens(toolChoice: ToolChoice | undefined): number {
  if (toolChoice === undefined || toolChoice === 'auto') return 0;
  if (toolChoice === 'none') return FUNCTION_CALL_NONE_TOKEN_OVERHEAD;
  if (typeof toolChoice === 'object') return countTextTokens(toolChoice.function.name) + FUNCTION_CALL_NAME_TOKEN_OVERHEAD;
  return 0;
}

/** Prompt tokens of a chat request: messages, their overhead, reply priming, tools and tool choice. */
export function countMessageTokens(messages: readonly ChatMessage[], tools?: readonly ToolDefinition[], toolChoice?: ToolChoice): number {
  const hasTools = tools !== undefined && tools.length > 0;
  let total = COMPLETION_REQUEST_TOKEN_OVERHEAD;
  let systemSeen = false;
  for (const message of messages) {
    // With tools, OpenAI ends the first system message with a newline before the tool block.
    const pad =
      hasTools && !systemSeen && message.role === 'system' && typeof message.content === 'string' && message.content !== '' && !message.content.endsWith('\n');
    if (message.role === 'system') systemSeen = true;
    total += messageTokens(message, pad ? '\n' : '');
  }
  if (hasTools) {
    total += countToolTokens(tools);
    if (systemSeen) total -= SYSTEM_FUNCTION_TOKEN_DEDUCTION;
  }
  return total + toolChoiceTokens(toolChoice);
}
