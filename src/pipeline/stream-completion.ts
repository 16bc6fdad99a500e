import type { ServerResponse } from 'node:http';
import { SseParser, type SseEvent } from '../providers/sse.ts';
import type { NormalizedUsage, UpstreamError } from '../providers/types.ts';
import type { StreamWriter } from './client-format/client-format.ts';
import type { OpenStream } from './upstream-attempts.ts';
import type { RequestRecord } from './request-record.ts';
import { accumulateToolCallDeltas } from './tool-call-signal.ts';

export interface StreamResult {
  /** Usage the upstream reported, if any. */
  usage: NormalizedUsage | undefined;
  /** Generated text and tool-call arguments, for token estimation and optional content logging. */
  outputText: string;
  finishReason: string | null;
  /** Set when the stream did not end cleanly: an upstream error event, a cut, or the client leaving. */
  failure: { kind: UpstreamError['kind'] | 'client_closed'; message: string } | undefined;
  firstTokenAtNs: bigint | undefined;
  /** The answer's tool calls, put together from their deltas (for the tool-call completion signal). */
  toolCalls: Array<{ name: string; arguments: string }>;
}

function drainedOrClosed(out: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
  });
}

/**
 * Pipes an open upstream stream to the client chunk by chunk, mapped to OpenAI chunks and written in
 * the client's format by `writer`. Usage chunks from the upstream are held back: the writer ends the
 * answer with the usage the gateway settled on (`finalUsage`) and its cost. A stream that ends
 * without its terminal event ends with the writer's error event.
 */
export async function pipeStream(
  open: OpenStream,
  writer: StreamWriter,
  out: ServerResponse,
  record: RequestRecord,
  finalUsage: (result: StreamResult) => NormalizedUsage,
): Promise<StreamResult> {
  const parser = new SseParser();
  const mapper = open.adapter.createStreamMapper(open.target, record.row.id);
  const texts: string[] = [];
  const result: StreamResult = { usage: undefined, outputText: '', finishReason: null, failure: undefined, firstTokenAtNs: undefined, toolCalls: [] };
  const toolCalls = new Map<number, { name: string; arguments: string }>();
  let clientClosed = false;
  const onClose = () => {
    if (!out.writableFinished) {
      clientClosed = true;
      open.res.body.destroy();
    }
  };
  out.once('close', onClose);
  if (out.destroyed) onClose();

  const t0 = process.hrtime.bigint();
  try {
    const forward = (events: SseEvent[]): boolean => {
      for (const event of events) {
        const mapped = mapper.push(event);
        if (!Array.isArray(mapped)) {
          result.failure = { kind: mapped.kind, message: mapped.message };
          return false;
        }
        for (const chunk of mapped) {
          if (chunk.choices.length === 0) continue; // usage-only chunk: the gateway sends its own
          if (chunk.usage !== undefined) delete chunk.usage;
          for (const choice of chunk.choices) {
            if (choice.delta.content) texts.push(choice.delta.content);
            for (const call of choice.delta.tool_calls ?? []) if (call.function?.arguments) texts.push(call.function.arguments);
            if (choice.delta.tool_calls) accumulateToolCallDeltas(toolCalls, choice.delta.tool_calls);
            if (choice.finish_reason) result.finishReason = choice.finish_reason;
          }
          result.firstTokenAtNs ??= process.hrtime.bigint();
          out.write(writer.chunk(chunk));
        }
      }
      return true;
    };
    let flowing = true;
    for await (const buf of open.body) {
      flowing = forward(parser.push(buf));
      if (!flowing) break;
      // A slow client must slow the upstream read down, not grow the gateway's memory.
      if (out.writableNeedDrain) await drainedOrClosed(out);
    }
    if (flowing && !clientClosed) forward(parser.end());
  } catch (err) {
    if (!clientClosed) result.failure = { kind: 'stream_cut', message: `upstream stream failed: ${(err as Error).message}` };
  } finally {
    record.upstreamNs += process.hrtime.bigint() - t0;
    out.off('close', onClose);
  }

  if (clientClosed) {
    result.failure = { kind: 'client_closed', message: 'client closed the connection' };
  } else if (!result.failure && !mapper.done()) {
    result.failure = { kind: 'stream_cut', message: 'upstream stream ended before its final event' };
  }
  result.usage = mapper.usage();
  result.outputText = texts.join('');
  result.toolCalls = [...toolCalls.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => call);
  if (clientClosed) return result;

  if (result.failure) {
    out.write(writer.fail(result.failure.kind, result.failure.message));
    return result;
  }
  const usage = finalUsage(result);
  out.write(writer.end(usage, record.row.cost_usd));
  return result;
}
