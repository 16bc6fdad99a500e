import { describe, expect, it } from 'vitest';
import { fallbackCompletionId, nowUnixSeconds, upstreamModelName } from './target.ts';
import { makeTestTarget } from './target.test-support.ts';

describe('target helpers', () => {
  it('sends the upstream model name when the catalog sets one, else the catalog id', () => {
    expect(upstreamModelName(makeTestTarget('openai', { id: 'fast', upstream_model: 'gpt-4o-mini' }))).toBe('gpt-4o-mini');
    expect(upstreamModelName(makeTestTarget('openai', { id: 'gpt-4o' }))).toBe('gpt-4o');
  });

  it('derives completion ids from the gateway request id and timestamps in seconds', () => {
    expect(fallbackCompletionId('req_1')).toBe('chatcmpl-req_1');
    expect(Math.abs(nowUnixSeconds() - Date.now() / 1000)).toBeLessThan(1.01);
  });
});
