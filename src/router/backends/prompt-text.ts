import type { ChatMessage } from '../../providers/chat-schema.ts';
import { contentText } from '../analyze/prompt-text.ts';

/** The last user turn's text, which is what prompt routers (RouteLLM's among them) score. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') return contentText(message);
  }
  const last = messages.at(-1);
  return last ? contentText(last) : '';
}

/** Messages reduced to role and text, the shape every routing service accepts. */
export function textMessages(messages: readonly ChatMessage[]): { role: string; content: string }[] {
  return messages.map((m) => ({ role: m.role, content: contentText(m) }));
}
