import { describe, expect, it } from 'vitest';
import { deriveRequestQuality } from './request-quality.ts';

describe('deriveRequestQuality', () => {
  const answered = { status: 200, finishReason: 'stop' };

  it('takes people over the judge over completion rows, averaging the best-ranked kind', () => {
    expect(
      deriveRequestQuality(
        [
          { source: 'judge', score: 0.2 },
          { source: 'user', score: 1 },
          { source: 'qa-team', score: 0.5 },
        ],
        answered,
      ),
    ).toBe(0.75);
    expect(
      deriveRequestQuality(
        [
          { source: 'completion', score: 0 },
          { source: 'judge', score: 0.9 },
        ],
        answered,
      ),
    ).toBe(0.9);
    expect(deriveRequestQuality([{ source: 'completion', score: 0.4 }], answered)).toBe(0.4);
  });

  it('without signals: failed or cut-off answers score 0, a normal stop is unknown', () => {
    expect(deriveRequestQuality([], answered)).toBeNull();
    expect(deriveRequestQuality([], { status: 200, finishReason: 'length' })).toBe(0);
    expect(deriveRequestQuality([], { status: 502, finishReason: null })).toBe(0);
    expect(deriveRequestQuality([], { status: 499, finishReason: null })).toBeNull();
  });

  it('a client error (4xx) is no quality sample: only gateway or upstream failures score 0', () => {
    for (const status of [400, 401, 404, 413, 422, 429]) expect(deriveRequestQuality([], { status, finishReason: null })).toBeNull();
    expect(deriveRequestQuality([], { status: 503, finishReason: null })).toBe(0);
    expect(deriveRequestQuality([], { status: 504, finishReason: null })).toBe(0);
    expect(deriveRequestQuality([])).toBeNull();
  });
});
