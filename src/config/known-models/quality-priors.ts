import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TaskType } from '../enums.ts';

/** The public benchmark each task type's prior is read from (docs/router.md explains the choice). */
export const BENCHMARK_OF_TASK = {
  qa: 'mmlu',
  classification: 'mmlu',
  chat: 'mmlu',
  creative_writing: 'mmlu',
  reasoning: 'gpqa',
  math: 'math',
  coding: 'humaneval',
  translation: 'mgsm',
  summarization: 'mmlu',
  extraction: 'mmlu',
} as const satisfies Record<TaskType, string>;

export type Benchmark = (typeof BENCHMARK_OF_TASK)[TaskType];

/** `models/public-benchmarks.json`: published scores (percent), one cited table. */
export interface BenchmarkFile {
  source: string;
  source_url: string;
  retrieved: string;
  models: { id: string; vendor: string; row: string; aliases: string[]; scores: Partial<Record<Benchmark, number>> }[];
}

/** `models/quality-priors.json`: what `scripts/build-quality-priors.ts` writes and the config fill reads. */
export interface QualityPriorsFile {
  generated: string;
  source: string;
  source_url: string;
  retrieved: string;
  method: string;
  anchor: string;
  predictor_version: string;
  benchmark_of_task: Record<TaskType, Benchmark>;
  shifts: Record<TaskType, number>;
  models: { id: string; vendor: string; aliases: string[]; priors: Partial<Record<TaskType | 'default', number>> }[];
}

export const QUALITY_PRIORS_PATH = resolve(import.meta.dirname, '../../../models/quality-priors.json');

/**
 * One spelling for the many ways a model is named: vendor prefixes (`meta-llama/`), Ollama tags
 * (`llama3.1:70b`), dated snapshots and `-latest`, and serving suffixes (`-instruct`, `-versatile`).
 */
export function normalizeModelName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^.*\//, '')
    .replace(/^meta-/, '')
    .replace(/^llama(\d)/, 'llama-$1')
    .replace(/:/g, '-')
    .replace(/-(\d{8}|\d{4}-\d{2}-\d{2}|\d{3})$/, '')
    .replace(/-(latest|instruct|versatile|instant|chat)$/, '')
    .replace(/-instruct(-turbo)?$/, '');
}

export interface PriorMatch {
  priors: Partial<Record<TaskType | 'default', number>>;
  source: string;
}

let loaded: { file: QualityPriorsFile; byName: Map<string, QualityPriorsFile['models'][number]> } | undefined;

function load(): NonNullable<typeof loaded> {
  if (!loaded) {
    const file = JSON.parse(readFileSync(QUALITY_PRIORS_PATH, 'utf8')) as QualityPriorsFile;
    const byName = new Map<string, QualityPriorsFile['models'][number]>();
    for (const m of file.models) for (const name of [m.id, ...m.aliases]) byName.set(name.toLowerCase(), m);
    // Other spellings reach only undated rows: a dated row's scores belong to that snapshot alone
    // (Claude 3.5 Sonnet's June numbers say nothing of its October release).
    for (const m of file.models) {
      const key = normalizeModelName(m.id);
      if (key === m.id.toLowerCase() && !byName.has(key)) byName.set(key, m);
    }
    loaded = { file, byName };
  }
  return loaded;
}

/** The shipped per-task priors for a model named any of `names`, with their source; undefined when none. */
export function shippedQualityPriors(names: readonly string[]): PriorMatch | undefined {
  const { file, byName } = load();
  for (const name of names) {
    const m = byName.get(name.toLowerCase()) ?? byName.get(normalizeModelName(name));
    if (m) return { priors: m.priors, source: `aigw priors ${file.generated} (${m.id}; ${file.source_url}, retrieved ${file.retrieved})` };
  }
  return undefined;
}
