import { TASK_TYPES, type TaskType } from '../../config/schema.ts';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { DENSE_FEATURE_NAMES } from '../analyze/dense-features.ts';
import type { HashingSpec } from '../analyze/hashed-ngrams.ts';
import type { PromptFeatures } from '../types.ts';
import type { FeatureLayout } from './feature-vector.ts';
import type { OutcomeRow } from './outcome-rows.ts';

/** A training row after analysis: only features and outcomes, never the text. */
export interface PreparedRow {
  features: PromptFeatures;
  taskType: TaskType;
  scores: Record<string, number>;
  /** Realized cost per model, when the outcome file has it (used to choose shrinkage by routing quality). */
  costs?: Record<string, number>;
  /** The row's source group (its `dataset`): the label of the source classifier (source-classifier.ts). */
  source?: string;
  /** The row's sub-group inside its source (its `category`, e.g. an MMLU subject). */
  category?: string;
}

export function prepareRows(rows: readonly OutcomeRow[], hashing: HashingSpec, onProgress?: (done: number, total: number) => void): PreparedRow[] {
  const out: PreparedRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const analysis = analyzePromptText(row.prompt, { hashing });
    // Copy the typed arrays: the analyzer's output is ours, but keep rows independent of any scratch.
    out.push({
      features: {
        dense: analysis.features.dense,
        hashedIdx: analysis.features.hashedIdx.slice(),
        hashedVal: analysis.features.hashedVal.slice(),
        ...(analysis.features.textIdx && analysis.features.textVal ? { textIdx: analysis.features.textIdx, textVal: analysis.features.textVal } : {}),
      },
      taskType: analysis.taskType,
      scores: row.scores,
      ...(row.costs ? { costs: row.costs } : {}),
      ...(row.dataset ? { source: row.dataset } : {}),
      ...(row.category ? { category: row.category } : {}),
    });
    if (onProgress && (i % 200 === 0 || i === rows.length - 1)) onProgress(i + 1, rows.length);
  }
  return out;
}

const STD_FLOOR = 0.25;

/** Dense-feature mean and standard deviation over the rows, for standardization. */
export function buildLayout(rows: readonly PreparedRow[], buckets: number): FeatureLayout {
  const dense = [...DENSE_FEATURE_NAMES];
  const mean = new Array<number>(dense.length).fill(0);
  const std = new Array<number>(dense.length).fill(0);
  for (const row of rows) dense.forEach((name, j) => (mean[j]! += row.features.dense[name] ?? 0));
  for (let j = 0; j < dense.length; j++) mean[j]! /= Math.max(1, rows.length);
  for (const row of rows) {
    dense.forEach((name, j) => {
      const d = (row.features.dense[name] ?? 0) - mean[j]!;
      std[j]! += d * d;
    });
  }
  // A floor on the spread: a feature that barely varies in training must not turn a small change at
  // serving time into a 5-sigma input (seen on narrow training sets, where it inverted predictions).
  for (let j = 0; j < dense.length; j++) std[j] = Math.max(STD_FLOOR, Math.sqrt(std[j]! / Math.max(1, rows.length)));
  return { buckets, dense, taskTypes: [...TASK_TYPES], mean, std };
}
