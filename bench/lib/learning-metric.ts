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
    const predicted = this.analyses.map((a) => {
      const p = predictor.predict(a, models);
      return Object.fromEntries(models.map((m, i) => [m.id, p[i]!]));
    });
    const [report] = evaluateRouting(this.file.evalRows, predicted, this.estimated, { strong: this.file.strong, weak: this.file.weak });
    if (!report) throw new Error('no evaluation rows');
    const value = this.metric === 'aiq' ? report.costQuality?.routerArea : report.pair?.apgr;
    if (value === undefined) throw new Error(`no ${this.metric} for ${this.file.name}`);
    return value;
  }
}
