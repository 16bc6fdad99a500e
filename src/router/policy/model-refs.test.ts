import { describe, expect, it } from 'vitest';
import { resolveModelRefs, tierOfRef, unknownModelRefs } from './model-refs.ts';
import { MODELS } from './policy-fixtures.test-support.ts';

describe('model refs', () => {
  it('recognises tier refs', () => {
    expect(tierOfRef('tier:premium')).toBe('premium');
    expect(tierOfRef('tier:gold')).toBeUndefined();
    expect(tierOfRef('gpt-4o')).toBeUndefined();
  });

  it('expands tiers in catalog order, keeps the given order and drops duplicates', () => {
    expect(resolveModelRefs(['gpt-4o', 'tier:economy', 'gpt-4o-mini'], MODELS)).toEqual(['gpt-4o', 'gpt-4o-mini', 'llama-local']);
  });

  it('reports refs that name no model and no tier', () => {
    expect(unknownModelRefs(['gpt-4o', 'tier:gold', 'gpt-5', 'tier:standard'], MODELS)).toEqual(['tier:gold', 'gpt-5']);
    expect(resolveModelRefs(['gpt-5'], MODELS)).toEqual([]);
  });
});
