import type { ChatMessage, ChatRequest, ContentPart, ToolChoice, ToolDefinition } from '../../providers/chat-schema.ts';
import type { ContentBlock, MessageParam, MessagesRequest } from './messages-schema.ts';

/**
 * An Anthropic Messages request as the chat request the pipeline runs. Lossless for what every wire
 * format carries (system, text, images, tools, tool use and results, stop sequences, sampling);
 * `top_k` and `thinking` have no OpenAI equivalent and are dropped (docs/anthropic-messages.md).
 */
export function messagesToChat(req: MessagesRequest): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = systemText(req.system);
  if (system !== undefined) messages.push({ role: 'system', content: system });
  for (const m of req.messages) messages.push(...(m.role === 'user' ? userMessages(m) : [assistantMessage(m)]));
  const chat: ChatRequest = { model: req.model, messages, max_tokens: req.max_tokens };
  if (req.stream !== undefined) chat.stream = req.stream;
  if (req.temperature !== undefined) chat.temperature = req.temperature;
  if (req.top_p !== undefined) chat.top_p = req.top_p;
  if (req.stop_sequences?.length) chat.stop = req.stop_sequences;
  if (req.metadata?.user_id) chat.user = req.metadata.user_id;
  if (req.aigw) chat.aigw = req.aigw;
  if (req.tools?.length) {
    chat.tools = req.tools.map((t): ToolDefinition => ({
      type: 'function',
      function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.input_schema },
    }));
  }
  applyToolChoice(chat, req.tool_choice);
  return chat;
}

function systemText(system: MessagesRequest['system']): string | undefined {
  if (system === undefined) return undefined;
  if (typeof system === 'string') return system === '' ? undefined : system;
  const text = system.map((b) => b.text).join('\n');
  return text === '' ? undefined : text;
}

function applyToolChoice(chat: ChatRequest, choice: MessagesRequest['tool_choice']): void {
  if (!choice) return;
  const mapped: ToolChoice =
    choice.type === 'auto'
      ? 'auto'
      : choice.type === 'any'
        ? 'required'
        : choice.type === 'none'
          ? 'none'
          : { type: 'function', function: { name: choice.name } };
  chat.tool_choice = mapped;
  if ('disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true && chat.tools?.length) chat.parallel_tool_calls = false;
}

type Block = Exclude<ContentBlock, { type: 'thinking' | 'redacted_thinking' }>;

function blocksOf(content: MessageParam['content']): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.filter((b): b is Block => b.type !== 'thinking' && b.type !== 'redacted_thinking');
}

function imagePart(block: Extract<Block, { type: 'image' }>): ContentPart {
  const url = block.source.type === 'base64' ? `data:${block.source.media_type};base64,${block.source.data}` : block.source.url;
  return { type: 'image_url', image_url: { url } };
}

/** Text and image blocks as one message content: a plain string when it is text only. */
function contentOf(blocks: ReadonlyArray<Extract<Block, { type: 'text' | 'image' }>>): string | ContentPart[] {
  if (blocks.every((b) => b.type === 'text')) return blocks.map((b) => (b as { text: string }).text).join('');
  return blocks.map((b): ContentPart => (b.type === 'text' ? { type: 'text', text: b.text } : imagePart(b)));
}

/**
 * A user turn: its tool results first, each as a `tool` message (OpenAI's order: results answer the
 * previous assistant turn), then its text and images as one user message.
 */
function userMessages(m: MessageParam): ChatMessage[] {
  const out: ChatMessage[] = [];
  const rest: Array<Extract<Block, { type: 'text' | 'image' }>> = [];
  for (const b of blocksOf(m.content)) {
    if (b.type === 'tool_result') out.push(toolResultMessage(b));
    else if (b.type === 'text' || b.type === 'image') rest.push(b);
  }
  if (rest.length > 0) out.push({ role: 'user', content: contentOf(rest) });
  return out;
}

function toolResultMessage(b: Extract<Block, { type: 'tool_result' }>): ChatMessage {
  const parts = typeof b.content === 'string' ? [{ type: 'text' as const, text: b.content }] : (b.content ?? []);
  const text = parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
  // OpenAI's tool messages carry text only; an error result says so in words, as Anthropic's is_error does in structure.
  return { role: 'tool', tool_call_id: b.tool_use_id, content: b.is_error ? `Error: ${text}` : text };
}

function assistantMessage(m: MessageParam): ChatMessage {
  let text = '';
  const toolCalls: NonNullable<ChatMessage['tool_calls']> = [];
  for (const b of blocksOf(m.content)) {
    if (b.type === 'text') text += b.text;
    else if (b.type === 'tool_use') toolCalls.push({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) } });
  }
  const msg: ChatMessage = { role: 'assistant', content: text === '' && toolCalls.length > 0 ? null : text };
  if (toolCalls.length > 0) msg.tool_calls = toolCalls;
  return msg;
}
