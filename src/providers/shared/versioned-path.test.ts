import { describe, expect, it } from 'vitest';
import { pathAfterBase } from './versioned-path.ts';

describe('pathAfterBase', () => {
  it('adds the version to a version-less base', () => {
    expect(pathAfterBase('https://api.anthropic.com', 'v1', '/messages')).toBe('/v1/messages');
    expect(pathAfterBase('https://proxy.example/anthropic/', 'v1', '/messages')).toBe('/v1/messages');
  });

  it('does not repeat a version the base already has', () => {
    expect(pathAfterBase('https://api.anthropic.com/v1/', 'v1', '/messages')).toBe('/messages');
    expect(pathAfterBase('https://generativelanguage.googleapis.com/v1beta', 'v1beta', '/models/x:generateContent')).toBe('/models/x:generateContent');
  });
});
