import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { adapterFor } from '../providers/registry.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import type { UpstreamResponse } from '../providers/upstream-client.ts';
import { openaiFormat } from './client-format/openai-format.ts';
import { newRequestRecord } from './request-record.ts';
import { pipeStream } from './stream-completion.ts';
import type { OpenStream } from './upstream-attempts.ts';

const target = {
  provider: { id: 'openai', type: 'openai', base_url: 'http://127.0.0.1:1', simulated: false },
  model: { id: 'm', provider: 'openai', upstream_model: 'm' },
} as unknown as UpstreamTarget;

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

/** A client that accepts writes only when the test says so, with a one-byte buffer. */
class HeldClient extends Writable {
  readonly held: Array<() => void> = [];
  text = '';
  constructor() {
    super({ highWaterMark: 1 });
  }
  override _write(data: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += data.toString('utf8');
    this.held.push(done);
  }
  releaseAll(): void {
    for (const done of this.held.splice(0)) done();
  }
}

describe('pipeStream', () => {
  it('stops reading the upstream while the client is not draining its writes', async () => {
    const parts = [
      ...Array.from({ length: 20 }, (_, i) => chunk(`w${i} `)),
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
      'data: [DONE]\n\n',
    ];
    let pulled = 0;
    async function* body(): AsyncGenerator<Buffer> {
      for (const p of parts) {
        pulled++;
        yield Buffer.from(p);
      }
    }
    const open: OpenStream = {
      res: { body: { destroy() {} } } as unknown as UpstreamResponse,
      adapter: adapterFor('openai'),
      target,
      headersAtNs: 0n,
      body: body(),
    };
    const client = new HeldClient();
    const record = newRequestRecord('req-1', Date.now());
    const writer = openaiFormat.streamWriter({
      body: { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true },
      requestId: 'req-1',
      model: 'm',
    });
    const piping = pipeStream(open, writer, client as unknown as ServerResponse, record, () => ({
      inputTokens: 1,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 1,
      reasoningTokens: 0,
    }));
    await new Promise((r) => setTimeout(r, 30));
    expect(pulled).toBe(1); // the first write filled the client's buffer: nothing more is read
    while (client.held.length > 0 || pulled < parts.length) {
      client.releaseAll();
      await new Promise((r) => setImmediate(r));
    }
    const result = await piping;
    client.releaseAll();
    expect(result.failure).toBeUndefined();
    expect(result.outputText).toBe(Array.from({ length: 20 }, (_, i) => `w${i} `).join(''));
    expect(client.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });
});
