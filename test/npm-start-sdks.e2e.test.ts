import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type ReceivedSpan } from '../src/telemetry/otlp-receiver.test-support.ts';
import { spawnGateway } from './helpers/spawn-gateway.ts';

/**
 * The gateway as `npm start` starts it (`aigw serve` in a directory with no config: the simulated
 * fleet, real delays), with the real openai and @anthropic-ai/sdk clients, and traces exported to a
 * local OTLP/HTTP receiver through the standard OTEL_EXPORTER_OTLP_ENDPOINT variable.
 */
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let gw: ReturnType<typeof spawnGateway>;
let url: string;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'aigw-npm-start-'));
  gw = spawnGateway(dir, { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'aigw-e2e' });
  url = await gw.url;
}, 60_000);
afterAll(async () => {
  gw?.child.kill('SIGTERM');
  await gw?.exited;
  await receiver?.close();
});

const openai = () => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'none', maxRetries: 2 });
const anthropic = () => new Anthropic({ baseURL: url, apiKey: 'none', maxRetries: 2 });

async function spansOf(traceId: string, atLeast: number): Promise<ReceivedSpan[]> {
  for (let waitedMs = 0; waitedMs < 15_000; waitedMs += 100) {
    const spans = receiver.spans.filter((s) => s.traceId === traceId);
    if (spans.length >= atLeast) return spans;
    await new Promise((r) => setTimeout(r, 100));
  }
  return receiver.spans.filter((s) => s.traceId === traceId);
}

describe('the SDKs against `npm start`’s gateway', () => {
  it('Anthropic SDK: Messages with model auto, streamed and not', async () => {
    const message = await anthropic().messages.create({
      model: 'auto',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Translate to French: good morning' }],
    });
    expect(message.type).toBe('message');
    expect(message.content[0]?.type).toBe('text');
    expect(message.model).toMatch(/^sim-/);
    const streamed = await anthropic()
      .messages.stream({ model: 'sim-mini', max_tokens: 2000, system: 'Be brief.', messages: [{ role: 'user', content: 'Name three rivers.' }] })
      .finalMessage();
    expect(streamed.stop_reason).toBe('end_turn');
    expect((streamed.content[0] as { text: string }).text.length).toBeGreaterThan(5);
    expect(streamed.usage.output_tokens).toBeGreaterThan(0);
  }, 60_000);

  it('openai SDK: chat with usage.cost in the body and in the streamed usage chunk; embeddings', async () => {
    const whole = await openai().chat.completions.create({ model: 'sim-nano', messages: [{ role: 'user', content: 'Say hello.' }] });
    const wholeUsage = whole.usage as OpenAI.CompletionUsage & { cost: number };
    expect(wholeUsage.cost).toBeCloseTo((wholeUsage.prompt_tokens * 0.05 + wholeUsage.completion_tokens * 0.2) / 1e6, 12);
    const stream = await openai().chat.completions.create({
      model: 'auto',
      messages: [{ role: 'user', content: 'Write a haiku about rain.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: (OpenAI.CompletionUsage & { cost?: number }) | undefined;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(usage?.cost).toBeGreaterThan(0);
    const embeddings = await openai().embeddings.create({ model: 'sim-embed-small', input: ['alpha', 'beta'] });
    expect(embeddings.data).toHaveLength(2);
    expect(embeddings.data[0]!.embedding).toHaveLength(512);
    expect((embeddings.usage as { cost?: number }).cost).toBeGreaterThan(0);
  }, 60_000);

  it('a traced request shows its routing decision and each upstream attempt as child spans, under the caller’s traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const { response } = await openai()
      .chat.completions.create(
        { model: 'auto', messages: [{ role: 'user', content: 'Summarize: the meeting moved to Tuesday.' }] },
        // The first upstream attempt fails (simulated 500); the retry answers.
        { headers: { traceparent: `00-${traceId}-${callerSpanId}-01`, 'x-sim-fail': '500', 'x-sim-fail-times': '1', 'x-sim-fail-key': 'traced' } },
      )
      .withResponse();
    expect(response.headers.get('x-aigw-trace-id')).toBe(traceId);
    const spans = await spansOf(traceId, 4);
    const root = spans.find((s) => s.parentSpanId === callerSpanId)!;
    expect(root).toMatchObject({ name: 'chat auto', kind: 2, serviceName: 'aigw-e2e' });
    const model = response.headers.get('x-aigw-model');
    expect(root.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'auto',
      'gen_ai.response.model': model,
      'gen_ai.provider.name': 'openai',
      'aigw.routing_model': 'auto',
      'aigw.task_type': 'summarization',
      'aigw.route_rule': 'default',
      'aigw.cache_hit': false,
      'aigw.attempts': 2,
      'http.response.status_code': 200,
    });
    expect(root.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(root.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(root.attributes['aigw.cost_usd']).toBeGreaterThan(0);
    const children = spans.filter((s) => s.parentSpanId === root.spanId);
    const decision = children.find((s) => s.name === 'route auto');
    expect(decision?.attributes).toMatchObject({ 'aigw.chosen_model': model, 'aigw.task_type': 'summarization' });
    const attempts = children.filter((s) => s.kind === 3).sort((a, b) => Number(a.attributes['aigw.attempt']) - Number(b.attributes['aigw.attempt']));
    expect(attempts.map((a) => a.name)).toEqual([`chat ${model}`, `chat ${model}`]);
    expect(attempts[0]!.attributes).toMatchObject({ 'error.type': 'server_error', 'gen_ai.request.model': model, 'server.address': '127.0.0.1' });
    expect(attempts[0]!.status.code).toBe(2);
    expect(attempts[1]!.attributes['error.type']).toBeUndefined();
  }, 60_000);

  it('a technique request traces the technique and each of its calls, with their attempts below', async () => {
    const { response } = await openai()
      .chat.completions.create({
        model: 'sim-nano',
        messages: [{ role: 'user', content: 'What is 12 times 12?' }],
        optillm_approach: 're2',
      } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    const traceId = response.headers.get('x-aigw-trace-id')!;
    const spans = await spansOf(traceId, 4);
    const technique = spans.find((s) => s.name === 'technique re2')!;
    expect(technique.attributes).toMatchObject({ 'aigw.technique': 're2', 'aigw.upstream_calls': 1 });
    const call = spans.find((s) => s.parentSpanId === technique.spanId)!;
    expect(call).toMatchObject({ name: 'technique_call re2', attributes: expect.objectContaining({ 'aigw.model': 'sim-nano' }) });
    expect(spans.find((s) => s.parentSpanId === call.spanId)).toMatchObject({ name: 'chat sim-nano', kind: 3 });
    expect(spans.find((s) => s.spanId === technique.parentSpanId)?.attributes['aigw.technique']).toBe('re2');
  }, 60_000);
});
