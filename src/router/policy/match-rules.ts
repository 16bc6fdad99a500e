import type { Goal, ModelConfig, RoutingRule, TaskType } from '../../config/schema.ts';
import { resolveModelRefs } from './model-refs.ts';

/** What a rule can match on, taken from the request and its prompt analysis. */
export interface RuleContext {
  routingModel: string;
  taskType: TaskType;
  complexity: number;
  promptTokens: number;
  keyId?: string;
  team?: string;
  metadata?: Readonly<Record<string, string>>;
  /** Drives the A/B split of rules with `percent` < 100. */
  requestId: string;
}

/** A rule with its model refs resolved to model ids once, at start-up. */
export interface CompiledRule {
  rule: RoutingRule;
  require?: ReadonlySet<string>;
  exclude: readonly string[];
  prefer: readonly string[];
}

/**
 * The fired rules folded into one action. Rules apply in config order and later rules refine earlier
 * ones: `require` lists intersect (a model must be in every one), `exclude` lists add up, `prefer`
 * lists concatenate with the later rule's models first, and goal and each constraint take the value of
 * the last fired rule that sets it.
 */
export interface CombinedRuleAction {
  fired: string[];
  requires: ReadonlyArray<{ rule: string; models: ReadonlySet<string> }>;
  /** Model id → the first rule that excluded it. */
  excludedBy: ReadonlyMap<string, string>;
  /** Preferred model ids, most preferred first. */
  prefer: string[];
  goal?: Goal;
  minQuality?: number;
  maxCostUsd?: number;
  maxLatencyMs?: number;
}

export function compileRules(rules: readonly RoutingRule[], models: readonly ModelConfig[]): CompiledRule[] {
  return rules.map((rule) => ({
    rule,
    require: rule.action.require ? new Set(resolveModelRefs(rule.action.require, models)) : undefined,
    exclude: resolveModelRefs(rule.action.exclude ?? [], models),
    prefer: resolveModelRefs(rule.action.prefer ?? [], models),
  }));
}

/** 32-bit FNV-1a: stable across processes and versions, so a request id always lands in the same bucket. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Whether a request falls in a rule's share of traffic. Hashing the rule name with the request id gives
 * each rule its own independent split, and the same request always gets the same answer.
 */
export function inPercentSplit(ruleName: string, requestId: string, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return fnv1a32(`${ruleName}\u0000${requestId}`) % 10_000 < percent * 100;
}

function inRange(value: number, range: { min?: number; max?: number } | undefined): boolean {
  if (!range) return true;
  return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max);
}

function includesIfSet(list: readonly string[] | undefined, value: string | undefined): boolean {
  return list === undefined || (value !== undefined && list.includes(value));
}

/**
 * Appended to a rule's name in the decision's rule list when the request matched the rule's conditions
 * but fell in the held-out share of its A/B split, so reports can compare the two arms.
 */
export const HOLDOUT_SUFFIX = ' (holdout)';

/** Every condition present must hold; ranges are inclusive at both ends; absent conditions match all. */
export function ruleMatches(rule: RoutingRule, ctx: RuleContext): boolean {
  return ruleConditionsMatch(rule, ctx) && inPercentSplit(rule.name, ctx.requestId, rule.percent);
}

/** The rule's conditions alone, before its A/B split. */
export function ruleConditionsMatch(rule: RoutingRule, ctx: RuleContext): boolean {
  const m = rule.match;
  if (!includesIfSet(m.routing_models, ctx.routingModel)) return false;
  if (m.task_types && !m.task_types.includes(ctx.taskType)) return false;
  if (!inRange(ctx.complexity, m.complexity) || !inRange(ctx.promptTokens, m.prompt_tokens)) return false;
  if (!includesIfSet(m.keys, ctx.keyId) || !includesIfSet(m.teams, ctx.team)) return false;
  if (m.metadata) {
    for (const [key, value] of Object.entries(m.metadata)) if (ctx.metadata?.[key] !== value) return false;
  }
  return true;
}

export function matchRules(rules: readonly CompiledRule[], ctx: RuleContext): CompiledRule[] {
  return rules.filter((compiled) => ruleMatches(compiled.rule, ctx));
}

/** `name (holdout)` for each A/B rule whose conditions match but whose split leaves this request out. */
export function holdoutRuleNames(rules: readonly CompiledRule[], ctx: RuleContext): string[] {
  return rules
    .filter(({ rule }) => rule.percent < 100 && ruleConditionsMatch(rule, ctx) && !inPercentSplit(rule.name, ctx.requestId, rule.percent))
    .map(({ rule }) => `${rule.name}${HOLDOUT_SUFFIX}`);
}

/** Shared by every request that fires no rule (read-only by type): nothing to build per request. */
const NO_REQUIRES: CombinedRuleAction['requires'] = Object.freeze([]);
const NO_EXCLUSIONS: CombinedRuleAction['excludedBy'] = new Map();

export function combineRuleActions(fired: readonly CompiledRule[]): CombinedRuleAction {
  if (fired.length === 0) return { fired: [], requires: NO_REQUIRES, excludedBy: NO_EXCLUSIONS, prefer: [] };
  const combined: CombinedRuleAction = { fired: [], requires: [], excludedBy: new Map(), prefer: [] };
  const requires: Array<{ rule: string; models: ReadonlySet<string> }> = [];
  const excludedBy = new Map<string, string>();
  let prefer: string[] = [];
  for (const compiled of fired) {
    const { rule } = compiled;
    combined.fired.push(rule.name);
    if (compiled.require) requires.push({ rule: rule.name, models: compiled.require });
    for (const id of compiled.exclude) if (!excludedBy.has(id)) excludedBy.set(id, rule.name);
    if (compiled.prefer.length > 0) {
      prefer = [...compiled.prefer, ...prefer.filter((id) => !compiled.prefer.includes(id))];
    }
    const a = rule.action;
    if (a.goal !== undefined) combined.goal = a.goal;
    if (a.min_quality !== undefined) combined.minQuality = a.min_quality;
    if (a.max_cost_usd !== undefined) combined.maxCostUsd = a.max_cost_usd;
    if (a.max_latency_ms !== undefined) combined.maxLatencyMs = a.max_latency_ms;
  }
  return { ...combined, requires, excludedBy, prefer };
}
