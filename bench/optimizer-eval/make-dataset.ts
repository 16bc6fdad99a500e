/**
 * Writes bench/optimizer-eval/sim-items.jsonl: the SIMULATION-ONLY dataset of docs/optimizer.md
 * "Demonstration (a)". The prompts are the project's own templated items (no benchmark data); the
 * gold answers are the simulated fleet's answer key (src/sim/answer.ts simAnswerKey) for the given
 * seed, so the file grades simulated models only — a real model cannot know them.
 *
 *   node bin/run-ts.mjs bench/optimizer-eval/make-dataset.ts [--items 100] [--seed 0]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { simAnswerKey } from '../../src/sim/answer.ts';
import { classifySimTaskType } from '../../src/sim/task-type.ts';

const WORDS = ['amber', 'basalt', 'cedar', 'delta', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'juniper', 'kelp', 'lumen'];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

function word(i: number, j: number): string {
  return `${WORDS[(i * 7 + j * 5) % WORDS.length]} ${i}${'abcd'[j]}`;
}

export function multipleChoiceItem(i: number): string {
  const options = ['A', 'B', 'C', 'D'].map((l, j) => `${l}) ${word(i, j)}`).join('\n');
  return `Simulation item ${i}: which option is correct?\n${options}`;
}

export function mathsItem(i: number): string {
  return `Simulation item ${i} (maths): compute the quantity q${i} from case ${i}. What is the value of q${i}?`;
}

function main(): void {
  const items = arg('items', 100);
  const seed = arg('seed', 0);
  const rows: Array<{ id: string; prompt: string; answer: string }> = [];
  for (let i = 0; i < items; i++) {
    for (const [kind, prompt, want] of [
      ['mc', multipleChoiceItem(i), 'qa'],
      ['maths', mathsItem(i), 'math'],
    ] as const) {
      if (classifySimTaskType(prompt) !== want) throw new Error(`${prompt} is not a ${want} prompt for the simulator`);
      const answer = simAnswerKey(prompt, seed);
      if (answer === undefined) throw new Error(`no simulated answer key for ${prompt}`);
      rows.push({ id: `${kind}-${i}`, prompt, answer });
    }
  }
  const out = fileURLToPath(new URL('./sim-items.jsonl', import.meta.url));
  writeFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.error(`wrote ${rows.length} rows to ${out}`);
}

main();
