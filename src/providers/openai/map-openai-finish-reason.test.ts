import { describe, expect, it } from 'vitest';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.ts';

describe('mapOpenAIFinishReason', () => {
  it('keeps every OpenAI value', () => {
    for (const r of ['stop', 'length', 'tool_calls', 'content_filter', 'function_call']) {
      expect(mapOpenAIFinishReason(r)).toBe(r);
    }
  });

  it('maps aliases of compatible servers and treats unknown strings as stop', () => {
    expect(mapOpenAIFinishReason('eos')).toBe('stop');
    expect(mapOpenAIFinishReason('max_tokens')).toBe('length');
    expect(mapOpenAIFinishReason('something_new')).toBe('stop');
  });

  it('returns null while unfinished', () => {
    expect(mapOpenAIFinishReason(null)).toBeNull();
    expect(mapOpenAIFinishReason(undefined)).toBeNull();
    expect(mapOpenAIFinishReason('')).toBeNull();
  });
});
