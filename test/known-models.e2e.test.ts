import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/gateway/serve.ts';

/** An OpenAI-compatible upstream (a proxy in front of OpenAI, say) that bills 1,000 in + 100 out. */
function startUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { model: string };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 1,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 },
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let upstream: Server;
let gateway: RunningGateway;
let client: OpenAI;
let dir: string;
const logLines: string[] = [];

beforeAll(async () => {
  upstream = await startUpstream();
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  dir = mkdtempSync(join(tmpdir(), 'aigw-known-'));
  // Models by id and provider only, as the README's example writes them.
  writeFileSync(
    join(dir, 'aigw.yaml'),
    JSON.stringify({
      providers: [
        { id: 'openai', type: 'openai', base_url: url, api_key_env: 'TEST_OPENAI_KEY', prices_from: 'openai' },
        { id: 'ollama', type: 'openai', base_url: url },
      ],
      models: [
        { id: 'gpt-4o-mini', provider: 'openai' },
        { id: 'gpt-4.1', provider: 'openai' },
        { id: 'llama-local', provider: 'ollama', upstream_model: 'llama3.1:8b' },
      ],
    }),
  );
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(chunk.toString()), done()) });
  gateway = await startGateway({ cwd: dir, port: 0, env: { TEST_OPENAI_KEY: 'k' }, logger: pino({ level: 'info' }, sink) });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'none', maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.shutdown();
  upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a config of model ids and providers only', () => {
  it('starts and names, once, the model it cannot price', () => {
    const warnings = logLines.filter((l) => l.includes('No price known'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('llama-local');
    expect(warnings[0]).not.toContain('gpt-4o-mini');
  });

  it("prices a named model's request at the dataset's published price", async () => {
    const { response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    // 1,000 input tokens at $0.15/1M + 100 output tokens at $0.60/1M.
    expect(Number(response.headers.get('x-aigw-cost-usd'))).toBeCloseTo(0.00015 + 0.00006, 10);
  });

  it('routes auto among the priced models only', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'Summarize: the meeting moved to Tuesday.' }] })
      .withResponse();
    expect(['gpt-4o-mini', 'gpt-4.1']).toContain(response.headers.get('x-aigw-model'));
  });

  it('still serves the unpriced model by name, logged at $0', async () => {
    const { response } = await client.chat.completions.create({ model: 'llama-local', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('x-aigw-cost-usd'))).toBe(0);
  });
});
