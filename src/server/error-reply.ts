import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Gateway } from '../pipeline/gateway-types.ts';
import { finishTiming } from '../pipeline/request-record.ts';
import { gatewayHeaders, recordBeforeAnswer } from '../pipeline/request-log.ts';
import { discardBody } from './edge-errors.ts';
import { errors, GatewayError } from '../util/errors.ts';

/**
 * Fastify's error handler for the gateway's routes: the error becomes a GatewayError (status, type,
 * code), stamped on the request's row and sent in the client's format — OpenAI's `{error: …}` by
 * default, Anthropic's on /v1/messages (`render`).
 */
export function errorReply(gateway: () => Gateway, render: (error: GatewayError, requestId: string) => unknown) {
  return async (err: FastifyError | GatewayError, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const g = gateway();
    const gwError = toGatewayError(err, req, g);
    if (gwError.status === 413) {
      // Answer only once the upload is over: closing on a client still sending gives it EPIPE, not the 413.
      reply.header('connection', 'close');
      await discardBody(req.raw, BODY_DISCARD_MAX_BYTES, BODY_DISCARD_TIMEOUT_MS);
    }
    const record = req.record;
    if (record) {
      record.row.status = gwError.status;
      record.row.error_type = gwError.code ?? gwError.type;
      finishTiming(record);
      reply.headers(gatewayHeaders(record, undefined, undefined, g.simulated));
    }
    if (gwError.retryAfterMs !== undefined) reply.header('retry-after', String(Math.ceil(gwError.retryAfterMs / 1000)));
    if (record) await recordBeforeAnswer(g, record);
    return reply
      .status(gwError.status)
      .type('application/json')
      .send(JSON.stringify(render(gwError, req.id)));
  };
}

/** How much of an oversized body is read (and dropped) before the 413, and for how long. */
const BODY_DISCARD_MAX_BYTES = 256 * 1024 * 1024;
const BODY_DISCARD_TIMEOUT_MS = 30_000;

function toGatewayError(err: FastifyError | GatewayError, req: FastifyRequest, g: Gateway): GatewayError {
  if (err instanceof GatewayError) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.bodyTooLarge(g.config.server.body_limit_bytes);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.malformedJson(err.message);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError(415, 'invalid_request_error', 'Content-Type must be application/json.', { code: 'unsupported_media_type' });
    default:
      break;
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) return errors.malformedJson(err.message);
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return new GatewayError(err.statusCode, 'invalid_request_error', err.message, { code: err.code ?? null });
  }
  g.logger.error({ err, requestId: req.id }, 'unhandled error in request');
  return errors.internal(req.id);
}
