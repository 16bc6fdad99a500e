import { describe, expect, it } from 'vitest';
import { LIVE_EWMA_MIN_ALPHA, LiveStats } from './live-stats.ts';

describe('LiveStats', () => {
  it('knows nothing about a model it has not seen', () => {
    expect(new LiveStats().get('gpt-4o')).toEqual({ samples: 0 });
  });

  it('averages the first samples and then follows an EWMA', () => {
    const stats = new LiveStats();
    stats.record('m', { ttftMs: 100, outputTokens: 101, durationMs: 1_100, ok: true });
    stats.record('m', { ttftMs: 300, outputTokens: 101, durationMs: 2_300, ok: true });
    const s = stats.get('m');
    expect(s.samples).toBe(2);
    expect(s.ttftMsEwma).toBe(200);
    expect(s.outputTokensPerSEwma).toBe(75); // mean of 100 and 50 tokens/s
    expect(s.errorRate).toBe(0);
    for (let i = 0; i < 200; i++) stats.record('m', { ttftMs: 1_000, outputTokens: 11, durationMs: 2_000, ok: true });
    expect(stats.get('m').ttftMsEwma).toBeCloseTo(1_000, 3);
    expect(stats.get('m').outputTokensPerSEwma).toBeCloseTo(10, 3);
    stats.record('m', { ttftMs: 2_000, outputTokens: 11, durationMs: 3_000, ok: true });
    expect(stats.get('m').ttftMsEwma).toBeCloseTo(1_000 + LIVE_EWMA_MIN_ALPHA * 1_000, 3);
  });

  it('tracks the error rate and leaves latency alone on failures', () => {
    const stats = new LiveStats();
    stats.record('m', { ttftMs: 500, outputTokens: 2, durationMs: 600, ok: true });
    stats.record('m', { outputTokens: 0, durationMs: 30_000, ok: false });
    stats.record('m', { ttftMs: 9_999, outputTokens: 0, durationMs: 30_000, ok: false });
    const s = stats.get('m');
    expect(s.samples).toBe(3);
    expect(s.errorRate).toBeCloseTo(2 / 3, 9);
    expect(s.ttftMsEwma).toBe(500);
  });

  it('measures speed only when tokens came over time, not for an answer sent at once', () => {
    const stats = new LiveStats();
    stats.record('m', { ttftMs: 800, outputTokens: 300, durationMs: 800, ok: true });
    expect(stats.get('m').ttftMsEwma).toBe(800);
    expect(stats.get('m').outputTokensPerSEwma).toBeUndefined();
  });

  it('keeps models apart', () => {
    const stats = new LiveStats();
    stats.record('a', { ttftMs: 100, outputTokens: 1, durationMs: 100, ok: true });
    expect(stats.get('b').samples).toBe(0);
  });
});
