import type { FastifyInstance } from 'fastify';
import { handleChatRequest } from '../../pipeline/chat-request.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { anthropicErrorBody } from '../../pipeline/messages-api/anthropic-error.ts';
import { messagesFormat } from '../../pipeline/messages-api/messages-format.ts';
import { MessagesRequest } from '../../pipeline/messages-api/messages-schema.ts';
import { messagesToChat } from '../../pipeline/messages-api/messages-to-chat.ts';
import { parseRequestBody } from '../../pipeline/parse-chat-request.ts';
import { errorReply } from '../error-reply.ts';

/**
 * POST /v1/messages — Anthropic's Messages API (the Anthropic SDK, Claude Code with
 * ANTHROPIC_BASE_URL): translated to a chat request, run through the same pipeline as
 * /v1/chat/completions (routing, budgets, fallbacks, cost, decision log), answered in Anthropic's
 * format whatever the upstream's. The gateway key may come as `x-api-key`; `anthropic-version` is
 * accepted and not needed. Errors, auth ones included, come in Anthropic's shape.
 */
export function registerMessagesRoute(app: FastifyInstance, gateway: () => Gateway): void {
  const errorHandler = errorReply(gateway, (e, requestId) => anthropicErrorBody(e.status, e.message, e.code, requestId));
  // fastify awaits a route's async errorHandler as it does setErrorHandler's; only its type says void.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  app.post('/v1/messages', { errorHandler }, async (req, reply) => {
    const asked = messagesToChat(parseRequestBody(MessagesRequest, req.body));
    await handleChatRequest(gateway(), req, reply, asked, messagesFormat);
  });
}
