import type { FastifyInstance } from 'fastify';
import { handleChatRequest } from '../../pipeline/chat-request.ts';
import { openaiFormat } from '../../pipeline/client-format/openai-format.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { parseChatRequest } from '../../pipeline/parse-chat-request.ts';

/** POST /v1/chat/completions — OpenAI's format in and out; the request path is src/pipeline/chat-request.ts. */
export function registerChatCompletions(app: FastifyInstance, gateway: () => Gateway): void {
  app.post('/v1/chat/completions', async (req, reply) => {
    await handleChatRequest(gateway(), req, reply, parseChatRequest(req.body), openaiFormat);
  });
}
