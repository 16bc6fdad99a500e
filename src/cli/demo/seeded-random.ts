import { mulberry32 } from '../../util/seeded-random.ts';

/** The demo's traffic must be the same for the same seed on every machine. */
export const seededRandom = mulberry32;

/** Draws slot fillers for prompt templates from a seeded random source. */
export interface Picker {
  /** One element, uniformly. */
  one<T>(items: readonly T[]): T;
  /** `count` distinct elements in random order (all of them when count ≥ length). */
  some<T>(items: readonly T[], count: number): T[];
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
}

export function createPicker(random: () => number): Picker {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  return {
    one<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    some<T>(items: readonly T[], count: number): T[] {
      const pool = [...items];
      for (let i = pool.length - 1; i > 0; i--) {
        const j = int(0, i);
        [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
      }
      return pool.slice(0, Math.min(count, pool.length));
    },
    int,
    chance: (p: number) => random() < p,
  };
}
