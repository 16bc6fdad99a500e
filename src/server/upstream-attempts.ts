import { adapterFor } from '../providers/registry.ts';
import { UpstreamCallError } from '../providers/upstream-client.ts';
import type { UpstreamClient, UpstreamResponse } from '../providers/upstream-client.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { MappedCompletion, ProviderAdapter, UpstreamTarget } from '../providers/types.ts';
import type { RequestRecord } from './request-record.ts';

/**
 * The client's `x-sim-*` test-control headers (failure injection), forwarded only to simulated
 * providers so tests and demos can exercise retries, fallbacks and cut streams end to end.
 */
export function simControlHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-sim-') && typeof value === 'string') out[name] = value;
  }
  return out;
}

export function timeoutFor(target: UpstreamTarget, defaultMs: number): number {
  return target.model.timeout_ms ?? defaultMs;
}

/** One non-stream upstream call: send, read, map; upstream errors are thrown as UpstreamCallError. */
export async function attemptCompletion(
  upstream: UpstreamClient,
  target: UpstreamTarget,
  body: ChatRequest,
  record: RequestRecord,
  timeoutMs: number,
  simHeaders: Record<string, string>,
): Promise<MappedCompletion> {
  const adapter = adapterFor(target.provider.type);
  const httpReq = adapter.buildRequest(body, target, { stream: false });
  const t0 = process.hrtime.bigint();
  try {
    const res = await upstream.send(target.provider, httpReq, {
      timeoutMs,
      extraHeaders: target.provider.simulated ? simHeaders : undefined,
    });
    const text = await readBody(res);
    if (res.status >= 400) throw new UpstreamCallError(adapter.mapError(res.status, text, res.headers));
    return adapter.mapResponse(parseUpstreamJson(text), target, record.row.id);
  } finally {
    record.upstreamNs += process.hrtime.bigint() - t0;
  }
}

export interface OpenStream {
  res: UpstreamResponse;
  adapter: ProviderAdapter;
  target: UpstreamTarget;
  /** When the upstream's response headers arrived (hrtime ns). */
  headersAtNs: bigint;
}

/** Opens an upstream stream; only a 2xx with headers counts as success, so errors before the first byte can still fall back. */
export async function attemptStream(
  upstream: UpstreamClient,
  target: UpstreamTarget,
  body: ChatRequest,
  record: RequestRecord,
  timeoutMs: number,
  simHeaders: Record<string, string>,
): Promise<OpenStream> {
  const adapter = adapterFor(target.provider.type);
  const httpReq = adapter.buildRequest(body, target, { stream: true });
  const t0 = process.hrtime.bigint();
  try {
    const res = await upstream.send(target.provider, httpReq, {
      timeoutMs,
      extraHeaders: target.provider.simulated ? simHeaders : undefined,
    });
    if (res.status >= 400) {
      const text = await readBody(res);
      throw new UpstreamCallError(adapter.mapError(res.status, text, res.headers));
    }
    return { res, adapter, target, headersAtNs: process.hrtime.bigint() };
  } finally {
    record.upstreamNs += process.hrtime.bigint() - t0;
  }
}

async function readBody(res: UpstreamResponse): Promise<string> {
  try {
    return await res.body.text();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const kind = e.code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : 'connection';
    throw new UpstreamCallError({ kind, status: kind === 'timeout' ? 504 : 502, message: e.message ?? 'body read failed' });
  }
}

function parseUpstreamJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UpstreamCallError({ kind: 'server_error', status: 502, message: 'upstream answered with invalid JSON' });
  }
}
