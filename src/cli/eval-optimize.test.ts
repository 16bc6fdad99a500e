import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptedComplete, type ScriptedComplete } from '../optimizer/scripted-complete.test-support.ts';
import type { CompletionCall } from '../optimizer/types.ts';
import { emptyGoldRows, readEvalRows, runEval, type EvalRow } from './eval-optimize.ts';

const dir = mkdtempSync(join(tmpdir(), 'aigw-eval-optimize-'));

const ROWS: EvalRow[] = [
  { id: 'mc', prompt: 'Which planet is largest?\nA) Mars\nB) Jupiter', answer: 'B' },
  { id: 'num', prompt: 'What is 6 * 7?', answer: '42' },
];

/**
 * A scripted upstream per row: the plain call is wrong on `num`; sampled five times, `num` gets three
 * right answers written three ways, so only grading by the normalized final answer counts the vote right.
 */
function answerFor(call: CompletionCall): string[] {
  const question = String(call.messages.at(-1)?.content ?? '');
  const n = call.n ?? 1;
  if (question.includes('planet')) return new Array<string>(n).fill('The answer is (b).');
  if (n === 1) return ['The answer is 41'];
  return ['Final answer: 42', '41', 'so it is 42.0', 'Answer: 40', '42'];
}

describe('runEval', () => {
  it('grades each approach by the normalized final answer and sums requests, tokens and cost per cell', async () => {
    const upstreams: ScriptedComplete[] = [];
    const cells = await runEval({
      rows: ROWS,
      models: ['cheap'],
      approaches: ['none', 'self_consistency'],
      options: { k: 5 },
      maxTokens: 64,
      concurrency: 2,
      completeFor: () => {
        const s = scriptedComplete((call) => answerFor(call));
        upstreams.push(s);
        return s.complete;
      },
    });
    expect(cells.map((c) => [c.approach, c.correct, c.rows, c.accuracy, c.failed])).toEqual([
      ['none', 1, 2, 0.5, 0],
      ['self_consistency', 2, 2, 1, 0],
    ]);
    // One upstream per (row, approach); self_consistency asks for all five samples in one n = 5 call.
    expect(upstreams).toHaveLength(4);
    expect(upstreams.slice(2).map((s) => s.calls.map((c) => [c.label, c.n, c.max_tokens]))).toEqual([
      [['self_consistency:sample', 5, 64]],
      [['self_consistency:sample', 5, 64]],
    ]);
    const sc = cells[1]!;
    expect(sc.upstreamRequests).toBe(2);
    // The scripted upstream counts ceil(chars / 4) + 3 per prompt message and ceil(chars / 4) per choice; $1 / $2 per 1M.
    const prompt = ROWS.reduce((sum, r) => sum + Math.ceil(r.prompt.length / 4) + 3, 0);
    const completion =
      answerFor({ label: '', messages: [{ role: 'user', content: 'planet' }], n: 5 }).reduce((s, t) => s + Math.ceil(t.length / 4), 0) +
      answerFor({ label: '', messages: [{ role: 'user', content: 'x' }], n: 5 }).reduce((s, t) => s + Math.ceil(t.length / 4), 0);
    expect(sc.usage).toMatchObject({ inputTokens: prompt, outputTokens: completion });
    expect(sc.costUsd).toBeCloseTo((prompt * 1 + completion * 2) / 1e6, 15);
    expect(sc.costUnknown).toBe(false);
  });

  it('counts a row whose technique fails as wrong and failed, with nothing spent', async () => {
    const cells = await runEval({
      rows: ROWS,
      models: ['cheap'],
      approaches: ['none'],
      options: {},
      concurrency: 1,
      completeFor: (_model, request) =>
        scriptedComplete((call) => {
          if (String(request.messages.at(-1)?.content).includes('6 * 7')) throw new Error('upstream down');
          return answerFor(call);
        }).complete,
    });
    expect(cells[0]).toMatchObject({ correct: 1, failed: 1, upstreamRequests: 1 });
  });

  it('refuses an unknown approach or option before any row runs', async () => {
    const calls: string[] = [];
    const plan = (approaches: string[], options: Record<string, number>) => ({
      rows: ROWS,
      models: ['cheap'],
      approaches,
      options,
      concurrency: 1,
      completeFor: () => {
        calls.push('called');
        return scriptedComplete(['B']).complete;
      },
    });
    await expect(runEval(plan(['none', 'telepathy'], {}))).rejects.toThrow(/Unknown technique 'telepathy'. Valid techniques: none, re2/);
    await expect(runEval(plan(['self_consistency'], { k: 1 }))).rejects.toThrow(/Option 'k' of technique 'self_consistency' must be an integer from 2 to 32/);
    expect(calls).toEqual([]);
  });
});

describe('readEvalRows', () => {
  it('reads {id, prompt, answer[, system]} rows, numbers as strings, up to a limit', () => {
    const file = join(dir, 'rows.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'a', prompt: 'p', answer: 7 })}\n\n${JSON.stringify({ id: 'b', prompt: 'q', answer: 'C', system: 's' })}\n`);
    expect(readEvalRows(file)).toEqual([
      { id: 'a', prompt: 'p', answer: '7' },
      { id: 'b', prompt: 'q', answer: 'C', system: 's' },
    ]);
    expect(readEvalRows(file, 1)).toHaveLength(1);
  });

  it('names the line of a row that is not an eval row', () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 'a', prompt: 'p', answer: 'A' })}\n${JSON.stringify({ id: 'b', question: 'q', answer: 'B' })}\n`);
    expect(() => readEvalRows(file)).toThrow(/bad\.jsonl:2: not an eval row/);
  });

  it('lists rows whose gold answer normalizes to nothing', () => {
    expect(emptyGoldRows([...ROWS, { id: 'blank', prompt: 'p', answer: '  ' }])).toEqual(['blank']);
  });
});
