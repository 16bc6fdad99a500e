import { mulberry32 } from '../../util/seeded-random.ts';

/** Training, folds and the random router are reproducible for a seed. */
export const createRng = mulberry32;

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
