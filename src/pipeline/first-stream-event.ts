import type { ChatCompletionChunk } from '../providers/chat-schema.ts';
import { SseParser } from '../providers/sse.ts';
import type { ProviderAdapter, UpstreamTarget } from '../providers/types.ts';
import { UpstreamCallError } from '../providers/upstream-client.ts';

/** True when a chunk carries something the client would see as part of the answer. */
function carriesAnswer(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.some(
    (c) => (c.delta.content ?? '') !== '' || (c.delta.tool_calls?.length ?? 0) > 0 || (c.delta.refusal ?? '') !== '' || c.finish_reason != null,
  );
}

/**
 * Reads an upstream stream until its first piece of answer and checks what came before it.
 *
 * Providers may answer 200 and then send an error as the stream's first event (Anthropic's
 * `overloaded_error`, an OpenAI-compatible server's `{"error": …}`), or close the stream before any
 * event. Nothing has reached the client yet, so these are thrown as UpstreamCallError and the
 * request can still be retried or fall back. The bytes read here are replayed in front of the rest
 * of the body, so the relay maps every event exactly once.
 */
export async function checkStreamStart(
  body: AsyncIterable<Buffer>,
  adapter: ProviderAdapter,
  target: UpstreamTarget,
  requestId: string,
): Promise<AsyncIterable<Buffer>> {
  const rest = body[Symbol.asyncIterator]();
  const parser = new SseParser();
  const probe = adapter.createStreamMapper(target, requestId);
  const prefix: Buffer[] = [];
  try {
    for (;;) {
      const next = await rest.next();
      const events = next.done ? parser.end() : parser.push(next.value);
      if (!next.done) prefix.push(next.value);
      for (const event of events) {
        const mapped = probe.push(event);
        if (!Array.isArray(mapped)) throw new UpstreamCallError(mapped);
        if (mapped.some(carriesAnswer) || probe.done()) return replayThenRest(prefix, rest);
      }
      if (next.done) {
        throw new UpstreamCallError({ kind: 'connection', status: 502, message: 'upstream stream ended before its first event' });
      }
    }
  } catch (err) {
    await rest.return?.();
    if (err instanceof UpstreamCallError) throw err;
    const kind = (err as { code?: string }).code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : 'connection';
    throw new UpstreamCallError({
      kind,
      status: kind === 'timeout' ? 504 : 502,
      message: `upstream stream failed before its first event: ${(err as Error).message}`,
    });
  }
}

async function* replayThenRest(prefix: readonly Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield* prefix;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // A relay that stops early (error event, client gone) must release the upstream connection.
    await rest.return?.();
  }
}
