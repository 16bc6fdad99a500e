import { setMaxListeners } from 'node:events';
import type OpenAI from 'openai';
import type { DemoRequest } from './demo-plan.ts';
import { sendDemoRequest, type DemoRequestResult, type ModelPrices } from './send-demo-request.ts';

export interface DemoTrafficOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Catalog prices, to cost streamed answers (their cost header arrives as a trailer the SDK drops). */
  prices: ModelPrices;
  /** Called once per finished request, in completion order (drives the progress bar). */
  onResult?: (result: DemoRequestResult) => void;
  /** Stops sending new requests and aborts those in flight (Ctrl-C); the results cover what was sent. */
  signal?: AbortSignal;
}

/** Sends every request with at most `concurrency` in flight; results come back in request order. */
export async function runDemoTraffic(client: OpenAI, requests: readonly DemoRequest[], opts: DemoTrafficOptions): Promise<DemoRequestResult[]> {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new RangeError(`concurrency must be a positive integer; got ${opts.concurrency}`);
  const results = new Array<DemoRequestResult | undefined>(requests.length);
  const { signal } = opts;
  // One listener per request in flight, removed when it ends: more than Node's default 10 is not a leak.
  if (signal) setMaxListeners(opts.concurrency + 10, signal);
  let next = 0;
  const worker = async () => {
    while (next < requests.length && !signal?.aborted) {
      const i = next++;
      const result = await sendWithOwnSignal(client, requests[i]!, opts.prices, signal);
      results[i] = result;
      opts.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, requests.length) }, worker));
  return results.filter((r): r is DemoRequestResult => r !== undefined);
}

/** The SDK listens on the signal it gets; a per-request child keeps those listeners off the caller's signal. */
async function sendWithOwnSignal(client: OpenAI, req: DemoRequest, prices: ModelPrices, outer: AbortSignal | undefined): Promise<DemoRequestResult> {
  if (!outer) return sendDemoRequest(client, req, prices);
  const child = new AbortController();
  const abort = () => child.abort();
  outer.addEventListener('abort', abort, { once: true });
  try {
    return await sendDemoRequest(client, req, prices, child.signal);
  } finally {
    outer.removeEventListener('abort', abort);
  }
}
