import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  body: string;
  /** Sent with every request besides `content-type: application/json` (e.g. Portkey's routing headers). */
  headers?: Record<string, string>;
  connections: number;
  durationS: number;
}

export interface TimeWindow {
  startedAtMs: number;
  endedAtMs: number;
}

export interface LoadResult {
  /** Every 2xx response time in ms, at full precision (autocannon's own histogram keeps whole ms). */
  latenciesMs: number[];
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Wall-clock windows of the load, to match the gateway's request rows to it. */
  windows: TimeWindow[];
  elapsedS: number;
  requestsPerS: number;
}

/** Runs autocannon against `url` with a fixed POST body for a fixed duration. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const startedAtMs = Date.now();
  const result = await autocannon({
    url: opts.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: opts.body,
    connections: opts.connections,
    pipelining: 1,
    duration: opts.durationS,
    setupClient: (client) => {
      client.on('response', (statusCode, _bytes, responseTimeMs) => {
        if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTimeMs);
      });
    },
  });
  const endedAtMs = Date.now();
  const elapsedS = (endedAtMs - startedAtMs) / 1000;
  return {
    latenciesMs,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    windows: [{ startedAtMs, endedAtMs }],
    elapsedS,
    requestsPerS: latenciesMs.length / elapsedS,
  };
}

/** One result from several runs against the same target (rounds interleaved with other targets). */
export function mergeLoadResults(parts: readonly LoadResult[]): LoadResult {
  const latenciesMs: number[] = [];
  for (const p of parts) for (const v of p.latenciesMs) latenciesMs.push(v);
  const sum = (pick: (p: LoadResult) => number) => parts.reduce((a, p) => a + pick(p), 0);
  const elapsedS = sum((p) => p.elapsedS);
  return {
    latenciesMs,
    ok: sum((p) => p.ok),
    non2xx: sum((p) => p.non2xx),
    errors: sum((p) => p.errors),
    timeouts: sum((p) => p.timeouts),
    windows: parts.flatMap((p) => p.windows),
    elapsedS,
    requestsPerS: elapsedS > 0 ? latenciesMs.length / elapsedS : 0,
  };
}
