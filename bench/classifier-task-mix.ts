/**
 * `node bin/run-ts.mjs bench/classifier-task-mix.ts [dir]` — how the task classifier labels the prompts
 * of the shared outcome files (default ../shared/data): the task types the predictor trains and routes
 * with, per file. Run it before and after a classifier change to see which datasets move.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TASK_TYPES } from '../src/config/enums.ts';
import { analyzePromptText } from '../src/router/analyze/analyze-prompt.ts';

const dir = process.argv[2] ?? '../shared/data';
console.log(['file', 'rows', ...TASK_TYPES].join('\t'));
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()) {
  const counts = new Map<string, number>();
  let rows = 0;
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const { prompt } = JSON.parse(line) as { prompt: unknown };
    const task = analyzePromptText(typeof prompt === 'string' ? prompt : JSON.stringify(prompt)).taskType;
    counts.set(task, (counts.get(task) ?? 0) + 1);
    rows++;
  }
  console.log([file, rows, ...TASK_TYPES.map((t) => counts.get(t) ?? 0)].join('\t'));
}
