import type { GatewayConfig, ModelConfig, RoutingRule, TaskType } from '../../config/schema.ts';
import { chooseModel } from '../../router/policy/choose-model.ts';
import type { CandidateEstimate } from '../../router/policy/estimate-candidate.ts';
import { combineRuleActions, compileRules, ruleConditionsMatch, HOLDOUT_SUFFIX, type CompiledRule, type RuleContext } from '../../router/policy/match-rules.ts';
import type { CandidateScore } from '../../store/types.ts';
import { answeredCandidate, type Calibration, type CostCalibrationCell } from './calibrate.ts';
import type { HistoryRow } from './load-history.ts';

/** What the replay needs besides the history: the current catalog and routing config, and the calibration. */
export interface ReplayContext {
  config: GatewayConfig;
  calibration: Calibration;
}

/** One request's outcome, observed (unchanged choice) or expected (changed choice). */
export interface RequestOutcome {
  model: string | null;
  costUsd: number;
  latencyMs: number;
  /** Observed where known, else the calibrated prediction; null when neither exists (failed request). */
  quality: number | null;
  changed: boolean;
}

/** Sums over a set of requests; averages are over the requests that have a value. */
export interface OutcomeTotals {
  requests: number;
  costUsd: number;
  latencyMs: number;
  qualitySum: number;
  qualityCount: number;
}

export interface ReplayResult {
  baseline: OutcomeTotals;
  expected: OutcomeTotals;
  /** Requests whose model the change would switch. */
  affected: number;
  /** Requests the change's rule matches (its segment), whether or not it switches their model. */
  matched: number;
  // Field docs of a result type; duplicates pairs it with other typed records of the same shape.
  segmentBaseline: OutcomeTotals;
  segmentExpected: OutcomeTotals;
  /** Share of switched requests whose new model has fewer than 10 observed ratings for the task type. */
  unobservedShare: number;
  /**
   * Variance of the segment's expected quality sum: each switched request's own outcome (p(1−p)) and, per
   * model and task type involved, the uncertainty of the expected level, shared by all its requests.
   */
  segmentQualityVariance: number;
  /** The cost calibration each switched request's expected cost used, per (model, task type) switched to. */
  costCells: Map<string, CostCalibrationUse>;
  /** Requests per model after the change. */
  mix: Map<string, number>;
  /** Requests per (task type, model) after the change. */
  mixByTaskType: Map<string, Map<string, number>>;
}

/** One (model, task type) cost ratio behind a claim, and how many switched requests it priced. */
export interface CostCalibrationUse extends CostCalibrationCell {
  model: string;
  taskType: string;
  requests: number;
}

const REQUIRED_PREFIX = 'required ';

/** Candidates that passed the hard constraints (capabilities, context, caps, breaker): the policy could pick them. */
function selectable(candidates: readonly CandidateScore[]): CandidateScore[] {
  return candidates.filter((c) => c.eligible || (c.reason ?? '').startsWith('predicted quality'));
}

/** The min_quality the decision ran with: stated in a quality-limited candidate's reason, else from the config. */
function decisionMinQuality(row: HistoryRow, config: GatewayConfig): number {
  for (const c of row.candidates) {
    const at = c.reason?.indexOf(REQUIRED_PREFIX) ?? -1;
    if (at >= 0) {
      const value = Number.parseFloat((c.reason ?? '').slice(at + REQUIRED_PREFIX.length));
      if (Number.isFinite(value)) return value;
    }
  }
  let minQuality = config.routing.virtual_models[row.routingModel]?.min_quality ?? config.routing.default_min_quality;
  for (const name of row.rules) {
    const rule = config.routing.rules.find((r) => r.name === name);
    if (rule?.action.min_quality !== undefined) minQuality = rule.action.min_quality;
  }
  return minQuality;
}

/** What replaying one logged decision needs, derived once per row and config (the search replays each row many times). */
interface PreparedRow {
  pool: CandidateScore[];
  estimates: CandidateEstimate[];
  firedBefore: CompiledRule[];
  minQuality: number;
  ruleContext: RuleContext;
  /** The choice with no rule added; computed on first use. */
  base?: { choice: CandidateScore | undefined };
}

interface ConfigCache {
  models: Map<string, ModelConfig>;
  compiled: Map<RoutingRule, CompiledRule>;
  rows: WeakMap<HistoryRow, PreparedRow>;
}

const caches = new WeakMap<GatewayConfig, ConfigCache>();

function configCache(config: GatewayConfig): ConfigCache {
  let cache = caches.get(config);
  if (!cache) {
    cache = { models: new Map(config.models.map((m) => [m.id, m])), compiled: new Map(), rows: new WeakMap() };
    caches.set(config, cache);
  }
  return cache;
}

function compiledRule(cache: ConfigCache, config: GatewayConfig, rule: RoutingRule): CompiledRule {
  let compiled = cache.compiled.get(rule);
  if (!compiled) {
    compiled = compileRules([rule], config.models)[0]!;
    cache.compiled.set(rule, compiled);
  }
  return compiled;
}

function prepareRow(row: HistoryRow, config: GatewayConfig, cache: ConfigCache): PreparedRow {
  const known = cache.rows.get(row);
  if (known) return known;
  // Models the config no longer has are not selectable any more.
  const pool = selectable(row.candidates).filter((c) => cache.models.has(c.model));
  const firedBefore = row.rules
    .filter((name) => !name.endsWith(HOLDOUT_SUFFIX))
    .map((name) => config.routing.rules.find((r) => r.name === name))
    .filter((r): r is RoutingRule => r !== undefined)
    .map((r) => compiledRule(cache, config, r));
  const prepared: PreparedRow = {
    pool,
    estimates: pool.map((c) => ({
      model: cache.models.get(c.model) as ModelConfig,
      predictedQuality: c.predictedQuality,
      estCostUsd: c.estCostUsd,
      estLatencyMs: c.estLatencyMs,
      outputTokens: 0,
      errorRate: 0,
      breakerOpen: false,
    })),
    firedBefore,
    minQuality: decisionMinQuality(row, config),
    ruleContext: { routingModel: row.routingModel, taskType: row.taskType as TaskType, complexity: row.complexity, promptTokens: 0, requestId: row.requestId },
  };
  cache.rows.set(row, prepared);
  return prepared;
}

/** Whether a rule's conditions (not its A/B split: the replay estimates a full rollout) match the logged request. */
export function ruleMatchesRow(rule: RoutingRule, row: HistoryRow): boolean {
  return ruleConditionsMatch(rule, {
    routingModel: row.routingModel,
    taskType: row.taskType as TaskType,
    complexity: row.complexity,
    promptTokens: 0,
    requestId: row.requestId,
  });
}

/**
 * The model the policy picks for a logged decision under `extraRules` appended to the rules that
 * fired then (the same order `aigw rules apply` writes them), from the decision's stored candidates.
 * Returns undefined when none of the stored candidates is still configured.
 */
export function replayChoice(row: HistoryRow, ctx: ReplayContext, extraRules: readonly RoutingRule[]): CandidateScore | undefined {
  const cache = configCache(ctx.config);
  const p = prepareRow(row, ctx.config, cache);
  if (p.pool.length === 0) return undefined;
  const added = extraRules.filter((r) => ruleConditionsMatch(r, p.ruleContext));
  if (added.length === 0 && p.base) return p.base.choice;
  const combined = combineRuleActions([...p.firedBefore, ...added.map((r) => compiledRule(cache, ctx.config, r))]);
  // Later rules win, as in the router: the last added rule that sets a field decides it.
  let goal = row.goal;
  let minQuality = p.minQuality;
  for (const r of added) {
    if (r.action.goal !== undefined) goal = r.action.goal;
    if (r.action.min_quality !== undefined) minQuality = r.action.min_quality;
  }
  const choice = chooseModel({ estimates: p.estimates, constraints: { goal, minQuality }, rules: combined, promptTokens: 0 });
  const picked = choice.ok ? p.pool.find((c) => c.model === choice.chosen.model.id) : undefined;
  if (added.length === 0) p.base = { choice: picked };
  return picked;
}

/** What the request cost and how good it was, as it happened. */
export function observedOutcome(row: HistoryRow, ctx: ReplayContext): RequestOutcome {
  const answered = answeredCandidate(row);
  const predicted = answered ? ctx.calibration.quality(answered, row.taskType) : null;
  return {
    model: row.modelUsed,
    costUsd: row.costUsd,
    latencyMs: row.latencyMs,
    quality: row.status >= 400 ? null : (row.quality ?? predicted),
    changed: false,
  };
}

/**
 * What the request is expected to score on another candidate. With a measured quality on the model that
 * answered it: that measurement plus the expected difference between the two models on the task type —
 * the request's own difficulty carries over (prompts hard for one model are mostly hard for another), and
 * the measured traffic, not the predictor alone, anchors the claim. Not clamped: it is one term of an
 * average (`avgQuality` clamps), and clamping each 0/1 rating would bias the average.
 */
export function expectedQuality(row: HistoryRow, c: CandidateScore, cal: Calibration): number {
  const level = cal.quality(c, row.taskType);
  const answered = answeredCandidate(row);
  if (!answered || row.quality === null || row.status >= 400) return level;
  return row.quality + level - cal.quality(answered, row.taskType);
}

/**
 * What the request is expected to cost and score on another candidate: estimates scaled by the calibration.
 * `perRequest`: the model's expected quality on the task type instead of the anchored term, for decisions
 * about one request (an anchored 0/1 rating plus a difference is right on average, not per request).
 */
export function expectedOutcome(row: HistoryRow, c: CandidateScore, ctx: ReplayContext, opts: { perRequest?: boolean } = {}): RequestOutcome {
  const cal = ctx.calibration;
  return {
    model: c.model,
    costUsd: c.estCostUsd * cal.costRatio(c.model, row.taskType),
    latencyMs: c.estLatencyMs * cal.latencyRatio(c.model),
    quality: opts.perRequest ? cal.quality(c, row.taskType) : expectedQuality(row, c, cal),
    changed: true,
  };
}

export function emptyTotals(): OutcomeTotals {
  return { requests: 0, costUsd: 0, latencyMs: 0, qualitySum: 0, qualityCount: 0 };
}

export function addOutcome(t: OutcomeTotals, o: RequestOutcome): void {
  t.requests += 1;
  t.costUsd += o.costUsd;
  t.latencyMs += o.latencyMs;
  if (o.quality !== null) {
    t.qualitySum += o.quality;
    t.qualityCount += 1;
  }
}

export const avgCostUsd = (t: OutcomeTotals): number => (t.requests > 0 ? t.costUsd / t.requests : 0);
export const avgLatencyMs = (t: OutcomeTotals): number => (t.requests > 0 ? t.latencyMs / t.requests : 0);
export const avgQuality = (t: OutcomeTotals): number | null => (t.qualityCount > 0 ? Math.min(1, Math.max(0, t.qualitySum / t.qualityCount)) : null);

/** Observed ratings a switched-to model needs for its task type before its quality counts as measured. */
export const MEASURED_QUALITY_SAMPLES = 10;

/**
 * Replays the window through the policy with `rules` added. A request counts as switched only when
 * the replay with the rules picks another model than the replay without them, so models that left the
 * catalog since do not show up as an effect of the change. Switched requests get the new model's
 * expected outcome; the rest keep what was observed.
 */
export function replayPolicyChange(rows: readonly HistoryRow[], ctx: ReplayContext, rules: readonly RoutingRule[]): ReplayResult {
  const result: ReplayResult = {
    baseline: emptyTotals(),
    expected: emptyTotals(),
    affected: 0,
    matched: 0,
    segmentBaseline: emptyTotals(),
    segmentExpected: emptyTotals(),
    unobservedShare: 0,
    segmentQualityVariance: 0,
    costCells: new Map(),
    mix: new Map(),
    mixByTaskType: new Map(),
  };
  let unobserved = 0;
  const levels = new Map<string, { count: number; variance: number }>();
  for (const row of rows) {
    const observed = observedOutcome(row, ctx);
    let outcome = observed;
    const inSegment = row.status < 400 && rules.some((r) => ruleMatchesRow(r, row));
    if (inSegment) {
      const before = replayChoice(row, ctx, []);
      const after = replayChoice(row, ctx, rules);
      if (before && after && after.model !== before.model && after.model !== row.modelUsed) {
        outcome = expectedOutcome(row, after, ctx);
        result.affected += 1;
        noteSwitch(result, levels, row, after.model, ctx.calibration, outcome.quality);
        if (ctx.calibration.qualitySamples(after.model, row.taskType) < MEASURED_QUALITY_SAMPLES) unobserved += 1;
      }
      result.matched += 1;
      addOutcome(result.segmentBaseline, observed);
      addOutcome(result.segmentExpected, outcome);
    }
    addOutcome(result.baseline, observed);
    addOutcome(result.expected, outcome);
    const model = outcome.model ?? 'none';
    result.mix.set(model, (result.mix.get(model) ?? 0) + 1);
    const byType = result.mixByTaskType.get(row.taskType) ?? new Map<string, number>();
    byType.set(model, (byType.get(model) ?? 0) + 1);
    result.mixByTaskType.set(row.taskType, byType);
  }
  result.unobservedShare = result.affected > 0 ? unobserved / result.affected : 0;
  for (const l of levels.values()) result.segmentQualityVariance += l.count * l.count * l.variance;
  return result;
}

/** Adds a switched request's share of the segment's quality variance and the cost ratio that priced it. */
function noteSwitch(
  result: ReplayResult,
  levels: Map<string, { count: number; variance: number }>,
  row: HistoryRow,
  model: string,
  cal: Calibration,
  quality: number | null,
): void {
  const p = Math.min(1, Math.max(0, quality ?? 0.5));
  result.segmentQualityVariance += p * (1 - p);
  const answered = answeredCandidate(row);
  const involved = answered && row.quality !== null ? [model, answered.model] : [model];
  for (const m of involved) {
    const key = `${m}\u0000${row.taskType}`;
    const level = levels.get(key) ?? { count: 0, variance: cal.qualityVariance(m, row.taskType) };
    level.count += 1;
    levels.set(key, level);
  }
  const key = `${model}\u0000${row.taskType}`;
  const cell = result.costCells.get(key) ?? { model, taskType: row.taskType, ...cal.costCell(model, row.taskType), requests: 0 };
  cell.requests += 1;
  result.costCells.set(key, cell);
}
