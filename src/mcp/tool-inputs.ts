export {
  analysisShape,
  costThresholdParam,
  goalParam,
  listParam,
  OptimizationGoal,
  qualityThresholdParam,
  targetReductionParam,
} from '../analytics/report/report-params.ts';

/**
 * `cost<0.01,quality>0.8` → thresholds; the seed passes constraints in this form to
 * optimize_routing_rules. Explicit cost_threshold / quality_threshold take precedence.
 */
export function parseConstraints(text: string): { costThresholdUsd?: number; qualityThreshold?: number } {
  const out: { costThresholdUsd?: number; qualityThreshold?: number } = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(cost|quality)\s*([<>])=?\s*\$?([0-9]*\.?[0-9]+)$/.exec(part);
    if (!m) throw new ConstraintsError(`cannot read constraint "${part}"; write e.g. cost<0.01,quality>0.8`);
    const [, metric, op, num] = m;
    const value = Number(num);
    if (metric === 'cost' && op === '<') out.costThresholdUsd = value;
    else if (metric === 'quality' && op === '>') out.qualityThreshold = value;
    else throw new ConstraintsError(`constraint "${part}" points the wrong way; cost takes <, quality takes >`);
  }
  return out;
}

export class ConstraintsError extends Error {}
