import { adapterFor } from '../providers/registry.ts';
import { bodyReadError, UpstreamCallError } from '../providers/upstream-client.ts';
import type { AbortLike, BufferedResponse, UpstreamClient, UpstreamResponse } from '../providers/upstream-client.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { MappedCompletion, ProviderAdapter, UpstreamHttpRequest, UpstreamTarget } from '../providers/types.ts';
import { embeddingsAdapterFor } from '../providers/embeddings/embeddings-registry.ts';
import { UnsupportedEmbeddingsInput, type EmbeddingsCall, type MappedEmbeddings } from '../providers/embeddings/embeddings-types.ts';
import { checkStreamStart } from './first-stream-event.ts';
import type { RequestRecord } from './request-record.ts';

/**
 * The client's `x-sim-*` test-control headers (failure injection), forwarded only to simulated
 * providers so tests and demos can exercise retries, fallbacks and cut streams end to end.
 */
export function simControlHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  let out: Record<string, string> | undefined;
  // No entries array per request; most requests carry no x-sim-* header and share one empty object.
  for (const name in headers) {
    const value = headers[name];
    if (name.startsWith('x-sim-') && typeof value === 'string') (out ??= {})[name] = value;
  }
  return out ?? NO_SIM_HEADERS;
}
const NO_SIM_HEADERS: Record<string, string> = Object.freeze({});

/** What every upstream call of one request shares, whatever its endpoint. */
export interface UpstreamCallContext {
  upstream: UpstreamClient;
  record: RequestRecord;
  defaultTimeoutMs: number;
  simHeaders: Record<string, string>;
  /** Aborted when the client leaves. */
  signal: AbortLike;
}

/** What every chat attempt of one request shares. */
export interface AttemptContext extends UpstreamCallContext {
  body: ChatRequest;
}

export interface OpenStream {
  res: UpstreamResponse;
  adapter: ProviderAdapter;
  target: UpstreamTarget;
  /** When the upstream's response headers arrived (hrtime ns). */
  headersAtNs: bigint;
  /** The body to relay: the bytes read while checking the stream's start, then the rest. */
  body: AsyncIterable<Buffer>;
}

/** One non-stream upstream call: send, read, map; upstream errors are thrown as UpstreamCallError. */
export async function attemptCompletion(ctx: AttemptContext, target: UpstreamTarget): Promise<MappedCompletion> {
  // timedUpstream's accounting inline: this is every non-streamed chat request's path.
  const t0 = process.hrtime.bigint();
  try {
    const adapter = adapterFor(target.provider.type);
    const res = await ctx.upstream.sendBuffered(target.provider, adapter.buildRequest(ctx.body, target, { stream: false }), upstreamOptions(ctx, target));
    if (res.status >= 400) throw new UpstreamCallError(adapter.mapError(res.status, res.text, res.headers));
    return adapter.mapResponse(parseUpstreamJson(res.text), target, ctx.record.row.id);
  } finally {
    ctx.record.upstreamNs += process.hrtime.bigint() - t0;
  }
}

/**
 * Opens an upstream stream. It counts as a success only once the first piece of the answer arrived,
 * so an error status, an error event before the answer, or a stream that closes early can still
 * be retried or fall back: the client has been sent nothing yet.
 */
export function attemptStream(ctx: AttemptContext, target: UpstreamTarget): Promise<OpenStream> {
  return timedUpstream(ctx.record, async () => {
    const adapter = adapterFor(target.provider.type);
    const res = await sendUpstream(ctx, target, adapter.buildRequest(ctx.body, target, { stream: true }), (status, body, headers) =>
      adapter.mapError(status, body, headers),
    );
    const headersAtNs = process.hrtime.bigint();
    const body = await checkStreamStart(res.body, adapter, target, ctx.record.row.id);
    return { res, adapter, target, headersAtNs, body };
  });
}

/** Sends one built request to the target's provider; an error status is thrown as UpstreamCallError, mapped by `mapError`. */
async function sendUpstream(
  ctx: UpstreamCallContext,
  target: UpstreamTarget,
  httpReq: UpstreamHttpRequest,
  mapError: ProviderAdapter['mapError'],
): Promise<UpstreamResponse> {
  const res = await ctx.upstream.send(target.provider, httpReq, upstreamOptions(ctx, target));
  if (res.status >= 400) throw new UpstreamCallError(mapError(res.status, await readBody(res), res.headers));
  return res;
}

/** `sendUpstream` with the answer read whole (non-streamed calls). */
async function sendBuffered(
  ctx: UpstreamCallContext,
  target: UpstreamTarget,
  httpReq: UpstreamHttpRequest,
  mapError: ProviderAdapter['mapError'],
): Promise<BufferedResponse> {
  const res = await ctx.upstream.sendBuffered(target.provider, httpReq, upstreamOptions(ctx, target));
  if (res.status >= 400) throw new UpstreamCallError(mapError(res.status, res.text, res.headers));
  return res;
}

function upstreamOptions(ctx: UpstreamCallContext, target: UpstreamTarget): { timeoutMs: number; extraHeaders?: Record<string, string>; signal: AbortLike } {
  return {
    timeoutMs: target.model.timeout_ms ?? ctx.defaultTimeoutMs,
    extraHeaders: target.provider.simulated ? ctx.simHeaders : undefined,
    signal: ctx.signal,
  };
}

/**
 * One embeddings call: the inputs in the target's wire format, its vectors back in input order. A
 * wire format that cannot carry the inputs (token ids to Gemini) is the client's 400, not a failure.
 */
export function attemptEmbeddings(ctx: UpstreamCallContext, call: EmbeddingsCall, target: UpstreamTarget): Promise<MappedEmbeddings> {
  return timedUpstream(ctx.record, async () => {
    const adapter = embeddingsAdapterFor(target.provider.type);
    if (!adapter) throw new UpstreamCallError({ kind: 'not_found', status: 404, message: `provider type '${target.provider.type}' has no embeddings API` });
    let httpReq: UpstreamHttpRequest;
    try {
      httpReq = adapter.buildRequest(call, target);
    } catch (err) {
      if (err instanceof UnsupportedEmbeddingsInput)
        throw new UpstreamCallError({ kind: 'bad_request', status: 400, message: err.message, providerCode: 'unsupported_input' });
      throw err;
    }
    const res = await sendBuffered(ctx, target, httpReq, (status, body, headers) => adapter.mapError(status, body, headers));
    return adapter.mapResponse(parseUpstreamJson(res.text), call);
  });
}

/** Counts the time spent waiting on the upstream, to tell the gateway's own overhead apart. */
async function timedUpstream<T>(record: RequestRecord, call: () => Promise<T>): Promise<T> {
  const t0 = process.hrtime.bigint();
  try {
    return await call();
  } finally {
    record.upstreamNs += process.hrtime.bigint() - t0;
  }
}

async function readBody(res: UpstreamResponse): Promise<string> {
  try {
    return await res.body.text();
  } catch (err) {
    throw new UpstreamCallError(bodyReadError(err));
  }
}

function parseUpstreamJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UpstreamCallError({ kind: 'server_error', status: 502, message: 'upstream answered with invalid JSON' });
  }
}
