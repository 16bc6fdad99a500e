import type { FastifyInstance } from 'fastify';
import { handleChatCompletion } from '../../pipeline/chat-completion.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';

/** POST /v1/chat/completions: the request path is src/pipeline/chat-completion.ts. */
export function registerChatCompletions(app: FastifyInstance, gateway: () => Gateway): void {
  app.post('/v1/chat/completions', (req, reply) => handleChatCompletion(gateway(), req, reply));
}
