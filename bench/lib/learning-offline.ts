import { DEFAULT_HASHING } from '../../src/router/analyze/feature-spec.ts';
import type { IrtQualityPredictor } from '../../src/router/predictor/irt-predictor.ts';
import { predictorFromJson } from '../../src/router/predictor/load-predictor.ts';
import type { PredictorFile } from '../../src/router/predictor/model-file.ts';
import { readOutcomeFiles, type OutcomeRow } from '../../src/router/predictor/outcome-rows.ts';
import { prepareRows, type PreparedRow } from '../../src/router/predictor/prepare-rows.ts';
import { trainOnPrepared } from '../../src/router/predictor/train.ts';
import { SHIPPED_SEED } from './learning-base.ts';

/**
 * The router a user gets by retraining (`aigw router train --from-store --data <the base's files>`): the
 * shipped configuration trained on the files the base router was trained on plus the served prompts, each
 * with every model's outcome (as learning rows with shadow calls of every model would give). The served
 * rows carry what learning rows carry — features, task type, scores — and no source or cost, as
 * `preparedFromLearning` builds them. The base files are analyzed once and reused at every checkpoint.
 */
export class OfflineTrainer {
  private base: PreparedRow[] | null = null;
  /** Prepared served rows by prompt id: each prompt is analyzed once across checkpoints. */
  private readonly prepared = new Map<string, PreparedRow>();

  constructor(private readonly baseFiles: readonly string[]) {}

  train(served: readonly OutcomeRow[]): IrtQualityPredictor {
    return predictorFromJson(JSON.stringify(this.trainFile(served)));
  }

  /** Trains on the base files plus `served` (a prompt served again is not new evidence: one row per distinct prompt). */
  trainFile(served: readonly OutcomeRow[]): PredictorFile {
    const fresh = [...new Map(served.filter((r) => !this.prepared.has(r.id)).map((r) => [r.id, r])).values()];
    prepareRows(fresh, DEFAULT_HASHING).forEach((p, i) => this.prepared.set(fresh[i]!.id, { features: p.features, taskType: p.taskType, scores: p.scores }));
    const rows = [...new Set(served.map((r) => r.id))].map((id) => this.prepared.get(id)!);
    this.base ??= prepareRows(readOutcomeFiles(this.baseFiles), DEFAULT_HASHING);
    return trainOnPrepared([...this.base, ...rows], { seed: SHIPPED_SEED });
  }
}
