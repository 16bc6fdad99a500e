import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.ts';
import { postJson, startTestStack, type TestStack } from './helpers/test-stack.ts';

/**
 * Issue 15, finding 6: answers that were not OpenAI-shaped or left no row — requests during the
 * SIGTERM drain, HTTP-parser rejections, a 413 the client never saw (EPIPE), and wrong-type fields
 * reported as missing.
 */
const BODY_LIMIT = 64 * 1024;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ config: (base) => ({ ...base, server: { body_limit_bytes: BODY_LIMIT } }) });
});
afterAll(async () => {
  await stack?.close();
});

const isOpenAIError = (json: Record<string, unknown>) => {
  const error = json['error'] as Record<string, unknown> | undefined;
  return error !== undefined && ['message', 'type', 'param', 'code'].every((k) => k in error);
};

describe('edge answers', () => {
  it.each([
    [{ model: 7, messages: [{ role: 'user', content: 'hi' }] }, "Invalid type for 'model': expected a string, got a number."],
    [{ model: 'sim-nano', stream: 'yes', messages: [{ role: 'user', content: 'hi' }] }, "Invalid type for 'stream': expected a boolean, got a string."],
    [{ messages: [{ role: 'user', content: 'hi' }] }, "Missing required parameter: 'model'."],
  ])('a wrong-type or missing field is named as such: %j', async (body, message) => {
    const res = await postJson(`${stack.url}/v1/chat/completions`, body);
    expect(res.status).toBe(400);
    expect((res.json['error'] as { message: string }).message).toBe(message);
    expect(await stack.rowOf(res.headers.get('x-aigw-request-id'))).toMatchObject({ status: 400 });
  });

  it('a request the HTTP parser refuses (CR in a header) gets an OpenAI-shaped 400 with a request id and a row', async () => {
    const { port } = new URL(stack.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\ncontent-length: 2\r\n\r\n{}');
      });
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    const id = /x-aigw-request-id: (\S+)/.exec(head)?.[1] ?? null;
    expect(id).toBeTruthy();
    const json = JSON.parse(body) as Record<string, unknown>;
    expect(isOpenAIError(json)).toBe(true);
    expect(json['error']).toMatchObject({ type: 'invalid_request_error', code: 'invalid_http_request' });
    expect(await stack.rowOf(id)).toMatchObject({ status: 400, error_type: 'invalid_http_request' });
  });

  it('a body over the limit: the client reads the 413 (no EPIPE), with its row', async () => {
    // Far more than loopback socket buffers hold, so the client is still sending when the 413 is ready.
    const big = Buffer.alloc(32 * 1024 * 1024, 'a');
    const viaFetch = await fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(viaFetch.status).toBe(413);
    expect(isOpenAIError((await viaFetch.json()) as Record<string, unknown>)).toBe(true);
    expect(await stack.rowOf(viaFetch.headers.get('x-aigw-request-id'))).toMatchObject({ status: 413 });
    // node:http, streaming the body in chunks without a content-length.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 32; i++) req.write(Buffer.alloc(1024 * 1024, 'b'));
      req.end();
    });
    expect(status).toBe(413);
  });

  it.each([
    ['with a content-length', false],
    ['chunked', true],
  ])('a body over the limit uploaded slowly (%s): the 413 comes after the last byte, never an EPIPE', async (_, chunked) => {
    // 40 chunks of 16 KiB, 10 ms apart: over the 64 KiB limit after 5 of them. A gateway that answers
    // at once closes the connection while the client is still sending; the client then sees EPIPE
    // or a 413 in the middle of its upload. Reading the rest of the body first avoids both.
    const chunks = 40;
    const chunkBytes = 16 * 1024;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = String(chunks * chunkBytes);
    const answer = await new Promise<{ status: number; uploadEnded: boolean; requestId: string | undefined }>((resolve, reject) => {
      let uploadEnded = false;
      const req = httpRequest(`${stack.url}/v1/chat/completions`, { method: 'POST', headers }, (res) => {
        const requestId = res.headers['x-aigw-request-id'];
        res.resume();
        resolve({ status: res.statusCode ?? 0, uploadEnded, requestId: typeof requestId === 'string' ? requestId : undefined });
      });
      req.on('error', reject);
      let sent = 0;
      const sendNext = () => {
        if (req.destroyed) return;
        sent += 1;
        if (sent < chunks) {
          req.write(Buffer.alloc(chunkBytes, 'c'));
          setTimeout(sendNext, 10);
          return;
        }
        // Set before the last bytes leave: the server may answer as soon as they arrive.
        uploadEnded = true;
        req.end(Buffer.alloc(chunkBytes, 'c'));
      };
      sendNext();
    });
    expect(answer).toMatchObject({ status: 413, uploadEnded: true });
    expect(await stack.rowOf(answer.requestId ?? null)).toMatchObject({ status: 413 });
  });
});

describe('the SIGTERM drain', () => {
  it('a request arriving while the gateway drains gets an OpenAI-shaped 503 with retry-after and a row', async () => {
    const draining = await startTestStack({ simTimeScale: 1 });
    const { port } = new URL(draining.url);
    const requestText = (body: unknown) => {
      const json = JSON.stringify(body);
      return `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
    };
    // Two requests on one keep-alive connection: the second is sent while the first is still being
    // answered and the drain has begun (a new connection would be refused by then).
    const socket = connect(Number(port), '127.0.0.1');
    let raw = '';
    socket.on('data', (c: Buffer) => (raw += c.toString()));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(requestText({ model: 'sim-mini', messages: [{ role: 'user', content: 'Write a long story.' }], max_tokens: 200 }));
    await new Promise((r) => setTimeout(r, 150));
    const closing = draining.close();
    await new Promise((r) => setTimeout(r, 50));
    socket.write(requestText({ model: 'sim-nano', messages: [{ role: 'user', content: 'hi' }] }));
    await ended;
    await closing;
    const responses = raw.split(/(?=HTTP\/1\.1 )/);
    expect(responses).toHaveLength(2);
    expect(responses[0]).toMatch(/^HTTP\/1\.1 200 /);
    const late = responses[1] ?? '';
    expect(late).toMatch(/^HTTP\/1\.1 503 /);
    expect(Number(/retry-after: (\d+)/i.exec(late)?.[1])).toBeGreaterThan(0);
    const json = JSON.parse(late.slice(late.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
    expect(isOpenAIError(json)).toBe(true);
    expect(json['error']).toMatchObject({ type: 'service_unavailable', code: 'shutting_down' });
    const id = /x-aigw-request-id: (\S+)/i.exec(late)?.[1] ?? '';
    const store = await openStore({ dir: join(draining.dir, 'data') });
    try {
      expect(await store.getRequest(id)).toMatchObject({ status: 503, error_type: 'shutting_down' });
    } finally {
      await store.close();
    }
  }, 30_000);
});
