import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestStack, type TestStack } from '../../../test/helpers/test-stack.ts';

const ADMIN_KEY = 'feedback-admin-key-0123456789';
let stack: TestStack;
let ownerKey: string;
let otherKey: string;
let requestId: string;

async function createKey(name: string): Promise<string> {
  const res = await postJson(`${stack.url}/admin/keys`, { name }, { authorization: `Bearer ${ADMIN_KEY}` });
  expect(res.status).toBe(201);
  return res.json['key'] as string;
}

const feedback = (body: unknown, key: string) => postJson(`${stack.url}/v1/feedback`, body, { authorization: `Bearer ${key}` });

beforeAll(async () => {
  stack = await startTestStack({ env: { AIGW_ADMIN_KEY: ADMIN_KEY } });
  ownerKey = await createKey('owner');
  otherKey = await createKey('other');
  const { response } = await stack
    .clientWithKey(ownerKey)
    .chat.completions.create({ model: 'sim-nano', messages: [{ role: 'user', content: 'hello' }], max_tokens: 20 })
    .withResponse();
  requestId = response.headers.get('x-aigw-request-id') ?? '';
  expect(requestId).not.toBe('');
});
afterAll(async () => {
  await stack?.close();
});

describe('POST /v1/feedback over HTTP', () => {
  it('stores a thumbs-up from the key that made the request (the row may still be in the write queue)', async () => {
    const res = await feedback({ request_id: requestId, thumbs: 'up', comment: 'spot on' }, ownerKey);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ request_id: requestId, source: 'user', score: 1, comment: 'spot on' });
    const rows = await stack.gateway.runtime.gateway.store.listFeedback(requestId);
    expect(rows.map((r) => [r.source, r.score, r.comment])).toEqual([['user', 1, 'spot on']]);
  });

  it('is idempotent per (request, source): a second rating replaces the first, another source adds a row', async () => {
    expect((await feedback({ request_id: requestId, score: 0.25 }, ownerKey)).status).toBe(200);
    expect((await feedback({ request_id: requestId, score: 0.25 }, ownerKey)).status).toBe(200);
    expect((await feedback({ request_id: requestId, thumbs: 'down', source: 'qa-team' }, ownerKey)).status).toBe(200);
    const rows = await stack.gateway.runtime.gateway.store.listFeedback(requestId);
    expect(rows.map((r) => [r.source, r.score, r.comment])).toEqual([
      ['qa-team', 0, null],
      ['user', 0.25, null],
    ]);
  });

  it('answers 400 naming the bad field', async () => {
    const outOfRange = await feedback({ request_id: requestId, score: 1.5 }, ownerKey);
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.json).toMatchObject({ error: { param: 'score', type: 'invalid_request_error' } });
    const missingId = await feedback({ score: 0.5 }, ownerKey);
    expect(missingId.status).toBe(400);
    expect(missingId.json).toMatchObject({ error: { param: 'request_id', message: "Missing required parameter: 'request_id'." } });
    const neither = await feedback({ request_id: requestId }, ownerKey);
    expect(neither.json).toMatchObject({ error: { param: 'score' } });
    const both = await feedback({ request_id: requestId, score: 1, thumbs: 'up' }, ownerKey);
    expect(both.json).toMatchObject({ error: { param: 'thumbs' } });
    const badThumbs = await feedback({ request_id: requestId, thumbs: 'sideways' }, ownerKey);
    expect(badThumbs.json).toMatchObject({ error: { param: 'thumbs' } });
    const reserved = await feedback({ request_id: requestId, score: 1, source: 'judge' }, ownerKey);
    expect(reserved.status).toBe(400);
    expect(reserved.json).toMatchObject({ error: { param: 'source' } });
  });

  it("answers 404 for an unknown request and for another key's request; the admin key may rate any", async () => {
    const unknown = await feedback({ request_id: 'no-such-request', score: 1 }, ownerKey);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { param: 'request_id', code: 'request_not_found' } });
    const foreign = await feedback({ request_id: requestId, score: 1 }, otherKey);
    expect(foreign.status).toBe(404);
    const admin = await feedback({ request_id: requestId, score: 0.9, source: 'judge' }, ADMIN_KEY);
    expect(admin.status).toBe(200);
    const sources = (await stack.gateway.runtime.gateway.store.listFeedback(requestId)).map((r) => r.source);
    expect(sources).toEqual(['judge', 'qa-team', 'user']);
  });

  it('needs a valid key like every /v1 route', async () => {
    expect((await postJson(`${stack.url}/v1/feedback`, { request_id: requestId, score: 1 })).status).toBe(401);
    expect((await feedback({ request_id: requestId, score: 1 }, 'sk-not-a-key')).status).toBe(401);
  });
});
