import type { ServerResponse } from 'node:http';
import type { TimedEvent } from './stream-plan.ts';

/** Destroys the socket once `data` has been flushed, so the client really sees the partial output. */
function writeThenDestroy(res: ServerResponse, data: string): void {
  const destroy = () => res.socket?.destroy();
  if (data === '') destroy();
  else res.write(data, destroy);
}

/**
 * Writes timed SSE events: everything due is sent in one write, then the emitter sleeps until the
 * next event is due. With all events due at 0 (timeScale 0) the whole stream is one write.
 * `cutAfter` destroys the socket after that many events (simulated mid-stream disconnect).
 */
export function emitEvents(res: ServerResponse, events: readonly TimedEvent[], cutAfter?: number): void {
  const limit = cutAfter ?? events.length;
  const startMs = performance.now();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  res.once('close', () => clearTimeout(timer));
  const pump = () => {
    timer = undefined;
    if (res.destroyed) return;
    const elapsed = performance.now() - startMs;
    let batch = '';
    while (next < limit && events[next]!.atMs <= elapsed) batch += events[next++]!.wire;
    if (next >= limit) {
      if (cutAfter !== undefined) writeThenDestroy(res, batch);
      else res.end(batch);
      return;
    }
    if (batch !== '') res.write(batch);
    timer = setTimeout(pump, Math.max(1, events[next]!.atMs - elapsed));
  };
  pump();
}

/** Sends a complete body after `delayMs` (skipped if the client went away meanwhile). */
export function sendAfter(delayMs: number, res: ServerResponse, send: () => void): void {
  if (delayMs <= 0) {
    send();
    return;
  }
  const timer = setTimeout(() => {
    if (!res.destroyed) send();
  }, delayMs);
  res.once('close', () => clearTimeout(timer));
}

/** Sends headers and the first half of a body announced at full length, then drops the connection. */
export function sendCutBody(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  writeThenDestroy(res, body.slice(0, Math.floor(body.length / 2)));
}
