/** Seeded PRNG (mulberry32): training, folds and the random router are reproducible for a seed. */
export function createRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[], rng: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/** Fold index per row, balanced sizes, fixed by seed. */
export function assignFolds(count: number, folds: number, seed: number): Uint8Array {
  const order = shuffleInPlace(
    Array.from({ length: count }, (_, i) => i),
    createRng(seed ^ 0x5f3759df),
  );
  const out = new Uint8Array(count);
  order.forEach((row, k) => {
    out[row] = k % folds;
  });
  return out;
}
