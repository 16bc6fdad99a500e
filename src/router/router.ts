import type { GatewayConfig, ModelConfig, TaskType, VirtualModel } from '../config/schema.ts';
import { UNKNOWN_SOURCE } from '../config/known-models/fill-known-models.ts';
import type { ChatMessage } from '../providers/chat-schema.ts';
import type { CandidateScore } from '../store/types.ts';
import type { LiveModelStats, PromptAnalysis, QualityPredictor, RouteDecision, RouteInput, RoutingConstraints } from './types.ts';
import { chooseModel, type RankedCandidate } from './policy/choose-model.ts';
import { estimateCandidate, type CandidateEstimate } from './policy/estimate-candidate.ts';
import { expectedOutputTokens } from './policy/expected-output-tokens.ts';
import { combineRuleActions, compileRules, holdoutRuleNames, matchRules, type RuleContext } from './policy/match-rules.ts';
import { resolveModelRefs, unknownModelRefs } from './policy/model-refs.ts';
import { describeChoice, describeNoEligible } from './policy/rationale.ts';
import { resolveConstraints } from './policy/resolve-constraints.ts';
import { candidateId, compileTechniquePlans, techniqueCandidates, type CompiledTechniquePlan, type TechniqueBoundsOf } from './policy/technique-candidates.ts';
import { timeOrderedId } from '../util/time-ordered-id.ts';

/** Bumped whenever the policy's scoring changes, so each logged decision says which scoring made it. */
export const POLICY_VERSION = 'policy-1';

export interface ModelStatsSource {
  get(model: string): LiveModelStats;
}

export interface RouterDeps {
  config: GatewayConfig;
  predictor: QualityPredictor;
  analyze: (messages: ChatMessage[]) => PromptAnalysis;
  liveStats: ModelStatsSource;
  /** Whether a model's circuit breaker is open right now; such models are skipped. */
  isBreakerOpen?: (modelId: string) => boolean;
  /** Monotonic clock in nanoseconds; default process.hrtime.bigint. */
  now?: () => bigint;
  /** The techniques' own bounds; without it the router never proposes "model + technique". */
  techniqueBounds?: TechniqueBoundsOf;
  /** Share of routed requests that explore (routing.learning.explore_share); read per decision. */
  exploreShare?: () => number;
}

/** A uniform [0, 1) stream seeded by a string (FNV-1a → mulberry32): one request id, one draw sequence. */
export function seededRandom(key: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RouteInput plus the request id that keeps A/B splits stable; without it the decision id is used. */
export type RouterInput = RouteInput & { requestId?: string };

/** Nothing can serve the request. The server answers with `httpStatus` and `message`. */
export interface NoEligibleModel {
  ok: false;
  /** Plain-words reason, model by model, for the error message. */
  message: string;
  httpStatus: 400 | 503;
  id: string;
  routingModel: string;
  taskType: TaskType;
  complexity: number;
  constraints: RoutingConstraints;
  /** Every candidate with the reason it was ruled out. */
  candidates: CandidateScore[];
  rulesFired: string[];
  routerVersion: string;
  decisionUs: number;
}

export type RouteOutcome = { ok: true; decision: RouteDecision; decisionUs: number } | NoEligibleModel;

export interface Router {
  readonly version: string;
  decide(input: RouterInput): RouteOutcome;
}

function toCandidateScore(c: RankedCandidate): CandidateScore {
  // `reason` is always written (undefined is left out of the logged JSON) so every score has one shape.
  return {
    model: candidateId(c),
    predictedQuality: c.predictedQuality,
    estCostUsd: c.estCostUsd,
    estLatencyMs: c.estLatencyMs,
    score: c.score,
    eligible: c.status === 'eligible',
    reason: c.reason,
  };
}

/** Fails at start-up, not per request, when a virtual model or rule names a model that is not configured. */
function assertModelRefsKnown(config: GatewayConfig): void {
  const problems: string[] = [];
  for (const [name, vm] of Object.entries(config.routing.virtual_models)) {
    const unknown = unknownModelRefs(vm.candidates ?? [], config.models);
    if (unknown.length > 0) problems.push(`virtual model ${name}: ${unknown.join(', ')}`);
  }
  for (const rule of config.routing.rules) {
    const { prefer = [], require = [], exclude = [] } = rule.action;
    const unknown = unknownModelRefs([...prefer, ...require, ...exclude], config.models);
    if (unknown.length > 0) problems.push(`rule ${rule.name}: ${unknown.join(', ')}`);
  }
  if (problems.length > 0) throw new Error(`routing config names unknown models or tiers: ${problems.join('; ')}`);
}

export function createRouter(deps: RouterDeps): Router {
  const { config, predictor, analyze, liveStats } = deps;
  const now = deps.now ?? (() => process.hrtime.bigint());
  assertModelRefsKnown(config);
  const baseVersion = predictor.version;
  const version = `${POLICY_VERSION}+${predictor.version}`;
  const rules = compileRules(config.routing.rules, config.models);
  const optimizer = config.optimizer;
  const techniquePlans =
    deps.techniqueBounds && optimizer.enabled ? compileTechniquePlans(optimizer, deps.techniqueBounds) : new Map<TaskType, CompiledTechniquePlan>();
  const optimizerOffFor = new Set(optimizer.disabled_keys);
  // A Map, not the config object: a client-chosen name like `constructor` must not find a prototype member.
  const routingModels = new Map<string, { virtualModel: VirtualModel; models: ModelConfig[] }>();
  for (const [name, virtualModel] of Object.entries(config.routing.virtual_models)) {
    const ids = virtualModel.candidates ? new Set(resolveModelRefs(virtualModel.candidates, config.models)) : undefined;
    // A model whose price nobody knows looks free to the policy: only a virtual model that lists it picks it.
    const models = ids ? config.models.filter((m) => ids.has(m.id)) : config.models.filter((m) => m.sources?.['pricing'] !== UNKNOWN_SOURCE);
    routingModels.set(name, { virtualModel, models });
  }

  function decide(input: RouterInput): RouteOutcome {
    const startNs = now();
    const id = timeOrderedId();
    const analysis = analyze(input.messages);
    const routingModel = routingModels.get(input.routingModel);
    const vm = routingModel?.virtualModel;
    const models = routingModel?.models ?? [];
    // Rules read the request's context; a config without rules (the default) builds none of it.
    const ruleContext: RuleContext | undefined =
      rules.length === 0
        ? undefined
        : {
            routingModel: input.routingModel,
            taskType: analysis.taskType,
            complexity: analysis.complexity,
            promptTokens: analysis.promptTokens,
            keyId: input.keyId,
            team: input.team,
            metadata: input.metadata,
            requestId: input.requestId ?? id,
          };
    const fired = vm && ruleContext ? matchRules(rules, ruleContext) : [];
    const combined = combineRuleActions(fired);
    const constraints = resolveConstraints(vm ?? { goal: 'balanced' }, config.routing.default_min_quality, combined, input.overrides);
    const outputTokens = expectedOutputTokens(analysis.taskType, analysis.complexity, analysis.promptTokens, input.maxOutputTokens);
    const techniquePlan = techniquePlans.size > 0 ? techniquePlans.get(analysis.taskType) : undefined;
    // A technique answers with text and its own samples: a request with tools or n > 1 gets no pairing,
    // so the logged decision is the one the request path carries out.
    const pairTechniques =
      techniquePlan !== undefined &&
      !input.requiredCapabilities?.some((c) => c === 'tools' || c === 'n') &&
      !optimizerOffFor.has(input.keyId ?? '') &&
      !optimizerOffFor.has(input.keyName ?? '');
    const choose = (qualities: readonly number[], withTechniques: boolean) => {
      const estimates: CandidateEstimate[] = new Array<CandidateEstimate>(models.length);
      for (let i = 0; i < models.length; i++) {
        const m = models[i]!;
        const estimate = estimateCandidate(m, analysis.promptTokens, outputTokens, qualities[i] ?? 0, liveStats.get(m.id));
        if (deps.isBreakerOpen?.(m.id)) estimate.breakerOpen = true;
        estimates[i] = estimate;
      }
      if (withTechniques && pairTechniques) {
        for (const t of techniqueCandidates(techniquePlan, estimates, constraints.minQuality, analysis.promptTokens)) estimates.push(t);
      }
      return chooseModel({
        estimates,
        constraints,
        rules: combined,
        requiredCapabilities: input.requiredCapabilities,
        promptTokens: analysis.promptTokens,
        requestMaxOutputTokens: input.maxOutputTokens,
      });
    };
    const qualities = models.length > 0 ? predictor.predict(analysis, models) : [];
    const trust = models.length > 0 ? predictor.trust?.(analysis) : undefined;
    let choice = choose(qualities, true);
    const explored = vm && choice.ok ? explore(input.requestId ?? id, analysis, models, choice, input.budgeted === true, choose) : null;
    if (explored) choice = explored;
    const described = { taskType: analysis.taskType, complexity: analysis.complexity, constraints, rulesFired: combined.fired, unfamiliar: trust?.unfamiliar };
    const candidates = choice.ranked.map(toCandidateScore);
    if (!vm || !choice.ok) {
      const message = vm
        ? describeNoEligible(described, choice.ranked)
        : `unknown routing model ${input.routingModel}; configured: ${Object.keys(config.routing.virtual_models).join(', ')}.`;
      return {
        ok: false,
        message,
        httpStatus: choice.ok ? 400 : choice.httpStatus,
        id,
        routingModel: input.routingModel,
        taskType: analysis.taskType,
        complexity: analysis.complexity,
        constraints,
        candidates,
        rulesFired: combined.fired,
        routerVersion: predictorVersion(),
        decisionUs: elapsedUs(startNs),
      };
    }
    const meanRationale = describeChoice(described, choice.chosen, choice.ranked, choice.metMinQuality);
    const rationale = explored ? `Exploration (Thompson sample of each model's ability, learning.explore_share): ${meanRationale}` : meanRationale;
    const decisionUs = elapsedUs(startNs);
    const decision: RouteDecision = {
      id,
      routingModel: input.routingModel,
      taskType: analysis.taskType,
      complexity: analysis.complexity,
      language: analysis.language,
      constraints,
      chosenModel: choice.chosen.model.id,
      ...(choice.chosen.technique ? { technique: { spec: choice.chosen.technique.spec, options: choice.chosen.technique.options } } : {}),
      candidates,
      fallbacks: choice.fallbacks,
      // The held-out side of A/B rules is logged too (`name (holdout)`), so reports can compare the arms.
      rulesFired: ruleContext ? [...combined.fired, ...holdoutRuleNames(rules, ruleContext)] : combined.fired,
      rationale,
      routerVersion: predictorVersion(),
      decisionUs,
    };
    // Appended in this order (the keys' order is the logged JSON's): assignments, not spreads of temporary objects.
    if (trust) decision.trust = trust.trust;
    if (explored) decision.explored = true;
    if (predictor.promptTerms) decision.learning = { features: analysis.features, terms: predictor.promptTerms(analysis) };
    return { ok: true, decision, decisionUs };
  }

  /** The predictor's version can move while the gateway runs (a new learned state): read it per decision. */
  function predictorVersion(): string {
    return predictor.version === baseVersion ? version : `${POLICY_VERSION}+${predictor.version}`;
  }

  /**
   * Exploration: for `explore_share` of routed requests (drawn from the request id, so a retry decides
   * the same), every model's quality is re-predicted with its ability sampled from the posterior and the
   * policy chooses again under the same constraints, rules and capabilities. Techniques are left out.
   */
  function explore(
    requestId: string,
    analysis: PromptAnalysis,
    models: readonly ModelConfig[],
    mean: Extract<ReturnType<typeof chooseModel>, { ok: true }>,
    budgeted: boolean,
    choose: (q: readonly number[], withTechniques: boolean) => ReturnType<typeof chooseModel>,
  ): Extract<ReturnType<typeof chooseModel>, { ok: true }> | null {
    const share = deps.exploreShare?.() ?? 0;
    if (share <= 0 || !predictor.sample || models.length < 2 || mean.chosen.technique) return null;
    const random = seededRandom(requestId);
    if (random() >= share) return null;
    const sampled = choose(predictor.sample(analysis, models, random), false);
    if (!sampled.ok || sampled.chosen.model.id === mean.chosen.model.id) return null;
    // A key with a budget is never sent to a dearer model than the mean choice by exploration.
    if (budgeted && sampled.chosen.estCostUsd > mean.chosen.estCostUsd) return null;
    return sampled;
  }

  function elapsedUs(startNs: bigint): number {
    return Number(now() - startNs) / 1000;
  }

  return {
    get version() {
      return predictorVersion();
    },
    decide,
  };
}
