import type { IncomingHttpHeaders } from 'node:http';
import type { SimModel } from './fleet-schema.ts';

/** How the simulator misbehaves for one request (see the header docs at the top of server.ts). */
export type FailMode =
  { kind: 'status'; status: number; retryAfterS?: number } | { kind: 'timeout' } | { kind: 'cut' } | { kind: 'stream_error' } | { kind: 'connection' };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export class BadControlHeader extends Error {}

function parseMode(value: string, retryAfterS: number | undefined): FailMode {
  const v = value.trim().toLowerCase();
  if (v === 'timeout' || v === 'cut' || v === 'stream_error' || v === 'connection') return { kind: v };
  if (/^[45]\d\d$/.test(v)) return retryAfterS === undefined ? { kind: 'status', status: Number(v) } : { kind: 'status', status: Number(v), retryAfterS };
  throw new BadControlHeader(`x-sim-fail must be an HTTP status 400-599, timeout, cut, stream_error or connection; got "${value}"`);
}

function nonNegativeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new BadControlHeader(`${name} must be a non-negative number; got "${value}"`);
  return n;
}

/**
 * Decides injected failures: the test-control headers first, then the model's error_rate.
 * `random` drives error_rate draws so a seeded run injects the same failures in the same order.
 */
export class FailureControl {
  private readonly failedByKey = new Map<string, number>();

  constructor(
    private readonly random: () => number,
    private readonly timeScale: number,
  ) {}

  /** The failure the request's x-sim-* headers ask for, if any. Throws BadControlHeader on bad values. */
  fromHeaders(headers: IncomingHttpHeaders): FailMode | undefined {
    const fail = header(headers, 'x-sim-fail');
    if (fail === undefined) return undefined;
    const mode = parseMode(fail, nonNegativeNumber('x-sim-retry-after', header(headers, 'x-sim-retry-after')));
    const times = nonNegativeNumber('x-sim-fail-times', header(headers, 'x-sim-fail-times'));
    if (times === undefined) return mode;
    const key = header(headers, 'x-sim-fail-key') ?? '';
    const failed = this.failedByKey.get(key) ?? 0;
    if (failed >= times) return undefined;
    this.failedByKey.set(key, failed + 1);
    return mode;
  }

  /** A 500 or 429 with probability error_rate, split per the model's error_mix. */
  fromErrorRate(model: SimModel): FailMode | undefined {
    if (model.error_rate <= 0 || this.random() >= model.error_rate) return undefined;
    const mix = model.error_mix;
    const total = mix.server_error + mix.rate_limited;
    const rateLimited = total > 0 && this.random() * total < mix.rate_limited;
    if (!rateLimited) return { kind: 'status', status: 500 };
    return { kind: 'status', status: 429, retryAfterS: Math.ceil(mix.retry_after_s * this.timeScale) };
  }
}
