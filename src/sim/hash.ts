/**
 * Deterministic randomness for the simulator: every "random" choice is a hash of its inputs, so the
 * same (seed, model, prompt) always gives the same answer, in any process, in any order.
 */

/** 32-bit FNV-1a over UTF-16 code units, finalized; fast enough to hash a long prompt on every request. */
export function fnv1a32(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // murmur3's finalizer: FNV alone mixes the last characters poorly, and prompts often differ only there.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) from the parts; two independent FNV passes give 53 bits. */
export function hashUniform(...parts: Array<string | number>): number {
  const key = parts.join('\u0000');
  const hi = fnv1a32(key) >>> 5; // 27 bits
  const lo = fnv1a32(key, 0x9747b28c) >>> 6; // 26 bits
  return (hi * 67_108_864 + lo) / 9_007_199_254_740_992;
}

/** Standard normal from two hashed uniforms (Box–Muller). */
export function hashNormal(...parts: Array<string | number>): number {
  const u1 = Math.max(hashUniform(...parts, 'n1'), Number.MIN_VALUE);
  const u2 = hashUniform(...parts, 'n2');
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Seeded PRNG for sequences where order matters, e.g. injected error rates. */
export { mulberry32 } from '../util/seeded-random.ts';
