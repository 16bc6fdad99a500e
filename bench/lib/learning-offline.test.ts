import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutcomeRow } from '../../src/router/predictor/outcome-rows.ts';
import { OfflineTrainer } from './learning-offline.ts';

const dir = mkdtempSync(join(tmpdir(), 'aigw-learning-offline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUESTIONS = ['What is 2 + 2?', 'Name the capital of Italy.', 'Which planet is red?', 'Who wrote Hamlet?', 'What is H2O?', 'How many legs has a spider?'];

function rows(prefix: string, models: readonly string[], count: number): OutcomeRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    dataset: prefix,
    prompt: `${QUESTIONS[i % QUESTIONS.length]} (${prefix} ${i})`,
    scores: Object.fromEntries(models.map((m, k) => [m, (i + k) % 3 === 0 ? 0 : 1])),
  }));
}

describe('OfflineTrainer', () => {
  it("retrains on the base router's files plus each distinct served prompt once, with every model's outcome", { timeout: 60_000 }, () => {
    const basePath = join(dir, 'base.jsonl');
    writeFileSync(
      basePath,
      rows('base', ['gpt-x', 'small-y'], 60)
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const served = rows('served', ['lm1-a', 'lm2-b'], 40);
    const trainer = new OfflineTrainer([basePath]);
    // Served twice over (a file smaller than the run): the copies are not new evidence.
    const file = trainer.trainFile([...served, ...served.slice(0, 25)]);
    expect(Object.keys(file.models).sort()).toEqual(['gpt-x', 'lm1-a', 'lm2-b', 'small-y']);
    const count = (m: string) => Object.values(file.models[m]!.rows).reduce((a, b) => a + b, 0);
    expect(count('lm1-a')).toBe(40);
    expect(count('lm2-b')).toBe(40);
    expect(count('gpt-x')).toBe(60);
  });
});
