import { describe, expect, it } from 'vitest';
import { analyzePrompt, analyzePromptText } from './analyze-prompt.ts';
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

describe('classifyTaskType on prompts people write', () => {
  const task = (prompt: string) => analyzePromptText(prompt).taskType;

  it('reads word problems and equations as math', () => {
    expect(task('A train leaves at 3pm at 60 mph. Another leaves at 4pm at 80 mph. When does the second catch up?')).toBe('math');
    expect(task('Alice has 5 apples. She gives 2 to Bob and buys 3 more. How many apples does she have now?')).toBe('math');
    expect(task('Solve for x: 3x + 7 = 22')).toBe('math');
    // Dates and ranges are not equations.
    expect(equationHits('2024-05-02 and 5-10 people')).toBe(0);
  });

  it('finds translation, summaries and code in French, Spanish, German, Chinese and Japanese', () => {
    expect(task('Traduis en français : The meeting has been moved to Thursday.')).toBe('translation');
    expect(task('Traduce al inglés: "Nos vemos mañana en la estación."')).toBe('translation');
    expect(task('把这句话翻译成英文：我们下周一开会。')).toBe('translation');
    expect(task('Fasse den folgenden Text kurz zusammen:\n\nDie Bahn saniert im kommenden Jahr viele Strecken.')).toBe('summarization');
    expect(task('JavaScriptで配列の合計を求める関数を書いてください。')).toBe('coding');
  });

  it("takes the task an agent's system prompt states over a chatty user turn", () => {
    const messages = [
      { role: 'system' as const, content: 'You are a content moderation classifier. Reply with one label: SAFE or HARASSMENT.' },
      { role: 'user' as const, content: 'Hello! I will find where you live.' },
    ];
    expect(analyzePrompt(messages).taskType).toBe('classification');
    expect(analyzePrompt([{ role: 'user', content: 'Hello! How are you today?' }]).taskType).toBe('chat');
  });

  it('keeps a multiple-choice block qa even with reasoning or label words', () => {
    const mc =
      'Which argument is valid? Compare them and explain the flaw.\nA. If P then Q; Q; so P\nB. If P then Q; P; so Q\nC. P or Q; P; so not Q\nD. None of these';
    expect(task(mc)).toBe('qa');
  });
});
