import { z } from 'zod';
import { UpstreamCallError } from '../upstream-client.ts';
import { upstreamModelName } from '../shared/target.ts';
import type { EmbeddingsAdapter, EmbeddingsCall, MappedEmbeddings } from '../embeddings/embeddings-types.ts';
import type { UpstreamHttpRequest, UpstreamTarget } from '../types.ts';
import { mapOpenAIError } from './map-openai-error.ts';

/** OpenAI's embeddings response (also vLLM, Ollama's /v1, Together, …): one vector per input, by index. */
const OpenAIEmbeddingsResponse = z.looseObject({
  data: z.array(z.looseObject({ index: z.int().nonnegative(), embedding: z.array(z.number()) })),
  usage: z.looseObject({ prompt_tokens: z.int().nonnegative() }).optional(),
});

function buildOpenAIEmbeddingsRequest(call: EmbeddingsCall, target: UpstreamTarget): UpstreamHttpRequest {
  const inputs = call.items.map((item) => ('text' in item ? item.text : item.tokens));
  const body: Record<string, unknown> = {
    model: upstreamModelName(target),
    // One item goes as itself: some OpenAI-compatible servers take only a single string.
    input: inputs.length === 1 ? inputs[0] : inputs,
    // Floats from the upstream whatever the client asked: the gateway encodes base64 itself.
    encoding_format: 'float',
  };
  if (call.dimensions !== undefined) body.dimensions = call.dimensions;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return { path: '/embeddings', headers, body: JSON.stringify(body) };
}

function mapOpenAIEmbeddingsResponse(body: unknown, call: EmbeddingsCall): MappedEmbeddings {
  const parsed = OpenAIEmbeddingsResponse.safeParse(body);
  if (!parsed.success) {
    throw new UpstreamCallError({ kind: 'server_error', status: 502, message: 'upstream response is not an OpenAI embeddings list' });
  }
  const vectors = new Array<number[] | undefined>(call.items.length);
  for (const d of parsed.data.data) if (d.index < vectors.length) vectors[d.index] = d.embedding;
  if (vectors.some((v) => v === undefined) || parsed.data.data.length !== call.items.length) {
    throw new UpstreamCallError({
      kind: 'server_error',
      status: 502,
      message: `upstream returned ${parsed.data.data.length} embeddings for ${call.items.length} inputs`,
    });
  }
  return { vectors: vectors as number[][], inputTokens: parsed.data.usage?.prompt_tokens };
}

/** `POST {base_url}/embeddings` in OpenAI's format. */
export const openaiEmbeddingsAdapter: EmbeddingsAdapter = {
  buildRequest: buildOpenAIEmbeddingsRequest,
  mapResponse: mapOpenAIEmbeddingsResponse,
  mapError: mapOpenAIError,
};
