// Test helper: local HTTP servers that speak Not Diamond's and RouteLLM's wire formats and record what they were sent.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** How the server answers the next requests: a status and JSON body, or never (to hit the timeout). */
export type FakeAnswer = { status: number; body: unknown } | { hang: true };

export interface FakeRoutingServer {
  baseUrl: string;
  requests: RecordedRequest[];
  answer(next: FakeAnswer): void;
  close(): Promise<void>;
}

export async function startFakeRoutingServer(initial: FakeAnswer): Promise<FakeRoutingServer> {
  const requests: RecordedRequest[] = [];
  let current = initial;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text ? (JSON.parse(text) as unknown) : undefined });
      const answer = current;
      if ('hang' in answer) return;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    answer: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Not Diamond's model-select answer naming one provider/model. */
export function notDiamondPick(provider: string, model: string): FakeAnswer {
  return { status: 200, body: { providers: [{ provider, model }], session_id: 'nd-session-1' } };
}

/** A RouteLLM server's chat completion, as produced after it routed to `model` (one token, max_tokens 1). */
export function routeLlmCompletion(model: string): FakeAnswer {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Sure' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 },
    },
  };
}
