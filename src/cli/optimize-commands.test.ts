import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSim, type SimServer } from '../sim/server.ts';
import type { EvalCell } from './eval-optimize.ts';
import { buildProgram } from './main.ts';
import { evalFleet } from './optimize-commands.ts';

/**
 * `aigw optimize` and `aigw eval optimize` end to end, through the real command parser: against the
 * simulated fleet the commands start in-process, and against another endpoint given with --base-url
 * (here a separately started simulator, which counts the requests it got).
 */

const dir = mkdtempSync(join(tmpdir(), 'aigw-optimize-cli-'));
const DATA = 'bench/optimizer-eval/sim-items.jsonl';
let sim: SimServer;
let lines: string[];

beforeAll(async () => {
  sim = await startSim({ fleet: evalFleet(), timeScale: 0, seed: 0 });
});
afterAll(async () => {
  await sim?.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function run(...argv: string[]): Promise<string[]> {
  lines = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  await (await buildProgram()).parseAsync(argv, { from: 'user' });
  vi.restoreAllMocks();
  return lines;
}

/** The table's rows as cells (two or more spaces separate columns; the total row has empty cells). */
function tableRows(out: string[]): string[][] {
  const header = out.findIndex((l) => l.startsWith('#'));
  const end = out.findIndex((l, i) => i > header && l.startsWith('bounds:'));
  return out.slice(header + 2, end).map((l) => l.trim().split(/\s{2,}/));
}

describe('aigw optimize', () => {
  it('runs moa on the simulated fleet and prints each upstream call with its tokens and cost, then the total', async () => {
    const out = await run('optimize', 'What is 17 * 3? Give the final answer.', '--approach', 'moa', '--model', 'sim-mini', '--max-tokens', '200');
    const rows = tableRows(out);
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      ['1', 'moa:propose', 'sim-mini', '1'],
      ['2', 'moa:critique', 'sim-mini', '1'],
      ['3', 'moa:aggregate', 'sim-mini', '1'],
      ['total', '3', expect.any(String), '0'],
    ]);
    const calls = rows.slice(0, 3).map((r) => ({ input: Number(r[4]), output: Number(r[6]), cost: Number(r[8]!.slice(1)) }));
    // The total row leaves call and model empty: requests, in, cached, out, reasoning, cost.
    const total = rows[3]!;
    expect(Number(total[2])).toBe(calls.reduce((s, c) => s + c.input, 0));
    expect(Number(total[4])).toBe(calls.reduce((s, c) => s + c.output, 0));
    expect(Number(total[6]!.slice(1))).toBeCloseTo(
      calls.reduce((s, c) => s + c.cost, 0),
      5,
    );
    // sim-mini's prices ($0.15 / $0.60 per 1M) price every call; each prompt is counted, not just the first.
    for (const c of calls) {
      expect(c.input).toBeGreaterThan(0);
      expect(c.cost).toBeCloseTo((c.input * 0.15 + c.output * 0.6) / 1e6, 6);
    }
    expect(out).toContain('bounds: at most 5 upstream requests, 1000 completion tokens');
    // Then a blank line and the technique's answer (the aggregate call's text, here cut at 200 tokens).
    expect(out.at(-2)).toBe('');
    expect(out.at(-1)).toMatch(/^Simulated working from sim-mini/);
  });

  it('refuses a model the simulated fleet does not have, naming the ones it has', async () => {
    await expect(run('optimize', 'hi', '--approach', 're2', '--model', 'gpt-4o')).rejects.toThrow(
      /'gpt-4o' is not a simulated model; choose one of sim-nano, sim-mini/,
    );
  });
});

describe('aigw eval optimize', () => {
  it('measures accuracy, tokens and cost per technique on the in-process simulated fleet', async () => {
    const file = join(dir, 'sim.json');
    const out = await run(
      'eval',
      'optimize',
      '--data',
      DATA,
      '--limit',
      '6',
      '--approaches',
      'none,re2,self_consistency',
      '--model',
      'sim-mini',
      '--option',
      'k=3',
      '--out',
      file,
    );
    expect(out[0]).toMatch(/^model\s+approach\s+accuracy\s+correct/);
    expect(out.slice(2).map((l) => l.split(/\s{2,}/).slice(0, 2))).toEqual([
      ['sim-mini', 'none'],
      ['sim-mini', 're2'],
      ['sim-mini', 'self_consistency'],
    ]);
    const report = JSON.parse(readFileSync(file, 'utf8')) as { simulated: boolean; rows: number; results: EvalCell[] };
    expect(report).toMatchObject({ simulated: true, rows: 6 });
    for (const cell of report.results) {
      expect(cell).toMatchObject({ rows: 6, failed: 0, costUnknown: false });
      expect(cell.accuracy).toBe(cell.correct / 6);
      expect(cell.usage.inputTokens).toBeGreaterThan(0);
      expect(cell.costUsd).toBeGreaterThan(0);
    }
  });

  it('runs against any endpoint given with --base-url: the upstream n when it has one, parallel requests with --no-n', async () => {
    const baseUrl = `${sim.url}/v1`;
    const prices = ['--input-price', '0.15', '--output-price', '0.6'];
    const common = [
      'eval',
      'optimize',
      '--data',
      DATA,
      '--limit',
      '4',
      '--approaches',
      'none,re2,self_consistency',
      '--model',
      'sim-mini',
      '--option',
      'k=3',
      '--base-url',
      baseUrl,
      ...prices,
    ];

    const withN = join(dir, 'with-n.json');
    let before = sim.stats().requests;
    await run(...common, '--out', withN);
    // none, re2 and self_consistency each make one request per row: k = 3 samples come from one n = 3 request.
    expect(sim.stats().requests - before).toBe(4 * 3);
    const report = JSON.parse(readFileSync(withN, 'utf8')) as { simulated: boolean; endpoint: string; results: EvalCell[] };
    expect(report).toMatchObject({ simulated: false, endpoint: baseUrl });
    expect(report.results.map((c) => [c.approach, c.upstreamRequests])).toEqual([
      ['none', 4],
      ['re2', 4],
      ['self_consistency', 4],
    ]);
    const sc = report.results[2]!;
    expect(sc.costUsd).toBeCloseTo((sc.usage.inputTokens * 0.15 + sc.usage.outputTokens * 0.6) / 1e6, 12);

    const withoutN = join(dir, 'without-n.json');
    before = sim.stats().requests;
    await run(...common, '--no-n', '--out', withoutN);
    expect(sim.stats().requests - before).toBe(4 + 4 + 4 * 3);
    const emulated = (JSON.parse(readFileSync(withoutN, 'utf8')) as { results: EvalCell[] }).results[2]!;
    expect(emulated.upstreamRequests).toBe(12);
    // Each of the three requests pays the prompt again.
    expect(emulated.usage.inputTokens).toBe(3 * sc.usage.inputTokens);
  });

  it('marks the cost incomplete when the endpoint does not price its answers and no prices are given', async () => {
    const out = await run('eval', 'optimize', '--data', DATA, '--limit', '2', '--approaches', 'none', '--model', 'sim-mini', '--base-url', `${sim.url}/v1`);
    expect(out[2]).toContain('$0.000000 (incomplete)');
  });
});
