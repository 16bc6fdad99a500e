import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqualHex, generateApiKey, hashApiKey } from './api-keys.ts';

describe('generateApiKey', () => {
  it('makes aigw_ keys of 32 random bytes with their prefix and SHA-256', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^aigw_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(5), 'base64url')).toHaveLength(32);
    expect(prefix).toBe(key.slice(0, 12));
    expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashApiKey(key)).toBe(hash);
  });

  it('never repeats', () => {
    const keys = new Set(Array.from({ length: 1_000 }, () => generateApiKey().key));
    expect(keys.size).toBe(1_000);
  });
});

describe('constantTimeEqualHex', () => {
  it('compares content and handles different lengths without throwing', () => {
    const h = hashApiKey('aigw_x');
    expect(constantTimeEqualHex(h, hashApiKey('aigw_x'))).toBe(true);
    expect(constantTimeEqualHex(h, hashApiKey('aigw_y'))).toBe(false);
    expect(constantTimeEqualHex(h, h.slice(0, 10))).toBe(false);
    expect(constantTimeEqualHex('', '')).toBe(true);
  });
});
