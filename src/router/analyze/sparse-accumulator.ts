/**
 * Sums of signed n-gram counts over a hashed space of 2^14–2^16 buckets, for the few hundred buckets
 * one prompt touches. A dense array per space (what this replaced: four 512 KB arrays for the 2^16 text
 * space, four 128 KB ones for the shared space) is read at random places, and in the gateway, between two
 * requests, other work evicts it from the CPU caches: each n-gram then cost a cache miss (~100 ns). Here
 * the sums live in small arrays in the order buckets were first touched, found through an open-addressing
 * table sized to the text, so a short prompt touches a few cache lines.
 *
 * The arithmetic is the dense version's, operation for operation (same sums in the same order, so the
 * same bits): a bucket joins the touched list whenever its sum is exactly 0 when an n-gram lands on it,
 * and the L2 norm and the move into the output walk that list, repeats included.
 */

export interface HashedVector {
  idx: Uint32Array;
  val: Float32Array;
}

const EMPTY = 0;

export class SparseAccumulator {
  private readonly mask: number;
  /** Table position → slot + 1 (0: empty); only the first tableMask + 1 entries are in use. */
  private index = new Int32Array(16);
  private tableMask = 15;
  /** Per slot (a distinct bucket, in first-touch order): its bucket, its sum, its table position. */
  private bucketOf = new Int32Array(16);
  private sum = new Float64Array(16);
  private position = new Int32Array(16);
  private slots = 0;
  /** Slots, appended each time an n-gram lands on a zero sum (the dense version's touched buckets). */
  private touched = new Int32Array(16);
  private count = 0;
  /** Scratch for sorted output: live buckets, and a bitmap over every bucket (all zero between calls). */
  private keys = new Uint32Array(16);
  private bits: Uint32Array | null = null;

  constructor(readonly buckets: number) {
    this.mask = buckets - 1;
  }

  /** Sizes the table for about `expected` distinct buckets (it grows if more come). Must be empty. */
  begin(expected: number): this {
    const want = Math.min(2 * Math.max(8, expected), 2 * this.buckets);
    let size = 16;
    while (size < want) size <<= 1;
    if (this.index.length < size) this.index = new Int32Array(size);
    this.tableMask = size - 1;
    return this;
  }

  /** Adds ±weight (the sign is the hash's top bit) to the hash's bucket. */
  add(hash: number, weight: number): void {
    const sign = hash & 0x80000000 ? -1 : 1;
    this.addToBucket(hash & this.mask, sign * weight);
  }

  addToBucket(bucket: number, delta: number): void {
    const s = this.slotOf(bucket);
    if (this.sum[s] === 0) this.touch(s);
    this.sum[s] = this.sum[s]! + delta;
  }

  /** Moves the sums into `out`, L2-normalized and scaled by `weight`, and empties this accumulator. */
  flushInto(out: SparseAccumulator, weight: number): void {
    let sq = 0;
    for (let i = 0; i < this.count; i++) {
      const v = this.sum[this.touched[i]!]!;
      sq += v * v;
    }
    if (sq > 0 && weight > 0) {
      const scale = weight / Math.sqrt(sq);
      for (let i = 0; i < this.count; i++) {
        const s = this.touched[i]!;
        const v = this.sum[s]!;
        if (v === 0) continue;
        out.addToBucket(this.bucketOf[s]!, v * scale);
      }
    }
    this.reset();
  }

  reset(): void {
    for (let s = 0; s < this.slots; s++) this.index[this.position[s]!] = EMPTY;
    this.slots = 0;
    this.count = 0;
  }

  /** Live (non-zero) buckets, ascending, into keys[0, n); returns n. */
  sortedLive(): number {
    let n = 0;
    if (this.keys.length < this.slots) this.keys = new Uint32Array(this.index.length);
    const keys = this.keys;
    for (let s = 0; s < this.slots; s++) if (this.sum[s] !== 0) keys[n++] = this.bucketOf[s]!;
    // A short prompt touches a few dozen buckets: sorting those is cheaper than reading a bitmap of
    // every bucket (512 words for 2^14). A long one touches thousands: the bitmap is then cheaper.
    const words = this.buckets >>> 5;
    if (n * (32 - Math.clz32(n)) < words) sortPrefix(keys, n);
    else {
      this.bits ??= new Uint32Array(Math.max(1, words));
      sortByBitmap(keys, n, this.bits);
    }
    return n;
  }

  sumOf(bucket: number): number {
    return this.sum[this.slotOf(bucket)]!;
  }

  private slotOf(bucket: number): number {
    const index = this.index;
    let p = bucket & this.tableMask;
    for (;;) {
      const e = index[p]!;
      if (e === EMPTY) break;
      if (this.bucketOf[e - 1] === bucket) return e - 1;
      p = (p + 1) & this.tableMask;
    }
    if (2 * (this.slots + 1) > this.tableMask + 1) {
      this.grow();
      return this.slotOf(bucket);
    }
    const s = this.slots++;
    if (s === this.bucketOf.length) this.growSlots();
    this.bucketOf[s] = bucket;
    this.sum[s] = 0;
    this.position[s] = p;
    index[p] = s + 1;
    return s;
  }

  private touch(s: number): void {
    if (this.count === this.touched.length) {
      const bigger = new Int32Array(2 * this.touched.length);
      bigger.set(this.touched);
      this.touched = bigger;
    }
    this.touched[this.count++] = s;
  }

  /** Doubles the table and re-places every slot (slot order, and so the arithmetic, is unchanged). */
  private grow(): void {
    for (let s = 0; s < this.slots; s++) this.index[this.position[s]!] = EMPTY;
    const size = 2 * (this.tableMask + 1);
    if (this.index.length < size) this.index = new Int32Array(size);
    this.tableMask = size - 1;
    for (let s = 0; s < this.slots; s++) {
      let p = this.bucketOf[s]! & this.tableMask;
      while (this.index[p] !== EMPTY) p = (p + 1) & this.tableMask;
      this.index[p] = s + 1;
      this.position[s] = p;
    }
  }

  private growSlots(): void {
    const n = 2 * this.bucketOf.length;
    const bucketOf = new Int32Array(n);
    bucketOf.set(this.bucketOf);
    const sum = new Float64Array(n);
    sum.set(this.sum);
    const position = new Int32Array(n);
    position.set(this.position);
    this.bucketOf = bucketOf;
    this.sum = sum;
    this.position = position;
  }

  get sortedKeys(): Uint32Array {
    return this.keys;
  }
}

/**
 * The accumulators' live buckets as sorted vectors, all views of one buffer (one allocation per prompt
 * instead of two per vector), then empties the accumulators.
 */
export function sortedVectors(outs: readonly SparseAccumulator[]): HashedVector[] {
  const counts = outs.map((out) => out.sortedLive());
  const total = counts.reduce((a, n) => a + n, 0);
  const buffer = new ArrayBuffer(8 * total);
  let offset = 0;
  return outs.map((out, k) => {
    const n = counts[k]!;
    const idx = new Uint32Array(buffer, offset, n);
    const val = new Float32Array(buffer, offset + 4 * n, n);
    offset += 8 * n;
    const keys = out.sortedKeys;
    for (let i = 0; i < n; i++) {
      const bucket = keys[i]!;
      idx[i] = bucket;
      val[i] = out.sumOf(bucket);
    }
    out.reset();
    return { idx, val };
  });
}

/**
 * Sorts a[0, n) ascending in place: quicksort (middle pivot) down to runs of 16, then insertion sort.
 * TypedArray#sort on a subarray cost as much as the bitmap it replaces (a view, a copy and a generic sort).
 */
function sortPrefix(a: Uint32Array, n: number): void {
  quicksort(a, 0, n - 1);
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

function quicksort(a: Uint32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    // Recurse into the smaller side, loop on the larger: the stack stays O(log n).
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

/** Distinct keys, marked in the bitmap and read back in order (the bitmap is left all zero). */
function sortByBitmap(keys: Uint32Array, n: number, bits: Uint32Array): void {
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    bits[key >>> 5] = bits[key >>> 5]! | (1 << (key & 31));
  }
  let k = 0;
  for (let word = 0; word < bits.length && k < n; word++) {
    let m = bits[word]!;
    if (m === 0) continue;
    bits[word] = 0;
    while (m !== 0) {
      const low = m & -m;
      keys[k++] = (word << 5) | (31 - Math.clz32(low));
      m ^= low;
    }
  }
}
