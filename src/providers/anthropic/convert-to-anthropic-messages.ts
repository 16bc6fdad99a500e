import type { ChatMessage } from '../chat-schema.ts';
import { parseBase64DataUrl } from '../shared/data-url.ts';
import { asRecord, asString, isRecord, parseJson } from '../shared/wire-json.ts';
import type { JsonRecord } from '../shared/wire-json.ts';

export type AnthropicBlock = JsonRecord & { type: string };

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

export interface AnthropicPrompt {
  system: AnthropicBlock[];
  messages: AnthropicMessage[];
}

/** Clients using the LiteLLM convention put `cache_control` on OpenAI content parts; keep it. */
function withCacheControl(block: AnthropicBlock, part: JsonRecord): AnthropicBlock {
  return isRecord(part.cache_control) ? { ...block, cache_control: part.cache_control } : block;
}

function convertImage(part: JsonRecord): AnthropicBlock | undefined {
  const url = asString(asRecord(part.image_url)?.url);
  if (!url) return undefined;
  const inline = parseBase64DataUrl(url);
  const source = inline ? { type: 'base64', media_type: inline.mediaType, data: inline.data } : { type: 'url', url };
  return withCacheControl({ type: 'image', source }, part);
}

function convertFile(part: JsonRecord): AnthropicBlock | undefined {
  const fileData = asString(asRecord(part.file)?.file_data);
  const inline = fileData ? parseBase64DataUrl(fileData) : undefined;
  if (!inline || inline.mediaType !== 'application/pdf') return undefined;
  return withCacheControl({ type: 'document', source: { type: 'base64', media_type: inline.mediaType, data: inline.data } }, part);
}

/** OpenAI content (string or parts) → Anthropic blocks. Empty text is dropped: Anthropic rejects it. */
export function convertContent(content: ChatMessage['content']): AnthropicBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const blocks: AnthropicBlock[] = [];
  for (const part of content) {
    const rec: JsonRecord = part;
    let block: AnthropicBlock | undefined;
    if (part.type === 'text' || part.type === 'refusal') {
      const text = asString(rec.text) ?? asString(rec.refusal) ?? '';
      if (text !== '') block = withCacheControl({ type: 'text', text }, rec);
    } else if (part.type === 'image_url') {
      block = convertImage(rec);
    } else if (part.type === 'file') {
      block = convertFile(rec);
    }
    if (block) blocks.push(block);
  }
  return blocks;
}

function textOf(content: ChatMessage['content']): string {
  return convertContent(content)
    .map((b) => asString(b.text) ?? '')
    .join('');
}

function toolUseBlocks(message: ChatMessage): AnthropicBlock[] {
  return (message.tool_calls ?? []).map((call) => {
    const input = parseJson(call.function.arguments);
    // Anthropic requires an object; a model that produced broken JSON gets its text back under `raw`.
    const safeInput = isRecord(input) ? input : call.function.arguments.trim() === '' ? {} : { raw: call.function.arguments };
    return { type: 'tool_use', id: call.id, name: call.function.name, input: safeInput };
  });
}

function toolResultBlock(message: ChatMessage): AnthropicBlock {
  const block: AnthropicBlock = { type: 'tool_result', tool_use_id: message.tool_call_id ?? '' };
  const text = typeof message.content === 'string' ? message.content : textOf(message.content);
  if (text !== '') block.content = text;
  return block;
}

/**
 * OpenAI messages → Anthropic system blocks and alternating turns. System and developer messages
 * move to `system` wherever they appear; tool results become tool_result blocks in a user turn;
 * consecutive same-role turns merge so parallel tool results share one user turn.
 */
export function convertToAnthropicMessages(messages: ChatMessage[]): AnthropicPrompt {
  const system: AnthropicBlock[] = [];
  const out: AnthropicMessage[] = [];
  const append = (role: AnthropicMessage['role'], blocks: AnthropicBlock[]): void => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    switch (m.role) {
      case 'system':
      case 'developer':
        system.push(...convertContent(m.content).filter((b) => b.type === 'text'));
        break;
      case 'user':
        append('user', convertContent(m.content));
        break;
      case 'assistant': {
        const text = convertContent(m.content).filter((b) => b.type === 'text');
        append('assistant', [...text, ...toolUseBlocks(m)]);
        break;
      }
      case 'tool':
      case 'function':
        append('user', [toolResultBlock(m)]);
        break;
    }
  }
  return { system, messages: out };
}
