import { describe, expect, it } from 'vitest';
import { composeAnswer, simOutcome, type SimPrompt } from './answer.ts';
import { DEFAULT_FLEET } from './fleet.ts';
import { indexOutcomeLines } from './outcomes-file.ts';

const model = (id: string) => DEFAULT_FLEET.models.find((m) => m.id === id)!;

function prompt(text: string, extra: Partial<SimPrompt> = {}): SimPrompt {
  return { lastUserText: text, promptChars: text.length, messageCount: 1, lastIsToolResult: false, tools: [], toolChoice: 'auto', n: 1, stop: [], ...extra };
}

describe('simOutcome', () => {
  it('is deterministic for (seed, model, prompt) and changes with the seed', () => {
    const prompts = Array.from({ length: 200 }, (_, i) => `question number ${i}?`);
    const run = (seed: number) => prompts.map((p) => simOutcome('sim-mini', p, 'qa', DEFAULT_FLEET, seed));
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('answers well at the configured accuracy rate for the task type', () => {
    const n = 4_000;
    for (const [id, taskType] of [
      ['sim-nano', 'math'],
      ['sim-large', 'qa'],
      ['sim-small-code', 'coding'],
    ] as const) {
      let good = 0;
      for (let i = 0; i < n; i++) if (simOutcome(id, `prompt ${i}`, taskType, DEFAULT_FLEET, 7)) good++;
      const accuracy = model(id).accuracy[taskType]!;
      expect(Math.abs(good / n - accuracy)).toBeLessThan(0.02);
    }
  });

  it('shares prompt difficulty across models: the strong model rarely fails where the weak one succeeds', () => {
    let weakOnly = 0;
    let strongOnly = 0;
    for (let i = 0; i < 3_000; i++) {
      const p = `shared difficulty ${i}`;
      const weak = simOutcome('sim-nano', p, 'reasoning', DEFAULT_FLEET, 3);
      const strong = simOutcome('sim-large', p, 'reasoning', DEFAULT_FLEET, 3);
      if (weak && !strong) weakOnly++;
      if (strong && !weak) strongOnly++;
    }
    expect(weakOnly).toBeLessThan(strongOnly / 5);
  });

  it('is false for a model outside the fleet', () => {
    expect(simOutcome('no-such-model', 'hi', 'chat', DEFAULT_FLEET, 0)).toBe(false);
  });
});

describe('composeAnswer', () => {
  it('matches simOutcome, counts usage as chars/4 and is deterministic', () => {
    const text = 'Who discovered penicillin?';
    const a = composeAnswer(model('sim-mini'), prompt(text), { seed: 5 });
    expect(a).toEqual(composeAnswer(model('sim-mini'), prompt(text), { seed: 5 }));
    expect(a.outcome).toBe(simOutcome('sim-mini', text, 'qa', DEFAULT_FLEET, 5));
    expect(a.outcomeSource).toBe('simulated');
    expect(a.promptTokens).toBe(Math.ceil(text.length / 4) + 3);
    const c = a.choices[0]!;
    expect(c.text).toContain('sim-mini');
    expect(c.completionTokens).toBe(Math.ceil(c.text.length / 4));
  });

  it('gives good models the same letter on multiple-choice prompts and bad ones another', () => {
    const mc = 'Which gas do plants absorb?\nA) oxygen\nB) carbon dioxide\nC) helium\nD) neon\nAnswer:';
    const letters = new Map<boolean, Set<string>>([
      [true, new Set()],
      [false, new Set()],
    ]);
    for (let seed = 0; seed < 40; seed++) {
      const byOutcome = new Map<boolean, string[]>();
      for (const m of DEFAULT_FLEET.models) {
        const a = composeAnswer(m, prompt(mc), { seed });
        expect(a.choices[0]!.text).toMatch(/^[A-D]$/);
        byOutcome.set(a.outcome, [...(byOutcome.get(a.outcome) ?? []), a.choices[0]!.text]);
      }
      const good = byOutcome.get(true) ?? [];
      expect(new Set(good).size).toBeLessThanOrEqual(1);
      for (const bad of byOutcome.get(false) ?? []) expect(good).not.toContain(bad);
      for (const [k, v] of byOutcome) for (const l of v) letters.get(k)!.add(l);
    }
    expect(letters.get(true)!.size).toBeGreaterThan(1);
  });

  it('replays recorded outcomes: the recorded response, or a letter consistent with the score', () => {
    const index = indexOutcomeLines(
      [
        JSON.stringify({
          id: 'r1',
          prompt: 'Pick one.\nA) x\nB) y\nC) z\nAnswer:',
          scores: { 'sim-nano': 0, 'sim-large': 1, 'sim-mini': 1 },
          responses: { 'sim-large': 'C) z' },
        }),
      ].join('\n'),
      new Map(),
    );
    const p = prompt('  Pick one.\nA) x\nB) y\nC) z\nAnswer:  ');
    const large = composeAnswer(model('sim-large'), p, { seed: 1, outcomes: index });
    expect(large).toMatchObject({ outcome: true, outcomeSource: 'outcomes' });
    expect(large.choices[0]!.text).toBe('C) z');
    const mini = composeAnswer(model('sim-mini'), p, { seed: 1, outcomes: index });
    expect(mini.choices[0]!.text).toBe('C');
    const nano = composeAnswer(model('sim-nano'), p, { seed: 1, outcomes: index });
    expect(nano.outcome).toBe(false);
    expect(nano.choices[0]!.text).toMatch(/^[AB]$/);
    const standard = composeAnswer(model('sim-standard'), p, { seed: 1, outcomes: index });
    expect(standard.outcomeSource).toBe('simulated');
  });

  it('truncates at max tokens and at stop sequences', () => {
    const long = composeAnswer(model('sim-large'), prompt('Tell me about rivers', { maxTokens: 5 }), { seed: 0 });
    expect(long.choices[0]).toMatchObject({ finish: 'length', completionTokens: 5 });
    expect(long.choices[0]!.text).toHaveLength(20);
    const stopped = composeAnswer(model('sim-large'), prompt('Tell me about rivers', { stop: [' answer'] }), { seed: 0 });
    expect(stopped.choices[0]).toMatchObject({ finish: 'stop', stopSequence: ' answer' });
    expect(stopped.choices[0]!.text).toBe('Simulated chat');
  });

  it('calls the first (or the named) tool with arguments from its schema, but answers after a tool result', () => {
    const tools = [
      { name: 'search', parameters: { type: 'object', properties: { query: { type: 'string' } } } },
      { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    ];
    const first = composeAnswer(model('sim-mini'), prompt('find cats', { tools }), { seed: 0 }).choices[0]!;
    expect(first.finish).toBe('tool_calls');
    expect(first.toolCall).toMatchObject({ name: 'search' });
    expect(JSON.parse(first.toolCall!.argumentsJson)).toEqual({ query: 'simulated query' });
    const named = composeAnswer(model('sim-mini'), prompt('x', { tools, toolChoice: { name: 'weather' } }), { seed: 0 }).choices[0]!;
    expect(JSON.parse(named.toolCall!.argumentsJson)).toEqual({ city: 'Paris' });
    expect(composeAnswer(model('sim-mini'), prompt('x', { tools, toolChoice: 'none' }), { seed: 0 }).choices[0]!.toolCall).toBeUndefined();
    expect(composeAnswer(model('sim-mini'), prompt('x', { tools, lastIsToolResult: true }), { seed: 0 }).choices[0]!.toolCall).toBeUndefined();
  });

  it('answers JSON mode with a JSON object, following the schema when given', () => {
    const free = composeAnswer(model('sim-mini'), prompt('Give me data'), { seed: 0 });
    const json = composeAnswer(model('sim-mini'), prompt('Give me data', { json: {} }), { seed: 0 });
    expect(JSON.parse(json.choices[0]!.text)).toMatchObject({ model: 'sim-mini', simulated: true, quality: free.outcome ? 'good' : 'poor' });
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } } };
    expect(JSON.parse(composeAnswer(model('sim-mini'), prompt('x', { json: { schema } }), { seed: 0 }).choices[0]!.text)).toEqual({
      name: 'Simulated Name',
      age: 1,
    });
  });

  it('draws n choices with independent noise and bills hidden reasoning tokens', () => {
    const a = composeAnswer(model('sim-large'), prompt('Solve 12 * 19', { n: 8 }), { seed: 2 });
    expect(a.choices).toHaveLength(8);
    expect(new Set(a.choices.map((c) => c.text)).size).toBeGreaterThan(1);
    for (const c of a.choices) expect(c.text).toMatch(/Final answer: \d+$/);
    const r = composeAnswer(model('sim-reasoner'), prompt('Solve 12 * 19'), { seed: 2 }).choices[0]!;
    expect(r.reasoningTokens).toBeGreaterThan(0);
    expect(r.completionTokens).toBe(r.reasoningTokens + Math.ceil(r.text.length / 4));
  });
});
