import type { ChatRequest } from '../chat-schema.ts';
import type { UpstreamHttpRequest, UpstreamTarget } from '../types.ts';
import { upstreamModelName } from '../shared/target.ts';
import { pathAfterBase } from '../shared/versioned-path.ts';
import type { JsonRecord } from '../shared/wire-json.ts';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts';
import { convertToAnthropicTools } from './convert-to-anthropic-tools.ts';

export const ANTHROPIC_VERSION = '2023-06-01';

// OpenAI's reasoning_effort → extended-thinking budget; 1024 is Anthropic's minimum budget.
const THINKING_BUDGET_BY_EFFORT: Record<string, number> = { low: 1024, medium: 4096, high: 16384 };

function thinkingBudget(req: ChatRequest, maxTokens: number, forcesTool: boolean): number | undefined {
  const effort = req.reasoning_effort;
  const budget = typeof effort === 'string' ? THINKING_BUDGET_BY_EFFORT[effort] : undefined;
  // Thinking cannot be combined with a forced tool, and its budget must stay below max_tokens.
  if (budget === undefined || forcesTool || maxTokens <= 1024) return undefined;
  return Math.min(budget, maxTokens - 1);
}

/**
 * OpenAI ChatRequest → Anthropic Messages API. base_url is version-less (`https://api.anthropic.com`)
 * and the path carries `/v1/messages`; a base that already ends in `/v1` also works.
 * `n` and `seed` have no Anthropic equivalent: the caller fans out n>1 (models declare supports_n).
 */
export function convertToAnthropicRequest(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }): UpstreamHttpRequest {
  const { system, messages } = convertToAnthropicMessages(req.messages);
  const tools = convertToAnthropicTools(req);
  const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? target.model.max_output_tokens;
  const body: JsonRecord = { model: upstreamModelName(target), max_tokens: maxTokens, messages };
  if (tools.jsonInstruction) system.push({ type: 'text', text: tools.jsonInstruction });
  if (system.length > 0) body.system = system;
  if (tools.tools) body.tools = tools.tools;
  if (tools.tool_choice) body.tool_choice = tools.tool_choice;
  const budget = thinkingBudget(req, maxTokens, tools.forcesTool);
  if (budget !== undefined) {
    // Extended thinking requires the default temperature and top_p.
    body.thinking = { type: 'enabled', budget_tokens: budget };
  } else {
    // OpenAI allows temperature up to 2, Anthropic up to 1. Recent Claude models reject temperature
    // and top_p together, so top_p is sent only when temperature is not.
    if (req.temperature !== null && req.temperature !== undefined) body.temperature = Math.min(req.temperature, 1);
    else if (req.top_p !== null && req.top_p !== undefined) body.top_p = req.top_p;
  }
  if (req.stop !== null && req.stop !== undefined) {
    body.stop_sequences = typeof req.stop === 'string' ? [req.stop] : req.stop;
  }
  if (req.user) body.metadata = { user_id: req.user };
  if (opts.stream) body.stream = true;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'anthropic-version': ANTHROPIC_VERSION,
  };
  if (target.apiKey) headers['x-api-key'] = target.apiKey;
  return {
    path: pathAfterBase(target.provider.base_url, 'v1', '/messages'),
    headers,
    body: JSON.stringify(body),
  };
}
