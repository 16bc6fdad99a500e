import { z } from 'zod';
import { RoutingOverrides } from '../../providers/chat-schema.ts';

/**
 * Anthropic's Messages API request (`POST /v1/messages`) as the gateway accepts it: text, image,
 * tool_use and tool_result blocks, a system prompt, custom tools and tool_choice. Thinking blocks
 * are accepted and dropped (no other wire format carries their signatures); server tools, documents
 * and other block types are refused by name, so a client learns what the gateway cannot translate.
 */
const CacheControl = z.looseObject({ type: z.string() }).nullable().optional();

const TextBlock = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: CacheControl });
const ImageSource = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) }),
  z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
]);
const ImageBlock = z.looseObject({ type: z.literal('image'), source: ImageSource, cache_control: CacheControl });
const ToolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
  cache_control: CacheControl,
});
const ToolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.union([TextBlock, ImageBlock]))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: CacheControl,
});
const ThinkingBlock = z.looseObject({ type: z.enum(['thinking', 'redacted_thinking']) });

export const ContentBlock = z.discriminatedUnion('type', [TextBlock, ImageBlock, ToolUseBlock, ToolResultBlock, ThinkingBlock]);
export type ContentBlock = z.infer<typeof ContentBlock>;

export const MessageParam = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(ContentBlock)]),
});
export type MessageParam = z.infer<typeof MessageParam>;

export const MessagesTool = z.looseObject({
  type: z.literal('custom').optional(),
  name: z.string().min(1).max(128),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
  cache_control: CacheControl,
});

export const MessagesToolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('none') }),
]);

export const MessagesRequest = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.int().positive(),
  messages: z.array(MessageParam).min(1),
  system: z.union([z.string(), z.array(TextBlock)]).optional(),
  metadata: z.looseObject({ user_id: z.string().nullable().optional() }).optional(),
  stop_sequences: z.array(z.string()).max(4).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  /** No other wire format has top-k: accepted and not sent on. */
  top_k: z.int().nonnegative().optional(),
  tools: z.array(MessagesTool).optional(),
  tool_choice: MessagesToolChoice.optional(),
  /** Extended thinking: accepted and not sent on (the answer has no thinking blocks). */
  thinking: z.looseObject({ type: z.enum(['enabled', 'disabled', 'adaptive']) }).optional(),
  /** aigw's routing controls, as on chat completions (mirrored by the x-aigw-* headers). */
  aigw: RoutingOverrides.optional(),
});
export type MessagesRequest = z.infer<typeof MessagesRequest>;
