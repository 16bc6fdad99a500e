import { randomUUID } from 'node:crypto';
import type { GatewayConfig } from '../../config/schema.ts';
import type { LearningStore } from '../../store/learning-store.ts';
import type { RouterModelRecord } from '../../store/types.ts';
import { DEFAULT_HASHING } from '../analyze/feature-spec.ts';
import { loadPredictor, predictorFromJson } from '../predictor/load-predictor.ts';
import type { IrtQualityPredictor } from '../predictor/irt-predictor.ts';
import { readOutcomeFiles } from '../predictor/outcome-rows.ts';
import { prepareRows, type PreparedRow } from '../predictor/prepare-rows.ts';
import { trainOnPrepared } from '../predictor/train.ts';
import { DEFAULT_FIT } from './fit-state.ts';
import { compareRouters, timeSplit, type RouterEvaluation } from './guarded-promotion.ts';
import { fromRecord } from './learning-loop.ts';
import { LearningPredictor } from './learning-predictor.ts';
import type { LearningRow } from './learning-row.ts';
import { OnlineLearner } from './online-learner.ts';
import { DEFAULT_ONLINE_RIDGE } from './online-ridge.ts';

export interface RetrainOptions {
  /** Outcome files (the shipped data) trained on together with the learning rows. */
  data: readonly string[];
  sinceMs: number;
  holdoutShare: number;
  minHoldoutRows: number;
  seed: number;
  maxRows: number;
  nowMs: number;
}

export interface RetrainResult {
  id: string;
  version: string;
  trainRows: number;
  learningRows: number;
  evaluation: RouterEvaluation;
  status: RouterModelRecord['status'];
}

const DAY_MS = 86_400_000;

/** The options of a retrain from `routing.learning` (CLI flags override some of them). */
export function retrainOptionsFrom(
  learning: GatewayConfig['routing']['learning'],
  nowMs: number,
  overrides: { data?: readonly string[] | undefined; sinceMs?: number | undefined; holdoutShare?: number | undefined; seed?: number | undefined } = {},
): RetrainOptions {
  const retrain = learning.retrain;
  return {
    data: overrides.data ?? retrain.data,
    sinceMs: nowMs - (overrides.sinceMs ?? retrain.since_days * DAY_MS),
    holdoutShare: overrides.holdoutShare ?? retrain.holdout_share,
    minHoldoutRows: retrain.min_holdout_rows,
    seed: overrides.seed ?? 1,
    maxRows: learning.max_refit_rows,
    nowMs,
  };
}

/** Learning rows as training rows: the outcomes of one request (served model, shadow calls) form one row. */
export function preparedFromLearning(rows: readonly LearningRow[]): PreparedRow[] {
  const byRequest = new Map<string, PreparedRow>();
  for (const r of rows) {
    if (r.score === null || r.technique !== null) continue;
    const row = byRequest.get(r.requestId) ?? { features: r.features, taskType: r.taskType, scores: {} };
    row.scores[r.model] = r.score;
    byRequest.set(r.requestId, row);
  }
  return [...byRequest.values()];
}

/** The live base predictor: the promoted router model in the store, else the configured file. */
export async function liveBase(store: LearningStore, config: GatewayConfig): Promise<IrtQualityPredictor> {
  const live = await store.liveRouterModel();
  return live ? predictorFromJson(live.file) : loadPredictor(config.routing.model_file);
}

/**
 * `aigw router train --from-store`: trains a candidate on the shipped data plus the learning rows before
 * the time split, compares it with the live router (refitted online on the same rows) on the rows after
 * it, and stores it — live when it wins by the promotion margin, else as a candidate beside the live one.
 */
export async function retrainFromStore(store: LearningStore, config: GatewayConfig, opts: RetrainOptions): Promise<RetrainResult> {
  const records = await store.scoredRows(opts.sinceMs, opts.maxRows);
  const rows = records.map(fromRecord).filter((r) => r.technique === null);
  const { train, heldOut, splitAtMs } = timeSplit(rows, opts.holdoutShare);
  const shipped = opts.data.length > 0 ? prepareRows(readOutcomeFiles(opts.data), DEFAULT_HASHING) : [];
  const learned = preparedFromLearning(train);
  if (shipped.length + learned.length === 0) throw new Error('nothing to train on: no outcome files and no scored learning rows before the split');
  const file = trainOnPrepared([...shipped, ...learned], { seed: opts.seed });
  const text = JSON.stringify(file);
  const candidate = predictorFromJson(text);
  const liveLearning = new LearningPredictor(await liveBase(store, config));
  const cfg = config.routing.learning;
  await new OnlineLearner(
    liveLearning,
    () => config.models,
    { ...DEFAULT_FIT, priorStrength: cfg.prior_strength, residualL2: cfg.residual_l2 },
    { ...DEFAULT_ONLINE_RIDGE, l2: cfg.ridge_l2 },
  ).refit(train, 1, opts.nowMs);
  const catalog = new Map(config.models.map((m) => [m.id, m]));
  const evaluation = compareRouters(heldOut, liveLearning, candidate, catalog, { minRows: opts.minHoldoutRows, splitAtMs });
  const id = `rm_${randomUUID()}`;
  const status: RouterModelRecord['status'] = evaluation.promote ? 'live' : 'candidate';
  await store.insertRouterModel({
    id,
    created_at: opts.nowMs,
    version: candidate.version,
    status: 'candidate',
    reason: evaluation.reason,
    evaluation: JSON.stringify({ ...evaluation, trainRows: shipped.length + learned.length, learningRows: learned.length }),
    file: text,
    promoted_at: null,
  });
  if (evaluation.promote) await store.promoteRouterModel(id, opts.nowMs);
  return { id, version: candidate.version, trainRows: shipped.length + learned.length, learningRows: learned.length, evaluation, status };
}
