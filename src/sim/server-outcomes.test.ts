import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletion } from '../providers/chat-schema.ts';
import { DATA_FLEET, DEFAULT_FLEET } from './fleet.ts';
import { startSim, type SimServer } from './server.ts';

const MC = 'Which planet is largest?\nA) Mars\nB) Jupiter\nC) Venus\nD) Mercury\nAnswer:';
const FREE = 'Write a function that reverses a string.';

let sim: SimServer;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-outcomes-'));
  const file = join(dir, 'o.jsonl');
  writeFileSync(
    file,
    [
      { id: 'mc/1', dataset: 'mmlu', prompt: MC, scores: { 'sim-nano': 0, 'sim-large': 1 } },
      { id: 'code/1', dataset: 'mbpp', prompt: FREE, scores: { 'sim-mini': 0 }, responses: { 'sim-mini': 'def rev(s): return s' } },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  sim = await startSim({ fleet: DEFAULT_FLEET, timeScale: 0, outcomesFiles: [file] });
});
afterAll(async () => {
  await sim.close();
});

async function ask(model: string, content: string, s: SimServer = sim): Promise<{ outcome: string | null; source: string | null; text: string }> {
  const res = await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });
  const body = (await res.json()) as ChatCompletion;
  return { outcome: res.headers.get('x-sim-outcome'), source: res.headers.get('x-sim-outcome-source'), text: body.choices[0]!.message.content ?? '' };
}

describe('sim server with outcomes files', () => {
  it('replays the recorded response and score for a recorded prompt and model', async () => {
    expect(await ask('sim-mini', FREE)).toEqual({ outcome: '0', source: 'outcomes', text: 'def rev(s): return s' });
  });

  it('answers a short letter consistent with the score when no response was recorded', async () => {
    const good = await ask('sim-large', MC);
    const bad = await ask('sim-nano', MC);
    expect(good).toMatchObject({ outcome: '1', source: 'outcomes' });
    expect(bad).toMatchObject({ outcome: '0', source: 'outcomes' });
    expect(good.text).toMatch(/^[A-D]$/);
    expect(bad.text).toMatch(/^[A-D]$/);
    expect(bad.text).not.toBe(good.text);
  });

  it('falls back to the simulated outcome for models or prompts the file does not know', async () => {
    expect((await ask('sim-standard', MC)).source).toBe('simulated');
    expect((await ask('sim-large', 'An unrecorded question?')).source).toBe('simulated');
  });
});

// The shared outcome data sits beside the repository (../shared/data), on developer machines and in CI.
const ARC = resolve(import.meta.dirname, '../../../shared/data/routerbench-arc-challenge-train.jsonl');

describe.skipIf(!existsSync(ARC))('DATA_FLEET with a real RouterBench outcomes file', () => {
  it('replays the recorded answers of the real models', async () => {
    const row = JSON.parse(readFileSync(ARC, 'utf8').split('\n', 1)[0]!) as {
      prompt: string;
      scores: Record<string, number>;
      responses: Record<string, string>;
    };
    const data = await startSim({ fleet: DATA_FLEET, timeScale: 0, outcomesFiles: [ARC] });
    try {
      for (const model of ['gpt-4-1106-preview', 'mistral-7b-instruct']) {
        const got = await ask(model, row.prompt, data);
        expect(got).toEqual({ outcome: row.scores[model] === 1 ? '1' : '0', source: 'outcomes', text: row.responses[model] });
      }
    } finally {
      await data.close();
    }
  });
});
