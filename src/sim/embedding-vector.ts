import { fnv1a32 } from './hash.ts';

/**
 * A deterministic embedding for the SIMULATED fleet: signed feature hashing of the text's lowercased
 * words and character trigrams into `dimensions` buckets, L2-normalized. The same (model, text) gives
 * the same vector in any process, and texts that share words and spellings point the same way, so a
 * retrieval test over it behaves like one over a real model (cosine ranks near-duplicates first).
 */
export function simEmbedding(modelId: string, text: string, dimensions: number): number[] {
  const v = new Float64Array(dimensions);
  const add = (feature: string, weight: number) => {
    const h = fnv1a32(feature, fnv1a32(modelId));
    v[h % dimensions]! += h & 0x80000000 ? -weight : weight;
  };
  const lower = text.toLowerCase();
  for (const word of lower.match(/[\p{L}\p{N}]+/gu) ?? []) add(`w:${word}`, 1);
  const padded = ` ${lower.replace(/\s+/g, ' ')} `;
  for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 0.5);
  return normalized(Array.from(v), modelId);
}

/** OpenAI's text-embedding-3 `dimensions`: the vector's first `dimensions` values, normalized again. */
export function shortened(vector: readonly number[], dimensions: number): number[] {
  return normalized(vector.slice(0, dimensions), '');
}

function normalized(v: number[], seed: string): number[] {
  const norm = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  // A text with no features (only punctuation) still gets a unit vector, from the model's own seed.
  if (norm === 0) {
    v[fnv1a32(seed) % v.length] = 1;
    return v;
  }
  return v.map((x) => x / norm);
}

/** Tokens the simulator bills for an input: ceil(chars / 4), as for chat; token ids count one each. */
export function simEmbeddingTokens(input: string | number[]): number {
  return typeof input === 'string' ? Math.max(1, Math.ceil(input.length / 4)) : input.length;
}
