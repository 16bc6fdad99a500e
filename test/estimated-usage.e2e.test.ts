import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/gateway/serve.ts';

/**
 * An OpenAI-compatible server that, like some self-hosted ones, streams without any usage chunk and
 * without [DONE] after the finish_reason. The gateway must count the tokens itself and say so.
 */
function startUsagelessUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { stream?: boolean };
      const words = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '.'];
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'x1',
            object: 'chat.completion',
            created: 1,
            model: 'local',
            choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }],
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const w of words) {
        res.write(
          `data: ${JSON.stringify({ id: 'x2', object: 'chat.completion.chunk', created: 1, model: 'local', choices: [{ index: 0, delta: { content: w }, finish_reason: null }] })}\n\n`,
        );
      }
      res.end(
        `data: ${JSON.stringify({ id: 'x2', object: 'chat.completion.chunk', created: 1, model: 'local', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let upstream: Server;
let gateway: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startUsagelessUpstream();
  const port = (upstream.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'aigw-usage-'));
  writeFileSync(
    join(dir, 'aigw.yaml'),
    JSON.stringify({
      server: { log_content: true },
      providers: [{ id: 'local', type: 'openai', base_url: `http://127.0.0.1:${port}/v1` }],
      models: [{ id: 'local-llm', provider: 'local', pricing: { input: 1, output: 2 }, context_window: 8192, max_output_tokens: 1024 }],
    }),
  );
  gateway = await startGateway({ cwd: dir, port: 0, logger: pino({ level: 'silent' }) });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'none', maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.shutdown();
  upstream?.close();
});

async function row(requestId: string | null) {
  await gateway.runtime.gateway.writer.flush();
  return gateway.runtime.gateway.store.getRequest(requestId ?? '');
}

describe('usage the upstream did not report', () => {
  it('is counted with the tokenizer and marked usage_estimated (stream)', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'local-llm', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Say the pangram.' }] })
      .withResponse();
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    // "The quick brown fox jumps over the lazy dog." is 10 tokens in o200k_base.
    expect(usage?.completion_tokens).toBe(10);
    const r = await row(response.headers.get('x-aigw-request-id'));
    expect(r).toMatchObject({ usage_estimated: true, output_tokens: 10, status: 200 });
    expect(r?.input_tokens).toBe(usage?.prompt_tokens);
    expect(r?.cost_usd).toBeCloseTo(((r?.input_tokens ?? 0) * 1 + 10 * 2) / 1e6, 12);
  });

  it('is counted for non-stream answers too, and content is logged when log_content is on', async () => {
    const { response } = await client.chat.completions.create({ model: 'local-llm', messages: [{ role: 'user', content: 'Say the pangram.' }] }).withResponse();
    const r = await row(response.headers.get('x-aigw-request-id'));
    expect(r).toMatchObject({ usage_estimated: true, output_tokens: 10 });
    expect(r?.prompt_text).toContain('Say the pangram.');
    expect(r?.response_text).toBe('The quick brown fox jumps over the lazy dog.');
  });

  it('exposes Prometheus metrics and health', async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/aigw_requests_total\{model="local-llm",provider="local",status_class="2xx",stream="true"\} 1/);
    expect(metrics).toMatch(/aigw_tokens_total\{model="local-llm",kind="output"\} 20/);
    expect(metrics).toContain('aigw_request_duration_seconds_bucket');
    expect(metrics).toContain('aigw_cost_usd_total');
    const health = (await (await fetch(`${gateway.url}/health`)).json()) as { status: string; store: string };
    expect(health).toMatchObject({ status: 'ok', store: 'sqlite' });
  });
});
