import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in gateway for client-side tests: answers by the requested model name the way aigw does
 * (x-aigw-* headers, usage, SSE with an error event on a cut), and counts requests in flight.
 */
export interface FakeGateway {
  url: string;
  maxInFlight: number;
  received: number;
  close(): Promise<void>;
}

const USAGE = {
  prompt_tokens: 1_000,
  completion_tokens: 100,
  total_tokens: 1_100,
  prompt_tokens_details: { cached_tokens: 200 },
  completion_tokens_details: { reasoning_tokens: 0 },
};

function gatewayHeaders(id: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'x-aigw-request-id': id,
    'x-aigw-model': 'm1',
    'x-aigw-provider': 'sim',
    'x-aigw-simulated': 'true',
    'x-aigw-overhead-ms': '1.250',
    'x-aigw-route-rule': 'default',
    ...extra,
  };
}

function chunk(id: string, delta: Record<string, unknown>, usage?: unknown): string {
  return `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1, model: 'm1', choices: usage ? [] : [{ index: 0, delta, finish_reason: null }], ...(usage ? { usage } : {}) })}\n\n`;
}

async function answer(model: string, id: string, res: ServerResponse): Promise<void> {
  switch (model) {
    case 'ok':
      res.writeHead(200, { 'content-type': 'application/json', ...gatewayHeaders(id, { 'x-aigw-cost-usd': '0.0012340000' }) });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: 1,
          model: 'm1',
          choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
          usage: USAGE,
        }),
      );
      return;
    case 'stream-ok':
    case 'stream-cut':
      res.writeHead(200, { 'content-type': 'text/event-stream', ...gatewayHeaders(id) });
      res.write(chunk(id, { role: 'assistant', content: 'hel' }));
      if (model === 'stream-cut') {
        res.end(`data: ${JSON.stringify({ error: { message: 'cut', type: 'upstream_error', param: null, code: 'stream_cut' } })}\n\n`);
        return;
      }
      res.write(chunk(id, { content: 'lo' }));
      res.write(chunk(id, {}, USAGE));
      res.end('data: [DONE]\n\n');
      return;
    default:
      res.writeHead(503, { 'content-type': 'application/json', 'x-aigw-request-id': id, 'x-aigw-overhead-ms': '0.500', 'x-aigw-cost-usd': '0.0000000000' });
      res.end(JSON.stringify({ error: { message: 'no healthy upstream', type: 'server_error', param: null, code: 'no_healthy_upstream' } }));
  }
}

export async function startFakeGateway(delayMs = 0): Promise<FakeGateway> {
  let inFlight = 0;
  let n = 0;
  const state = { maxInFlight: 0, received: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      inFlight++;
      state.received++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      const model = (JSON.parse(body || '{}') as { model?: string }).model ?? '';
      setTimeout(() => {
        void answer(model, `req-${++n}`, res).finally(() => inFlight--);
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get maxInFlight() {
      return state.maxInFlight;
    },
    get received() {
      return state.received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
