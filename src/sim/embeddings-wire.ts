import { z } from 'zod';
import type { SimEmbeddingModel } from './fleet-schema.ts';
import { shortened, simEmbedding, simEmbeddingTokens } from './embedding-vector.ts';
import { InvalidRequest } from './request-text.ts';

/** The simulator's embeddings endpoints: OpenAI `POST /embeddings` and Gemini `:batchEmbedContents`. */

const OpenAIEmbeddingsBody = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1), z.array(z.int()).min(1), z.array(z.array(z.int()).min(1)).min(1)]),
  dimensions: z.int().positive().optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
});

const GeminiBatchBody = z.looseObject({
  requests: z
    .array(
      z.looseObject({
        content: z.looseObject({ parts: z.array(z.looseObject({ text: z.string() })).min(1) }),
        outputDimensionality: z.int().positive().optional(),
      }),
    )
    .min(1),
});

function inputsOf(input: z.infer<typeof OpenAIEmbeddingsBody>['input']): Array<string | number[]> {
  if (typeof input === 'string') return [input];
  if (input.every((x): x is number => typeof x === 'number')) return [input];
  return input;
}

function vectorFor(model: SimEmbeddingModel, input: string | number[], dimensions: number | undefined): number[] {
  if (dimensions !== undefined && dimensions > model.dimensions) {
    throw new InvalidRequest(`dimensions must be at most ${model.dimensions} for ${model.id}`, 'dimensions');
  }
  const text = typeof input === 'string' ? input : input.join(' ');
  const full = simEmbedding(model.id, text, model.dimensions);
  return dimensions === undefined ? full : shortened(full, dimensions);
}

function float32Base64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/** Parses an OpenAI embeddings body; the model id is returned first so the caller can look it up. */
export function parseOpenAIEmbeddings(body: unknown): z.infer<typeof OpenAIEmbeddingsBody> {
  const parsed = OpenAIEmbeddingsBody.safeParse(body);
  if (!parsed.success) throw new InvalidRequest(`invalid embeddings request: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'input');
  return parsed.data;
}

export function openAIEmbeddings(model: SimEmbeddingModel, body: z.infer<typeof OpenAIEmbeddingsBody>): unknown {
  const inputs = inputsOf(body.input);
  const tokens = inputs.reduce((sum, x) => sum + simEmbeddingTokens(x), 0);
  return {
    object: 'list',
    data: inputs.map((input, index) => {
      const vector = vectorFor(model, input, body.dimensions);
      return { object: 'embedding', index, embedding: body.encoding_format === 'base64' ? float32Base64(vector) : vector };
    }),
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

export function geminiBatchEmbeddings(model: SimEmbeddingModel, body: unknown): unknown {
  const parsed = GeminiBatchBody.safeParse(body);
  if (!parsed.success) throw new InvalidRequest(`* BatchEmbedContentsRequest: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'requests');
  return {
    embeddings: parsed.data.requests.map((r) => ({
      values: vectorFor(model, r.content.parts.map((p) => p.text).join(''), r.outputDimensionality),
    })),
  };
}
