import type { TaskType } from '../../config/schema.ts';
import { sigmoid } from '../predictor/ability.ts';
import { dot, featureCount } from '../predictor/feature-vector.ts';
import type { IrtQualityPredictor, ModelQualityRef, PromptItem } from '../predictor/irt-predictor.ts';
import type { PromptAnalysis, PromptFeatures, PromptTerms, QualityPredictor } from '../types.ts';
import { logit } from './fit-state.ts';
import type { LearnedState } from './learned-state.ts';
import { servingRidge, withRidge, type ServingRidge } from './online-ridge.ts';

interface ServingModel {
  tasks: Map<string, { shift: number; sd: number }>;
  residual: { bias: number; weights: Float32Array } | null;
}

/** A standard normal draw (Box–Muller) from a uniform source. */
function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * The live predictor plus the learned state: P = clip(σ(logit P_live + a(x)·Δθ_m,task + r_m(x)) + ω_m·x̃).
 * Models the state does not know, or task types without outcomes, predict exactly as the live predictor does.
 */
export class LearningPredictor implements QualityPredictor {
  private current: { version: string; state: LearnedState | null; models: Map<string, ServingModel>; ridge: ServingRidge | null };
  private baseModel: IrtQualityPredictor;

  constructor(
    base: IrtQualityPredictor,
    state: LearnedState | null = null,
    /** Prior sd of an ability nobody has observed yet (1/√(priorStrength/4)): what exploration samples. */
    private readonly priorSd = 1 / Math.sqrt(5),
  ) {
    this.baseModel = base;
    this.current = { version: base.version, state: null, models: new Map(), ridge: null };
    this.setState(state);
  }

  /** The live predictor the learned state refines. */
  get base(): IrtQualityPredictor {
    return this.baseModel;
  }

  /** Serves a newly promoted base predictor; the learned state (fitted on the old one) is dropped until the next refit. */
  setBase(base: IrtQualityPredictor): void {
    this.baseModel = base;
    this.setState(null);
  }

  get version(): string {
    return this.current.version;
  }

  get state(): LearnedState | null {
    return this.current.state;
  }

  /**
   * Swaps in a new learned state (a state fitted on another base predictor is ignored). One assignment,
   * so a decision in progress reads either the old or the new state, never a mix.
   */
  setState(state: LearnedState | null): void {
    const usable = state && state.baseVersion === this.base.version ? state : null;
    const version = usable && usable.id > 0 ? `${this.base.version}+ls${usable.id}` : this.base.version;
    this.current = {
      version,
      state: usable,
      models: usable ? servingModels(usable, featureCount(this.base.layout)) : new Map<string, ServingModel>(),
      ridge: usable ? servingRidge(usable) : null,
    };
  }

  knownModels(): string[] {
    return [...new Set([...this.base.knownModels(), ...this.current.models.keys()])];
  }

  predict(analysis: PromptAnalysis, models: readonly ModelQualityRef[]): number[] {
    const item = this.base.item(analysis.features, analysis.taskType);
    return models.map((m) => this.probability(item, analysis.taskType, m, null));
  }

  /** Thompson sampling: each model's ability drawn from its posterior instead of taken at its mean. */
  sample(analysis: PromptAnalysis, models: readonly ModelQualityRef[], random: () => number): number[] {
    const item = this.base.item(analysis.features, analysis.taskType);
    return models.map((m) => this.probability(item, analysis.taskType, m, random));
  }

  promptTerms(analysis: PromptAnalysis): PromptTerms {
    const item = this.base.item(analysis.features, analysis.taskType);
    return { difficulty: item.difficulty, discrimination: item.discrimination };
  }

  difficultyPercentile(features: PromptFeatures, taskType: TaskType): number {
    return this.base.difficultyPercentile(features, taskType);
  }

  /** The live predictor's logit, before any learned term: what the fitter measures shifts from. */
  baseLogit(item: PromptItem, taskType: TaskType, model: ModelQualityRef): number {
    return logit(this.base.probability(item, taskType, model));
  }

  probability(item: PromptItem, taskType: TaskType, model: ModelQualityRef, random: (() => number) | null): number {
    const p = this.base.probability(item, taskType, model);
    const { models, ridge } = this.current;
    const learned = models.get(model.id);
    const q = this.abilityProbability(p, item, learned, taskType, random);
    // The online ridge head adds the prompt's own deviation (online-ridge.ts); sampling leaves it at its mean.
    return ridge ? withRidge(q, ridge, model.id, item.x) : q;
  }

  private abilityProbability(p: number, item: PromptItem, learned: ServingModel | undefined, taskType: TaskType, random: (() => number) | null): number {
    // Without outcomes the posterior is the prior: exploration still samples it (sd of priorStrength outcomes).
    const task = learned?.tasks.get(taskType);
    const sd = task?.sd ?? (random ? this.priorSd : 0);
    let shift = task?.shift ?? 0;
    if (random && sd > 0) shift += sd * normal(random);
    if (!learned?.residual && shift === 0) return p;
    const r = learned?.residual ? dot(learned.residual.weights, item.x) + learned.residual.bias : 0;
    return sigmoid(logit(p) + item.discrimination * shift + r);
  }
}

function servingModels(state: LearnedState, n: number): Map<string, ServingModel> {
  const out = new Map<string, ServingModel>();
  for (const [id, m] of Object.entries(state.models)) {
    const tasks = new Map(Object.entries(m.tasks).map(([t, v]) => [t, { shift: v.shift, sd: 1 / Math.sqrt(v.precision) }]));
    let residual: ServingModel['residual'] = null;
    if (m.residual) {
      const weights = new Float32Array(n);
      m.residual.idx.forEach((j, k) => {
        if (j < n) weights[j] = m.residual!.val[k]!;
      });
      residual = { bias: m.residual.bias, weights };
    }
    out.set(id, { tasks, residual });
  }
  return out;
}
