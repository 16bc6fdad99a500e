import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../../config/enums.ts';
import { classifyLabelled, DEFAULT_CLASSIFIER_FIXTURE, formatClassifierReport, loadLabelledPrompts, splitOf, summarizeClassifier } from './classifier-eval.ts';

const fixture = loadLabelledPrompts(DEFAULT_CLASSIFIER_FIXTURE);

describe('the labelled classifier fixture', () => {
  it('has at least 300 prompts covering every task type and five languages besides English', () => {
    expect(fixture.length).toBeGreaterThanOrEqual(300);
    for (const task of TASK_TYPES) expect(fixture.filter((p) => p.task === task).length).toBeGreaterThanOrEqual(25);
    for (const lang of ['fr', 'es', 'de', 'zh', 'ja']) expect(fixture.filter((p) => p.lang === lang).length).toBeGreaterThanOrEqual(15);
    // Multi-turn conversations and agent turns behind a system prompt.
    expect(fixture.filter((p) => p.messages && p.messages.length > 2).length).toBeGreaterThanOrEqual(7);
    expect(fixture.filter((p) => p.messages?.some((m) => m.role === 'system')).length).toBeGreaterThanOrEqual(12);
  });

  it('splits about a third of every task type into test, fixed by the id', () => {
    expect(splitOf('math-03')).toBe(splitOf('math-03'));
    for (const task of TASK_TYPES) {
      const of = fixture.filter((p) => p.task === task);
      const test = of.filter((p) => splitOf(p.id) === 'test').length;
      expect(test / of.length).toBeGreaterThan(0.2);
      expect(test / of.length).toBeLessThan(0.45);
    }
  });
});

describe('the task classifier on the fixture', () => {
  const report = summarizeClassifier(classifyLabelled(fixture));

  it('is right on at least 90% of all prompts and of the held-out test prompts, and on 80% of every type', () => {
    expect(report.all.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.test.accuracy).toBeGreaterThanOrEqual(0.9);
    for (const t of report.byTask) expect({ task: t.task, accuracy: t.all.accuracy! >= 0.8 }).toEqual({ task: t.task, accuracy: true });
  });

  it('detects the language of at least 95% of the prompts', () => {
    expect(report.language.accuracy).toBeGreaterThanOrEqual(0.95);
  });
});

describe('loadLabelledPrompts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-classifier-'));

  it('reads JSONL and rejects an item with both or neither of prompt and messages', () => {
    const file = join(dir, 'ok.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'a', task: 'qa', lang: 'en', prompt: 'What is the capital of Peru?' })}\n`);
    expect(loadLabelledPrompts(file)).toHaveLength(1);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, JSON.stringify({ id: 'a', task: 'qa', lang: 'en' }));
    expect(() => loadLabelledPrompts(bad)).toThrow(/exactly one of "prompt" and "messages"/);
    writeFileSync(bad, JSON.stringify({ id: 'a', task: 'gossip', lang: 'en', prompt: 'x' }));
    expect(() => loadLabelledPrompts(bad)).toThrow(/item 1: task/);
  });

  it('scores per task type and language', () => {
    const rows = classifyLabelled([
      { id: 'x1', task: 'coding', lang: 'en', prompt: 'Write a Python function that reverses a linked list.' },
      { id: 'x2', task: 'translation', lang: 'en', prompt: 'Translate into French: good night.' },
    ]);
    const report = summarizeClassifier(rows);
    expect(report.all).toEqual({ correct: 2, total: 2, accuracy: 1 });
    expect(report.byTask.map((t) => t.task)).toEqual(['translation', 'coding']);
    expect(formatClassifierReport(report)[0]).toBe('| task type | all | dev | test |');
  });
});
