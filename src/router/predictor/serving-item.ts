import type { SparseVector } from './feature-vector.ts';

/** Difficulty b(x) and discrimination a(x) of one prompt. */
export interface PromptItem {
  x: SparseVector;
  /** Dense + task inputs of the coarse heads (φ_d). */
  coarse: Float64Array;
  /** 1/‖idf ∘ x_hashed‖ for the ridge heads (0 without them). */
  ridgeScale: number;
  /** Every known model's text ridge deviation w'_m·x̃_t, by text column (null when not needed). */
  textDeviation: Float64Array | null;
  difficulty: number;
  discrimination: number;
  /** Trust in the per-prompt part, 0–1: the share of training prompts more novel than this one. */
  trust: number;
}

/**
 * A PromptItem whose costlier per-model parts wait for the first model that needs them: the text heads'
 * deviations and the residual and ridge heads' products (a catalog of models the file does not know
 * never does).
 */
export class ServingItem implements PromptItem {
  residualDots: Float64Array | null = null;
  ridgeDots: Float64Array | null = null;
  private textDeviationValue: Float64Array | null | undefined = undefined;

  constructor(
    readonly x: SparseVector,
    readonly coarse: Float64Array,
    readonly ridgeScale: number,
    readonly difficulty: number,
    readonly discrimination: number,
    readonly trust: number,
    /** The text vector when the task type gives the ridge heads a share, else null (no text deviation). */
    private readonly text: SparseVector | null,
    private readonly deviations: (text: SparseVector) => Float64Array | null,
  ) {}

  get textDeviation(): Float64Array | null {
    if (this.textDeviationValue === undefined) this.textDeviationValue = this.text ? this.deviations(this.text) : null;
    return this.textDeviationValue;
  }
}
