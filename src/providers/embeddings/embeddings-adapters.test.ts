import { describe, expect, it } from 'vitest';
import { loadJsonFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { makeTestTarget } from '../shared/target.test-support.ts';
import { UpstreamCallError } from '../upstream-client.ts';
import { embeddingsAdapterFor } from './embeddings-registry.ts';
import { embeddingItems, EmbeddingsRequest } from './embeddings-schema.ts';
import { UnsupportedEmbeddingsInput } from './embeddings-types.ts';

const fixture = (path: string): unknown => loadJsonFixture(new URL(`../${path}`, import.meta.url));
const openai = embeddingsAdapterFor('openai')!;
const gemini = embeddingsAdapterFor('gemini')!;

describe('embeddings request schema', () => {
  it('accepts OpenAI’s four input shapes, in order', () => {
    expect(embeddingItems('a')).toEqual([{ text: 'a' }]);
    expect(embeddingItems(['a', 'b'])).toEqual([{ text: 'a' }, { text: 'b' }]);
    expect(embeddingItems([1, 2, 3])).toEqual([{ tokens: [1, 2, 3] }]);
    expect(embeddingItems([[1], [2, 3]])).toEqual([{ tokens: [1] }, { tokens: [2, 3] }]);
  });

  it('refuses empty input and unknown encodings', () => {
    expect(EmbeddingsRequest.safeParse({ model: 'm', input: [] }).success).toBe(false);
    expect(EmbeddingsRequest.safeParse({ model: 'm', input: '' }).success).toBe(false);
    expect(EmbeddingsRequest.safeParse({ model: 'm', input: 'x', encoding_format: 'int8' }).success).toBe(false);
  });
});

describe('OpenAI embeddings wire format', () => {
  const target = makeTestTarget('openai', { id: 'embed-small', upstream_model: 'text-embedding-3-small' });

  it('builds the published request: upstream model name, floats, dimensions, bearer key', () => {
    const call = { items: embeddingItems(['The food was delicious and the waiter...', 'Where is the train station?']), dimensions: 4 };
    const req = openai.buildRequest(call, target);
    expect(req.path).toBe('/embeddings');
    expect(req.headers.authorization).toBe('Bearer test-key');
    expect(JSON.parse(req.body)).toEqual(fixture('openai/__fixtures__/embeddings-request.json'));
  });

  it('puts vectors back in input order by index and reads the usage', () => {
    const mapped = openai.mapResponse(fixture('openai/__fixtures__/embeddings-two-inputs.json'), { items: embeddingItems(['a', 'b']) });
    expect(mapped.vectors[0]).toEqual([0.0023064255, -0.009327292, -0.0028842222, 0.0161]);
    expect(mapped.vectors[1]?.[0]).toBe(-0.0131);
    expect(mapped.inputTokens).toBe(8);
  });

  it('rejects an answer with the wrong number of vectors or another shape', () => {
    const two = fixture('openai/__fixtures__/embeddings-two-inputs.json');
    expect(() => openai.mapResponse(two, { items: embeddingItems(['a', 'b', 'c']) })).toThrow(UpstreamCallError);
    expect(() => openai.mapResponse({ object: 'list' }, { items: embeddingItems('a') })).toThrow(/not an OpenAI embeddings list/);
  });

  it('sends token ids as they are', () => {
    const req = openai.buildRequest({ items: embeddingItems([[1, 2], [3]]) }, target);
    expect(JSON.parse(req.body).input).toEqual([[1, 2], [3]]);
  });
});

describe('Gemini embeddings wire format', () => {
  const target = makeTestTarget('gemini', { id: 'gem-embed', upstream_model: 'gemini-embedding-001' });

  it('builds batchEmbedContents with one request per input and the key in x-goog-api-key', () => {
    const call = { items: embeddingItems(['What is the meaning of life?', 'How much wood would a woodchuck chuck?']), dimensions: 3 };
    const req = gemini.buildRequest(call, target);
    expect(req.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(req.headers['x-goog-api-key']).toBe('test-key');
    expect(JSON.parse(req.body)).toEqual(fixture('gemini/__fixtures__/batch-embed-request.json'));
  });

  it('maps the vectors in order and reports no usage (the gateway counts it)', () => {
    const mapped = gemini.mapResponse(fixture('gemini/__fixtures__/batch-embed-response.json'), { items: embeddingItems(['a', 'b']) });
    expect(mapped.vectors).toEqual([
      [-0.022374554, -0.004560777, 0.013309286],
      [0.0069105867, -0.0053049736, -0.024376107],
    ]);
    expect(mapped.inputTokens).toBeUndefined();
  });

  it('refuses token ids as the client’s error, and maps Gemini’s error body', () => {
    expect(() => gemini.buildRequest({ items: embeddingItems([1, 2]) }, target)).toThrow(UnsupportedEmbeddingsInput);
    const err = gemini.mapError(400, JSON.stringify(fixture('gemini/__fixtures__/error-invalid-argument.json')), {});
    expect(err.kind).toBe('bad_request');
  });

  it('has no Anthropic embeddings adapter', () => {
    expect(embeddingsAdapterFor('anthropic')).toBeUndefined();
  });
});
