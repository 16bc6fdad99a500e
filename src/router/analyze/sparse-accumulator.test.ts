import { describe, expect, it } from 'vitest';
import { createRng } from '../predictor/rng.ts';
import { SparseAccumulator, sortedVectors } from './sparse-accumulator.ts';

/** The dense arithmetic the accumulator must reproduce bit for bit (what hashed-ngrams.ts did before). */
class DenseReference {
  values: Float64Array;
  touched: number[] = [];
  constructor(readonly buckets: number) {
    this.values = new Float64Array(buckets);
  }
  add(hash: number, weight: number): void {
    const bucket = hash & (this.buckets - 1);
    const sign = hash & 0x80000000 ? -1 : 1;
    this.addToBucket(bucket, sign * weight);
  }
  addToBucket(bucket: number, delta: number): void {
    if (this.values[bucket] === 0) this.touched.push(bucket);
    this.values[bucket] = this.values[bucket]! + delta;
  }
  flushInto(out: DenseReference, weight: number): void {
    let sq = 0;
    for (const b of this.touched) sq += this.values[b]! * this.values[b]!;
    if (sq > 0 && weight > 0) {
      const scale = weight / Math.sqrt(sq);
      for (const b of this.touched) if (this.values[b] !== 0) out.addToBucket(b, this.values[b]! * scale);
    }
    this.values.fill(0);
    this.touched = [];
  }
  vector(): { idx: number[]; val: number[] } {
    const idx = [...new Set(this.touched)].filter((b) => this.values[b] !== 0).sort((a, b) => a - b);
    return { idx, val: idx.map((b) => Math.fround(this.values[b]!)) };
  }
}

describe('SparseAccumulator', () => {
  // Few buckets make collisions, exact cancellations (+1 −1) and re-touched buckets common; a table
  // sized for one entry must grow many times; 600 adds into 2^10 buckets read the bitmap.
  it.each([
    [1 << 6, 40],
    [1 << 10, 600],
    [1 << 16, 300],
  ])('sums, normalizes and sorts exactly as the dense arrays did (%i buckets, %i adds per namespace)', (buckets, adds) => {
    const rng = createRng(buckets + adds);
    const namespaces = [new SparseAccumulator(buckets), new SparseAccumulator(buckets)];
    const out = new SparseAccumulator(buckets).begin(1);
    const dense = [new DenseReference(buckets), new DenseReference(buckets)];
    const denseOut = new DenseReference(buckets);
    const weights = [1, 0.7];
    for (let round = 0; round < 3; round++) {
      namespaces.forEach((ns, k) => {
        ns.begin(1);
        for (let i = 0; i < adds; i++) {
          const hash = Math.floor(rng() * 2 ** 32);
          ns.add(hash, 1);
          dense[k]!.add(hash, 1);
        }
        ns.flushInto(out, weights[k]!);
        dense[k]!.flushInto(denseOut, weights[k]!);
      });
      const [v] = sortedVectors([out]);
      const want = denseOut.vector();
      expect(Array.from(v!.idx)).toEqual(want.idx);
      expect(Array.from(v!.val)).toEqual(want.val);
      denseOut.values.fill(0);
      denseOut.touched = [];
      out.begin(1);
    }
  });
});
