import type { GatewayConfig, TaskType } from '../../src/config/schema.ts';
import type { CandidateScore } from '../../src/store/types.ts';

/**
 * A stand-in for the router's decision over the config catalog, cheap enough to run a million
 * times: predicted quality from the catalog's priors and the complexity, eligibility against the
 * quality floor, then the goal's choice. Shapes (candidate JSON, rule names) follow what the
 * gateway logs, so the analyses read the rows as they read real traffic.
 */
export interface CatalogModel {
  id: string;
  tier: string;
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
  ttftMs: number;
  outputTokensPerS: number;
  quality: Partial<Record<TaskType | 'default', number>>;
}

export type RoutingGoal = 'cost' | 'speed' | 'quality' | 'balanced';

export interface RoutingInput {
  taskType: TaskType;
  complexity: number;
  goal: RoutingGoal;
  minQuality: number;
  inputTokens: number;
  expectedOutputTokens: number;
  /** A rule that forces a preferred model (already decided by the caller), or none. */
  preferModel?: string;
}

export interface RoutingChoice {
  chosenModel: string;
  candidates: CandidateScore[];
}

export function catalogModels(config: Pick<GatewayConfig, 'models'>): CatalogModel[] {
  return config.models.map((m) => ({
    id: m.id,
    tier: m.tier,
    inputUsdPerMTok: m.pricing.input,
    outputUsdPerMTok: m.pricing.output,
    ttftMs: m.latency.ttft_ms,
    outputTokensPerS: m.latency.output_tokens_per_s,
    quality: m.quality,
  }));
}

export function priorQuality(model: CatalogModel, taskType: TaskType): number {
  return model.quality[taskType] ?? model.quality.default ?? 0.7;
}

/** Harder prompts pull a model's quality down in proportion to how far it is from perfect. */
export function predictedQuality(model: CatalogModel, taskType: TaskType, complexity: number): number {
  const prior = priorQuality(model, taskType);
  return Math.min(1, Math.max(0, prior - (complexity - 0.4) * 0.6 * (1 - prior)));
}

export function costUsdOf(model: CatalogModel, inputTokens: number, outputTokens: number): number {
  return (inputTokens * model.inputUsdPerMTok + outputTokens * model.outputUsdPerMTok) / 1_000_000;
}

export function latencyMsOf(model: CatalogModel, outputTokens: number): number {
  return model.ttftMs + (outputTokens / model.outputTokensPerS) * 1000;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function goalScore(goal: RoutingGoal, quality: number, costUsd: number, latencyMs: number): number {
  if (goal === 'quality') return quality;
  if (goal === 'cost') return 1 - Math.min(1, costUsd * 100);
  if (goal === 'speed') return 1 - Math.min(1, latencyMs / 30_000);
  return quality - 0.08 * Math.log10(1 + costUsd * 10_000);
}

/** Candidates ranked best first (eligible before ineligible), and the chosen model. */
export function routeRequest(models: readonly CatalogModel[], input: RoutingInput): RoutingChoice {
  const scored = models.map((m): CandidateScore => {
    const quality = round(predictedQuality(m, input.taskType, input.complexity), 3);
    const estCostUsd = costUsdOf(m, input.inputTokens, input.expectedOutputTokens);
    const estLatencyMs = round(latencyMsOf(m, input.expectedOutputTokens), 1);
    const eligible = quality >= input.minQuality;
    const score = round(goalScore(input.goal, quality, estCostUsd, estLatencyMs), 4);
    const base = { model: m.id, predictedQuality: quality, estCostUsd: round(estCostUsd, 8), estLatencyMs, score, eligible };
    return eligible ? base : { ...base, reason: `predicted quality ${quality.toFixed(2)} < required ${input.minQuality.toFixed(2)}` };
  });
  scored.sort((a, b) => Number(b.eligible) - Number(a.eligible) || b.score - a.score || a.model.localeCompare(b.model));
  const preferred = input.preferModel === undefined ? undefined : scored.find((c) => c.model === input.preferModel);
  const chosen = preferred ?? scored.find((c) => c.eligible) ?? [...scored].sort((a, b) => b.predictedQuality - a.predictedQuality)[0];
  if (chosen === undefined) throw new Error('the catalog has no models');
  return { chosenModel: chosen.model, candidates: scored };
}
