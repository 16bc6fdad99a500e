import type { FastifyInstance } from 'fastify';
import { handleEmbeddingsRequest } from '../../pipeline/embeddings-request.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { parseRequestBody } from '../../pipeline/parse-chat-request.ts';
import { EmbeddingsRequest } from '../../providers/embeddings/embeddings-schema.ts';

/** POST /v1/embeddings — OpenAI's format; the request path is src/pipeline/embeddings-request.ts. */
export function registerEmbeddingsRoute(app: FastifyInstance, gateway: () => Gateway): void {
  app.post('/v1/embeddings', async (req, reply) => {
    await handleEmbeddingsRequest(gateway(), req, reply, parseRequestBody(EmbeddingsRequest, req.body));
  });
}
