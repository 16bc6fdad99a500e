import { describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../../config/schema.ts';
import { DEMO_TEMPLATES, generateDemoPrompts, promptKey } from './prompts.ts';
import { createPicker, seededRandom } from './seeded-random.ts';

describe('the demo prompt corpus', () => {
  it('is the same for the same seed and different for another', () => {
    expect(generateDemoPrompts(300, 5)).toEqual(generateDemoPrompts(300, 5));
    expect(generateDemoPrompts(300, 5).map(promptKey)).not.toEqual(generateDemoPrompts(300, 6).map(promptKey));
  });

  it('covers every task type within the first ten prompts and in a full run', () => {
    expect(new Set(generateDemoPrompts(10, 3).map((p) => p.taskType))).toEqual(new Set(TASK_TYPES));
    const counts = new Map<string, number>();
    for (const p of generateDemoPrompts(300, 1)) counts.set(p.taskType, (counts.get(p.taskType) ?? 0) + 1);
    for (const t of TASK_TYPES) expect(counts.get(t) ?? 0).toBeGreaterThanOrEqual(10);
  });

  it('has no duplicate prompts, even in a long run', () => {
    const prompts = generateDemoPrompts(1_500, 9);
    expect(new Set(prompts.map(promptKey)).size).toBe(prompts.length);
    expect(new Set(prompts.map((p) => p.id)).size).toBe(prompts.length);
  });

  it('mixes short and long prompts, system messages, conversations, tools and JSON mode', () => {
    const prompts = generateDemoPrompts(300, 1);
    const lengths = prompts.map((p) => p.messages.reduce((n, m) => n + m.content.length, 0));
    expect(Math.min(...lengths)).toBeLessThan(80);
    expect(Math.max(...lengths)).toBeGreaterThan(2_000);
    expect(prompts.filter((p) => p.messages[0]?.role === 'system').length).toBeGreaterThan(30);
    expect(prompts.filter((p) => p.messages.filter((m) => m.role === 'user').length > 1).length).toBeGreaterThan(15);
    expect(prompts.filter((p) => p.tools).length).toBeGreaterThan(5);
    expect(prompts.filter((p) => p.jsonMode).length).toBeGreaterThan(5);
  });

  it('has a dozen or more templates per task type, each producing a well-formed request', () => {
    const pick = createPicker(seededRandom(11));
    for (const t of TASK_TYPES) {
      const templates = DEMO_TEMPLATES[t];
      expect(templates.length, t).toBeGreaterThanOrEqual(12);
      expect(new Set(templates.map((x) => x.name)).size, t).toBe(templates.length);
      for (const template of templates) {
        const body = template.build(pick);
        expect(body.messages.at(-1)?.role, `${t}/${template.name}`).toBe('user');
        for (const m of body.messages) expect(m.content.trim(), `${t}/${template.name}`).not.toBe('');
        expect(JSON.stringify(body), `${t}/${template.name}`).not.toMatch(/undefined(?! \(reading)|\bNaN\b|\[object |\{(n|city|person|team|month|amount)\}/);
        if (body.jsonMode) expect(body.messages.map((m) => m.content).join(' ')).toMatch(/json/i);
      }
    }
  });
});
