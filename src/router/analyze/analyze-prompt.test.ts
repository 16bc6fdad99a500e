import { describe, expect, it } from 'vitest';
import { analyzePrompt, analyzePromptText } from './analyze-prompt.ts';

describe('analyzePrompt task types', () => {
  const cases: Array<[string, string]> = [
    ['Summarize this short paragraph: The cat sat on the mat. It was happy.', 'summarization'],
    ['Write a Python function to reverse a linked list.', 'coding'],
    ['Translate "good morning" into French.', 'translation'],
    ['Hi! How are you?', 'chat'],
    ['Write a haiku about autumn leaves.', 'creative_writing'],
    ['What is 17 * 23 + 5?', 'math'],
    ['Classify the sentiment of this review: "Great phone, terrible battery."', 'classification'],
    ['Extract all the dates from the following text: we met on 3 May and again on 9 June.', 'extraction'],
    ['Who wrote Pride and Prejudice?', 'qa'],
    ['Explain why the Roman Empire declined and analyze the main causes.', 'reasoning'],
  ];
  it.each(cases)('%s → %s', (prompt, task) => {
    expect(analyzePromptText(prompt).taskType).toBe(task);
  });
});

describe('analyzePrompt complexity', () => {
  it('rates a short summary low and a detailed multi-step analysis high', () => {
    const easy = analyzePromptText('Summarize this short paragraph: The cat sat on the mat.').complexity;
    const hard = analyzePromptText(
      'Provide a detailed multi-step analysis of the economic implications of raising interest rates, comparing short-term and long-term effects and explaining why central banks do it.',
    ).complexity;
    expect(easy).toBeLessThan(0.3);
    expect(hard).toBeGreaterThan(0.7);
  });

  it('blends in a learned difficulty when one is given', () => {
    const base = analyzePromptText('Who wrote Hamlet?');
    const hard = analyzePromptText('Who wrote Hamlet?', { difficulty: () => 1 });
    const easy = analyzePromptText('Who wrote Hamlet?', { difficulty: () => 0 });
    expect(hard.complexity).toBeCloseTo(0.5 * base.complexity + 0.5);
    expect(easy.complexity).toBeCloseTo(0.5 * base.complexity);
  });
});

describe('analyzePrompt features', () => {
  it('is deterministic and yields sorted unique hashed indices', () => {
    const a = analyzePromptText('Explain the difference between TCP and UDP in networking.');
    const b = analyzePromptText('Explain the difference between TCP and UDP in networking.');
    expect(Array.from(a.features.hashedIdx)).toEqual(Array.from(b.features.hashedIdx));
    expect(Array.from(a.features.hashedVal)).toEqual(Array.from(b.features.hashedVal));
    const idx = Array.from(a.features.hashedIdx);
    expect(idx).toEqual([...new Set(idx)].sort((x, y) => x - y));
  });

  it('counts conversation depth, code and questions', () => {
    const a = analyzePrompt([
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi, how can I help?' },
      { role: 'user', content: [{ type: 'text', text: 'Why does this fail?\n```js\nconst x = f(1);\n```' }] },
    ]);
    expect(a.features.dense.has_system).toBe(1);
    expect(a.features.dense.user_turns).toBeCloseTo(Math.log1p(2));
    expect(a.features.dense.code_fences).toBeGreaterThan(0);
    expect(a.features.dense.questions).toBeGreaterThan(0);
    expect(a.language).toBe('en');
  });

  it('estimates tokens from characters and caps work on huge prompts', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(20_000);
    // How fast this is measured by bench:router (its 20,000-token cell); here only the estimate.
    const a = analyzePromptText(text);
    expect(a.promptTokens).toBeGreaterThan(150_000);
    expect(a.promptTokens).toBeLessThan(300_000);
  });

  it('focuses on the last block of a few-shot prompt', () => {
    const shots = 'Q: 2+2?\nA: 4\n\nQ: 3+3?\nA: 6\n\n';
    const a = analyzePromptText(`${shots}Which planet is largest in our solar system?`);
    const b = analyzePromptText('Which planet is largest in our solar system?');
    // The focus namespaces are identical, so most hashed buckets are shared.
    const shared = Array.from(a.features.hashedIdx).filter((i) => b.features.hashedIdx.includes(i)).length;
    expect(shared / b.features.hashedIdx.length).toBeGreaterThan(0.9);
  });
});

describe('analyzePrompt language', () => {
  it('is the language of the instruction, not of the text pasted under it', () => {
    const prompt =
      'Translate the following German paragraph to English:\n\nWir freuen uns, Ihnen mitteilen zu können, dass Ihre Bewerbung in die engere Auswahl gekommen ist und wir Sie einladen.';
    expect(analyzePromptText(prompt).language).toBe('en');
    expect(analyzePromptText('请帮我把下面这段英文翻译成中文：\n\nOur team is committed to delivering high-quality software on time.').language).toBe('zh');
  });
});
