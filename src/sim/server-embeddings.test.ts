import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simEmbedding } from './embedding-vector.ts';
import { DEFAULT_FLEET, withoutErrors } from './fleet.ts';
import { startSim, type SimServer } from './server.ts';

let sim: SimServer;
let client: OpenAI;
beforeAll(async () => {
  sim = await startSim({ fleet: withoutErrors(DEFAULT_FLEET), timeScale: 0 });
  client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'sim', maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});

const cosine = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('simulated embeddings', () => {
  it('are deterministic unit vectors of the model’s dimensions, through the OpenAI SDK (base64 by default)', async () => {
    const texts = ['The cat sat on the mat.', 'A cat was sitting on the mat.', 'Quarterly revenue grew 12 percent.'];
    const res = await client.embeddings.create({ model: 'sim-embed-small', input: texts });
    expect(res.data.map((d) => d.index)).toEqual([0, 1, 2]);
    const vectors = res.data.map((d) => d.embedding);
    for (const v of vectors) {
      expect(v).toHaveLength(512);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    // The SDK asked for base64 (float32): the values round to the float64 vector of the same text.
    expect(vectors[0]![7]).toBeCloseTo(simEmbedding('sim-embed-small', texts[0]!, 512)[7]!, 6);
    // Near-duplicates are closer than unrelated texts.
    expect(cosine(vectors[0]!, vectors[1]!)).toBeGreaterThan(cosine(vectors[0]!, vectors[2]!) + 0.2);
    expect(res.usage.prompt_tokens).toBe(texts.reduce((s, t) => s + Math.ceil(t.length / 4), 0));
    const again = await client.embeddings.create({ model: 'sim-embed-small', input: texts[0]!, encoding_format: 'float' });
    expect(again.data[0]!.embedding[100]).toBe(simEmbedding('sim-embed-small', texts[0]!, 512)[100]);
  });

  it('shortens to `dimensions` and refuses more than the model has', async () => {
    const res = await client.embeddings.create({ model: 'sim-embed-large', input: 'hello', dimensions: 8, encoding_format: 'float' });
    expect(res.data[0]!.embedding).toHaveLength(8);
    expect(Math.hypot(...res.data[0]!.embedding)).toBeCloseTo(1, 9);
    await expect(client.embeddings.create({ model: 'sim-embed-small', input: 'hello', dimensions: 4096 })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(client.embeddings.create({ model: 'sim-mini', input: 'hello' })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('answers Gemini’s batchEmbedContents with the same vectors', async () => {
    const res = await fetch(`${sim.url}/v1beta/models/sim-embed-small:batchEmbedContents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests: [{ model: 'models/sim-embed-small', content: { parts: [{ text: 'hello world' }] } }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { embeddings: Array<{ values: number[] }> };
    expect(body.embeddings[0]!.values).toEqual(simEmbedding('sim-embed-small', 'hello world', 512));
  });
});
