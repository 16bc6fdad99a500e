import type { QualityPredictor } from '../../src/router/types.ts';
import type { ModelConfig } from '../../src/config/schema.ts';
import { analyzePromptText } from '../../src/router/analyze/analyze-prompt.ts';
import { estimateCostUsd, fitCostLines } from '../../src/router/eval/cost-estimate.ts';
import { evaluateRouting } from '../../src/router/eval/evaluate-routing.ts';
import type { PromptAnalysis } from '../../src/router/types.ts';
import type { LearningBenchFile } from './learning-setup.ts';

/**
 * Scores a predictor on the file's evaluation slice with `aigw eval routing`'s metrics: the RouterBench
 * hull area (AIQ) when the file has costs, else the RouteLLM APGR of its strong/weak pair.
 */
export class EvalSlice {
  readonly metric: 'aiq' | 'apgr';
  private readonly analyses: PromptAnalysis[];
  private readonly estimated: Array<Record<string, number>>;

  constructor(private readonly file: LearningBenchFile) {
    this.metric = file.hasCosts && file.models.length >= 3 ? 'aiq' : 'apgr';
    this.analyses = file.evalRows.map((r) => analyzePromptText(r.prompt));
    // What a router can know of costs beforehand: lines fitted on the servable rows, never the slice.
    const lines = file.hasCosts ? fitCostLines(file.servable, file.models) : new Map();
    this.estimated = file.evalRows.map((r) => Object.fromEntries(file.models.map((m) => [m, estimateCostUsd(lines.get(m), r.prompt.length)])));
  }

  score(predictor: QualityPredictor, models: readonly ModelConfig[]): number {
    return this.scoreRows(
      this.predictions(predictor, models),
      this.file.evalRows.map((_, i) => i),
    );
  }

  /** Standard deviation of the metric over bootstrap resamples of the slice: the noise of one window's number. */
  noise(predictor: QualityPredictor, models: readonly ModelConfig[], resamples = 20, seed = 7): number {
    const predicted = this.predictions(predictor, models);
    return sd(this.resamples(resamples, seed).map((idx) => this.scoreRows(predicted, idx)));
  }

  /**
   * Standard deviation of (metric of `a` − metric of `b`) over the same bootstrap resamples: the noise of a
   * comparison of two routers on this slice (smaller than either's own noise: both see the same prompts).
   */
  pairedNoise(a: QualityPredictor, b: QualityPredictor, models: readonly ModelConfig[], resamples = 20, seed = 7): number {
    const pa = this.predictions(a, models);
    const pb = this.predictions(b, models);
    return sd(this.resamples(resamples, seed).map((idx) => this.scoreRows(pa, idx) - this.scoreRows(pb, idx)));
  }

  private resamples(count: number, seed: number): number[][] {
    let s = seed >>> 0;
    const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
    const n = this.file.evalRows.length;
    return Array.from({ length: count }, () => Array.from({ length: n }, () => Math.floor(random() * n)));
  }

  private predictions(predictor: QualityPredictor, models: readonly ModelConfig[]): Array<Record<string, number>> {
    return this.analyses.map((a) => {
      const p = predictor.predict(a, models);
      return Object.fromEntries(models.map((m, i) => [m.id, p[i]!]));
    });
  }

  private scoreRows(predicted: Array<Record<string, number>>, idx: readonly number[]): number {
    const rows = idx.map((i) => ({ ...this.file.evalRows[i]!, dataset: 'slice' }));
    const [report] = evaluateRouting(
      rows,
      idx.map((i) => predicted[i]!),
      idx.map((i) => this.estimated[i]!),
      { strong: this.file.strong, weak: this.file.weak },
    );
    if (!report) throw new Error('no evaluation rows');
    const value = this.metric === 'aiq' ? report.costQuality?.routerArea : report.pair?.apgr;
    if (value === undefined) throw new Error(`no ${this.metric} for ${this.file.name}`);
    return value;
  }
}

function sd(values: readonly number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
}
