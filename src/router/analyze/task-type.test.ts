import { describe, expect, it } from 'vitest';
import { analyzePromptText } from './analyze-prompt.ts';
import { equationHits } from './task-type.ts';

describe('equationHits', () => {
  it('counts digit-operator-digit, power and coefficient spans without overlaps', () => {
    expect(equationHits('3 + 4 = 7')).toBe(1); // the "4" is used by the first span
    expect(equationHits('3 + 4, 5 = 5')).toBe(2);
    expect(equationHits('x^2 and y ^ 3')).toBe(2);
    expect(equationHits('solve 2x = 6')).toBe(1);
    expect(equationHits('no math here, just 2024 words')).toBe(0);
    expect(equationHits('1+1 '.repeat(20))).toBe(8);
  });
});

describe('classifyTaskType', () => {
  it('treats a multiple-choice block as qa even when it mentions code or reasoning', () => {
    const mc = 'Which sorting algorithm has the best worst-case complexity? Explain why.\nA. quicksort\nB. mergesort\nC. bubble sort\nD. insertion sort';
    expect(analyzePromptText(mc).taskType).toBe('qa');
    expect(analyzePromptText('Write a Python function that merges two sorted lists.').taskType).toBe('coding');
  });

  it('keeps math multiple choice as math', () => {
    const mc = 'Solve for x: 2x + 3 = 11.\nA. 2\nB. 4\nC. 6\nD. 8';
    expect(analyzePromptText(mc).taskType).toBe('math');
  });
});
