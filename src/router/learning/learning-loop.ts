import type { LearningConfig } from '../../config/learning-schema.ts';
import type { TaskType } from '../../config/schema.ts';
import type { LearningStore } from '../../store/learning-store.ts';
import type { LearningRowRecord } from '../../store/types.ts';
import type { ModelQualityRef } from '../predictor/irt-predictor.ts';
import type { PromptFeatures, RouteDecision } from '../types.ts';
import { DEFAULT_FIT } from './fit-state.ts';
import { LearnedState } from './learned-state.ts';
import type { LearningPredictor } from './learning-predictor.ts';
import { decodeFeatures, encodeFeatures, type LearningRow } from './learning-row.ts';
import { OnlineLearner } from './online-learner.ts';
import { DEFAULT_ONLINE_RIDGE } from './online-ridge.ts';
import { predictorFromJson } from '../predictor/load-predictor.ts';

export interface LearningLoopLogger {
  warn(obj: object, msg: string): void;
}

export interface LearningLoopDeps {
  store: LearningStore;
  predictor: LearningPredictor;
  config: () => LearningConfig;
  catalog: () => readonly ModelQualityRef[];
  logger?: LearningLoopLogger;
  now?: () => number;
}

export interface LearningCounters {
  rowsWritten: number;
  refits: number;
  /** States fitted by another replica and adopted here. */
  adopted: number;
  lastRefitMs: number;
  failures: number;
}

// Tuning constants (a block of numbers, as in hashed-ngrams.ts, with unrelated meanings). FLUSH_ROWS:
// rows per commit on the write thread; 500 like the batch writer's batch (200 made ~2.5× as many
// learning-row commits, each rewriting the table's and its indexes' last pages).
const FLUSH_ROWS = 500;
const FLUSH_MS = 500;
const STATES_KEPT = 20;
const RETENTION_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

export function toRecord(row: LearningRow): LearningRowRecord {
  return {
    request_id: row.requestId,
    model: row.model,
    created_at: row.createdAtMs,
    task_type: row.taskType,
    features: encodeFeatures(row.features),
    difficulty: row.difficulty,
    discrimination: row.discrimination,
    predicted: row.predicted,
    router_version: row.routerVersion,
    technique: row.technique,
    explored: row.explored,
    score: row.score,
    source: row.source,
    scored_at: row.scoredAtMs,
  };
}

/**
 * A stored row as a LearningRow. Its features are decoded on first read: a refit reads every scored row but
 * the learner has already converted all but the new ones (OnlineLearner's cache), so decoding them all
 * would be most of a refit's work.
 */
export function fromRecord(r: LearningRowRecord): LearningRow {
  let features: PromptFeatures | null = null;
  return {
    requestId: r.request_id,
    createdAtMs: r.created_at,
    model: r.model,
    taskType: r.task_type as TaskType,
    get features(): PromptFeatures {
      features ??= decodeFeatures(r.features);
      return features;
    },
    difficulty: r.difficulty,
    discrimination: r.discrimination,
    predicted: r.predicted,
    routerVersion: r.router_version,
    technique: r.technique,
    explored: r.explored,
    score: r.score,
    source: r.source,
    scoredAtMs: r.scored_at,
  };
}

/** The learning row a routed, answered request leaves (unscored until a quality signal lands). */
export function learningRowOf(decision: RouteDecision, requestId: string, modelUsed: string, technique: string | null, atMs: number): LearningRow | null {
  if (!decision.learning) return null;
  return {
    requestId,
    createdAtMs: atMs,
    model: modelUsed,
    taskType: decision.taskType,
    features: decision.learning.features,
    difficulty: decision.learning.terms.difficulty,
    discrimination: decision.learning.terms.discrimination,
    predicted: decision.candidates.find((c) => c.model === modelUsed)?.predictedQuality ?? 0,
    routerVersion: decision.routerVersion,
    technique,
    explored: decision.explored === true,
    score: null,
    source: null,
    scoredAtMs: null,
  };
}

/**
 * The online half of the learning loop, per gateway process: buffers decision-time learning rows into the
 * store, and in the background refits the learned state when the store holds `refit_every_outcomes` more
 * scored outcomes than the newest state (or `refit_every_minutes` passed with any new one). States are
 * numbered in the store: a replica that loses the race for a number adopts the winner's state, and every
 * replica polls for newer states, so all replicas serve the same one.
 */
export class LearningLoop {
  readonly counters: LearningCounters = { rowsWritten: 0, refits: 0, adopted: 0, lastRefitMs: 0, failures: 0 };
  private readonly learner: OnlineLearner;
  /**
   * Rows encoded as recorded: one compact string of features per row survives until the flush,
   * rather than the analysis' typed arrays (which young-generation GC would copy and promote).
   */
  private pending: LearningRowRecord[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private busy: Promise<void> = Promise.resolve();
  private lastRetentionMs = 0;
  private lastRefitAtMs = 0;
  private closed = false;

  constructor(private readonly deps: LearningLoopDeps) {
    const cfg = deps.config();
    this.learner = new OnlineLearner(
      deps.predictor,
      deps.catalog,
      { ...DEFAULT_FIT, priorStrength: cfg.prior_strength, residualL2: cfg.residual_l2 },
      { ...DEFAULT_ONLINE_RIDGE, l2: cfg.ridge_l2 },
    );
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  get predictor(): LearningPredictor {
    return this.deps.predictor;
  }

  /** Loads the newest stored state and starts the background poll. */
  async start(): Promise<void> {
    await this.adoptNewer();
    this.schedulePoll();
  }

  private schedulePoll(): void {
    if (this.closed) return;
    this.pollTimer = setTimeout(() => {
      void this.tick().finally(() => this.schedulePoll());
    }, this.deps.config().poll_seconds * 1000);
    this.pollTimer.unref();
  }

  /** Called on the request path: constant time, never throws, never waits. */
  record(row: LearningRow): void {
    if (this.closed || !this.deps.config().enabled) return;
    try {
      this.pending.push(toRecord(row));
      if (this.pending.length >= FLUSH_ROWS) void this.flush();
      else if (!this.flushTimer) {
        this.flushTimer = setTimeout(() => void this.flush(), FLUSH_MS);
        this.flushTimer.unref();
      }
    } catch (err) {
      this.counters.failures += 1;
      this.deps.logger?.warn({ err }, 'learning: could not record a row');
    }
  }

  /** Writes buffered rows; a signal that landed before its row was written is applied to it then. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = [];
    try {
      await this.deps.store.insertRows(rows);
      let earliestMs = Number.POSITIVE_INFINITY;
      for (const r of rows) if (r.created_at < earliestMs) earliestMs = r.created_at;
      await this.deps.store.applyEarlierSignals(
        rows.map((r) => r.request_id),
        earliestMs,
      );
      this.counters.rowsWritten += rows.length;
    } catch (err) {
      this.counters.failures += 1;
      this.deps.logger?.warn({ err, rows: rows.length }, 'learning: writing rows failed; they are dropped');
    }
  }

  /** One background step: adopt a newer state, refit when due, apply retention. Serialized. */
  tick(): Promise<void> {
    this.busy = this.busy.then(async () => {
      try {
        await this.flush();
        const cfg = this.deps.config();
        if (!cfg.enabled) return;
        // A router promoted by another replica's retrain (or the CLI) is served here too.
        if (((await this.deps.store.liveRouterModelVersion()) ?? this.deps.predictor.base.version) !== this.deps.predictor.base.version)
          await this.servePromoted();
        await this.adoptNewer();
        const state = this.deps.predictor.state;
        // Outcomes scored after the newest state's last one: counted in the store, so every replica agrees.
        const { outcomes: fresh } = await this.deps.store.countScored(state?.lastScoredAtMs ?? -1);
        const minutes = (this.now() - Math.max(this.lastRefitAtMs, state?.createdAtMs ?? 0)) / 60_000;
        const due = fresh >= cfg.refit_every_outcomes || (fresh > 0 && minutes >= cfg.refit_every_minutes);
        if (due) await this.refitNow();
        if (this.now() - this.lastRetentionMs >= RETENTION_EVERY_MS) {
          this.lastRetentionMs = this.now();
          await this.deps.store.deleteRowsBefore(this.now() - cfg.retention_days * DAY_MS);
        }
      } catch (err) {
        this.counters.failures += 1;
        this.deps.logger?.warn({ err }, 'learning: background step failed');
      }
    });
    return this.busy;
  }

  /** Adopts the store's newest state when it is newer than the one served. */
  async adoptNewer(): Promise<boolean> {
    const latest = await this.deps.store.latestState();
    const current = this.deps.predictor.state?.id ?? 0;
    if (!latest || latest.id <= current) return false;
    const parsed = LearnedState.safeParse(JSON.parse(latest.state));
    if (!parsed.success) return false;
    this.deps.predictor.setState(parsed.data);
    this.counters.adopted += 1;
    return true;
  }

  /**
   * Serves the router model promoted in the store (by a scheduled retrain or `aigw router train
   * --from-store`) when it is not the one served; abilities are then refit on it. Serialized with refits.
   */
  adoptPromoted(): Promise<boolean> {
    let adopted = false;
    this.busy = this.busy.then(async () => {
      adopted = await this.servePromoted();
    });
    return this.busy.then(() => adopted);
  }

  private async servePromoted(): Promise<boolean> {
    try {
      const live = await this.deps.store.liveRouterModel();
      if (!live || live.version === this.deps.predictor.base.version) return false;
      this.deps.predictor.setBase(predictorFromJson(live.file));
      // A replica that served it first already fitted a state on it: adopt that one, else fit one.
      await this.adoptNewer();
      if (this.deps.predictor.state === null) await this.refitNow();
      return true;
    } catch (err) {
      this.counters.failures += 1;
      this.deps.logger?.warn({ err }, 'learning: serving the promoted router model failed');
      return false;
    }
  }

  /** Fits a state from the stored outcomes now and publishes it (or adopts a rival replica's). */
  async refitNow(): Promise<LearnedState | null> {
    const cfg = this.deps.config();
    const started = performance.now();
    const records = await this.deps.store.scoredRows(this.now() - cfg.retention_days * DAY_MS, cfg.max_refit_rows);
    const latest = await this.deps.store.latestState();
    const id = Math.max(latest?.id ?? 0, this.deps.predictor.state?.id ?? 0) + 1;
    const state = await this.learner.refit(records.map(fromRecord), id, this.now());
    const skipped = this.learner.lastSkipped;
    if (skipped.rows > 0) this.deps.logger?.warn({ rows: skipped.rows, reason: skipped.reason }, 'learning: refit skipped rows it cannot decode');
    this.lastRefitAtMs = this.now();
    this.counters.lastRefitMs = performance.now() - started;
    const stored = await this.deps.store.insertState({
      id,
      base_version: state.baseVersion,
      created_at: state.createdAtMs,
      outcomes: state.outcomes,
      state: JSON.stringify(state),
    });
    if (!stored) {
      await this.adoptNewer();
      return this.deps.predictor.state;
    }
    this.counters.refits += 1;
    await this.deps.store.pruneStates(STATES_KEPT);
    return state;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    await this.busy;
    await this.flush();
  }
}
