import type { FastifyInstance } from 'fastify';
import { handleChatRequest } from '../../pipeline/chat-request.ts';
import { openaiFormat } from '../../pipeline/client-format/openai-format.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { parseChatRequest } from '../../pipeline/parse-chat-request.ts';

/** POST /v1/chat/completions — OpenAI's format in and out; the request path is src/pipeline/chat-request.ts. */
export function registerChatCompletions(app: FastifyInstance, gateway: () => Gateway): void {
  // Returns the request's promise without an async frame of its own; a body that fails validation
  // throws before it, and fastify sends the error either way.
  app.post('/v1/chat/completions', (req, reply) => handleChatRequest(gateway(), req, reply, parseChatRequest(req.body), openaiFormat));
}
