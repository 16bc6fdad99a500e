import { z } from 'zod';

/**
 * The OpenAI Embeddings request body as the gateway accepts it (`POST /v1/embeddings`): one text, a
 * list of texts, or token ids (one list, or a list of lists) — OpenAI's four `input` shapes.
 * Unknown fields are kept (looseObject) but only the known ones are sent upstream.
 */
const MAX_INPUTS = 2048;
const TokenIds = z.array(z.int().nonnegative()).min(1);

export const EmbeddingsInput = z.union([
  z.string().min(1),
  z.array(z.string().min(1)).min(1).max(MAX_INPUTS),
  TokenIds,
  z.array(TokenIds).min(1).max(MAX_INPUTS),
]);
export type EmbeddingsInput = z.infer<typeof EmbeddingsInput>;

export const EmbeddingsRequest = z.looseObject({
  model: z.string().min(1),
  input: EmbeddingsInput,
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.int().positive().optional(),
  user: z.string().optional(),
});
export type EmbeddingsRequest = z.infer<typeof EmbeddingsRequest>;

/** One input to embed: a text, or token ids (OpenAI-compatible upstreams only). */
export type EmbeddingItem = { text: string } | { tokens: number[] };

/** The request's inputs in order, one item each. */
export function embeddingItems(input: EmbeddingsInput): EmbeddingItem[] {
  if (typeof input === 'string') return [{ text: input }];
  if (input.every((x): x is number => typeof x === 'number')) return [{ tokens: input }];
  return (input as Array<string | number[]>).map((x) => (typeof x === 'string' ? { text: x } : { tokens: x }));
}

/** OpenAI's embeddings response, as the gateway returns it (`embedding` is base64 when the client asked). */
export interface EmbeddingsResponse {
  object: 'list';
  data: Array<{ object: 'embedding'; index: number; embedding: number[] | string }>;
  model: string;
  usage: { prompt_tokens: number; total_tokens: number; cost?: number };
}
