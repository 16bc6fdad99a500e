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
}

/** Sends every request with at most `concurrency` in flight; results come back in request order. */
export async function runDemoTraffic(client: OpenAI, requests: readonly DemoRequest[], opts: DemoTrafficOptions): Promise<DemoRequestResult[]> {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new RangeError(`concurrency must be a positive integer; got ${opts.concurrency}`);
  const results: DemoRequestResult[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const result = await sendDemoRequest(client, requests[i]!, opts.prices);
      results[i] = result;
      opts.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, requests.length) }, worker));
  return results;
}
