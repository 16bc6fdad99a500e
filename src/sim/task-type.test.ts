import { describe, expect, it } from 'vitest';
import { classifySimTaskType } from './task-type.ts';

describe('classifySimTaskType', () => {
  it.each([
    ['Translate "good morning" into French.', 'translation'],
    ['Summarize this article in three bullet points: ...', 'summarization'],
    ['Write a function to remove all elements from a given list present in another list.', 'coding'],
    ['What is 17 * 23?', 'math'],
    ['Extract all email addresses from the following text: a@b.c, d@e.f', 'extraction'],
    ['Classify the sentiment of this review: great phone!', 'classification'],
    ['Write a haiku about autumn rain.', 'creative_writing'],
    ['Explain why the sky looks blue, step by step.', 'reasoning'],
    ['Who wrote Pride and Prejudice?', 'qa'],
    ['hello there, nice to meet you', 'chat'],
  ])('%s → %s', (text, type) => {
    expect(classifySimTaskType(text)).toBe(type);
  });

  it('classifies very long prompts from their head and tail', () => {
    expect(classifySimTaskType(`Translate to German:\n${'lorem ipsum '.repeat(2_000)}`)).toBe('translation');
  });
});
