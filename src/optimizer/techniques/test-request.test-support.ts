import type { ChatRequest } from '../../providers/chat-schema.ts';
import type { CompletionCall } from '../types.ts';

/** The request every technique test runs on: one question, a 100-token cap per call. */
export const QUESTION = 'Which planet is largest?\nA) Mars\nB) Jupiter\nC) Venus\nD) Earth';
export const REQUEST: ChatRequest = { model: 'cheap', messages: [{ role: 'user', content: QUESTION }], max_tokens: 100 };

/** The system note a call carried (the technique's guidance), or '' when it has none. */
export function systemNote(call: CompletionCall): string {
  const m = call.messages.find((x) => x.role === 'system');
  return typeof m?.content === 'string' ? m.content : '';
}
