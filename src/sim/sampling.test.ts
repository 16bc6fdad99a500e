import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeAnswer } from '../optimizer/answer-normalize.ts';
import { composeAnswer, simAnswerKey, type SimPrompt } from './answer.ts';
import { questionKey } from './answer-text.ts';
import { DEFAULT_FLEET } from './default-fleets.ts';
import { SampleCounter, startSim, type SimServer } from './server.ts';

const mini = DEFAULT_FLEET.models.find((m) => m.id === 'sim-mini')!;
const NO_ERRORS = { ...DEFAULT_FLEET, models: DEFAULT_FLEET.models.map((m) => ({ ...m, error_rate: 0 })) };

function prompt(text: string, extra: Partial<SimPrompt> = {}): SimPrompt {
  return { lastUserText: text, promptChars: text.length, messageCount: 1, lastIsToolResult: false, tools: [], toolChoice: 'auto', n: 1, stop: [], ...extra };
}

const MC = 'Simulation item 7: which option is correct?\nA) alpha 7\nB) beta 7\nC) gamma 7\nD) delta 7';

describe('SampleCounter', () => {
  it('gives deterministic requests sample 0 and sampling requests the next unused samples', () => {
    const c = new SampleCounter();
    const p = (extra: Partial<SimPrompt>) => prompt('q?', extra);
    expect(c.firstSample('m', p({}))).toBe(0);
    expect(c.firstSample('m', p({ temperature: 0 }))).toBe(0);
    expect(c.firstSample('m', p({ temperature: 0.7, n: 3 }))).toBe(0);
    expect(c.firstSample('m', p({ temperature: 0.7 }))).toBe(3);
    expect(c.firstSample('other', p({ temperature: 0.7 }))).toBe(0);
    expect(c.firstSample('m', p({ temperature: 0.7, seed: 5 }))).toBe(c.firstSample('m', p({ temperature: 1, seed: 5 })));
  });
});

describe('sampled answers', () => {
  it('keep the configured accuracy on average over fresh samples', () => {
    let good = 0;
    const prompts = 400;
    const samples = 10;
    for (let i = 0; i < prompts; i++) {
      const a = composeAnswer(mini, prompt(`Compute item ${i}. What is it?`, { n: samples }), { seed: 0, firstSample: 17 });
      good += a.choices.filter((c) => normalizeAnswer(c.text) === simAnswerKey(`Compute item ${i}. What is it?`, 0)).length;
    }
    expect(Math.abs(good / (prompts * samples) - mini.accuracy.math!)).toBeLessThan(0.03);
  });

  it('spread wrong answers over several distinct values so a vote means something', () => {
    const a = composeAnswer(mini, prompt(MC, { n: 60 }), { seed: 0 });
    const key = simAnswerKey(MC, 0);
    const wrong = new Set(a.choices.map((c) => normalizeAnswer(c.text)).filter((x) => x !== key));
    expect(wrong.size).toBe(3);
  });

  it('key the correct answer on the question, so a restated question keeps it', () => {
    const restated = `${MC}\nRead the question again: ${MC}`;
    expect(questionKey(restated)).toBe(questionKey(MC));
    expect(simAnswerKey(restated, 0)).toBe(simAnswerKey(MC, 0));
    const maths = 'A depot holds crates. Compute how many remain. How many crates remain?';
    expect(simAnswerKey(`${maths}\nRead the question again: ${maths}`, 3)).toBe(simAnswerKey(maths, 3));
    expect(simAnswerKey('Write a haiku about rain', 0)).toBeUndefined();
  });
});

describe('sampling over HTTP', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSim({ fleet: NO_ERRORS, timeScale: 0 });
  });
  afterAll(() => sim.close());

  async function ask(body: Record<string, unknown>): Promise<string[]> {
    const res = await fetch(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-mini', messages: [{ role: 'user', content: MC }], max_tokens: 40, ...body }),
    });
    const json = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    return json.choices.map((c) => normalizeAnswer(c.message.content));
  }

  it('draws fresh samples on separate requests with temperature > 0, the same set as one n=k request', async () => {
    const separate: string[] = [];
    for (let i = 0; i < 8; i++) separate.push(...(await ask({ temperature: 0.8 })));
    expect(new Set(separate).size).toBeGreaterThan(1);
    // A fresh simulator serves n = 8 in one request with the same 8 samples.
    const other = await startSim({ fleet: NO_ERRORS, timeScale: 0 });
    try {
      const res = await fetch(`${other.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sim-mini', messages: [{ role: 'user', content: MC }], max_tokens: 40, temperature: 0.8, n: 8 }),
      });
      const json = (await res.json()) as { choices: Array<{ message: { content: string } }> };
      expect(json.choices.map((c) => normalizeAnswer(c.message.content))).toEqual(separate);
    } finally {
      await other.close();
    }
  });

  it('stays deterministic at temperature 0, without temperature, and with a seed', async () => {
    const zero = await ask({ temperature: 0 });
    expect(await ask({ temperature: 0 })).toEqual(zero);
    expect(await ask({})).toEqual(zero);
    const seeded = await ask({ temperature: 1, seed: 42, n: 4 });
    expect(await ask({ temperature: 1, seed: 42, n: 4 })).toEqual(seeded);
  });
});
