import { FNV_OFFSET, FNV_PRIME, mixHash } from './hash-mix.ts';

/**
 * One pass over a text that counts keyword classes and structural markers together, replacing one
 * regex pass per marker (the analyzer's largest cost before). Words are hashed while scanning (no word
 * strings are allocated) and looked up, alone and as two- and three-word phrases, in a table built
 * once from plain phrase lists. Hyphens and apostrophes split words, so "step-by-step" is the phrase
 * "step by step" and "don't" is "don t".
 */

export interface MarkerCounts {
  /** Occurrences per keyword class, indexed like the lexicon's class list. */
  classes: Int32Array;
  /** Case-sensitive code keyword hits (`def`, `SELECT`, `#include`) and code operators (`=>`, `++`, `::`). */
  codeKeywords: number;
  codeFences: number;
  questionMarks: number;
  /** Lines starting with a bullet or "1." / "1)". */
  listItems: number;
  /** Lines starting with a multiple-choice label: "A.", "(b)", "C:". */
  choiceOptions: number;
  /** Characters in the choice lines after their labels, and how many of them start with a number. */
  choiceChars: number;
  choiceNumeric: number;
  headings: number;
  urls: number;
  /** Runs of underscores standing alone (fill-in-the-blank). */
  blanks: number;
  words: number;
  wordChars: number;
  codeSymbols: number;
  mathSymbols: number;
  digits: number;
  nonAscii: number;
  letters: number;
  /**
   * Per word (up to the array's length), FNV-1a of the lowercased word with digit runs collapsed to one
   * "0": the word tokens of the n-gram hasher, so it can hash context words without another pass.
   */
  wordHashes: Uint32Array;
  wordHashCount: number;
}

/** Words per scan whose hashes are kept (a 1 KB text has at most 512). */
export const WORD_HASH_CAPACITY = 1024;

function phraseHash(prev2: number, prev: number, word: number, n: number): number {
  if (n === 1) return word;
  if (n === 2) return mixHash(Math.imul(prev, 31) ^ word ^ 0x85ebca6b);
  return mixHash(Math.imul(prev2, 961) ^ Math.imul(prev, 31) ^ word ^ 0xc2b2ae35);
}

function hashWord(word: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
  return mixHash(h);
}

/**
 * Open-addressing table from a 32-bit hash to a 32-bit value in two typed arrays (hash 0 is remapped
 * to 1, so 0 marks an empty slot): a lookup is a few array reads and never allocates.
 */
export class HashTable {
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 4) size <<= 1;
    this.keys = new Int32Array(size);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }
  get(hash: number): number {
    const key = hash === 0 ? 1 : hash;
    for (let i = key & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === key) return this.values[i]!;
      if (k === 0) return 0;
    }
  }
  or(hash: number, bits: number): void {
    const key = hash === 0 ? 1 : hash;
    for (let i = key & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i]!;
      if (k === key || k === 0) {
        this.keys[i] = key;
        this.values[i] = this.values[i]! | bits;
        return;
      }
    }
  }
}

/**
 * Two value bits above the class bits mark prefixes: a word that starts a longer phrase, and a word
 * pair that starts a three-word phrase. The scan looks a pair or triple up only after such a prefix,
 * so most words cost one lookup however many phrases the lexicon holds.
 */
const STARTS_PHRASE = 1 << 30;
const STARTS_TRIPLE = 1 << 31;
const CLASS_BITS = STARTS_PHRASE - 1;

/** Phrase table: hash of a 1–3 word phrase → bit mask of the classes it belongs to (and prefix bits). */
export interface Lexicon {
  classCount: number;
  table: HashTable;
  /** Longest phrase in words (1–3). */
  maxWords: number;
}

export function buildLexicon(classes: ReadonlyArray<readonly string[]>): Lexicon {
  if (classes.length > 30) throw new Error('at most 30 keyword classes');
  const table = new HashTable(classes.reduce((n, c) => n + c.length, 0) + 1);
  let maxWords = 1;
  classes.forEach((phrases, c) => {
    for (const phrase of phrases) {
      const words = phrase
        .toLowerCase()
        .split(/[^a-z0-9à-ÿ]+/)
        .filter(Boolean);
      if (words.length === 0 || words.length > 3) throw new Error(`phrase must have 1–3 words: ${phrase}`);
      maxWords = Math.max(maxWords, words.length);
      const hs = words.map(hashWord);
      const h = phraseHash(hs[hs.length - 3] ?? 0, hs[hs.length - 2] ?? 0, hs[hs.length - 1]!, hs.length);
      table.or(h, 1 << c);
      if (hs.length >= 2) table.or(hs[0]!, STARTS_PHRASE);
      if (hs.length === 3) table.or(phraseHash(0, hs[0]!, hs[1]!, 2), STARTS_TRIPLE);
    }
  });
  return { classCount: classes.length, table, maxWords };
}

/** Case-sensitive code keywords, counted like the old `\b(def|return|…)\b` regex. */
const CODE_KEYWORDS = new HashTable(32);
for (const word of 'def return class import function const let var void public static elif lambda println printf struct async await SELECT FROM WHERE include'.split(
  ' ',
)) {
  CODE_KEYWORDS.or(hashWord(word), 1);
}

/** bit 1 = code symbol ({ } ; < > [ ] ( ) = _), bit 2 = math symbol (+ - * / ^ = % < >). */
const ASCII_CLASS = new Uint8Array(128);
for (const c of '{};<>[]()=_') ASCII_CLASS[c.charCodeAt(0)]! |= 1;
for (const c of '+-*/^=%<>') ASCII_CLASS[c.charCodeAt(0)]! |= 2;

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (c > 127 && c !== 0x2022);
}

/** ¡ « » ¿ and curly quotes: counted as word characters by isWordChar, left out of lexicon keys. */
function isOpeningMark(c: number): boolean {
  return c === 0xa1 || c === 0xab || c === 0xbb || c === 0xbf || (c >= 0x2018 && c <= 0x201f);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

export function emptyCounts(classCount: number): MarkerCounts {
  return {
    classes: new Int32Array(classCount),
    codeKeywords: 0,
    codeFences: 0,
    questionMarks: 0,
    listItems: 0,
    choiceOptions: 0,
    choiceChars: 0,
    choiceNumeric: 0,
    headings: 0,
    urls: 0,
    blanks: 0,
    words: 0,
    wordChars: 0,
    codeSymbols: 0,
    mathSymbols: 0,
    digits: 0,
    nonAscii: 0,
    letters: 0,
    wordHashes: new Uint32Array(WORD_HASH_CAPACITY),
    wordHashCount: 0,
  };
}

/** Line-start structure at position i (after leading spaces): list item, choice label or heading. */
function scanLineStart(text: string, i: number, out: MarkerCounts): void {
  const n = text.length;
  while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i >= n) return;
  const c = text.charCodeAt(i);
  const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
  if ((c === 45 || c === 42 || c === 0x2022) && isSpace(next)) {
    out.listItems++;
    return;
  }
  if (c === 35) {
    let j = i;
    while (j < n && text.charCodeAt(j) === 35 && j - i < 7) j++;
    if (j - i <= 6 && j < n && isSpace(text.charCodeAt(j))) out.headings++;
    return;
  }
  if (c >= 48 && c <= 57) {
    let j = i;
    while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
    const d = j < n ? text.charCodeAt(j) : 0;
    if ((d === 46 || d === 41) && j + 1 < n && isSpace(text.charCodeAt(j + 1))) out.listItems++;
    return;
  }
  let j = c === 40 ? i + 1 : i;
  const letter = j < n ? text.charCodeAt(j) | 32 : 0;
  if (letter >= 97 && letter <= 104) {
    j++;
    const d = j < n ? text.charCodeAt(j) : 0;
    if ((d === 41 || d === 46 || d === 58) && j + 2 < n && isSpace(text.charCodeAt(j + 1)) && !isSpace(text.charCodeAt(j + 2))) {
      out.choiceOptions++;
      const end = text.indexOf('\n', j + 2);
      out.choiceChars += Math.min(200, (end < 0 ? n : end) - (j + 2));
      const first = text.charCodeAt(j + 2);
      if ((first >= 48 && first <= 57) || first === 36 || first === 45 || first === 46) out.choiceNumeric++;
    }
  }
}

/** Adds the counts of `text` to `out` (which must have lexicon.classCount classes). */
export function scanMarkers(text: string, lexicon: Lexicon, out: MarkerCounts): MarkerCounts {
  const { table } = lexicon;
  const classes = out.classes;
  const n = text.length;
  let lower = FNV_OFFSET;
  let raw = FNV_OFFSET;
  let shape = FNV_OFFSET;
  let lastDigit = false;
  const hashes = out.wordHashes;
  let wordStart = -1;
  let prev = 0;
  let prev2 = 0;
  let run = 0;
  /** Table bits of the previous word and of the previous pair (prefix flags). */
  let prevBits = 0;
  let pairBits = 0;
  scanLineStart(text, 0, out);
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (isWordChar(c)) {
      if (wordStart < 0) {
        wordStart = i;
        lower = FNV_OFFSET;
        raw = FNV_OFFSET;
        shape = FNV_OFFSET;
        lastDigit = false;
      }
      const lc = c >= 65 && c <= 90 ? c + 32 : c;
      // The lexicon key also folds Latin-1 capitals ("Übersetze") and skips opening punctuation the
      // word test lets in ("¿Cómo", "«Bonjour", curly quotes); the n-gram shape below is unchanged.
      if (c < 128) lower = Math.imul(lower ^ lc, FNV_PRIME);
      else if (c >= 0xc0 && c <= 0xde && c !== 0xd7) lower = Math.imul(lower ^ (c + 32), FNV_PRIME);
      else if (!isOpeningMark(c)) lower = Math.imul(lower ^ c, FNV_PRIME);
      raw = Math.imul(raw ^ c, FNV_PRIME);
      if (c >= 48 && c <= 57) {
        out.digits++;
        if (!lastDigit) shape = Math.imul(shape ^ 48, FNV_PRIME);
        lastDigit = true;
        continue;
      }
      shape = Math.imul(shape ^ lc, FNV_PRIME);
      lastDigit = false;
      if (c > 127) out.nonAscii++;
      else out.letters++;
      continue;
    }
    if (wordStart >= 0) {
      if (out.wordHashCount < hashes.length) hashes[out.wordHashCount++] = shape >>> 0;
      const w = mixHash(lower);
      out.words++;
      out.wordChars += i - wordStart;
      const rawHash = mixHash(raw);
      if (CODE_KEYWORDS.get(rawHash) !== 0) {
        // `include` only counts as `#include`.
        if (rawHash !== INCLUDE || (wordStart > 0 && text.charCodeAt(wordStart - 1) === 35)) out.codeKeywords++;
      }
      run = run < 3 ? run + 1 : 3;
      const single = table.get(w);
      let mask = single & CLASS_BITS;
      let pair = 0;
      if (run >= 2 && (prevBits & STARTS_PHRASE) !== 0) {
        pair = table.get(phraseHash(0, prev, w, 2));
        mask |= pair & CLASS_BITS;
      }
      if (run >= 3 && (pairBits & STARTS_TRIPLE) !== 0) mask |= table.get(phraseHash(prev2, prev, w, 3)) & CLASS_BITS;
      prevBits = single;
      pairBits = pair;
      if (mask !== 0) for (let k = 0; mask !== 0; k++, mask >>>= 1) if (mask & 1) classes[k]!++;
      prev2 = prev;
      prev = w;
      wordStart = -1;
    }
    if (i >= n) break;
    // Phrases continue across spaces, hyphens and apostrophes only; other punctuation ends them.
    if (!(c === 32 || c === 45 || c === 39 || c === 9 || c === 0x2019)) run = 0;
    if (c === 10) {
      run = 0;
      scanLineStart(text, i + 1, out);
      continue;
    }
    if (c < 128) {
      const cls = ASCII_CLASS[c]!;
      if (cls & 1) out.codeSymbols++;
      if (cls & 2) out.mathSymbols++;
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c === 63) out.questionMarks++;
      else if (c === 96 && next === 96 && i + 2 < n && text.charCodeAt(i + 2) === 96) {
        out.codeFences++;
        i += 2;
      } else if ((c === 61 && next === 62) || (c === 43 && next === 43) || (c === 58 && next === 58)) {
        out.codeKeywords++;
        i++;
      } else if (c === 95) {
        const before = i > 0 ? text.charCodeAt(i - 1) : 32;
        let j = i;
        while (j < n && text.charCodeAt(j) === 95) j++;
        const after = j < n ? text.charCodeAt(j) : 32;
        if (isSpace(before) && (isSpace(after) || after === 46 || after === 44 || after === 63 || after === 33)) out.blanks++;
        out.codeSymbols += j - i - 1;
        i = j - 1;
      } else if (c === 58 && next === 47 && i + 2 < n && text.charCodeAt(i + 2) === 47) {
        // "://" after http or https.
        if (prev === HTTP || prev === HTTPS) out.urls++;
      }
    } else if (c >= 0x2200 && c <= 0x22ff) out.mathSymbols++;
    else if (c !== 0x2022 && c !== 0x2019) out.nonAscii++;
  }
  return out;
}

const INCLUDE = hashWord('include');
const HTTP = hashWord('http');
const HTTPS = hashWord('https');
