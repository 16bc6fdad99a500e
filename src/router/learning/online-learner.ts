import type { ModelQualityRef } from '../predictor/irt-predictor.ts';
import { DEFAULT_FIT, fitState, type FitOptions, type FitOutcome } from './fit-state.ts';
import { addRidgeHeads, DEFAULT_ONLINE_RIDGE, type OnlineRidgeOptions } from './online-ridge.ts';
import type { LearnedState } from './learned-state.ts';
import type { LearningPredictor } from './learning-predictor.ts';
import { UndecodableFeaturesError, type LearningRow } from './learning-row.ts';

/** Longest stretch of fitting work between two yields to the event loop. */
const SLICE_MS = 5;

/**
 * Turns scored learning rows into a learned state on top of the live predictor. The predictor's view of
 * each row (feature vector, a(x), live logit) depends only on the row and the live predictor, so it is
 * computed once per row and kept (bounded) between refits.
 */
export class OnlineLearner {
  private readonly cache = new Map<string, FitOutcome>();
  /**
   * Rows the last refit left out because their features could not be decoded (written by a newer
   * gateway, see docs/operations.md "Deploying"), and the first reason.
   */
  lastSkipped: { rows: number; reason: string } = { rows: 0, reason: '' };
  /** The base predictor the cached views were computed with: a promotion changes it. */
  private cacheBaseVersion = '';

  constructor(
    readonly predictor: LearningPredictor,
    private readonly catalog: () => readonly ModelQualityRef[],
    private readonly options: FitOptions = DEFAULT_FIT,
    private readonly ridge: OnlineRidgeOptions = DEFAULT_ONLINE_RIDGE,
    private readonly maxCached = 200_000,
  ) {}

  /** Rows that teach a plain model's quality: scored, and not answered through a technique. */
  static usable(row: LearningRow): boolean {
    return row.score !== null && row.technique === null;
  }

  private fitOutcome(row: LearningRow, refs: Map<string, ModelQualityRef>): FitOutcome {
    const key = `${row.requestId}\u0000${row.model}`;
    const cached = this.cache.get(key);
    const atMs = row.scoredAtMs ?? row.createdAtMs;
    if (cached) return { ...cached, score: row.score!, atMs };
    const base = this.predictor.base;
    const item = base.item(row.features, row.taskType);
    const ref = refs.get(row.model) ?? { id: row.model };
    const outcome: FitOutcome = {
      model: row.model,
      taskType: row.taskType,
      x: item.x,
      discrimination: item.discrimination,
      baseLogit: this.predictor.baseLogit(item, row.taskType, ref),
      score: row.score!,
      atMs,
    };
    if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, outcome);
    return outcome;
  }

  /**
   * Fits a state from the rows (any order: they are sorted by request id first) and makes it live. Yields
   * to the event loop every few milliseconds while it converts rows (the costly part after a restart), so
   * requests served by the same process wait at most one slice.
   */
  async refit(rows: readonly LearningRow[], id: number, nowMs: number): Promise<LearnedState> {
    const refs = new Map(this.catalog().map((m) => [m.id, m]));
    if (this.cacheBaseVersion !== this.predictor.base.version) {
      this.cache.clear();
      this.cacheBaseVersion = this.predictor.base.version;
    }
    const usable = rows
      .filter((row) => OnlineLearner.usable(row))
      .sort((a, b) => (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : a.model.localeCompare(b.model)));
    const outcomes: FitOutcome[] = [];
    const skipped = { rows: 0, reason: '' };
    let slice = performance.now();
    for (const r of usable) {
      try {
        outcomes.push(this.fitOutcome(r, refs));
      } catch (err) {
        if (!(err instanceof UndecodableFeaturesError)) throw err;
        skipped.rows += 1;
        skipped.reason ||= err.message;
      }
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
    }
    const lastScoredAtMs = usable.reduce((m, r) => Math.max(m, r.scoredAtMs ?? 0), 0);
    const abilities = fitState(outcomes, { id, baseVersion: this.predictor.base.version, createdAtMs: nowMs, lastScoredAtMs }, this.options);
    // Per-prompt heads on top, one model at a time with a yield between (each a bounded ridge fit).
    const state = await addRidgeHeads(
      abilities,
      outcomes,
      this.predictor.base.layout.buckets,
      this.ridge,
      () => new Promise((resolve) => setImmediate(resolve)),
    );
    this.predictor.setState(state);
    this.lastSkipped = skipped;
    return state;
  }
}
