import type { ProviderAdapter } from '../types.ts';
import { createAnthropicStreamMapper } from './anthropic-stream-mapper.ts';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.ts';
import { mapAnthropicError } from './map-anthropic-error.ts';
import { mapAnthropicResponse } from './map-anthropic-response.ts';

/** Anthropic Messages API (`POST {base_url}/v1/messages`, x-api-key, anthropic-version 2023-06-01). */
export const anthropicAdapter: ProviderAdapter = {
  buildRequest: convertToAnthropicRequest,
  mapResponse: mapAnthropicResponse,
  createStreamMapper: createAnthropicStreamMapper,
  mapError: mapAnthropicError,
};
