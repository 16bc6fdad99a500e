import type { ProviderAdapter } from '../types.ts';
import { convertToGeminiRequest } from './convert-to-gemini-request.ts';
import { createGeminiStreamMapper } from './gemini-stream-mapper.ts';
import { mapGeminiError } from './map-gemini-error.ts';
import { mapGeminiResponse } from './map-gemini-response.ts';

/** Gemini API generateContent / streamGenerateContent?alt=sse with the key in x-goog-api-key. */
export const geminiAdapter: ProviderAdapter = {
  buildRequest: convertToGeminiRequest,
  mapResponse: mapGeminiResponse,
  createStreamMapper: createGeminiStreamMapper,
  mapError: mapGeminiError,
};
