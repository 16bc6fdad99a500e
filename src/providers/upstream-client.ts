import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import type { ProviderConfig } from '../config/schema.ts';
import type { UpstreamError, UpstreamHttpRequest } from './types.ts';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

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

  async send(
    provider: ProviderConfig,
    req: UpstreamHttpRequest,
    opts: { timeoutMs: number; signal?: AbortSignal; extraHeaders?: Record<string, string> },
  ): Promise<UpstreamResponse> {
    const base = this.baseOf(provider.base_url);
    const pool = this.poolFor(provider.id, base.origin, provider.max_connections);
    const path = base.pathPrefix + req.path;
    try {
      const res = await pool.request({
        method: 'POST',
        path,
        headers: { ...provider.headers, ...req.headers, ...opts.extraHeaders, 'content-type': 'application/json' },
        body: req.body,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
        signal: opts.signal,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      throw new UpstreamCallError(classifyNetworkError(err));
    }
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
