import type { ChatCompletion } from '../providers/chat-schema.ts';
import { toOpenAIUsage } from '../providers/types.ts';
import type { CachedAnswer } from './cached-answer.ts';

export interface ReplayIdentity {
  id: string;
  createdS: number;
}

/** A cached answer as a fresh completion: new id and time, the same choices, model and usage. */
export function completionFromCache(answer: CachedAnswer, ident: ReplayIdentity): ChatCompletion {
  return {
    id: ident.id,
    object: 'chat.completion',
    created: ident.createdS,
    model: answer.model,
    // Absent fields come back as OpenAI writes them: refusal and logprobs null.
    choices: answer.choices.map((c) => ({
      index: c.index,
      message: { ...c.message, refusal: c.message.refusal ?? null },
      logprobs: c.logprobs ?? null,
      finish_reason: c.finish_reason,
    })),
    usage: toOpenAIUsage(answer.usage),
  };
}
