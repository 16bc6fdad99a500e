import { describe, expect, it } from 'vitest';
import { buildLexicon, emptyCounts, HashTable, scanMarkers } from './marker-scan.ts';

const LEX = buildLexicon([
  ['why', 'explain'],
  ['step by step', 'first'],
  ['of the above', 'not'],
]);
const scan = (text: string) => scanMarkers(text, LEX, emptyCounts(LEX.classCount));

describe('scanMarkers', () => {
  it('counts words and 2–3 word phrases per class, case-insensitively, across hyphens', () => {
    const c = scan('Why? EXPLAIN it step-by-step. First, explain why not.');
    expect(Array.from(c.classes)).toEqual([4, 2, 1]);
  });

  it('does not join phrases across sentence punctuation', () => {
    expect(scan('one step. by step').classes[1]).toBe(0);
    expect(scan('one step by step').classes[1]).toBe(1);
  });

  it('finds structure: fences, list items, choices with their lengths, headings, urls, blanks', () => {
    const c = scan('# Title\n- item\n2) second\nA. 12\n(b) fourteen\nC: none of the above\nSee https://example.com and ___ .\n```js\nx => x++\n```\nWhy?');
    expect(c.codeFences).toBe(2);
    expect(c.listItems).toBe(2);
    expect(c.choiceOptions).toBe(3);
    expect(c.choiceNumeric).toBe(1);
    expect(c.choiceChars).toBe('12'.length + 'fourteen'.length + 'none of the above'.length);
    expect(c.headings).toBe(1);
    expect(c.urls).toBe(1);
    expect(c.blanks).toBe(1);
    expect(c.codeKeywords).toBe(2);
    expect(c.questionMarks).toBe(1);
    expect(c.classes[2]).toBe(1);
  });

  it('counts code keywords case-sensitively', () => {
    expect(scan('def f(): return SELECT').codeKeywords).toBe(3);
    expect(scan('Define the Return of select').codeKeywords).toBe(0);
    expect(scan('#include <stdio.h> include').codeKeywords).toBe(1);
  });

  it('counts characters by class', () => {
    const c = scan('ab 12 é {x}');
    expect(c.letters).toBe(3);
    expect(c.digits).toBe(2);
    expect(c.nonAscii).toBe(1);
    expect(c.codeSymbols).toBe(2);
    expect(c.words).toBe(4);
  });
});

describe('HashTable', () => {
  it('stores bit masks per hash, including hash 0, and misses cleanly', () => {
    const t = new HashTable(4);
    t.or(0, 1);
    t.or(12345, 2);
    t.or(12345, 4);
    expect(t.get(0)).toBe(1);
    expect(t.get(12345)).toBe(6);
    expect(t.get(777)).toBe(0);
  });
});
