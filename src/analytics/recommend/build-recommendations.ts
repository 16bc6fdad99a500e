import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { Goal, type GatewayConfig } from '../../config/schema.ts';
import type { Database } from '../../store/schema.ts';
import type { Store } from '../../store/types.ts';
import { storeRecommendations } from './store-recommendations.ts';
import { AnalysisParams, resolveAnalysisQuery } from '../analysis-query.ts';
import { costChangeWords, intervalWords, qualityChangeWords } from './wording.ts';
import { assessRisk, describeCostCalibration, confidenceOf, effortOf, ruleYaml, segmentRatings, toExpectedImpact, validationCriteria } from './assess.ts';
import { calibrate } from './calibrate.ts';
import { analyzeDecisions, type DecisionAnalysis } from './decision-analysis.ts';
import { DEFAULT_MAX_HISTORY_ROWS, loadHistory, type History } from './load-history.ts';
import { costReductionPlan, goalConflicts, goalScenarios, modelMixChanges, phasedPlan } from './plan.ts';
import { avgCostUsd, avgLatencyMs, avgQuality, replayPolicyChange, ruleMatchesRow, type ReplayContext } from './replay.ts';
import { searchRuleChanges, type SearchConstraints, type SearchHit } from './search.ts';
import type { Confidence, RecommendationSet, RuleRecommendation } from './types.ts';

export const RecommendParams = AnalysisParams.extend({
  optimization_goal: Goal.default('cost').describe('Primary target: cost, speed, quality or balanced'),
  cost_threshold: z.number().positive().optional().describe('Maximum acceptable average cost per request (USD)'),
  quality_threshold: z.number().min(0).max(1).default(0.8).describe('Minimum required quality score (0-1)'),
  target_reduction_pct: z.number().min(0).max(100).default(20).describe('Cost reduction the plan aims for, in percent'),
  max_recommendations: z.int().min(1).max(20).default(5),
});
export type RecommendParams = z.input<typeof RecommendParams>;

/** Below this many routed requests in the window the numbers are reported with `confidence: low`. */
export const MIN_REQUESTS = 50;
/** Below this many rated requests quality rests mostly on the predictor. */
export const MIN_RATED_REQUESTS = 30;

function missingData(history: History): string[] {
  const missing: string[] = [];
  const rated = history.rows.filter((r) => r.quality !== null).length;
  if (history.totalRequests === 0)
    missing.push('no routed requests in the window: extend the timeframe or route traffic through a virtual model (`model: "auto"`)');
  else if (history.totalRequests < MIN_REQUESTS)
    missing.push(`only ${history.totalRequests} routed requests in the window (${MIN_REQUESTS} wanted): extend the timeframe`);
  if (history.totalRequests > 0 && rated === 0) {
    missing.push("no quality signals: send POST /v1/feedback or enable `quality.judge` sampling; quality below is the router's prediction only");
  } else if (rated > 0 && rated < MIN_RATED_REQUESTS) {
    missing.push(`only ${rated} requests with a quality signal (${MIN_RATED_REQUESTS} wanted): raise the judge sample rate or collect feedback`);
  }
  return missing;
}

const CONFIDENCE_ORDER: readonly Confidence[] = ['low', 'medium', 'high'];

/**
 * The set's confidence: what the data supports (low with gaps, high from 200 rated requests), and never
 * more than its most confident recommendation — five changes rated medium and low are not "high" together.
 */
export function overallConfidence(
  history: Pick<History, 'rows'>,
  missing: readonly string[],
  recommendations: readonly Pick<RuleRecommendation, 'confidence'>[],
): Confidence {
  const rated = history.rows.filter((r) => r.quality !== null).length;
  const data: Confidence = missing.length > 0 ? 'low' : rated >= 200 ? 'high' : 'medium';
  if (recommendations.length === 0) return data;
  const best = Math.max(...recommendations.map((r) => CONFIDENCE_ORDER.indexOf(r.confidence)));
  return CONFIDENCE_ORDER[Math.min(CONFIDENCE_ORDER.indexOf(data), best)] ?? 'low';
}

/**
 * The id of a rule change: a hash of the rule itself, so the same change found again (the next report,
 * another MCP tool call over the same history) keeps its id and `create_optimization_plan` or
 * `aigw rules apply` can refer to it across calls.
 */
export function recommendationId(rule: { name: string; match: unknown; action: unknown; percent?: number }): string {
  const key = JSON.stringify({ name: rule.name, match: rule.match, action: rule.action, percent: rule.percent ?? 100 });
  return `rec_${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

function recommendationFor(hit: SearchHit, history: History, ctx: ReplayContext, c: SearchConstraints, lowData: boolean): RuleRecommendation {
  const impact = toExpectedImpact(replayPolicyChange(history.rows, ctx, [hit.rule]), history.sampleScale);
  const complexity = hit.rule.match.complexity?.max;
  const segment = `${hit.taskType} requests${complexity === undefined ? '' : ` with complexity ≤ ${complexity}`}`;
  const preferred = hit.rule.action.prefer?.[0];
  const target = preferred ?? `the ${c.goal} goal's choice`;
  const title = `Route ${segment} to ${target}`;
  const rule = { ...hit.rule, description: title };
  const confidence = lowData ? 'low' : confidenceOf(segmentRatings(history.rows, rule), impact);
  const costText = costChangeWords(impact.costChangePct, impact.costChangeUsd);
  const floor = rule.action.min_quality;
  // Say what the rule changes against what the policy does now, in the operator's words.
  const how = preferred
    ? `prefer ${preferred} (goal ${rule.action.goal ?? c.goal}, quality floor ${floor ?? ctx.config.routing.default_min_quality})`
    : `route by goal ${rule.action.goal ?? c.goal} with quality floor ${floor ?? ctx.config.routing.default_min_quality} (policy default: ${ctx.config.routing.default_min_quality})`;
  return {
    id: recommendationId(rule),
    kind: 'routing_rule',
    category: `${c.goal === 'cost' ? 'Cost Optimization' : c.goal === 'speed' ? 'Latency Optimization' : c.goal === 'quality' ? 'Quality Improvement' : 'Balanced Routing'}: ${segment}`,
    title,
    currentState: `${segment}: ${impact.matchedRequests} requests, ${segmentNow(history, rule)}, average quality ${impact.segmentQualityBefore?.toFixed(3) ?? 'n/a'}, $${impact.segmentAvgCostUsdBefore?.toFixed(6) ?? 'n/a'} per request`,
    recommendedChange: `add rule ${rule.name}: for ${segment}, ${how}`,
    scope: scopeOf(rule, segment, impact.matchedRequests, ctx.config),
    rationale:
      `Replaying the window's ${impact.requests} decisions through the policy with this rule switches ${impact.affectedRequests} ` +
      `(${(impact.affectedShare * 100).toFixed(1)}%) requests: ${costText}, segment quality ` +
      `${qualityChangeWords(impact.segmentQualityBefore, impact.segmentQualityAfter)}${intervalWords(impact)} ` +
      `(measured where the choice is unchanged; where it changes, the request's measured quality plus the expected difference ` +
      `between the two models on the task type, each shrunk toward its measured quality there). ` +
      `${describeCostCalibration(impact.costCalibration)}.`,
    rule,
    ruleYaml: ruleYaml(rule),
    expectedImpact: impact,
    effort: effortOf(impact),
    risk: assessRisk(impact, c),
    validationCriteria: validationCriteria(rule, impact, c),
    confidence,
    meetsConstraints: {
      cost: c.maxCostUsdPerRequest === undefined || impact.avgCostUsdAfter < c.maxCostUsdPerRequest,
      quality: impact.avgQualityAfter === null || impact.avgQualityAfter > c.minQuality,
    },
  };
}

/**
 * Which traffic a rule touches, in words: the routing models it matches and the segment, and what it
 * leaves alone (other virtual models' callers, requests naming a model), so applying it changes no
 * caller's explicit choice.
 */
export function scopeOf(rule: RuleRecommendation['rule'], segment: string, matched: number, config: GatewayConfig): string {
  const touched = rule.match.routing_models ?? Object.keys(config.routing.virtual_models);
  const untouched = Object.keys(config.routing.virtual_models)
    .filter((name) => !touched.includes(name))
    .sort();
  const list = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');
  return (
    `${segment} sent to ${list(touched)} (${matched} in the window); ` +
    `${untouched.length > 0 ? `not requests to ${list(untouched)}, ` : ''}nor requests that name a model`
  );
}

/**
 * How the rule's segment is served now: the model that answered most of it and the goals the requests
 * ran under (a virtual model such as `auto-quality` sets one) — a rule that sets a goal overrides those.
 */
function segmentNow(history: History, rule: RuleRecommendation['rule']): string {
  const models = new Map<string, number>();
  const goals = new Map<string, number>();
  let n = 0;
  for (const row of history.rows) {
    if (row.status >= 400 || !ruleMatchesRow(rule, row)) continue;
    n += 1;
    if (row.modelUsed) models.set(row.modelUsed, (models.get(row.modelUsed) ?? 0) + 1);
    goals.set(row.goal, (goals.get(row.goal) ?? 0) + 1);
  }
  const ranked = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const model = ranked(models)[0]?.[0] ?? 'n/a';
  const goalMix = ranked(goals)
    .map(([goal, k]) => `${goal} ${Math.round((k / Math.max(1, n)) * 100)}%`)
    .join(', ');
  return `mostly on ${model}, requested goals ${goalMix || 'n/a'}`;
}

export interface Recommendations extends RecommendationSet {
  decisions: DecisionAnalysis;
}

/**
 * The recommendation analysis end to end: load the window, calibrate the router's estimates against
 * what happened, analyse the decisions, search rule changes under the constraints and replay each one.
 * Never throws for lack of data: it answers with `confidence: low` and says what is missing.
 */
export async function buildRecommendations(
  db: Kysely<Database>,
  config: GatewayConfig,
  input: RecommendParams,
  opts: {
    nowMs?: number;
    maxHistoryRows?: number;
    /** Where to keep the generated recommendations (status `proposed`) so `aigw rules apply ID` finds them. */
    persistTo?: Pick<Store, 'insertRecommendations' | 'getRecommendation'>;
  } = {},
): Promise<Recommendations> {
  const p = RecommendParams.parse(input);
  const q = resolveAnalysisQuery(p, opts.nowMs ?? Date.now());
  const history = await loadHistory(db, q, opts.maxHistoryRows ?? DEFAULT_MAX_HISTORY_ROWS);
  const ctx: ReplayContext = { config, calibration: calibrate(history.rows) };
  const c: SearchConstraints = { goal: p.optimization_goal, maxCostUsdPerRequest: p.cost_threshold, minQuality: p.quality_threshold };
  const missing = missingData(history);
  const lowData = missing.length > 0;
  const hits = searchRuleChanges(history.rows, ctx, c);
  const recommendations = hits.slice(0, p.max_recommendations).map((hit) => recommendationFor(hit, history, ctx, c, lowData));
  const now = replayPolicyChange(history.rows, ctx, []);
  const combined =
    recommendations.length > 0
      ? toExpectedImpact(
          replayPolicyChange(
            history.rows,
            ctx,
            recommendations.map((r) => r.rule),
          ),
          history.sampleScale,
        )
      : null;
  const scenarios = goalScenarios(history.rows, ctx, c, p.max_recommendations, hits);
  if (opts.persistTo && recommendations.length > 0) {
    try {
      await storeRecommendations(opts.persistTo, recommendations, opts.nowMs ?? Date.now());
    } catch (err) {
      // The analysis stands without the store; say so instead of failing the report.
      missing.push(
        `the recommendations could not be stored (${err instanceof Error ? err.message : String(err)}): \`aigw rules apply\` will not find their ids`,
      );
    }
  }
  return {
    goal: c.goal,
    constraints: { maxCostUsdPerRequest: c.maxCostUsdPerRequest, minQuality: c.minQuality },
    window: {
      fromMs: q.fromMs,
      toMs: q.toMs,
      requests: history.totalRequests,
      analyzedRequests: history.rows.length,
      sampleScale: history.sampleScale,
      withQualitySignal: history.rows.filter((r) => r.quality !== null).length,
    },
    current: {
      avgCostUsd: avgCostUsd(now.baseline),
      avgQuality: avgQuality(now.baseline),
      avgLatencyMs: avgLatencyMs(now.baseline),
      totalCostUsd: now.baseline.costUsd * history.sampleScale,
    },
    confidence: overallConfidence(history, missing, recommendations),
    missing,
    recommendations,
    combinedImpact: combined,
    modelMix: modelMixChanges(history.rows, ctx, recommendations),
    costReductionPlan: costReductionPlan(history.rows, ctx, recommendations, c, p.target_reduction_pct),
    phases: phasedPlan(recommendations, missing),
    scenarios,
    conflicts: goalConflicts(scenarios, c),
    decisions: analyzeDecisions(history.rows, ctx, c.goal, c.minQuality),
  };
}
