import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../pipeline/gateway-types.ts';
import { newRequestRecord } from '../pipeline/request-record.ts';
import { recordRequest } from '../pipeline/request-log.ts';
import { GatewayError } from '../util/errors.ts';
import { timeOrderedId } from '../util/time-ordered-id.ts';

/**
 * Answers that happen at the edge of the HTTP server, before or around fastify's routing: they are
 * OpenAI-shaped, carry a request id and leave a row like every other answer (issue 15, finding 6).
 */

/** Seconds a client is told to wait while this replica drains (another replica, or this one restarted, will answer). */
const DRAIN_RETRY_AFTER_S = 2;

/**
 * While shutting down, requests that still arrive on open keep-alive connections get 503
 * `service_unavailable` with retry-after (instead of fastify's own body) and their row.
 */
export function installDrainGuard(app: FastifyInstance): { isDraining(): boolean } {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  return { isDraining: () => draining };
}

export function drainingError(): GatewayError {
  return new GatewayError(503, 'service_unavailable', 'This gateway replica is shutting down; retry the request.', {
    code: 'shutting_down',
    retryAfterMs: DRAIN_RETRY_AFTER_S * 1000,
  });
}

/** Node's HTTP parser rejections, by its error code. */
function parserError(err: Error & { code?: string }): { status: number; error: GatewayError } {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, error: new GatewayError(431, 'invalid_request_error', 'Request headers are too large.', { code: 'headers_too_large' }) };
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, error: new GatewayError(408, 'invalid_request_error', 'The request was not received in time.', { code: 'request_timeout' }) };
  }
  const detail = err.message.replace(/^Parse Error:\s*/, '');
  return { status: 400, error: new GatewayError(400, 'invalid_request_error', `Malformed HTTP request: ${detail}.`, { code: 'invalid_http_request' }) };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * fastify's `clientErrorHandler`: a request the HTTP parser refused (a CR in a header, an invalid
 * method, oversized headers) gets an OpenAI-shaped answer with a request id, and a row.
 */
export function clientErrorHandler(gateway: () => Gateway): (err: Error & { code?: string }, socket: Socket) => void {
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const id = timeOrderedId();
    const { status, error } = parserError(err);
    const body = JSON.stringify(error.toBody());
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}\r\n` +
        'content-type: application/json\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        `x-aigw-request-id: ${id}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
    try {
      const record = newRequestRecord(id, Date.now());
      record.row.status = status;
      record.row.error_type = error.code;
      recordRequest(gateway(), record);
    } catch {
      // Shutting down: the writer is closed; the client has its answer.
    }
  };
}

/**
 * Reads and discards the rest of a request body, so a 413 reaches a client still uploading
 * instead of a reset connection (Node's fetch and http report EPIPE then). Bounded in bytes and time.
 */
export function discardBody(raw: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<void> {
  if (raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', done);
      raw.off('close', done);
      raw.off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) done();
    };
    const timer = setTimeout(done, timeoutMs);
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('close', done);
    raw.once('error', done);
    raw.resume();
  });
}
