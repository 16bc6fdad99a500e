import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../util/errors.ts';
import type { Gateway } from './gateway-types.ts';
import type { RequestRecord } from './request-record.ts';
import { recordRequest } from './request-log.ts';

/**
 * Runs the work of one logged request (chat, messages, embeddings): counted in flight for shutdown,
 * its upstream work aborted when the client leaves, its row stamped with the error the client gets
 * and written even when no response reaches the client.
 */
export async function runLoggedRequest(g: Gateway, req: FastifyRequest, reply: FastifyReply, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const record = req.record;
  g.inFlight.enter();
  // A client that leaves stops the upstream work (retries, generation) and still leaves its row.
  const clientGone = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) clientGone.abort();
  };
  reply.raw.once('close', onClose);
  if (req.raw.socket.destroyed) onClose(); // it left before this handler ran
  try {
    await work(clientGone.signal);
  } catch (err) {
    noteFailure(record, err);
    throw err;
  } finally {
    g.inFlight.leave();
    reply.raw.off('close', onClose);
    if (clientGone.signal.aborted) {
      // No response reaches the client, so fastify's onResponse hook will not write the row.
      if (record.row.status < 400) record.row.status = 499;
      record.row.error_type ??= 'client_closed';
      recordRequest(g, record);
    }
  }
}

/** Stamps the row with the error the client is about to get (the error handler sends it). */
function noteFailure(record: RequestRecord, err: unknown): void {
  const gwError = err instanceof GatewayError ? err : undefined;
  record.row.status = gwError?.status ?? 500;
  record.row.error_type = gwError ? (gwError.code ?? gwError.type) : 'internal_error';
}
