import type { ChatMessage } from '../../providers/chat-schema.ts';

/** A message's text: the string content, or its text parts joined; images and tool calls carry none. */
export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text.length > 0)
    .join('\n');
}

/** The last user turn's text, which is what prompt routers (RouteLLM's among them) score. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') return messageText(message);
  }
  const last = messages.at(-1);
  return last ? messageText(last) : '';
}
