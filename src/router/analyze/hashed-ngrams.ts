import { FNV_OFFSET, FNV_PRIME, mixHash } from './hash-mix.ts';
import { SparseAccumulator, sortedVectors, type HashedVector } from './sparse-accumulator.ts';

export type { HashedVector } from './sparse-accumulator.ts';

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

/**
 * One space's accumulators (the analyzer is synchronous, so one set per bucket count is reused): a
 * namespace's n-grams are summed, then moved L2-normalized into `out`, as docs/router.md describes.
 */
class Space {
  readonly words: SparseAccumulator;
  readonly bigrams: SparseAccumulator;
  readonly chars: SparseAccumulator;
  readonly out: SparseAccumulator;
  constructor(readonly buckets: number) {
    this.words = new SparseAccumulator(buckets);
    this.bigrams = new SparseAccumulator(buckets);
    this.chars = new SparseAccumulator(buckets);
    this.out = new SparseAccumulator(buckets);
  }
}

const spaces = new Map<number, Space>();

function spaceOf(buckets: number): Space {
  let space = spaces.get(buckets);
  if (!space) {
    space = new Space(buckets);
    spaces.set(buckets, space);
  }
  return space;
}

/**
 * Where one pass over the focus sends its n-grams: the shared space's words, bigrams and character
 * 4-grams, and the text space's words and bigrams (the same 32-bit hashes, masked wider). A null
 * accumulator is a namespace whose weight is 0.
 */
interface FocusSinks {
  words: SparseAccumulator | null;
  bigrams: SparseAccumulator | null;
  chars: SparseAccumulator | null;
  textWords: SparseAccumulator | null;
  textBigrams: SparseAccumulator | null;
}

/**
 * Focus words, word bigrams and character 4-grams (lowercased, whitespace runs collapsed to one space,
 * digits to one shape) in one pass: word unigrams and bigrams of the text fed one lowercased character
 * at a time (a non-word character after the end closes the last word); digit runs collapse to one token
 * shape. Context words go through the same tokenizer, with their own salt.
 */
function hashFocus(text: string, sinks: FocusSinks, wordSalt = SALT_WORD): void {
  const { words, bigrams, chars, textWords, textBigrams } = sinks;
  let h = FNV_OFFSET;
  let inWord = false;
  let lastWasDigit = false;
  let prev = 0;
  let hasPrev = false;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let filled = 0;
  let lastSpace = true;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? lower(text.charCodeAt(i)) : 32;
    if (chars && i < n) {
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
    if (isWordChar(c)) {
      const digit = c >= 48 && c <= 57;
      if (digit && lastWasDigit) continue;
      h = Math.imul(h ^ (digit ? 48 : c), FNV_PRIME);
      inWord = true;
      lastWasDigit = digit;
    } else if (inWord) {
      const word = mix(h ^ wordSalt);
      words?.add(word, 1);
      textWords?.add(word, 1);
      if (hasPrev && (bigrams || textBigrams)) {
        const bigram = mix((Math.imul(prev, 31) ^ word ^ SALT_BIGRAM) >>> 0);
        bigrams?.add(bigram, 1);
        textBigrams?.add(bigram, 1);
      }
      prev = word;
      hasPrev = true;
      h = FNV_OFFSET;
      inWord = false;
      lastWasDigit = false;
    }
  }
}

/** Context words already tokenized and FNV-hashed by the marker scan (see MarkerCounts.wordHashes). */
export interface HashedWords {
  wordHashes: Uint32Array;
  wordHashCount: number;
}

function addHashedWords(words: HashedWords, acc: SparseAccumulator, salt: number): void {
  for (let i = 0; i < words.wordHashCount; i++) acc.add(mix((words.wordHashes[i]! ^ salt) >>> 0), 1);
}

/** A prompt's two hashed vectors: the shared space every head reads, and the text heads' own space. */
export interface PromptVectors {
  hashed: HashedVector;
  text: HashedVector | null;
}

/**
 * Both vectors of a prompt from one pass over the focus. `context` is the text (hashed here) or its
 * words as hashed by the marker scan (no second pass); `spec.text` adds the text space.
 */
export function hashPromptVectors(focus: string, context: string | HashedWords | null, spec: HashingSpec): PromptVectors {
  const shared = spaceOf(spec.buckets);
  const w = spec.weights;
  const text = spec.text ? spaceOf(spec.text.buckets) : null;
  // A word or a character 4-gram ends at most once per character: a bound on what one namespace holds.
  const most = focus.length + 1;
  hashFocus(focus, {
    words: shared.words.begin(most),
    bigrams: w.focusBigrams > 0 ? shared.bigrams.begin(most) : null,
    chars: w.focusChar4 > 0 ? shared.chars.begin(most) : null,
    textWords: text ? text.words.begin(most) : null,
    textBigrams: text && spec.text!.bigrams > 0 ? text.bigrams.begin(most) : null,
  });
  const out = shared.out.begin(4 * most + contextBound(context));
  shared.words.flushInto(out, w.focusWords);
  if (w.focusBigrams > 0) shared.bigrams.flushInto(out, w.focusBigrams);
  if (w.focusChar4 > 0) shared.chars.flushInto(out, w.focusChar4);
  if (w.contextWords > 0 && context !== null && context !== focus) {
    const ns = shared.words.begin(contextBound(context));
    if (typeof context === 'string') hashFocus(context, { words: ns, bigrams: null, chars: null, textWords: null, textBigrams: null }, SALT_CONTEXT);
    else addHashedWords(context, ns, SALT_CONTEXT);
    ns.flushInto(out, w.contextWords);
  }
  if (!text) return { hashed: sortedVectors([out])[0]!, text: null };
  const textOut = text.out.begin(2 * most);
  text.words.flushInto(textOut, 1);
  if (spec.text!.bigrams > 0) text.bigrams.flushInto(textOut, spec.text!.bigrams);
  const [hashed, words] = sortedVectors([out, textOut]);
  return { hashed: hashed!, text: words! };
}

function contextBound(context: string | HashedWords | null): number {
  if (context === null) return 0;
  return typeof context === 'string' ? context.length + 1 : context.wordHashCount;
}

/** The shared space's vector alone (focus words, bigrams, character 4-grams and context words). */
export function hashPromptNgrams(focus: string, context: string | HashedWords | null, spec: HashingSpec): HashedVector {
  return hashPromptVectors(focus, context, { buckets: spec.buckets, weights: spec.weights }).hashed;
}

/**
 * Focus words and word bigrams alone, in their own space (2^16 buckets by default, 4× the shared one).
 * The same 32-bit hashes as hashPromptNgrams, masked wider: the TF-IDF ridge heads read this vector.
 * Why separate: in 5-fold CV on the shared data a second set of ridge heads on this vector (next to the
 * heads on the shared buckets) ranked GPT-4 vs Mixtral better on both fold seeds, while moving the whole
 * feature space to 2^16 buckets gained less and quadrupled every per-model weight (docs/router-history.md, text vector).
 */
export function hashTextNgrams(focus: string, spec: TextHashingSpec): HashedVector {
  const text = spaceOf(spec.buckets);
  const most = focus.length + 1;
  hashFocus(focus, {
    words: null,
    bigrams: null,
    chars: null,
    textWords: text.words.begin(most),
    textBigrams: spec.bigrams > 0 ? text.bigrams.begin(most) : null,
  });
  const out = text.out.begin(2 * most);
  text.words.flushInto(out, 1);
  if (spec.bigrams > 0) text.bigrams.flushInto(out, spec.bigrams);
  return sortedVectors([out])[0]!;
}
