import { describeIssue } from '../util/describe-issue.ts';
import type { z } from 'zod';
import { ChatRequest } from '../providers/chat-schema.ts';
import { formatPath } from '../config/load-config.ts';
import { errors, type GatewayError } from '../util/errors.ts';
import { plainChatRequest } from './plain-chat-request.ts';

/** Validates a request body with its route's schema; a bad field becomes a 400 that names it (`messages[0].role`). */
export function parseRequestBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.invalidField('body', 'Request body must be a JSON object.');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw invalidBodyError(result.error, body);
}

/** The 400 for a request body zod refused, naming its first bad field (`messages[0].role`) and what was wrong with it. */
export function invalidBodyError(error: z.ZodError, body: unknown): GatewayError {
  const { param, message } = describeIssue(error.issues[0], body, formatPath);
  return errors.invalidField(param, message);
}

/** Validates a chat-completions body: the common shape by hand (plain-chat-request.ts), the rest with the schema. */
export function parseChatRequest(body: unknown): ChatRequest {
  return plainChatRequest(body) ?? parseRequestBody(ChatRequest, body);
}
