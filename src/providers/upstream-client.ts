import { Pool, util as undiciUtil } from 'undici';
import type { Dispatcher } from 'undici';
import type { ProviderConfig } from '../config/schema.ts';
import type { UpstreamError, UpstreamHttpRequest } from './types.ts';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/** A whole upstream answer, read into memory (non-streamed calls). */
export interface BufferedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * What stops a call: an AbortSignal, or anything that says as much for less (the pipeline's
 * ClientGone creates no AbortController for the requests whose client stays).
 */
export interface AbortLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

type SendOptions = { timeoutMs: number; signal?: AbortLike; extraHeaders?: Record<string, string> };

export class UpstreamCallError extends Error {
  constructor(readonly upstream: UpstreamError) {
    super(upstream.message);
  }
}

/**
 * The only code that opens connections to upstreams: one undici keep-alive pool per provider and
 * origin, so two providers on one host (two vLLM models behind one proxy) each get the
 * `max_connections` they were configured with. A reload that changes a provider's origin or pool
 * size gets a new pool; the old one closes once its requests are done.
 * `timeoutMs` bounds the wait for response headers and every gap between body chunks.
 */
export class UpstreamClient {
  private readonly pools = new Map<string, { pool: Pool; origin: string; maxConnections: number }>();
  /** base_url → origin and path prefix, parsed once instead of on every request. */
  private readonly bases = new Map<string, { origin: string; pathPrefix: string }>();

  private baseOf(baseUrl: string): { origin: string; pathPrefix: string } {
    let base = this.bases.get(baseUrl);
    if (!base) {
      const url = new URL(baseUrl);
      base = { origin: url.origin, pathPrefix: url.pathname.replace(/\/$/, '') };
      this.bases.set(baseUrl, base);
    }
    return base;
  }

  private poolFor(providerId: string, origin: string, maxConnections: number): Pool {
    const current = this.pools.get(providerId);
    if (current && current.origin === origin && current.maxConnections === maxConnections) return current.pool;
    if (current) void current.pool.close().catch(() => undefined);
    const pool = new Pool(origin, { connections: maxConnections, keepAliveTimeout: 30_000, pipelining: 1 });
    this.pools.set(providerId, { pool, origin, maxConnections });
    return pool;
  }

  /** How many pools are open (one per provider in use). */
  poolCount(): number {
    return this.pools.size;
  }

  async send(provider: ProviderConfig, req: UpstreamHttpRequest, opts: SendOptions): Promise<UpstreamResponse> {
    const pool = this.poolOf(provider);
    try {
      // undici takes any EventTarget-like signal (it reads `aborted`, `reason` and adds an 'abort' listener).
      const res = await pool.request({ ...this.dispatchOptions(provider, req, opts), signal: opts.signal });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      throw new UpstreamCallError(classifyNetworkError(err));
    }
  }

  /**
   * The same call as `send`, with the answer read whole: a plain undici dispatch handler gathers the
   * body, without the response stream, its consumer and their promises that `send` + `body.text()`
   * cost on every non-streamed request. Errors are classified as `send` and a failed body read do.
   */
  sendBuffered(provider: ProviderConfig, req: UpstreamHttpRequest, opts: SendOptions): Promise<BufferedResponse> {
    const pool = this.poolOf(provider);
    return new Promise((resolve, reject) => {
      try {
        pool.dispatch(this.dispatchOptions(provider, req, opts), new BufferingHandler(resolve, reject, opts.signal));
      } catch (err) {
        reject(new UpstreamCallError(classifyNetworkError(err)));
      }
    });
  }

  private poolOf(provider: ProviderConfig): Pool {
    return this.poolFor(provider.id, this.baseOf(provider.base_url).origin, provider.max_connections);
  }

  private dispatchOptions(provider: ProviderConfig, req: UpstreamHttpRequest, opts: SendOptions): Dispatcher.DispatchOptions {
    return {
      method: 'POST',
      path: this.baseOf(provider.base_url).pathPrefix + req.path,
      headers: { ...provider.headers, ...req.headers, ...opts.extraHeaders, 'content-type': 'application/json' },
      body: req.body,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    };
  }

  /** Closes the pools; requests still pending after `graceMs` are aborted rather than waited for. */
  async close(graceMs = 5_000): Promise<void> {
    const pools = [...this.pools.values()].map((p) => p.pool);
    this.pools.clear();
    await Promise.all(
      pools.map(async (pool) => {
        const timer = setTimeout(() => void pool.destroy(), graceMs);
        try {
          await pool.close();
        } catch {
          // destroyed after the grace period
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Maps a thrown network error (undici or abort) to the reliability layer's error kinds. */
export function classifyNetworkError(err: unknown): UpstreamError {
  const e = err as { code?: string; name?: string; message?: string };
  if ((e.code && TIMEOUT_CODES.has(e.code)) || e.name === 'TimeoutError') {
    return { kind: 'timeout', status: 504, message: e.message ?? 'upstream timeout' };
  }
  return { kind: 'connection', status: 502, message: `${e.code ?? e.name ?? 'error'}: ${e.message ?? 'connection failed'}` };
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * A buffered answer whose headers are turned into an object only when read: the success path
 * (the answer mapped, its headers unused) never parses them; an error's mapping reads them.
 */
class BufferedAnswer implements BufferedResponse {
  private parsed: Record<string, string | string[] | undefined> | undefined;

  constructor(
    readonly status: number,
    private readonly rawHeaders: Buffer[],
    readonly text: string,
  ) {}

  get headers(): Record<string, string | string[] | undefined> {
    return (this.parsed ??= undiciUtil.parseHeaders(this.rawHeaders));
  }
}

const NO_HEADERS: Buffer[] = [];

/**
 * Gathers one response in memory for `sendBuffered`; settles its promise once, on the end or an
 * error. undici's raw handler interface (onConnect / onHeaders / onData / onComplete / onError): the
 * controller-style one costs each request an adapter and a controller, and parses the headers and
 * trailers into objects that a successful answer never reads.
 */
class BufferingHandler implements Dispatcher.DispatchHandler {
  private abortCall: ((err?: Error) => void) | undefined;
  private status = 0;
  private rawHeaders: Buffer[] = NO_HEADERS;
  private readonly chunks: Buffer[] = [];
  private headersSeen = false;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    private readonly resolve: (res: BufferedResponse) => void,
    private readonly reject: (err: UpstreamCallError) => void,
    private readonly signal: AbortLike | undefined,
  ) {
    if (signal && !signal.aborted) {
      this.onAbort = () => this.abortCall?.(abortReason(signal));
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.signal?.aborted) abort(abortReason(this.signal));
    else this.abortCall = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.rawHeaders = rawHeaders;
    this.headersSeen = true;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.detach();
    const chunks = this.chunks;
    let bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    // As undici's body.text(): a leading byte order mark is not part of the text.
    if (bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2]) bytes = bytes.subarray(3);
    this.resolve(new BufferedAnswer(this.status, this.rawHeaders, bytes.toString('utf8')));
  }

  onError(err: Error): void {
    this.detach();
    this.reject(new UpstreamCallError(this.headersSeen ? bodyReadError(err) : classifyNetworkError(err)));
  }

  private detach(): void {
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort);
  }
}

function abortReason(signal: AbortLike): Error {
  return (signal.reason as Error | undefined) ?? new DOMException('This operation was aborted', 'AbortError');
}

/** A body that failed after the headers arrived: a gap longer than the timeout, or the connection. */
export function bodyReadError(err: unknown): UpstreamError {
  const e = err as { code?: string; message?: string };
  const kind = e.code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : 'connection';
  return { kind, status: kind === 'timeout' ? 504 : 502, message: e.message ?? 'body read failed' };
}
