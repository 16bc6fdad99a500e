import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../util/errors.ts';
import { ClientGone } from './client-gone.ts';
import type { Gateway } from './gateway-types.ts';
import type { RequestRecord } from './request-record.ts';
import { recordRequest } from './request-log.ts';

/**
 * Runs the work of one logged request (chat, messages, embeddings): counted in flight for shutdown,
 * its upstream work aborted when the client leaves, its row stamped with the error the client gets
 * and written even when no response reaches the client.
 */
export async function runLoggedRequest(g: Gateway, req: FastifyRequest, reply: FastifyReply, work: (gone: ClientGone) => Promise<void>): Promise<void> {
  const record = req.record;
  g.inFlight.enter();
  // A client that leaves stops the upstream work (retries, generation) and still leaves its row.
  // The response emits 'close' once, finished or not: the listener needs no removing.
  const gone = new ClientGone();
  const res = reply.raw;
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  if (req.raw.socket.destroyed) gone.abort(); // it left before this handler ran
  try {
    await work(gone);
  } catch (err) {
    noteFailure(record, err);
    throw err;
  } finally {
    g.inFlight.leave();
    if (gone.aborted) {
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
