import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test support: an HTTP proxy between the gateway and the simulated upstream that records every
 * completion the upstream answered (model, n, usage), so tests can check the gateway's accounting
 * against what really went over the wire. It can also refuse requests after a number of them.
 */

export interface UpstreamSeen {
  model: string;
  n: number;
  usage: { prompt_tokens: number; completion_tokens: number; completion_tokens_details?: { reasoning_tokens?: number } };
}

/** Forwards to the simulator and remembers each upstream answer's model, n and usage. */
export class RecordingProxy {
  readonly seen: UpstreamSeen[] = [];
  targetUrl = '';
  /** Completion requests to let through before answering the rest with a 400, when set. */
  private passBeforeFailing: number | undefined;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (b: Buffer) => parts.push(b));
      req.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        if (req.method === 'POST' && this.passBeforeFailing !== undefined && this.passBeforeFailing-- <= 0) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'refused by the test proxy', type: 'invalid_request_error', param: null, code: null } }));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        void fetch(`${this.targetUrl}${req.url ?? ''}`, { method: req.method, headers, body: req.method === 'POST' ? body : undefined }).then(async (up) => {
          const text = await up.text();
          if (req.method === 'POST' && up.status === 200) {
            const sent = JSON.parse(body) as { model: string; n?: number };
            const answer = JSON.parse(text) as { usage: UpstreamSeen['usage'] };
            this.seen.push({ model: sent.model, n: sent.n ?? 1, usage: answer.usage });
          }
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Lets `count` completion requests through, then refuses every other one until `reset()`. */
  failAfter(count: number): void {
    this.passBeforeFailing = count;
  }

  reset(): void {
    this.passBeforeFailing = undefined;
  }

  /** What the upstream saw from now on. */
  mark(): () => UpstreamSeen[] {
    const from = this.seen.length;
    return () => this.seen.slice(from);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
