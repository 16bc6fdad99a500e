import { describe, expect, it } from 'vitest';
import { asArray, asNumber, asRecord, asString, isRecord, parseJson } from './wire-json.ts';

describe('wire-json', () => {
  it('narrows only the matching shapes', () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord([])).toBe(false);
    expect(isRecord(null)).toBe(false);
    expect(asRecord('x')).toBeUndefined();
    expect(asString(1)).toBeUndefined();
    expect(asNumber(Number.NaN)).toBeUndefined();
    expect(asNumber(3)).toBe(3);
    expect(asArray({ length: 1 })).toEqual([]);
  });

  it('parses JSON or returns undefined', () => {
    expect(parseJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseJson('<html>Bad Gateway</html>')).toBeUndefined();
  });
});
