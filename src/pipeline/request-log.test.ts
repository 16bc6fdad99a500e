import { describe, expect, it } from 'vitest';
import { headerSafe } from './request-log.ts';

describe('headerSafe', () => {
  it('passes visible ASCII with inner spaces as it is', () => {
    expect(headerSafe('sim-mini')).toBe('sim-mini');
    expect(headerSafe('re2&self_consistency')).toBe('re2&self_consistency');
    expect(headerSafe('cheap summaries,default')).toBe('cheap summaries,default');
    expect(headerSafe('')).toBe('');
  });

  it('percent-encodes what a header cannot carry: non-ASCII, control characters, edge spaces', () => {
    expect(headerSafe('modèle')).toBe('mod%C3%A8le');
    expect(headerSafe('a\r\nx-evil: 1')).toBe('a%0D%0Ax-evil%3A%201');
    expect(headerSafe(' padded')).toBe('%20padded');
    expect(headerSafe('padded ')).toBe('padded%20');
  });
});
