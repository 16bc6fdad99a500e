import type { ProviderAdapter } from '../types.ts';
import { convertToOpenAIRequest } from './convert-to-openai-request.ts';
import { mapOpenAIError } from './map-openai-error.ts';
import { mapOpenAIResponse } from './map-openai-response.ts';
import { createOpenAIStreamMapper } from './openai-stream-mapper.ts';

/** OpenAI Chat Completions and every server that speaks it (vLLM, Ollama, llama.cpp, Groq, Together, OpenRouter). */
export const openaiAdapter: ProviderAdapter = {
  buildRequest: convertToOpenAIRequest,
  mapResponse: mapOpenAIResponse,
  createStreamMapper: createOpenAIStreamMapper,
  mapError: mapOpenAIError,
};
