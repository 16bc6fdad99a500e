import { FNV_OFFSET, FNV_PRIME, mixHash } from './hash-mix.ts';

/**
 * Signed feature hashing of word and character n-grams into a fixed number of buckets. Strings are
 * hashed while scanning, never split into arrays, so a 2,000-token prompt costs a few microseconds.
 */

export interface HashingSpec {
  /** Power of two. */
  buckets: number;
  /** Weight of each namespace's L2-normalized vector in the sum. */
  weights: { focusWords: number; focusBigrams: number; focusChar4: number; contextWords: number };
  /** The ridge heads' own, larger space: focus words and bigrams only (see hashTextNgrams). */
  text?: TextHashingSpec;
}

export interface TextHashingSpec {
  /** Power of two. */
  buckets: number;
  /** Weight of the L2-normalized bigram namespace next to the words' (1). */
  bigrams: number;
}

export interface HashedVector {
  idx: Uint32Array;
  val: Float32Array;
}

/** Namespace salts keep the same n-gram in different namespaces in different buckets. */
const SALT_WORD = 0x9e3779b1;
const SALT_BIGRAM = 0x85ebca6b;
const SALT_CHAR4 = 0xc2b2ae35;
const SALT_CONTEXT = 0x27d4eb2f;

/** Unsigned: the result indexes buckets. */
function mix(h: number): number {
  return mixHash(h) >>> 0;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Scratch accumulators, reused across calls (the analyzer is synchronous). */
class Accumulator {
  values: Float64Array;
  touched: Uint32Array;
  count = 0;
  constructor(readonly buckets: number) {
    this.values = new Float64Array(buckets);
    this.touched = new Uint32Array(Math.min(buckets, 1 << 16));
  }
  add(hash: number, weight: number): void {
    const mask = this.buckets - 1;
    const bucket = hash & mask;
    const sign = hash & 0x80000000 ? -1 : 1;
    if (this.values[bucket] === 0 && this.count < this.touched.length) this.touched[this.count++] = bucket;
    // Exact cancellation back to 0 is harmless: the bucket stays in `touched` and is skipped later.
    this.values[bucket] = this.values[bucket]! + sign * weight;
  }
  reset(): void {
    for (let i = 0; i < this.count; i++) this.values[this.touched[i]!] = 0;
    this.count = 0;
  }
}

interface Scratch {
  ns: Accumulator;
  bigrams: Accumulator;
  chars: Accumulator;
  out: Accumulator;
  /** One bit per bucket, all zero between calls. */
  sort: Uint32Array;
}

const scratch = new Map<number, Scratch>();

function accumulators(buckets: number): Scratch {
  let acc = scratch.get(buckets);
  if (!acc) {
    const ns = new Accumulator(buckets);
    acc = {
      ns,
      bigrams: new Accumulator(buckets),
      chars: new Accumulator(buckets),
      out: new Accumulator(buckets),
      sort: new Uint32Array(Math.ceil(buckets / 32)),
    };
    scratch.set(buckets, acc);
  }
  return acc;
}

/**
 * Focus words, word bigrams and character 4-grams (lowercased, whitespace runs collapsed to one space,
 * digits to one shape) in one pass; words are tokenized by the same WordHasher as the context's.
 */
function hashFocus(text: string, words: Accumulator, bigrams: Accumulator | null, chars: Accumulator | null): void {
  const wordHasher = new WordHasher(words, SALT_WORD, bigrams);
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let filled = 0;
  let lastSpace = true;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? lower(text.charCodeAt(i)) : 32;
    if (chars && i < text.length) {
      let k = c === 10 || c === 9 || c === 13 ? 32 : c;
      if (k >= 48 && k <= 57) k = 48;
      if (!(k === 32 && lastSpace)) {
        lastSpace = k === 32;
        if (filled >= 3) {
          const g = Math.imul(Math.imul(Math.imul(c1 ^ FNV_OFFSET, FNV_PRIME) ^ c2, FNV_PRIME) ^ c3, FNV_PRIME) ^ k;
          chars.add(mix((g ^ SALT_CHAR4) >>> 0), 1);
        }
        c1 = c2;
        c2 = c3;
        c3 = k;
        filled++;
      }
    }
    wordHasher.push(c);
  }
}

/**
 * Word unigrams and bigrams of a text fed one lowercased character at a time (a non-word character
 * after the end closes the last word); digit runs collapse to one token shape.
 */
class WordHasher {
  private h = FNV_OFFSET;
  private inWord = false;
  private lastWasDigit = false;
  private prev = 0;
  private hasPrev = false;

  constructor(
    private readonly words: Accumulator | null,
    private readonly salt: number,
    private readonly bigrams: Accumulator | null,
  ) {}

  push(c: number): void {
    if (isWordChar(c)) {
      const digit = c >= 48 && c <= 57;
      if (digit && this.lastWasDigit) return;
      this.h = Math.imul(this.h ^ (digit ? 48 : c), FNV_PRIME);
      this.inWord = true;
      this.lastWasDigit = digit;
    } else if (this.inWord) {
      const word = mix(this.h ^ this.salt);
      this.words?.add(word, 1);
      if (this.bigrams && this.hasPrev) this.bigrams.add(mix((Math.imul(this.prev, 31) ^ word ^ SALT_BIGRAM) >>> 0), 1);
      this.prev = word;
      this.hasPrev = true;
      this.h = FNV_OFFSET;
      this.inWord = false;
      this.lastWasDigit = false;
    }
  }
}

/** Adds the word unigrams of `text` to `acc`. */
function hashWords(text: string, acc: Accumulator, salt: number): void {
  const wordHasher = new WordHasher(acc, salt, null);
  for (let i = 0; i <= text.length; i++) wordHasher.push(i < text.length ? lower(text.charCodeAt(i)) : 32);
}

/** Moves the namespace accumulator into the output, L2-normalized and scaled by `weight`. */
function flush(ns: Accumulator, out: Accumulator, weight: number): void {
  let sq = 0;
  for (let i = 0; i < ns.count; i++) {
    const v = ns.values[ns.touched[i]!]!;
    sq += v * v;
  }
  if (sq > 0 && weight > 0) {
    const scale = weight / Math.sqrt(sq);
    for (let i = 0; i < ns.count; i++) {
      const bucket = ns.touched[i]!;
      const v = ns.values[bucket]!;
      if (v === 0) continue;
      if (out.values[bucket] === 0 && out.count < out.touched.length) out.touched[out.count++] = bucket;
      out.values[bucket] = out.values[bucket]! + v * scale;
    }
  }
  ns.reset();
}

/** Context words already tokenized and FNV-hashed by the marker scan (see MarkerCounts.wordHashes). */
export interface HashedWords {
  wordHashes: Uint32Array;
  wordHashCount: number;
}

function addHashedWords(words: HashedWords, acc: Accumulator, salt: number): void {
  for (let i = 0; i < words.wordHashCount; i++) acc.add(mix((words.wordHashes[i]! ^ salt) >>> 0), 1);
}

/** `context` is the text (hashed here) or its words as hashed by the marker scan (no second pass). */
export function hashPromptNgrams(focus: string, context: string | HashedWords | null, spec: HashingSpec): HashedVector {
  const { ns, bigrams, chars, out, sort } = accumulators(spec.buckets);
  const w = spec.weights;
  hashFocus(focus, ns, w.focusBigrams > 0 ? bigrams : null, w.focusChar4 > 0 ? chars : null);
  flush(ns, out, w.focusWords);
  flush(bigrams, out, w.focusBigrams);
  flush(chars, out, w.focusChar4);
  if (w.contextWords > 0 && context !== null && context !== focus) {
    if (typeof context === 'string') hashWords(context, ns, SALT_CONTEXT);
    else addHashedWords(context, ns, SALT_CONTEXT);
    flush(ns, out, w.contextWords);
  }
  return sortedOutput(out, sort);
}

/**
 * Focus words and word bigrams alone, in their own space (2^16 buckets by default, 4× the shared one).
 * The same 32-bit hashes as hashPromptNgrams, masked wider: the TF-IDF ridge heads read this vector.
 * Why separate: in 5-fold CV on the shared data a second set of ridge heads on this vector (next to the
 * heads on the shared buckets) ranked GPT-4 vs Mixtral better on both fold seeds, while moving the whole
 * feature space to 2^16 buckets gained less and quadrupled every per-model weight (docs/router-history.md, text vector).
 */
export function hashTextNgrams(focus: string, spec: TextHashingSpec): HashedVector {
  const { ns, bigrams, out, sort } = accumulators(spec.buckets);
  hashFocus(focus, ns, spec.bigrams > 0 ? bigrams : null, null);
  flush(ns, out, 1);
  flush(bigrams, out, spec.bigrams);
  return sortedOutput(out, sort);
}

/**
 * Sorted output. A short prompt touches a few dozen buckets: sorting those is cheaper than reading a
 * bitmap of every bucket (2,048 words for 2^16 buckets). A long one touches thousands: marking them in
 * the bitmap and reading it in order is cheaper than a sort. Both give the same vector.
 */
function sortedOutput(out: Accumulator, bits: Uint32Array): HashedVector {
  const n = out.count;
  return n * (32 - Math.clz32(n)) < bits.length ? sortedTouched(out) : sortedByBitmap(out, bits);
}

/** Sorts the touched buckets in place (reset() only needs the set); drops repeats and exact zeros. */
function sortedTouched(out: Accumulator): HashedVector {
  const order = out.touched;
  sortPrefix(order, out.count);
  let live = 0;
  let prev = -1;
  for (let i = 0; i < out.count; i++) {
    const bucket = order[i]!;
    if (bucket !== prev && out.values[bucket] !== 0) live++;
    prev = bucket;
  }
  const idx = new Uint32Array(live);
  const val = new Float32Array(live);
  let k = 0;
  prev = -1;
  for (let i = 0; i < out.count; i++) {
    const bucket = order[i]!;
    if (bucket !== prev && out.values[bucket] !== 0) {
      idx[k] = bucket;
      val[k] = out.values[bucket]!;
      k++;
    }
    prev = bucket;
  }
  out.reset();
  return { idx, val };
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

/** Marks live buckets in a bitmap, then reads the bitmap in order (and leaves it all zero). */
function sortedByBitmap(out: Accumulator, bits: Uint32Array): HashedVector {
  let live = 0;
  for (let i = 0; i < out.count; i++) {
    const bucket = out.touched[i]!;
    if (out.values[bucket] === 0) continue;
    const word = bucket >>> 5;
    const bit = 1 << (bucket & 31);
    if ((bits[word]! & bit) === 0) {
      bits[word] = bits[word]! | bit;
      live++;
    }
  }
  const idx = new Uint32Array(live);
  const val = new Float32Array(live);
  let k = 0;
  for (let word = 0; word < bits.length && k < live; word++) {
    let m = bits[word]!;
    if (m === 0) continue;
    bits[word] = 0;
    while (m !== 0) {
      const low = m & -m;
      const bucket = (word << 5) | (31 - Math.clz32(low));
      idx[k] = bucket;
      val[k] = out.values[bucket]!;
      k++;
      m ^= low;
    }
  }
  out.reset();
  return { idx, val };
}
