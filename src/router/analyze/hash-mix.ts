/** The hashing the prompt analyzers share: FNV-1a over characters, then a 32-bit finalizer. */

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/**
 * A finalizer that spreads FNV's poorly mixed low bits (lowbias32 constants). Signed 32-bit result on
 * purpose: small integers stay unboxed in V8, so table lookups allocate nothing; `>>> 0` gives the
 * unsigned bucket index.
 */
export function mixHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h | 0;
}
