// Builds models/quality-priors.json from models/public-benchmarks.json and the shipped predictor:
//   node bin/run-ts.mjs scripts/build-quality-priors.ts [--model-file F] [--out F]
// Method (docs/router.md, "Quality priors for models it never saw"): each task type reads one public
// benchmark; a score s becomes a prior p = σ(logit(s) + c_t), where the shift c_t puts the anchor model
// (a model with both a published score and trained abilities) exactly at the quality the trained
// predictor gives it on typical prompts of that task type — the scale `quality:` priors are read on.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TASK_TYPES, type TaskType } from '../src/config/enums.ts';
import { meanProbability } from '../src/router/predictor/ability.ts';
import { loadPredictor } from '../src/router/predictor/load-predictor.ts';
import { BENCHMARK_OF_TASK, type BenchmarkFile, type QualityPriorsFile } from '../src/config/known-models/quality-priors.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    'model-file': { type: 'string' },
    benchmarks: { type: 'string', default: resolve(ROOT, 'models/public-benchmarks.json') },
    out: { type: 'string', default: resolve(ROOT, 'models/quality-priors.json') },
    anchor: { type: 'string', default: 'gpt-4-1106-preview' },
  },
});

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const round2 = (x: number) => Math.round(x * 100) / 100;

const bench = JSON.parse(readFileSync(values.benchmarks, 'utf8')) as BenchmarkFile;
const predictor = loadPredictor(values['model-file']);
const anchor = bench.models.find((m) => m.id === values.anchor);
if (!anchor) throw new Error(`anchor ${values.anchor} is not in ${values.benchmarks}`);
if (!predictor.knownModels().includes(anchor.id)) throw new Error(`anchor ${anchor.id} is not a model the predictor was trained on`);

const shifts = {} as Record<TaskType, number>;
const anchorQuality = {} as Record<TaskType, number>;
for (const task of TASK_TYPES) {
  const score = anchor.scores[BENCHMARK_OF_TASK[task]];
  if (score === undefined) throw new Error(`anchor has no ${BENCHMARK_OF_TASK[task]} score`);
  anchorQuality[task] = meanProbability(predictor.ability({ id: anchor.id }, task), predictor.typical);
  shifts[task] = logit(anchorQuality[task]) - logit(score / 100);
}

const models: QualityPriorsFile['models'] = bench.models.map((m) => {
  const priors: Partial<Record<TaskType | 'default', number>> = {};
  for (const task of TASK_TYPES) {
    const score = m.scores[BENCHMARK_OF_TASK[task]];
    if (score !== undefined) priors[task] = round2(sigmoid(logit(score / 100) + shifts[task]));
  }
  if (priors.qa !== undefined) priors.default = priors.qa;
  return { id: m.id, vendor: m.vendor, aliases: m.aliases, priors };
});

const out: QualityPriorsFile = {
  generated: new Date().toISOString().slice(0, 10),
  source: bench.source,
  source_url: bench.source_url,
  retrieved: bench.retrieved,
  method: `p = σ(logit(benchmark score) + c_task); c_task anchors ${anchor.id} at its trained quality (predictor ${predictor.version})`,
  anchor: anchor.id,
  predictor_version: predictor.version,
  benchmark_of_task: BENCHMARK_OF_TASK,
  shifts: Object.fromEntries(TASK_TYPES.map((t) => [t, Math.round(shifts[t] * 1000) / 1000])) as Record<TaskType, number>,
  models,
};
writeFileSync(values.out, `${JSON.stringify(out, null, 2)}\n`);
console.log(
  `wrote ${values.out}: ${models.length} models; anchor ${anchor.id} trained quality ${TASK_TYPES.map((t) => `${t} ${anchorQuality[t].toFixed(2)}`).join(', ')}`,
);
