import { z } from 'zod';
import { UpstreamCallError } from '../upstream-client.ts';
import { pathAfterBase } from '../shared/versioned-path.ts';
import { upstreamModelName } from '../shared/target.ts';
import { UnsupportedEmbeddingsInput, type EmbeddingsAdapter, type EmbeddingsCall, type MappedEmbeddings } from '../embeddings/embeddings-types.ts';
import type { UpstreamHttpRequest, UpstreamTarget } from '../types.ts';
import { mapGeminiError } from './map-gemini-error.ts';

/** Gemini's `batchEmbedContents` answer: one `values` vector per request, in request order, no usage. */
const GeminiBatchEmbedResponse = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
});

/**
 * `POST /v1beta/models/{model}:batchEmbedContents`, every input as one request of the batch (the
 * single-input `:embedContent` is the same call with one item). Gemini takes text only.
 */
function buildGeminiEmbeddingsRequest(call: EmbeddingsCall, target: UpstreamTarget): UpstreamHttpRequest {
  const model = upstreamModelName(target);
  const requests = call.items.map((item) => {
    if (!('text' in item)) {
      throw new UnsupportedEmbeddingsInput(`Model '${target.model.id}' (Gemini) embeds text only; send input as strings, not token ids.`, 'input');
    }
    const one: Record<string, unknown> = { model: `models/${model}`, content: { parts: [{ text: item.text }] } };
    if (call.dimensions !== undefined) one.outputDimensionality = call.dimensions;
    return one;
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.apiKey) headers['x-goog-api-key'] = target.apiKey;
  return {
    path: pathAfterBase(target.provider.base_url, 'v1beta', `/models/${encodeURIComponent(model)}:batchEmbedContents`),
    headers,
    body: JSON.stringify({ requests }),
  };
}

function mapGeminiEmbeddingsResponse(body: unknown, call: EmbeddingsCall): MappedEmbeddings {
  const parsed = GeminiBatchEmbedResponse.safeParse(body);
  if (!parsed.success) {
    throw new UpstreamCallError({ kind: 'server_error', status: 502, message: 'upstream response is not a Gemini batchEmbedContents answer' });
  }
  const vectors = parsed.data.embeddings.map((e) => e.values);
  if (vectors.length !== call.items.length) {
    throw new UpstreamCallError({
      kind: 'server_error',
      status: 502,
      message: `upstream returned ${vectors.length} embeddings for ${call.items.length} inputs`,
    });
  }
  // Gemini reports no token usage for embeddings: the gateway counts the input with its tokenizer.
  return { vectors, inputTokens: undefined };
}

export const geminiEmbeddingsAdapter: EmbeddingsAdapter = {
  buildRequest: buildGeminiEmbeddingsRequest,
  mapResponse: mapGeminiEmbeddingsResponse,
  mapError: mapGeminiError,
};
