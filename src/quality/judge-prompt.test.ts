import { describe, expect, it } from 'vitest';
import { JudgeConfig } from '../config/quality-schema.ts';
import { DEFAULT_RUBRIC, isSampledForJudge, judgeMessages, judgeRubric, judgeSampleRate, parseJudgeScore } from './judge-prompt.ts';

describe('parseJudgeScore', () => {
  it('accepts only a JSON score object or a bare number in 0–1', () => {
    expect(parseJudgeScore('{"score": 0.75}')).toBe(0.75);
    expect(parseJudgeScore('  {"score":1,"why":"complete"}\n')).toBe(1);
    expect(parseJudgeScore('0.4')).toBe(0.4);
    expect(parseJudgeScore('1')).toBe(1);
    expect(parseJudgeScore('0')).toBe(0);
  });

  it('rejects prose, out-of-range scores, strings and anything ambiguous', () => {
    for (const reply of [
      'Score: 0.8',
      '0.8 because it is good',
      '{"score": 1.2}',
      '{"score": -0.1}',
      '{"score": "0.9"}',
      '8/10',
      '1.5',
      '[0.5]',
      '{"grade": 0.5}',
      '',
      '{"score": 0.5',
    ]) {
      expect(parseJudgeScore(reply), reply).toBeNull();
    }
  });
});

describe('judge sampling and rubric', () => {
  const judge = JudgeConfig.parse({ model: 'gpt-4o', sample_rate: { coding: 0.5, default: 0.1 }, rubric: { coding: 'Does the code run?' } });

  it("takes the task type's rate and rubric, else the defaults", () => {
    expect(judgeSampleRate(judge, 'coding')).toBe(0.5);
    expect(judgeSampleRate(judge, 'chat')).toBe(0.1);
    expect(judgeRubric(judge, 'coding')).toBe('Does the code run?');
    expect(judgeRubric(judge, 'chat')).toBe(DEFAULT_RUBRIC);
    expect(judgeSampleRate(JudgeConfig.parse({ model: 'm' }), 'chat')).toBe(0);
  });

  it('samples by request id: the same answer every time, close to the rate', () => {
    const ids = Array.from({ length: 4_000 }, (_, i) => `req-${i}`);
    const first = ids.map((id) => isSampledForJudge(id, 0.25));
    expect(ids.map((id) => isSampledForJudge(id, 0.25))).toEqual(first);
    const share = first.filter(Boolean).length / ids.length;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.28);
    expect(ids.some((id) => isSampledForJudge(id, 0))).toBe(false);
    expect(ids.every((id) => isSampledForJudge(id, 1))).toBe(true);
  });

  it('puts the rubric, request and answer in the prompt, cut to max_chars', () => {
    const [system, user] = judgeMessages('Be strict.', 'x'.repeat(50), 'the answer', 20);
    expect(system?.content).toContain('{"score": S}');
    expect(user?.content).toContain('Rubric: Be strict.');
    expect(user?.content).toContain(`${'x'.repeat(20)}\n[… 30 characters cut]`);
    expect(user?.content).toContain('<answer>\nthe answer\n</answer>');
  });
});
