import type { ModelConfig, TaskType } from '../../config/schema.ts';
import type { PromptAnalysis, PromptFeatures, PromptTrust, QualityPredictor } from '../types.ts';
import { abilityFromPrior, sigmoid, type TypicalPrompts } from './ability.ts';
import { featureCount, toSparseVector, type FeatureLayout, type SparseVector } from './feature-vector.ts';
import { coarseInputs, coarseLogit, type CoarseHead } from './coarse-logistic.ts';
import { decodeFloats, type PredictorFile } from './model-file.ts';
import { idfNorm } from './ridge-head.ts';
import { interleaveHeads, interleavedDots, type InterleavedHeads } from './interleaved-heads.ts';
import { ServingItem, type PromptItem } from './serving-item.ts';

export type { PromptItem } from './serving-item.ts';
import { textVectorOf } from './fit-ridge.ts';
import { familiesOf, imputeCoarseTaskWeights, sharedTaskShift } from './sparse-tasks.ts';
import { maxOf, noveltyOf, percentileOf } from './novelty.ts';

/** What the predictor needs to know about a catalog model. */
export type ModelQualityRef = Pick<ModelConfig, 'id'> & Partial<Pick<ModelConfig, 'upstream_model' | 'quality'>>;

/** A learned per-task ability is trusted over a catalog prior once it rests on this many rows. */
export const MIN_TASK_ROWS = 30;
const LOG_A_LIMIT = 3;
/**
 * A model's ridge heads get their full share β of a task type only with this many rows of it; with n rows
 * they get β·n/RIDGE_FULL_ROWS. A head fitted on ARC's ≈ 1,000 rows is mostly noise across 11 models, and
 * at a low cost weight the noisiest model wins the argmax (5-fold, two fold seeds: ARC area −0.0062 →
 * −0.0053 and −0.0068 → −0.0022, CMMLU pair +0.02/+0.05, MMLU unchanged: GPT-4 and Mixtral have 8k+).
 */
export const RIDGE_FULL_ROWS = 5000;
/**
 * Version of the serving rules above: bump it whenever the same model file would predict differently
 * (it is part of the router version in decision rows and learned states). 2 = per-model ridge share.
 */
export const SERVING_RULES = 2;
/** A linear probability can leave [0, 1]; a ridge prediction is clamped to [1%, 99%]. */
const RIDGE_FLOOR = 0.01;

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

interface KnownModel {
  thetaBase: number;
  theta: Map<string, number>;
  rows: Map<string, number>;
  /** Column of this model's residual head in `residualHeads` (−1: none) and its bias. */
  residualColumn: number;
  residualBias: number;
  plattScale: number;
  plattOffset: number;
  plattByTask: Map<string, { scale: number; offset: number }>;
  coarse: CoarseHead | null;
  /** Column of this model's ridge head in `ridgeHeads` (−1: none). */
  ridgeColumn: number;
  /** Column of this model's text ridge head in the interleaved text weights (−1: none). */
  textColumn: number;
  /** Correctness sources it was trained on (links it to a family of comparable models). */
  sources: readonly string[];
  /** Per task type, the shift its family shows (applied when the model lacks rows of that type). */
  taskShift: Map<string, number>;
}

/**
 * P(model m answers prompt x well), the formula docs/router.md gives (symbols as there):
 *
 *   b(x) = u·φ(x) + u0,  a(x) = exp(clip(v·φ_d(x) + v0, ±3))      shared difficulty and discrimination
 *   z_m(x) = a(x)·(θ_m,task − b(x)) + w_m·φ(x) + c_m               item-response backbone + residual head
 *   f_m(x) = s_m,task·z_m(x) + t_m,task                             Platt, per model and task type
 *   g_m(x) = γ_m·φ_d(x) + γ_m0                                       coarse head (kind of prompt only)
 *   p_irt  = σ(g_m + κ_task·(f_m − g_m))                             per-prompt deviation kept by κ (`keep`)
 *   r_m(x) = clip(σ(g_m) + ω_m·x̃ + ω'_m·x̃_t, 0.01, 0.99)          ridge heads on the TF-IDF n-grams
 *   P      = (1 − β_m,task)·p_irt + β_m,task·r_m                     β_m,task = β_task (`ridge.share`)·min(1, rows_m,task/RIDGE_FULL_ROWS)
 *
 * The backbone keeps models comparable and serves catalog models from priors (a model the file does
 * not know gets σ(a(x)·(θ_prior − b(x))), no residual, Platt or heads).
 */
export class IrtQualityPredictor implements QualityPredictor {
  readonly version: string;
  readonly layout: FeatureLayout;
  readonly typical: TypicalPrompts;
  /** Difficulty (column 0) and discrimination (column 1) weights side by side: one pass per prompt. */
  private readonly itemHeads: InterleavedHeads;
  private readonly difficultyBias: number;
  private readonly discriminationBias: number;
  /** Every known model's residual head, and its ridge head on the shared buckets (interleaved-heads.ts). */
  private readonly residualHeads: InterleavedHeads;
  private readonly ridgeHeads: InterleavedHeads;
  private readonly models = new Map<string, KnownModel>();
  private readonly quantiles: readonly number[];
  private readonly defaultAbility: number;
  private readonly priorCache = new Map<number, number>();
  /** Per task type, how far the models with data sit from their own level (applied to those without). */
  private readonly taskShift = new Map<string, number>();
  private readonly keepDefault: number;
  private readonly keepByTask: Map<string, number>;
  private readonly ridgeIdf: Float32Array | null;
  private readonly textIdf: Float32Array | null;
  private readonly textBuckets: number;
  /**
   * The text ridge heads interleaved bucket-major ([bucket · columns + column]): one prompt's few hundred
   * buckets then touch one cache line for all models instead of one per model in 256 KB arrays each
   * (measured ≈ 30 µs → a few µs per decision on the bench's 100-token prompts).
   */
  private readonly textWeights: Float32Array | null;
  private readonly textColumns: number;
  private readonly ridgeShareDefault: number;
  private readonly ridgeShareByTask: Map<string, number>;
  private readonly novelty: { idf: Float32Array; idfMax: number; buckets: number; space: 'text' | 'shared'; quantiles: number[]; trustFull: number } | null;
  private lastItem: { features: PromptFeatures; taskType: TaskType; item: PromptItem } | null = null;

  constructor(file: PredictorFile, version: string) {
    this.version = version;
    this.layout = {
      buckets: file.featureSpec.hashing.buckets,
      dense: file.featureSpec.dense,
      taskTypes: file.featureSpec.taskTypes,
      mean: file.standardization.mean,
      std: file.standardization.std,
    };
    const n = featureCount(this.layout);
    const coarseWidth = this.layout.dense.length + this.layout.taskTypes.length;
    this.keepDefault = file.keep?.default ?? 1;
    this.keepByTask = new Map(Object.entries(file.keep?.byTask ?? {}));
    this.ridgeIdf = file.ridge ? decodeFloats(file.ridge.idf, this.layout.buckets) : null;
    this.textBuckets = file.featureSpec.hashing.text?.buckets ?? 0;
    this.textIdf = file.ridge?.textIdf && this.textBuckets > 0 ? decodeFloats(file.ridge.textIdf, this.textBuckets) : null;
    this.ridgeShareDefault = file.ridge?.share.default ?? 0;
    this.ridgeShareByTask = new Map(Object.entries(file.ridge?.share.byTask ?? {}));
    // Column 2: the ridge idf (0 past the buckets), so the ridge heads' scale comes from the same pass.
    const idfColumn = new Float32Array(n);
    if (this.ridgeIdf) idfColumn.set(this.ridgeIdf);
    this.itemHeads = interleaveHeads([decodeFloats(file.difficulty.weights, n), decodeFloats(file.discrimination.weights, n), idfColumn], n);
    this.difficultyBias = file.difficulty.bias;
    this.discriminationBias = file.discrimination.bias;
    const residuals: Float32Array[] = [];
    const ridges: Float32Array[] = [];
    const textEntries = this.textIdf ? Object.entries(file.models).filter(([, m]) => m.ridgeText) : [];
    this.textColumns = textEntries.length;
    this.textWeights = textEntries.length > 0 ? new Float32Array(this.textBuckets * textEntries.length) : null;
    const textColumn = new Map<string, number>();
    textEntries.forEach(([id, m], c) => {
      const w = decodeFloats(m.ridgeText!, this.textBuckets);
      for (let j = 0; j < w.length; j++) this.textWeights![j * textEntries.length + c] = w[j]!;
      textColumn.set(id, c);
    });
    let baseSum = 0;
    for (const [id, m] of Object.entries(file.models)) {
      if (m.residual) residuals.push(decodeFloats(m.residual.weights, n));
      if (m.ridge && this.ridgeIdf) ridges.push(decodeFloats(m.ridge, this.layout.buckets));
      this.models.set(id, {
        thetaBase: m.thetaBase,
        theta: new Map(Object.entries(m.theta)),
        rows: new Map(Object.entries(m.rows)),
        residualColumn: m.residual ? residuals.length - 1 : -1,
        residualBias: m.residual?.bias ?? 0,
        plattScale: m.platt.scale,
        plattOffset: m.platt.offset,
        plattByTask: new Map(Object.entries(m.platt.byTask ?? {})),
        coarse: m.coarse ? { bias: m.coarse.bias, weights: Float64Array.from(decodeFloats(m.coarse.weights, coarseWidth)) } : null,
        ridgeColumn: m.ridge && this.ridgeIdf ? ridges.length - 1 : -1,
        textColumn: textColumn.get(id) ?? -1,
        sources: m.sources ?? [],
        taskShift: new Map(),
      });
      baseSum += m.thetaBase;
    }
    this.residualHeads = interleaveHeads(residuals, n);
    this.ridgeHeads = interleaveHeads(ridges, this.layout.buckets);
    this.defaultAbility = this.models.size > 0 ? baseSum / this.models.size : 0;
    this.shareSparseTaskEffects();
    this.typical = file.typicalPrompts;
    const noveltyIdf = file.novelty?.space === 'text' ? this.textIdf : this.ridgeIdf;
    this.novelty =
      file.novelty && noveltyIdf
        ? {
            idf: noveltyIdf,
            idfMax: maxOf(noveltyIdf),
            buckets: file.novelty.space === 'text' ? this.textBuckets : this.layout.buckets,
            space: file.novelty.space,
            quantiles: file.novelty.quantiles,
            trustFull: file.novelty.trustFull,
          }
        : null;
    this.quantiles = file.difficultyQuantiles;
  }

  /**
   * See sparse-tasks.ts: a task type few rows of a model teach takes the shift the other models of its
   * family show (models linked by shared training sources: only their levels are on one scale); the
   * shift over all models serves models the file does not know.
   */
  private shareSparseTaskEffects(): void {
    const known = [...this.models.values()];
    this.setTaskShifts(known, (task, shift) => this.taskShift.set(task, shift));
    for (const family of familiesOf(known)) {
      this.setTaskShifts(family, (task, shift) => family.forEach((m) => m.taskShift.set(task, shift)));
      const heads = family.flatMap((m) =>
        m.coarse ? [{ weights: m.coarse.weights, offset: this.layout.dense.length, rows: this.layout.taskTypes.map((t) => m.rows.get(t) ?? 0) }] : [],
      );
      imputeCoarseTaskWeights(heads, this.layout.taskTypes.length, MIN_TASK_ROWS);
    }
  }

  private setTaskShifts(models: readonly KnownModel[], set: (task: string, shift: number) => void): void {
    for (const task of this.layout.taskTypes) {
      const shift = sharedTaskShift(
        models.map((m) => ({ rows: m.rows.get(task) ?? 0, value: m.theta.get(task) ?? m.thetaBase, level: m.thetaBase })),
        MIN_TASK_ROWS,
      );
      if (shift !== undefined) set(task, shift);
    }
  }

  knownModels(): string[] {
    return [...this.models.keys()];
  }

  item(features: PromptFeatures, taskType: TaskType): PromptItem {
    // The router asks twice per decision (difficulty percentile, then predict) for the same features.
    const last = this.lastItem;
    if (last && last.features === features && last.taskType === taskType) return last.item;
    const x = toSparseVector(features, taskType, this.layout);
    // One pass for b(x), a(x) and the ridge heads' ‖idf ∘ x_hashed‖: the same sums, term for term, as
    // dot(difficulty), dot(discrimination) and idfNorm on their own arrays.
    const weights = this.itemHeads.weights;
    const buckets = this.layout.buckets;
    let b = 0;
    let a = 0;
    let sq = 0;
    for (let i = 0; i < x.idx.length; i++) {
      const j = x.idx[i]!;
      const v = x.val[i]!;
      const row = j * 3;
      b += weights[row]! * v;
      a += weights[row + 1]! * v;
      if (j < buckets) {
        const t = weights[row + 2]! * v;
        sq += t * t;
      }
    }
    const difficulty = b + this.difficultyBias;
    const logA = Math.max(-LOG_A_LIMIT, Math.min(LOG_A_LIMIT, a + this.discriminationBias));
    const coarse = coarseInputs(x, this.layout, new Float64Array(this.layout.dense.length + this.layout.taskTypes.length));
    const ridged = this.ridgeShare(taskType) > 0;
    const ridgeScale = this.ridgeIdf && ridged && sq > 0 ? 1 / Math.sqrt(sq) : 0;
    const item = new ServingItem(
      x,
      coarse,
      ridgeScale,
      difficulty,
      Math.exp(logA),
      this.trustOf(features, x),
      ridged ? textVectorOf(features) : null,
      this.textDeviationsOf,
    );
    this.lastItem = { features, taskType, item };
    return item;
  }

  predict(analysis: PromptAnalysis, models: readonly ModelQualityRef[]): number[] {
    const item = this.item(analysis.features, analysis.taskType);
    return models.map((m) => this.probability(item, analysis.taskType, m));
  }

  /** Trust in the per-prompt part of this prompt's predictions (1 when the file has no novelty quantiles). */
  trust(analysis: PromptAnalysis): PromptTrust {
    const trust = this.item(analysis.features, analysis.taskType).trust;
    return { trust, unfamiliar: trust < (this.novelty?.trustFull ?? 0) };
  }

  private trustOf(features: PromptFeatures, x: SparseVector): number {
    const n = this.novelty;
    if (!n) return 1;
    const u = noveltyOf(n.space === 'text' ? textVectorOf(features) : x, n.idf, n.idfMax, n.buckets);
    return 1 - percentileOf(u, n.quantiles);
  }

  /**
   * P for one model. A prompt less familiar than the trust threshold τ keeps only trust/τ of its
   * per-prompt deviation from the model's task level σ(γ_m0 + γ_m,task) (the coarse head at a typical
   * prompt of the task type: what the zero router knows), so unfamiliar prompts are routed on task-level
   * quality instead of per-prompt noise.
   */
  probability(item: PromptItem, taskType: TaskType, model: ModelQualityRef): number {
    const p = this.promptProbability(item, taskType, model);
    const tau = this.novelty?.trustFull ?? 0;
    if (item.trust >= tau) return p;
    const known = this.knownModel(model);
    if (!known?.coarse) return p;
    const level = sigmoid(this.taskLevelLogit(known.coarse, taskType));
    return level + (item.trust / tau) * (p - level);
  }

  private taskLevelLogit(head: CoarseHead, taskType: TaskType): number {
    const t = this.layout.taskTypes.indexOf(taskType);
    return head.bias + (t < 0 ? 0 : head.weights[this.layout.dense.length + t]!);
  }

  private promptProbability(item: PromptItem, taskType: TaskType, model: ModelQualityRef): number {
    const known = this.knownModel(model);
    const base = known?.coarse ? coarseLogit(known.coarse, item.coarse) : 0;
    const p = this.irtProbability(item, taskType, model, known, base);
    if (!known || known.ridgeColumn < 0 || !known.coarse) return p;
    const beta = this.ridgeShare(taskType) * Math.min(1, (known.rows.get(taskType) ?? 0) / RIDGE_FULL_ROWS);
    if (beta === 0) return p;
    const level = sigmoid(base);
    // w_m · x̃ (ridge-head.ts ridgeDeviation), from every model's product at once.
    const scale = item.ridgeScale;
    let deviation = scale === 0 ? 0 : this.ridgeDots(item)[known.ridgeColumn]! * scale;
    if (known.textColumn >= 0 && item.textDeviation) deviation += item.textDeviation[known.textColumn]!;
    const ridge = clamp(level + deviation, RIDGE_FLOOR, 1 - RIDGE_FLOOR);
    return (1 - beta) * p + beta * ridge;
  }

  private knownModel(model: ModelQualityRef): KnownModel | undefined {
    return this.models.get(model.id) ?? (model.upstream_model ? this.models.get(model.upstream_model) : undefined);
  }

  /** w_m · φ(x) of every residual head, computed once per item (a catalog of unknown models never needs it). */
  private residualDots(item: PromptItem): Float64Array {
    if (item instanceof ServingItem) return (item.residualDots ??= interleavedDots(this.residualHeads, item.x, new Float64Array(this.residualHeads.width)));
    return interleavedDots(this.residualHeads, item.x, new Float64Array(this.residualHeads.width));
  }

  /** Σ_j w_m,j · x_j over the shared buckets for every ridge head (times ridgeScale: w_m · x̃). */
  private ridgeDots(item: PromptItem): Float64Array {
    if (item instanceof ServingItem) return (item.ridgeDots ??= interleavedDots(this.ridgeHeads, item.x, new Float64Array(this.ridgeHeads.width)));
    return interleavedDots(this.ridgeHeads, item.x, new Float64Array(this.ridgeHeads.width));
  }

  private readonly textDeviationsOf = (text: SparseVector): Float64Array | null => this.textDeviations(text);

  /** w'_m · x̃_t for every model with a text head, in one pass over the prompt's text buckets. */
  private textDeviations(text: SparseVector): Float64Array | null {
    const w = this.textWeights;
    if (!w || !this.textIdf) return null;
    const columns = this.textColumns;
    const out = new Float64Array(columns);
    const scale = idfNorm(text, this.textIdf, this.textBuckets);
    if (scale === 0) return out;
    for (let i = 0; i < text.idx.length; i++) {
      const j = text.idx[i]!;
      if (j >= this.textBuckets) continue;
      const v = text.val[i]! * scale;
      const row = j * columns;
      for (let c = 0; c < columns; c++) out[c]! += w[row + c]! * v;
    }
    return out;
  }

  /** β: the share of the ridge heads' probability in the final one for this task type. */
  private ridgeShare(taskType: TaskType): number {
    return this.ridgeShareByTask.get(taskType) ?? this.ridgeShareDefault;
  }

  private irtProbability(item: PromptItem, taskType: TaskType, model: ModelQualityRef, known: KnownModel | undefined, base: number): number {
    const theta = this.resolveAbility(known, taskType, model);
    let z = item.discrimination * (theta - item.difficulty);
    if (!known) return sigmoid(z);
    if (known.residualColumn >= 0) z += this.residualDots(item)[known.residualColumn]! + known.residualBias;
    const byTask = known.plattByTask.get(taskType);
    const full = byTask ? byTask.scale * z + byTask.offset : known.plattScale * z + known.plattOffset;
    if (!known.coarse) return sigmoid(full);
    const keep = this.keepByTask.get(taskType) ?? this.keepDefault;
    return sigmoid(base + keep * (full - base));
  }

  /**
   * θ for a model and task: learned when the data is there, else the catalog prior, else the model's
   * base plus the task type's shared shift.
   */
  ability(model: ModelQualityRef, taskType: TaskType): number {
    return this.resolveAbility(this.knownModel(model), taskType, model);
  }

  private resolveAbility(known: KnownModel | undefined, taskType: TaskType, model: ModelQualityRef): number {
    if (known && (known.rows.get(taskType) ?? 0) >= MIN_TASK_ROWS) return known.theta.get(taskType) ?? known.thetaBase;
    const prior = model.quality?.[taskType] ?? model.quality?.default;
    if (prior !== undefined) return this.priorAbility(prior);
    if (known) return known.thetaBase + (known.taskShift.get(taskType) ?? 0);
    return this.defaultAbility + (this.taskShift.get(taskType) ?? 0);
  }

  priorAbility(prior: number): number {
    let theta = this.priorCache.get(prior);
    if (theta === undefined) {
      theta = abilityFromPrior(prior, this.typical);
      this.priorCache.set(prior, theta);
    }
    return theta;
  }

  /** Learned difficulty as the share of training prompts that were easier (0–1). */
  difficultyPercentile(features: PromptFeatures, taskType: TaskType): number {
    const b = this.item(features, taskType).difficulty;
    const q = this.quantiles;
    if (b <= q[0]!) return 0;
    if (b >= q[q.length - 1]!) return 1;
    let lo = 0;
    let hi = q.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (q[mid]! <= b) lo = mid;
      else hi = mid;
    }
    const span = q[hi]! - q[lo]!;
    return (lo + (span > 0 ? (b - q[lo]!) / span : 0)) / (q.length - 1);
  }
}
