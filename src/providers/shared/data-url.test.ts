import { describe, expect, it } from 'vitest';
import { guessMediaTypeFromUrl, parseBase64DataUrl } from './data-url.ts';

describe('parseBase64DataUrl', () => {
  it('splits media type and payload', () => {
    expect(parseBase64DataUrl('data:image/PNG;base64,iVBORw0KGgo=')).toEqual({ mediaType: 'image/png', data: 'iVBORw0KGgo=' });
    expect(parseBase64DataUrl('data:application/pdf;name=a.pdf;base64,JVBERi0=')).toEqual({
      mediaType: 'application/pdf',
      data: 'JVBERi0=',
    });
  });

  it('rejects non-base64 and remote URLs', () => {
    expect(parseBase64DataUrl('data:text/plain,hello')).toBeUndefined();
    expect(parseBase64DataUrl('https://example.com/cat.png')).toBeUndefined();
  });
});

describe('guessMediaTypeFromUrl', () => {
  it('uses the extension, ignoring the query, and defaults to JPEG', () => {
    expect(guessMediaTypeFromUrl('https://example.com/a/cat.PNG?x=1')).toBe('image/png');
    expect(guessMediaTypeFromUrl('https://example.com/cat.webp')).toBe('image/webp');
    expect(guessMediaTypeFromUrl('https://example.com/image')).toBe('image/jpeg');
  });
});
