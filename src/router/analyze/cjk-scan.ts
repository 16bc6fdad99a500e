import { KEYWORD_INDEX } from './dense-features.ts';
import { CJK_KEYWORDS } from './task-lexicon.ts';

/**
 * Chinese and Japanese task keywords, found as substrings in one pass: each keyword is filed under its
 * first character, so a character that starts no keyword costs one map read.
 */

/** Index of the full-width question mark count after the keyword classes. */
const QUESTION = -1;

const BY_FIRST_CHAR = new Map<number, Array<{ keyword: string; cls: number }>>();
for (const [name, keywords] of Object.entries(CJK_KEYWORDS)) {
  const cls = name === 'question' ? QUESTION : KEYWORD_INDEX[name as keyof typeof KEYWORD_INDEX];
  for (const keyword of keywords ?? []) {
    const first = keyword.charCodeAt(0);
    const list = BY_FIRST_CHAR.get(first) ?? [];
    list.push({ keyword, cls });
    BY_FIRST_CHAR.set(first, list);
  }
}

export interface CjkCounts {
  /** Hits per keyword class (indexed like KEYWORD_INDEX). */
  classes: Int32Array;
  /** Full-width question marks. */
  questionMarks: number;
  /** Han, kana and hangul characters. */
  cjkChars: number;
}

/** Adds the CJK keyword hits of `text` to `out` (reset by the caller). */
export function scanCjk(text: string, out: CjkCounts): CjkCounts {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x3000) continue;
    if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af)) out.cjkChars++;
    const candidates = BY_FIRST_CHAR.get(c);
    if (candidates === undefined) continue;
    for (const { keyword, cls } of candidates) {
      if (keyword.length > 1 && !text.startsWith(keyword, i)) continue;
      if (cls === QUESTION) out.questionMarks++;
      else out.classes[cls]!++;
    }
  }
  return out;
}
