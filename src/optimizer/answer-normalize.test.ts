import { describe, expect, it } from 'vitest';
import { answersMatch, canonicalNumber, normalizeAnswer } from './answer-normalize.ts';

describe('normalizeAnswer', () => {
  it.each([
    ['Answer: (C)', 'C'],
    ['the answer is c', 'C'],
    ['After some thought, the answer is (b).', 'B'],
    ['C', 'C'],
    ['(d)', 'D'],
    ['J.', 'J'],
    ['The answer is B. The model answer request simulated response.', 'B'],
    ['**Final answer:** E', 'E'],
  ])('reads the multiple-choice letter of %j', (text, want) => {
    expect(normalizeAnswer(text)).toBe(want);
  });

  it.each([
    ['Final answer: 1,234', '1234'],
    ['The answer is 12.0', '12'],
    ['so we get 3 apples, then 4 more: 7', '7'],
    ['answer = 3/4', '0.75'],
    ['It costs $1,500.50 in total', '1500.5'],
    ['Working: 2 + 2 = 4\nFinal answer: 4', '4'],
    ['the answer is -0', '0'],
  ])('reads the number of %j', (text, want) => {
    expect(normalizeAnswer(text)).toBe(want);
  });

  it('falls back to trimmed lowercased text', () => {
    expect(normalizeAnswer('  Paris  is the Capital. ')).toBe('paris is the capital');
    expect(normalizeAnswer('The answer is a prime')).toBe('a prime');
  });

  it('takes the last marked answer when the response revises itself', () => {
    expect(normalizeAnswer('The answer is A.\nWait, re-checking: the answer is D.')).toBe('D');
  });

  it('does not read filler words after "answer" as a marked answer', () => {
    expect(normalizeAnswer('The model answer request gives 12 and then 15')).toBe('15');
  });

  it('matches responses against gold answers', () => {
    expect(answersMatch('Final answer: 2,000', '2000')).toBe(true);
    expect(answersMatch('The answer is (b)', 'B')).toBe(true);
    expect(answersMatch('The answer is C', 'B')).toBe(false);
  });

  it('canonicalizes equal fractions to the same string', () => {
    expect(canonicalNumber('1/3')).toBe(canonicalNumber('2/6'));
    expect(canonicalNumber('1/0')).toBe('1/0');
  });
});
