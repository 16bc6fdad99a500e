import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTrainCommand } from '../predictor/train-command.ts';
import { UsageError } from '../../util/usage-error.ts';
import { runEvalCommand } from './eval-command.ts';
import { runScoreCommand } from './score-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'aigw-router-'));

/** Small outcome file with costs: `cheap` is right on short arithmetic, `dear` on everything. */
function writeOutcomes(path: string, n: number): void {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const easy = i % 3 !== 0;
    const prompt = easy ? `What is ${i} plus ${i + 1}?` : `Explain in detail why the ${i}th theorem of algebraic topology holds, step by step.`;
    lines.push(
      JSON.stringify({
        id: `q${i}`,
        dataset: 'toy',
        prompt,
        scores: { cheap: easy ? 1 : 0, dear: 1, 'gpt-4-1106-preview': 1, 'mixtral-8x7b-instruct': easy ? 1 : 0 },
        costs: { cheap: 0.0001, dear: 0.002, 'gpt-4-1106-preview': 0.003, 'mixtral-8x7b-instruct': 0.0002 },
        responses: { cheap: 'secret answer' },
      }),
    );
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('runScoreCommand', () => {
  it('reads only id and prompt and writes exactly {id, scores} per row', () => {
    const input = join(dir, 'score-in.jsonl');
    writeFileSync(
      input,
      [
        JSON.stringify({ id: 'a', prompt: 'What is 2+2?', scores: { x: 1 }, answer: 'ignored' }),
        JSON.stringify({ id: 7, prompt: [{ role: 'user', content: 'Write a haiku about rain.' }] }),
      ].join('\n'),
    );
    const out = join(dir, 'preds.jsonl');
    expect(runScoreCommand({ input, models: ['gpt-4-1106-preview', 'some-new-model'], out })).toEqual({ rows: 2 });
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; scores: Record<string, number> });
    expect(lines.map((l) => l.id)).toEqual(['a', '7']);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['id', 'scores']);
      expect(Object.keys(line.scores)).toEqual(['gpt-4-1106-preview', 'some-new-model']);
      for (const p of Object.values(line.scores)) expect(p > 0 && p < 1).toBe(true);
    }
  });

  it('rejects a row without a prompt', () => {
    const input = join(dir, 'bad.jsonl');
    writeFileSync(input, JSON.stringify({ id: 'a' }));
    expect(() => runScoreCommand({ input, models: ['m'], out: join(dir, 'bad-out.jsonl') })).toThrow(/needs "id" and "prompt"/);
  });
});

describe('runTrainCommand and runEvalCommand', () => {
  const data = join(dir, 'toy.jsonl');
  writeOutcomes(data, 150);

  it('trains a model file that scoring can use', () => {
    const out = join(dir, 'model.json');
    const result = runTrainCommand({ data: [data], out, seed: 5, epochs: 3, progress: false });
    expect(result.rows).toBe(150);
    expect(result.models.sort()).toEqual(['cheap', 'dear', 'gpt-4-1106-preview', 'mixtral-8x7b-instruct']);
    expect(readFileSync(out, 'utf8')).not.toContain('secret answer');
  });

  it('refuses --held-out without --by-dataset, and a held-out dataset the data does not have', () => {
    const out = join(dir, 'eval-mistake.json');
    expect(() => runEvalCommand({ data: [data], out, heldOut: ['toy'], progress: false })).toThrow(UsageError);
    expect(() => runEvalCommand({ data: [data], out, byDataset: true, heldOut: ['toy', 'toi'], progress: false })).toThrow(
      '--held-out: no rows of toi in the data (datasets: toy)',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('cross-validates and writes the JSON report with both views and an SVG plot', () => {
    const out = join(dir, 'eval.json');
    const report = runEvalCommand({ data: [data], out, folds: 3, seed: 2, progress: false });
    const toy = report.datasets.find((d) => d.dataset === 'toy')!;
    // The weak model fails exactly on the long "explain" prompts: a learned router finds them.
    expect(toy.pair!.apgr).toBeGreaterThan(0.8);
    expect(toy.pair!.random.apgr).toBeGreaterThan(0.35);
    expect(toy.pair!.random.apgr).toBeLessThan(0.65);
    expect(toy.costQuality!.routerArea).toBeGreaterThan(toy.costQuality!.zeroArea);
    expect(toy.costQuality!.costShareToMatchBest!).toBeLessThan(0.6);
    expect(report.plots).toHaveLength(1);
    expect(existsSync(report.plots[0]!)).toBe(true);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { datasets: unknown[] }).datasets).toHaveLength(1);
  });
});
