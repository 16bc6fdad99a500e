import type { EmbeddingItem } from './embeddings-schema.ts';
import type { UpstreamError, UpstreamHttpRequest, UpstreamTarget } from '../types.ts';

/** What an embeddings upstream is asked for: the inputs in order and, optionally, fewer dimensions. */
export interface EmbeddingsCall {
  items: EmbeddingItem[];
  dimensions?: number;
}

/** An upstream's embeddings, one vector per input in input order; usage only when it reported one. */
export interface MappedEmbeddings {
  vectors: number[][];
  inputTokens: number | undefined;
}

/** One embeddings wire format. Pure mappings, like ProviderAdapter; errors map as the chat adapter's do. */
export interface EmbeddingsAdapter {
  buildRequest(call: EmbeddingsCall, target: UpstreamTarget): UpstreamHttpRequest;
  mapResponse(body: unknown, call: EmbeddingsCall): MappedEmbeddings;
  mapError(status: number, body: string, headers: Record<string, string | string[] | undefined>): UpstreamError;
}

/** Thrown by buildRequest when the wire format cannot carry the request (a client error, no retry). */
export class UnsupportedEmbeddingsInput extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}
