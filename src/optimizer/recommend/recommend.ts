import type { TaskType } from '../../config/enums.ts';
import type { ModelConfig } from '../../config/schema.ts';
import type { ChatRequest } from '../../providers/chat-schema.ts';
import { techniqueLabel } from '../../router/policy/technique-candidates.ts';
import type { CandidateScore } from '../../store/types.ts';
import type { ModelRecommendation, ParameterRecommendation, Recommendations, TechniqueRecommendation } from './recommendation-types.ts';
import { recommendSampling } from './sampling-table.ts';
import { sizeMaxTokens, type LengthStats, type MaxTokensSizingConfig } from './size-max-tokens.ts';

/** The router's decision as the recommender reads it (from `router.decide` or as a caller passed it). */
export interface RoutingView {
  chosenModel: string;
  technique?: { spec: string; options: Record<string, number> } | undefined;
  minQuality: number;
  /** Ids are model ids, or `model+technique(label)` for technique candidates. */
  candidates: readonly CandidateScore[];
  routerVersion: string;
}

export interface RecommendInput {
  request: ChatRequest;
  taskType: TaskType;
  /** The catalog model the request names; undefined for a routing model (`auto`, …). */
  requestedModel: ModelConfig | undefined;
  routing: RoutingView | undefined;
  lengths: (taskType: TaskType, model?: string) => LengthStats | undefined;
  sizing: MaxTokensSizingConfig;
  modelById: (id: string) => ModelConfig | undefined;
}

const round = (x: number, digits = 9) => Number(x.toFixed(digits));

/** Recommended parameters, technique and model for one request, each with its expected effect and evidence. */
export function recommend(input: RecommendInput): Recommendations {
  const { request, taskType, routing } = input;
  const targetId = input.requestedModel?.id ?? routing?.chosenModel;
  const target = targetId === undefined ? undefined : input.modelById(targetId);
  const notRecommended: Recommendations['not_recommended'] = [];

  const modelChange = input.requestedModel && routing ? recommendModel(input.requestedModel.id, routing) : null;
  if (input.requestedModel && !routing) notRecommended.push({ what: 'model', reason: 'no routing model is configured to compare with' });
  else if (input.requestedModel && modelChange === null)
    notRecommended.push({ what: 'model', reason: describeNoModelChange(input.requestedModel.id, routing) });

  // A technique applies to the model the request will run on: the router's, unless the caller named one it would not change.
  const runsRoutersModel = !input.requestedModel || modelChange !== null || routing?.chosenModel === input.requestedModel.id;
  const technique = routing && runsRoutersModel ? recommendTechnique(routing) : null;
  if (!technique) notRecommended.push({ what: 'technique', reason: describeNoTechnique(routing) });

  const parameters: ParameterRecommendation[] = [];
  if (technique) {
    notRecommended.push({
      what: 'temperature, top_p',
      reason: `${technique.technique} samples with its own settings; a low temperature would make its samples agree by default`,
    });
  } else {
    parameters.push(...recommendSampling(taskType, request));
  }
  const requestedMaxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  // Sized for the model the request goes to as sent; a recommended model change is a separate choice.
  const stats = pickLengthStats(input, targetId);
  const sized = sizeMaxTokens({
    stats,
    taskType,
    sizing: input.sizing,
    requestedMaxTokens,
    model: target ? { id: target.id, maxOutputTokens: target.max_output_tokens, outputUsdPerMTok: target.pricing.output } : undefined,
  });
  if (sized.ok) parameters.push(sized.recommendation);
  else notRecommended.push({ what: 'max_tokens', reason: sized.reason });

  return { task_type: taskType, model: targetId ?? null, parameters, technique, model_change: modelChange, not_recommended: notRecommended };
}

/** One model's own lengths when there are enough of them; else the task type's across models. */
function pickLengthStats(input: RecommendInput, modelId: string | undefined): LengthStats | undefined {
  const own = modelId === undefined ? undefined : input.lengths(input.taskType, modelId);
  if (own && own.sortedOutputTokens.length >= input.sizing.min_samples) return own;
  return input.lengths(input.taskType);
}

function techniqueCandidateId(routing: RoutingView): string | undefined {
  return routing.technique ? `${routing.chosenModel}+${techniqueLabel(routing.technique.spec, routing.technique.options)}` : undefined;
}

function recommendTechnique(routing: RoutingView): TechniqueRecommendation | null {
  const id = techniqueCandidateId(routing);
  if (!routing.technique || id === undefined) return null;
  const withTechnique = routing.candidates.find((c) => c.model === id);
  const plain = routing.candidates.find((c) => c.model === routing.chosenModel);
  if (!withTechnique || !plain) return null;
  const costRatio = plain.estCostUsd > 0 ? withTechnique.estCostUsd / plain.estCostUsd : null;
  return {
    technique: routing.technique.spec,
    options: routing.technique.options,
    model: routing.chosenModel,
    reason:
      `${routing.chosenModel} alone is predicted ${plain.predictedQuality.toFixed(2)} < required ${routing.minQuality.toFixed(2)}; ` +
      `with ${id.slice(routing.chosenModel.length + 1)} ${withTechnique.predictedQuality.toFixed(2)}`,
    effect: {
      cost_usd: round(withTechnique.estCostUsd - plain.estCostUsd),
      quality: round(withTechnique.predictedQuality - plain.predictedQuality, 4),
      note: costRatio === null ? 'a free model stays free' : `${costRatio.toFixed(1)}× the plain call's estimated cost`,
    },
    evidence: {
      source: 'router_prediction',
      requests: 0,
      router_version: routing.routerVersion,
      predicted_quality: round(withTechnique.predictedQuality, 4),
      plain_predicted_quality: round(plain.predictedQuality, 4),
      est_cost_usd: round(withTechnique.estCostUsd),
    },
  };
}

function chosenCandidate(routing: RoutingView): CandidateScore | undefined {
  const id = techniqueCandidateId(routing) ?? routing.chosenModel;
  return routing.candidates.find((c) => c.model === id);
}

/** The router's choice instead of the model the caller named, when it differs and both were scored. */
function recommendModel(requestedId: string, routing: RoutingView): ModelRecommendation | null {
  if (routing.chosenModel === requestedId) return null;
  const requested = routing.candidates.find((c) => c.model === requestedId);
  const chosen = chosenCandidate(routing);
  if (!requested || !chosen || chosen.model === requestedId) return null;
  const costDelta = chosen.estCostUsd - requested.estCostUsd;
  const cheaper = costDelta < 0;
  return {
    current: requestedId,
    recommended: routing.chosenModel,
    reason:
      `the router predicts ${chosen.model} ${chosen.predictedQuality.toFixed(2)} (required ${routing.minQuality.toFixed(2)}) ` +
      `against ${requestedId} ${requested.predictedQuality.toFixed(2)}, ${cheaper ? 'for less' : 'for more'}`,
    effect: {
      cost_usd: round(costDelta),
      quality: round(chosen.predictedQuality - requested.predictedQuality, 4),
      note: requested.estCostUsd > 0 ? `${((costDelta / requested.estCostUsd) * 100).toFixed(0)}% estimated cost` : 'against a free model',
    },
    evidence: {
      source: 'router_prediction',
      requests: 0,
      router_version: routing.routerVersion,
      requested_est_cost_usd: round(requested.estCostUsd),
      recommended_est_cost_usd: round(chosen.estCostUsd),
    },
  };
}

function describeNoModelChange(requestedId: string, routing: RoutingView | undefined): string {
  if (!routing) return 'no routing decision';
  if (routing.chosenModel === requestedId) return `the router would choose ${requestedId} too`;
  return `${requestedId} is not among the router's candidates, so there is nothing to compare`;
}

function describeNoTechnique(routing: RoutingView | undefined): string {
  if (!routing) return 'no routing decision';
  const offered = routing.candidates.filter((c) => c.model.includes('+'));
  if (offered.length === 0) return 'no technique plan applies (optimizer.task_types), or the plain models already meet the target';
  return `the router preferred ${routing.chosenModel} over ${offered.map((c) => `${c.model} (predicted ${c.predictedQuality.toFixed(2)})`).join(', ')}`;
}
