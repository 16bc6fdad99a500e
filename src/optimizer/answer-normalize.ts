/**
 * The final answer of a model response, normalized so two responses (or a response and a gold
 * answer) that say the same thing compare equal. Used for voting (self_consistency,
 * majority_voting, the `a|b` pick) and by `aigw eval optimize` to grade.
 *
 * Order of precedence, first match wins:
 * 1. an explicitly marked answer ("Answer: (C)", "the answer is c", "Final answer: 1,234"): the
 *    marked part is normalized as a letter, a number or text;
 * 2. a bare multiple-choice letter A–J, alone or as "(C)" / "C." / "C)" → `C`;
 * 3. the last number in the text → canonical number;
 * 4. otherwise the text trimmed, lowercased, whitespace collapsed, trailing period dropped.
 *
 * Numbers are canonical decimals: thousands commas and a leading `$` dropped, `12.0` → `12`,
 * `-0` → `0`, a simple fraction `3/4` → `0.75`, a percent sign kept off (`50%` → `50`).
 */

const LETTERS = 'A-J';
/** "answer is", "answer:", "final answer =", "answer would be" … with what follows up to the line end. */
const MARKED = /\b(?:final\s+answer|answer)\s*(?::|=|is\s*:?|would\s+be|will\s+be)\s*(.+)/gi;
const BARE_LETTER = new RegExp(`^\\s*\\(?([${LETTERS}])\\)?\\s*[.):]?\\s*$`, 'i');
const LEADING_LETTER = new RegExp(`^\\s*(?:option\\s+|choice\\s+)?\\(?([${LETTERS}])\\b(?:\\)|\\.|:|\\s|$)`, 'i');
const NUMBER = /-?\$?\d[\d,]*(?:\.\d+)?(?:\s*\/\s*\d+(?:\.\d+)?)?/g;

export function normalizeAnswer(text: string): string {
  const marked = lastMarkedAnswer(text);
  if (marked !== undefined) return normalizeMarked(marked);
  const bare = BARE_LETTER.exec(text)?.[1];
  if (bare) return bare.toUpperCase();
  const number = lastNumber(text);
  if (number !== undefined) return number;
  return normalizeText(text);
}

/** The text after the last "answer is / answer:" marker, on its line, without markdown emphasis. */
function lastMarkedAnswer(text: string): string | undefined {
  let found: string | undefined;
  for (const m of text.matchAll(MARKED)) {
    const rest = m[1]!.replace(/[*_`]/g, '').trim();
    if (rest) found = rest;
  }
  return found;
}

function normalizeMarked(marked: string): string {
  const letter = LEADING_LETTER.exec(marked)?.[1];
  // "the answer is a number" must not read as option A: a lone lowercase `a` counts only when it stands alone.
  if (letter && (letter !== 'a' || /^\s*\(?a\)?\s*[.):]?\s*$/.test(marked))) return letter.toUpperCase();
  const number = firstNumber(marked);
  if (number !== undefined) return number;
  return normalizeText(marked);
}

function firstNumber(text: string): string | undefined {
  const m = text.match(NUMBER);
  return m ? canonicalNumber(m[0]) : undefined;
}

function lastNumber(text: string): string | undefined {
  const all = text.match(NUMBER);
  return all ? canonicalNumber(all[all.length - 1]!) : undefined;
}

/** `1,234.50` → `1234.5`; `3/4` → `0.75`; `$-2.0` → `-2`. Returns the raw digits when not finite. */
export function canonicalNumber(raw: string): string {
  const cleaned = raw.replace(/[$,\s]/g, '');
  const [num, den] = cleaned.split('/');
  let value = Number(num);
  if (den !== undefined) {
    const d = Number(den);
    if (d === 0) return cleaned;
    value /= d;
  }
  if (!Number.isFinite(value)) return cleaned;
  if (Object.is(value, -0)) value = 0;
  // Round away float noise from fractions (1/3 → 0.333333) so equal fractions compare equal.
  return String(Number(value.toPrecision(12)));
}

export function normalizeText(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '')
    .trim();
}

/** Whether a response's final answer matches a gold answer, both normalized the same way. */
export function answersMatch(response: string, gold: string): boolean {
  return normalizeAnswer(response) === normalizeAnswer(gold);
}
