/**
 * `npm run bench:optimizer-demo-a` — demonstration (a) of docs/optimizer.md, a SIMULATION: does
 * self-consistency on the cheap simulated model close the gap to the strong simulated model, and at
 * what cost? It runs the real `aigw eval optimize` command twice on the simulated fleet (in-process,
 * no injected failures) over bench/optimizer-eval/sim-items.jsonl (made by make-dataset.ts):
 *
 *   1. none, re2, self_consistency, majority_voting with k = 5 on sim-mini and sim-large
 *      → bench/results/optimizer-demo-a.json
 *   2. none, self_consistency with k = 15 on sim-mini → bench/results/optimizer-demo-a-k15.json
 *
 * then derives, per (model, approach), gap closed = (accuracy − cheap plain) / (strong plain − cheap
 * plain) and cost relative to the strong model's plain call, into
 * bench/results/optimizer-demo-a-summary.json, and prints the table the docs quote.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildProgram } from '../src/cli/main.ts';
import type { EvalCell } from '../src/cli/eval-optimize.ts';

const DATA = 'bench/optimizer-eval/sim-items.jsonl';
const CHEAP = 'sim-mini';
const STRONG = 'sim-large';

interface Run {
  out: string;
  k: number;
  approaches: string;
  models: string;
}

const RUNS: Run[] = [
  { out: 'bench/results/optimizer-demo-a.json', k: 5, approaches: 'none,re2,self_consistency,majority_voting', models: `${CHEAP},${STRONG}` },
  { out: 'bench/results/optimizer-demo-a-k15.json', k: 15, approaches: 'none,self_consistency', models: CHEAP },
];

function argv(run: Run): string[] {
  return ['eval', 'optimize', '--data', DATA, '--approaches', run.approaches, '--model', run.models, '--option', `k=${run.k}`, '--out', run.out];
}

interface DemoRow {
  model: string;
  approach: string;
  /** The vote's sample count for the voting techniques; null for one-sample approaches. */
  k: number | null;
  accuracy: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** (accuracy − cheap plain) / (strong plain − cheap plain). */
  gapClosed: number;
  /** costUsd / the strong model's plain cost over the same rows. */
  costVsStrong: number;
}

const VOTING = new Set(['self_consistency', 'majority_voting']);

function summarize(runs: ReadonlyArray<{ k: number; cells: readonly EvalCell[] }>): DemoRow[] {
  const base = runs[0]!.cells;
  const plain = (model: string) => base.find((c) => c.model === model && c.approach === 'none')!;
  const cheap = plain(CHEAP);
  const strong = plain(STRONG);
  const gap = strong.accuracy - cheap.accuracy;
  const rows: DemoRow[] = [];
  for (const [i, run] of runs.entries()) {
    for (const c of run.cells) {
      // The k = 15 run repeats the plain sim-mini cell for a self-contained file; list it once.
      if (i > 0 && c.approach === 'none') continue;
      rows.push({
        model: c.model,
        approach: c.approach,
        k: VOTING.has(c.approach) ? run.k : null,
        accuracy: c.accuracy,
        promptTokens: c.usage.inputTokens,
        completionTokens: c.usage.outputTokens,
        costUsd: c.costUsd,
        gapClosed: (c.accuracy - cheap.accuracy) / gap,
        costVsStrong: c.costUsd / strong.costUsd,
      });
    }
  }
  return rows;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function markdown(rows: readonly DemoRow[]): string {
  const lines = [
    '| model | approach | accuracy | prompt tokens | completion tokens | cost | gap closed | cost vs sim-large plain |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const name = r.k === null ? r.approach : `${r.approach} (k = ${r.k})`;
    lines.push(
      `| ${r.model} | ${name} | ${pct(r.accuracy)} | ${r.promptTokens.toLocaleString('en-US')} | ${r.completionTokens.toLocaleString('en-US')} | $${r.costUsd.toFixed(4)} | ${pct(r.gapClosed)} | ${pct(r.costVsStrong)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const runs: Array<{ k: number; cells: EvalCell[] }> = [];
  for (const run of RUNS) {
    console.error(`aigw ${argv(run).join(' ')}`);
    await (await buildProgram()).parseAsync(argv(run), { from: 'user' });
    const report = JSON.parse(readFileSync(run.out, 'utf8')) as { results: EvalCell[] };
    runs.push({ k: run.k, cells: report.results });
  }
  const rows = summarize(runs);
  const summary = {
    simulated: true,
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    data: DATA,
    commands: RUNS.map((r) => `aigw ${argv(r).join(' ')}`),
    cheap: CHEAP,
    strong: STRONG,
    rows,
  };
  writeFileSync('bench/results/optimizer-demo-a-summary.json', `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\n${markdown(rows)}\n`);
  console.error('wrote bench/results/optimizer-demo-a-summary.json');
}

await main();
