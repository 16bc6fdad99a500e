import type { TaskType, Tier } from '../../config/enums.ts';
import type { OptimizerConfig } from '../../config/optimizer-schema.ts';
import type { ChatRequest } from '../../providers/chat-schema.ts';
import type { TechniqueBounds } from '../../optimizer/types.ts';
import type { CandidateEstimate } from './estimate-candidate.ts';
import { liftedQuality, VOTING_TECHNIQUES, voteModel, type VoteModel } from './technique-lift.ts';

/** What a technique's own bounds say for a request (src/optimizer/run-technique.ts). */
export type TechniqueBoundsOf = (spec: string, request: ChatRequest, options: Readonly<Record<string, number>>) => TechniqueBounds;

/** A task type's technique plan, checked and prepared once when the router is built. */
export interface CompiledTechniquePlan {
  spec: string;
  options: Record<string, number>;
  label: string;
  tiers: ReadonlySet<Tier>;
  onlyWhenBelowTarget: boolean;
  vote: VoteModel;
  /** Bounds for a per-call max_tokens. */
  boundsFor(maxTokensPerCall: number): TechniqueBounds;
}

export function techniqueLabel(spec: string, options: Readonly<Record<string, number>>): string {
  const knobs = Object.entries(options).map(([k, v]) => `${k}=${v}`);
  return knobs.length === 0 ? spec : `${spec}(${knobs.join(',')})`;
}

/** `sim-mini` or `sim-mini+self_consistency(k=5)`: the id a candidate is logged and compared under. */
export function candidateId(c: Pick<CandidateEstimate, 'model' | 'technique'>): string {
  return c.technique ? `${c.model.id}+${c.technique.label}` : c.model.id;
}

/**
 * The plans the router can rank: techniques with a quality model (technique-lift.ts), within the cap on
 * upstream requests. Others stay available to callers by name but are never proposed by the router.
 */
export function compileTechniquePlans(optimizer: OptimizerConfig, boundsOf: TechniqueBoundsOf): Map<TaskType, CompiledTechniquePlan> {
  const plans = new Map<TaskType, CompiledTechniquePlan>();
  for (const [taskType, plan] of Object.entries(optimizer.task_types) as Array<[TaskType, OptimizerConfig['task_types'][TaskType]]>) {
    if (!plan) continue;
    const voting = VOTING_TECHNIQUES[plan.technique];
    if (!voting) continue;
    const options = { ...plan.options };
    const boundsFor = (maxTokensPerCall: number) =>
      boundsOf(plan.technique, { model: 'router', messages: [{ role: 'user', content: '' }], max_tokens: maxTokensPerCall }, options);
    let upstreamRequests: number;
    try {
      upstreamRequests = boundsFor(1).maxUpstreamRequests;
    } catch (err) {
      // An unknown technique or a bad option is a config error: refuse the config, naming where it is.
      throw new Error(`optimizer.task_types.${taskType}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (upstreamRequests > optimizer.max_upstream_requests) continue;
    // Each sample is one upstream request (emulated n counts as n), so the bounds give k when the plan leaves it to the default.
    const samples = options[voting.samplesOption] ?? upstreamRequests;
    plans.set(taskType, {
      spec: plan.technique,
      options,
      label: techniqueLabel(plan.technique, options),
      tiers: new Set(plan.tiers),
      onlyWhenBelowTarget: plan.only_when_below_target,
      vote: voteModel(samples),
      boundsFor,
    });
  }
  return plans;
}

/**
 * "Model + technique" candidates for the models on the plan's tiers. Quality: the plain prediction
 * lifted by the vote model. Cost: the technique's bounds with the expected answer length as each call's
 * max_tokens — every upstream request pays the prompt again (no credit for a native `n`), every sample
 * pays its answer. Latency: the samples run side by side, so about one plain call.
 */
export function techniqueCandidates(
  plan: CompiledTechniquePlan,
  plain: readonly CandidateEstimate[],
  minQuality: number,
  promptTokens: number,
): CandidateEstimate[] {
  const out: CandidateEstimate[] = [];
  for (const c of plain) {
    if (!plan.tiers.has(c.model.tier)) continue;
    if (plan.onlyWhenBelowTarget && c.predictedQuality >= minQuality) continue;
    const lifted = liftedQuality(plan.vote, c.predictedQuality);
    if (lifted <= c.predictedQuality) continue;
    const bounds = plan.boundsFor(c.outputTokens);
    const pricing = c.model.pricing;
    const estCostUsd = (bounds.maxUpstreamRequests * promptTokens * pricing.input + bounds.maxCompletionTokens * pricing.output) / 1e6;
    out.push({
      model: c.model,
      predictedQuality: lifted,
      estCostUsd,
      estLatencyMs: c.estLatencyMs,
      outputTokens: c.outputTokens,
      errorRate: c.errorRate,
      breakerOpen: c.breakerOpen,
      technique: {
        spec: plan.spec,
        options: plan.options,
        label: plan.label,
        plainQuality: c.predictedQuality,
        plainCostUsd: c.estCostUsd,
        upstreamRequests: bounds.maxUpstreamRequests,
      },
    });
  }
  return out;
}
