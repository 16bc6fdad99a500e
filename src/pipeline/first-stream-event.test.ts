import { describe, expect, it } from 'vitest';
import { adapterFor } from '../providers/registry.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import { UpstreamCallError } from '../providers/upstream-client.ts';
import { checkStreamStart } from './first-stream-event.ts';

function target(type: 'openai' | 'anthropic'): UpstreamTarget {
  return {
    provider: { id: type, type, base_url: 'http://127.0.0.1:1', simulated: false },
    model: { id: 'm', provider: type, upstream_model: 'm' },
  } as unknown as UpstreamTarget;
}

async function* chunks(parts: readonly string[], failAfter?: Error): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
  if (failAfter) throw failAfter;
}

async function drain(body: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const b of body) text += b.toString('utf8');
  return text;
}

const openaiChunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

async function startError(parts: readonly string[], type: 'openai' | 'anthropic' = 'openai', failAfter?: Error): Promise<UpstreamCallError> {
  const err = await checkStreamStart(chunks(parts, failAfter), adapterFor(type), target(type), 'req-1').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamCallError);
  return err as UpstreamCallError;
}

describe('checkStreamStart', () => {
  it('replays every byte it read, then the rest, when the answer has begun', async () => {
    const parts = [
      openaiChunk({ role: 'assistant', content: '' }),
      openaiChunk({ content: 'Hel' }).slice(0, 20),
      openaiChunk({ content: 'Hel' }).slice(20),
      openaiChunk({}, 'stop'),
      'data: [DONE]\n\n',
    ];
    const body = await checkStreamStart(chunks(parts), adapterFor('openai'), target('openai'), 'req-1');
    expect(await drain(body)).toBe(parts.join(''));
  });

  it('throws the mapped upstream error when an OpenAI-style stream starts with an error event', async () => {
    const err = await startError([`data: ${JSON.stringify({ error: { message: 'boom', type: 'server_error', code: null } })}\n\n`]);
    expect(err.upstream).toMatchObject({ kind: 'server_error', status: 500, message: 'boom' });
  });

  it('holds back a role-only chunk: an error right after it still counts as a failed start', async () => {
    const err = await startError([
      openaiChunk({ role: 'assistant', content: '' }),
      `data: ${JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } })}\n\n`,
    ]);
    expect(err.upstream.message).toBe('overloaded');
  });

  it('maps an Anthropic overloaded_error after message_start', async () => {
    const start = `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 3, output_tokens: 1 } } })}\n\n`;
    const error = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`;
    const err = await startError([start, error], 'anthropic');
    expect(err.upstream).toMatchObject({ kind: 'overloaded', providerCode: 'overloaded_error' });
  });

  it('treats a stream that ends before any event as a retryable connection failure', async () => {
    const err = await startError([]);
    expect(err.upstream).toMatchObject({ kind: 'connection', status: 502 });
  });

  it('treats a socket error before the answer as a connection failure', async () => {
    const err = await startError([openaiChunk({ role: 'assistant' })], 'openai', new Error('socket hang up'));
    expect(err.upstream.kind).toBe('connection');
    expect(err.upstream.message).toContain('socket hang up');
  });
});
