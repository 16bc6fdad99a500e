import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { loadPredictor } from '../predictor/load-predictor.ts';
import { readOutcomeFiles, type OutcomeRow } from '../predictor/outcome-rows.ts';
import { assignCvFolds, crossValidate, type HeldOutPredictions } from './cross-validate.ts';
import { leaveModelsOut } from './leave-model-out.ts';
import type { TrainOptions, TrainProgress } from '../predictor/train.ts';
import { estimateCostUsd, fitCostLines } from './cost-estimate.ts';
import { DEFAULT_STRONG, DEFAULT_WEAK, evaluateRouting, modelsToScore, type DatasetReport } from './evaluate-routing.ts';
import { UsageError } from '../../util/usage-error.ts';
import { renderSvgPlot } from './svg-plot.ts';

export interface EvalCommandOptions {
  data: string[];
  strong?: string;
  weak?: string;
  /** JSON report path; one SVG per dataset with costs is written beside it. Default: router-eval.json. */
  out?: string;
  /** k for k-fold cross-validation (default 5). Ignored when modelFile is given. */
  folds?: number;
  /** Leave one dataset out instead of k random folds (generalization to a kind of prompt never trained on). */
  byDataset?: boolean;
  /** With `byDataset`: only these datasets' folds (each still scored by a model trained on all the others). */
  heldOut?: string[];
  /** Leave models out (leave-model-out.ts): each model scored by a predictor that knows it by a catalog prior only. */
  leaveModelOut?: boolean;
  /** Groups of models left out together with `leaveModelOut` (one training each; default 6). */
  modelGroups?: number;
  seed?: number;
  /** Training options for the cross-validated models (the variants docs/router.md compares). */
  train?: Partial<TrainOptions>;
  /** Score with this trained model instead of cross-validating (for data the model never saw). */
  modelFile?: string;
  progress?: boolean;
}

export interface EvalReport {
  method: string;
  strong: string;
  weak: string;
  datasets: DatasetReport[];
  plots: string[];
}

/** `aigw eval routing --data FILE.jsonl [--strong M --weak M]`: honest numbers from held-out rows only. */
export function runEvalCommand(options: EvalCommandOptions): EvalReport {
  if (options.heldOut && !options.byDataset) throw new UsageError('--held-out needs --by-dataset (it names the datasets left out)');
  const rows = readOutcomeFiles(options.data);
  if (options.heldOut) {
    const known = new Set(rows.map((row) => row.dataset ?? ''));
    const unknown = options.heldOut.filter((name) => !known.has(name));
    if (unknown.length > 0) throw new UsageError(`--held-out: no rows of ${unknown.join(', ')} in the data (datasets: ${[...known].sort().join(', ')})`);
  }
  const strong = options.strong ?? DEFAULT_STRONG;
  const weak = options.weak ?? DEFAULT_WEAK;
  const seed = options.seed ?? 1;
  let predicted: Array<Record<string, number>>;
  let estimated: Array<Record<string, number>>;
  let method: string;
  let folds: Uint8Array | undefined;
  let trainingMeans: Array<Record<string, number>> | undefined;
  let scoredRows: readonly OutcomeRow[] = rows;
  if (options.modelFile) {
    ({ predicted, estimated } = scoreWithModel(rows, options.modelFile));
    method = `scored with ${options.modelFile}; costs estimated from the same rows' realized costs (length fit)`;
  } else if (options.leaveModelOut) {
    const groups = options.modelGroups ?? 6;
    const lmo = withProgressBar(options.progress, groups, 'group', (onProgress) => leaveModelsOut(rows, { groups, seed, train: options.train }, onProgress));
    ({ predicted, estimatedCostUsd: estimated } = lmo);
    method = `leave models out (${lmo.scoredModels.length} models in ${Math.min(groups, lmo.scoredModels.length)} groups); each model scored by a predictor trained without its rows, knowing it only by its mean score on its largest other dataset`;
  } else {
    const heldOut = options.heldOut;
    const cvOptions = { folds: options.folds ?? 5, seed, train: options.train, byDataset: options.byDataset, heldOut };
    const foldCount = assignCvFolds(rows, cvOptions).count;
    const trained = heldOut ? new Set(heldOut).size : foldCount;
    const cv: HeldOutPredictions = withProgressBar(options.progress, trained, 'fold', (onProgress) => crossValidate(rows, cvOptions, onProgress));
    const keep = heldOut ? rows.flatMap((row, i) => (heldOut.includes(row.dataset ?? '') ? [i] : [])) : null;
    scoredRows = keep ? keep.map((i) => rows[i]!) : rows;
    predicted = keep ? keep.map((i) => cv.predicted[i]!) : cv.predicted;
    estimated = keep ? keep.map((i) => cv.estimatedCostUsd[i]!) : cv.estimatedCostUsd;
    folds = keep ? Uint8Array.from(keep, (i) => cv.folds[i]!) : cv.folds;
    trainingMeans = cv.trainingMeans;
    method = options.byDataset
      ? `leave one dataset out (${foldCount} datasets); each dataset scored by a model trained on the other datasets only`
      : `${foldCount}-fold cross-validation (folds fixed by seed ${seed}); each row scored by a model trained on the other folds`;
  }
  const datasets = evaluateRouting(scoredRows, predicted, estimated, { strong, weak }, folds, trainingMeans);
  const out = options.out ?? 'router-eval.json';
  const plots: string[] = [];
  for (const d of datasets) {
    if (!d.costQuality) continue;
    const path = out.replace(/\.json$/, '') + `.${d.dataset.replace(/[^a-z0-9-]+/gi, '_')}.svg`;
    writeFileSync(path, costQualitySvg(d));
    plots.push(path);
  }
  const report: EvalReport = { method, strong, weak, datasets, plots };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** Runs `run` with a cli-progress bar over its `parts` trainings (none when progress is off). */
function withProgressBar<T>(progress: boolean | undefined, parts: number, label: string, run: (onProgress: (part: number, p: TrainProgress) => void) => T): T {
  const bar =
    progress === false
      ? null
      : new cliProgress.SingleBar({ format: `${label} {part}/${parts} {stage} [{bar}] {percentage}%` }, cliProgress.Presets.shades_classic);
  bar?.start(parts * 100, 0, { part: 1, stage: '' });
  const result = run((part, p) => bar?.update(part * 100 + Math.floor((99 * p.done) / Math.max(1, p.total)), { part: part + 1, stage: p.stage }));
  bar?.stop();
  return result;
}

function scoreWithModel(
  rows: readonly OutcomeRow[],
  modelFile: string,
): { predicted: Array<Record<string, number>>; estimated: Array<Record<string, number>> } {
  const predictor = loadPredictor(modelFile);
  const models = [...new Set(rows.flatMap((r) => Object.keys(r.scores)))];
  const lines = fitCostLines(rows, models);
  const predicted: Array<Record<string, number>> = [];
  const estimated: Array<Record<string, number>> = [];
  for (const row of rows) {
    const analysis = analyzePromptText(row.prompt);
    const ids = modelsToScore(row);
    const p = predictor.predict(
      analysis,
      ids.map((id) => ({ id })),
    );
    predicted.push(Object.fromEntries(ids.map((id, k) => [id, p[k]!])));
    estimated.push(row.costs ? Object.fromEntries(Object.keys(row.scores).map((id) => [id, estimateCostUsd(lines.get(id), row.prompt.length)])) : {});
  }
  return { predicted, estimated };
}

function costQualitySvg(d: DatasetReport): string {
  const cq = d.costQuality!;
  const k = 1000;
  return renderSvgPlot(
    [
      { name: 'router (λ sweep)', style: 'line', color: '#d62728', points: cq.routerPoints.map((p) => ({ x: p.costUsd * k, y: p.quality, label: p.label })) },
      { name: 'router hull', style: 'dashed', color: '#ff9896', points: cq.routerHull.map((p) => ({ x: p.costUsd * k, y: p.quality })) },
      { name: 'zero router hull', style: 'dashed', color: '#7f7f7f', points: cq.zeroHull.map((p) => ({ x: p.costUsd * k, y: p.quality })) },
      { name: 'single models', style: 'points', color: '#1f77b4', points: cq.singleModels.map((p) => ({ x: p.costUsd * k, y: p.quality, label: p.label })) },
    ],
    { title: `${d.dataset}: mean cost vs mean quality (${d.rows} rows)`, xLabel: 'mean cost per prompt (USD × 1000)', yLabel: 'mean quality' },
  );
}
