/**
 * A month of gateway traffic for the analytics benchmark, generated from a seed: request rows as the
 * gateway logs them, the router's decision row beside each routed request, and quality signals on a
 * fraction. Several keys and teams, six models from economy to premium with their catalog prices,
 * every task type, errors, timeouts and an error burst, cache hits, streamed requests, long prompts.
 */
import { TASK_TYPES, type TaskType } from '../../src/config/schema.ts';
import type { ApiKeyRow, DecisionRow, FeedbackRow, RequestRow } from '../../src/store/types.ts';
import { mulberry32 } from '../../src/util/seeded-random.ts';
import { costUsdOf, latencyMsOf, predictedQuality, routeRequest, type CatalogModel, type RoutingGoal } from './analytics-routing.ts';
import { HOUR_MS, hourlyRequestCounts } from './analytics-timeline.ts';

export interface HistorySpec {
  requests: number;
  days: number;
  /** The history ends just before this instant (the report's "now"). */
  endMs: number;
  seed: number;
}

export interface HourOfHistory {
  requests: RequestRow[];
  decisions: DecisionRow[];
  feedback: FeedbackRow[];
}

interface KeyProfile {
  id: string;
  team: string;
  weight: number;
  budgetDailyUsd: number | null;
  budgetMonthlyUsd: number | null;
}

export const BENCH_KEYS: readonly KeyProfile[] = [
  { id: 'key_web', team: 'web', weight: 34, budgetDailyUsd: 120, budgetMonthlyUsd: null },
  { id: 'key_search', team: 'search', weight: 20, budgetDailyUsd: null, budgetMonthlyUsd: 2_500 },
  { id: 'key_support', team: 'support', weight: 16, budgetDailyUsd: 60, budgetMonthlyUsd: 1_500 },
  { id: 'key_batch', team: 'data', weight: 15, budgetDailyUsd: null, budgetMonthlyUsd: null },
  { id: 'key_mobile', team: 'mobile', weight: 9, budgetDailyUsd: 25, budgetMonthlyUsd: null },
  { id: 'key_internal', team: 'platform', weight: 4.5, budgetDailyUsd: null, budgetMonthlyUsd: 300 },
  { id: 'key_eval', team: 'research', weight: 1.5, budgetDailyUsd: null, budgetMonthlyUsd: null },
];

/** Per task type: share of traffic, typical prompt and answer length (tokens), typical complexity. */
const TASK_PROFILE: Record<TaskType, { weight: number; inputTokens: number; outputTokens: number; complexity: number }> = {
  chat: { weight: 25, inputTokens: 600, outputTokens: 220, complexity: 0.3 },
  qa: { weight: 15, inputTokens: 900, outputTokens: 180, complexity: 0.4 },
  summarization: { weight: 12, inputTokens: 3_000, outputTokens: 260, complexity: 0.35 },
  coding: { weight: 12, inputTokens: 1_500, outputTokens: 450, complexity: 0.55 },
  extraction: { weight: 8, inputTokens: 1_400, outputTokens: 150, complexity: 0.3 },
  classification: { weight: 8, inputTokens: 400, outputTokens: 12, complexity: 0.2 },
  translation: { weight: 6, inputTokens: 600, outputTokens: 600, complexity: 0.3 },
  reasoning: { weight: 6, inputTokens: 800, outputTokens: 700, complexity: 0.65 },
  math: { weight: 4, inputTokens: 300, outputTokens: 500, complexity: 0.6 },
  creative_writing: { weight: 4, inputTokens: 300, outputTokens: 800, complexity: 0.45 },
};

/** Virtual models clients ask for, with the goal and quality floor the router applies. */
const ROUTING_MODELS: readonly { name: string; goal: RoutingGoal; minQuality: number; weight: number }[] = [
  { name: 'auto', goal: 'balanced', minQuality: 0.7, weight: 62 },
  { name: 'auto-cost', goal: 'cost', minQuality: 0.7, weight: 18 },
  { name: 'auto-quality', goal: 'quality', minQuality: 0.7, weight: 8 },
  { name: 'auto-speed', goal: 'speed', minQuality: 0.7, weight: 4 },
];
/** Share of requests that name a model instead of a routing model (weight against ROUTING_MODELS). */
const NAMED_MODEL_WEIGHT = 8;

/** The routing rules of the benchmark config (see benchmarkConfig); names are what decisions log. */
export const CODING_RULE = 'coding-to-code-model';
export const CLASSIFICATION_AB_RULE = 'classification-nano-ab';
const HOLDOUT_SUFFIX = ' (holdout)';

export const ROUTER_VERSION = 'policy-1+irt-v1-bench';

type Random = () => number;

function pickWeighted<T extends { weight: number }>(random: Random, items: readonly T[], totalWeight: number): T {
  let x = random() * totalWeight;
  for (const item of items) {
    x -= item.weight;
    if (x < 0) return item;
  }
  return items[items.length - 1] as T;
}

/** exp(N(ln median, sigma)) by Box–Muller. */
function logNormal(random: Random, median: number, sigma: number): number {
  const u = Math.max(random(), 1e-12);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(sigma * z);
}

function hex8(random: Random): string {
  return Math.floor(random() * 4_294_967_296)
    .toString(16)
    .padStart(8, '0');
}

/** A version-4-shaped UUID from the seeded source: ids end in hex like the gateway's, so id-bucket sampling sees them alike. */
export function seededUuid(random: Random): string {
  const a = hex8(random);
  const b = hex8(random);
  const c = hex8(random);
  const d = hex8(random);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${((Number.parseInt(c[0] ?? '0', 16) & 3) | 8).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Hours with an injected error burst (an upstream outage) and with a latency spike on the premium model. */
function incidentHours(spec: HistorySpec, random: Random): { errorBurst: Set<number>; latencySpike: Set<number> } {
  const hours = Math.max(1, Math.round(spec.days * 24));
  const pickHours = (count: number) => new Set(Array.from({ length: count }, () => Math.floor(random() * hours)));
  return { errorBurst: pickHours(Math.max(1, Math.round(spec.days / 10))), latencySpike: pickHours(Math.max(1, Math.round(spec.days / 7))) };
}

interface Failure {
  status: number;
  errorType: string;
  reachedModel: boolean;
}

function drawFailure(random: Random, inBurst: boolean): Failure | null {
  const x = random();
  if (inBurst && x < 0.3) return { status: 502, errorType: 'upstream_error', reachedModel: true };
  if (x < 0.004) return { status: 429, errorType: 'rate_limit_exceeded', reachedModel: false };
  if (x < 0.009) return { status: 500, errorType: 'upstream_error', reachedModel: true };
  if (x < 0.013) return { status: 504, errorType: 'upstream_timeout', reachedModel: true };
  if (x < 0.015) return { status: 499, errorType: 'client_closed', reachedModel: true };
  return null;
}

/** Creates the generator; `hours()` yields the history hour by hour in time order. */
export function createHistoryGenerator(spec: HistorySpec, models: readonly CatalogModel[]) {
  const random = mulberry32(spec.seed);
  const incidents = incidentHours(spec, random);
  const keyWeight = BENCH_KEYS.reduce((s, k) => s + k.weight, 0);
  const tasks = TASK_TYPES.map((t) => ({ taskType: t, weight: TASK_PROFILE[t].weight }));
  const taskWeight = tasks.reduce((s, t) => s + t.weight, 0);
  const routingWeight = ROUTING_MODELS.reduce((s, r) => s + r.weight, 0) + NAMED_MODEL_WEIGHT;
  const byId = new Map(models.map((m) => [m.id, m]));
  // Each model answers a little better or worse than the catalog prior says: the calibration the report finds.
  const trueQualityBias = new Map(models.map((m) => [m.id, (random() - 0.5) * 0.12]));

  function makeRequest(createdAt: number, hourIndex: number, out: HourOfHistory): void {
    const key = pickWeighted(random, BENCH_KEYS, keyWeight);
    const { taskType } = pickWeighted(random, tasks, taskWeight);
    const profile = TASK_PROFILE[taskType];
    const complexity = Math.round(clamp01(profile.complexity + (random() + random() + random() - 1.5) * 0.35) * 1000) / 1000;
    const longPrompt = random() < 0.02;
    const inputTokens = Math.max(8, Math.round(logNormal(random, profile.inputTokens * (longPrompt ? 15 : 1), 0.6)));
    const outputTokens = Math.max(1, Math.round(logNormal(random, profile.outputTokens, 0.5)));
    const routingDraw = random() * routingWeight;
    const routing = routingDraw < NAMED_MODEL_WEIGHT ? undefined : pickWeighted(random, ROUTING_MODELS, routingWeight - NAMED_MODEL_WEIGHT);
    const requestId = seededUuid(random);
    const failure = drawFailure(random, incidents.errorBurst.has(hourIndex));

    let modelId: string;
    let decision: DecisionRow | null = null;
    if (failure !== null && !failure.reachedModel) {
      modelId = '';
    } else if (routing === undefined) {
      modelId = (models[Math.floor(random() * models.length)] ?? models[0])?.id ?? '';
    } else {
      const ruleFired = taskType === 'coding' && complexity <= 0.5 ? CODING_RULE : taskType === 'classification' ? CLASSIFICATION_AB_RULE : undefined;
      const abHoldout = ruleFired === CLASSIFICATION_AB_RULE && random() < 0.5;
      const preferModel = ruleFired === CODING_RULE ? 'sim-small-code' : ruleFired === CLASSIFICATION_AB_RULE && !abHoldout ? 'sim-nano' : undefined;
      const choice = routeRequest(models, {
        taskType,
        complexity,
        goal: routing.goal,
        minQuality: routing.minQuality,
        inputTokens,
        expectedOutputTokens: profile.outputTokens,
        ...(preferModel ? { preferModel } : {}),
      });
      modelId = choice.chosenModel;
      const rules = ruleFired === undefined ? [] : [abHoldout ? `${ruleFired}${HOLDOUT_SUFFIX}` : ruleFired];
      const spike = random() < 0.001;
      decision = {
        id: seededUuid(random),
        request_id: requestId,
        created_at: createdAt,
        routing_model: routing.name,
        task_type: taskType,
        complexity,
        goal: routing.goal,
        chosen_model: modelId,
        candidates: JSON.stringify(choice.candidates),
        rules: JSON.stringify(rules),
        fallbacks: JSON.stringify(
          choice.candidates
            .filter((c) => c.eligible && c.model !== modelId)
            .slice(0, 2)
            .map((c) => c.model),
        ),
        rationale: `${taskType} at complexity ${complexity.toFixed(2)}, goal ${routing.goal}: ${modelId}${rules.length ? ` (rule ${rules[0]})` : ''}`,
        router_version: ROUTER_VERSION,
        decision_us: Math.round((spike ? 2_000 + random() * 6_000 : 25 + logNormal(random, 45, 0.35)) * 10) / 10,
        trust: null,
        language: 'en',
      };
    }
    const model = byId.get(modelId);
    const cacheHit = failure === null && model !== undefined && random() < 0.04;
    const stream = random() < 0.4;
    const fullCostUsd = model ? costUsdOf(model, inputTokens, outputTokens) : 0;
    const spikeFactor = incidents.latencySpike.has(hourIndex) && model?.tier === 'premium' ? 3 : 1;
    const upstreamMs = model ? latencyMsOf(model, outputTokens) * logNormal(random, 1, 0.25) * spikeFactor : 0;
    const overheadMs = Math.round((0.3 + random() * 1.5) * 1000) / 1000;
    const finishDraw = random();
    const finishReason = failure ? null : finishDraw < 0.02 ? 'length' : finishDraw < 0.022 ? 'content_filter' : finishDraw < 0.07 ? 'tool_calls' : 'stop';
    const timedOut = failure?.status === 504;
    const latencyMs = cacheHit ? 2 + random() * 4 : timedOut ? 30_000 + overheadMs : failure && !failure.reachedModel ? overheadMs : upstreamMs + overheadMs;
    const billed = failure === null && !cacheHit;
    const request: RequestRow = {
      id: requestId,
      created_at: createdAt,
      key_id: key.id,
      team: key.team,
      model_requested: routing?.name ?? modelId,
      model_used: model ? model.id : null,
      provider: model && !cacheHit ? 'sim' : null,
      status: failure?.status ?? 200,
      error_type: failure?.errorType ?? null,
      stream,
      latency_ms: Math.round(latencyMs * 1000) / 1000,
      ttft_ms: stream && model && billed ? Math.round(model.ttftMs * logNormal(random, 1, 0.2) * 1000) / 1000 : null,
      upstream_latency_ms: model && !cacheHit && failure?.reachedModel !== false ? Math.round((latencyMs - overheadMs) * 1000) / 1000 : null,
      overhead_ms: overheadMs,
      attempts: failure?.status === 502 ? 2 : 1,
      input_tokens: failure && !failure.reachedModel ? 0 : inputTokens,
      cached_input_tokens: billed && random() < 0.15 ? Math.floor(inputTokens * 0.5) : 0,
      cache_write_tokens: 0,
      output_tokens: billed ? outputTokens : 0,
      reasoning_tokens: billed && model?.id === 'sim-reasoner' ? Math.round(logNormal(random, 1_200, 0.4)) : 0,
      cost_usd: billed ? fullCostUsd : 0,
      usage_estimated: stream && random() < 0.05,
      finish_reason: finishReason,
      task_type: taskType,
      decision_id: decision?.id ?? null,
      metadata: null,
      prompt_text: null,
      response_text: null,
      cache_hit: cacheHit,
      cache_saved_usd: cacheHit ? fullCostUsd : 0,
      optimization: null,
    };
    out.requests.push(request);
    if (decision) out.decisions.push(decision);
    if (model && billed) addFeedback(request, model, taskType, complexity, out.feedback);
  }

  /** People rate about 6% (thumbs), the sampled judge grades about 5%, a few tool errors are recorded as completion signals. */
  function addFeedback(request: RequestRow, model: CatalogModel, taskType: TaskType, complexity: number, out: FeedbackRow[]): void {
    const trueQuality = clamp01(predictedQuality(model, taskType, complexity) + (trueQualityBias.get(model.id) ?? 0));
    const at = request.created_at + 5_000 + Math.floor(random() * 600_000);
    const signal = (source: string, score: number) =>
      out.push({ id: `fb_${request.id}_${source}`, request_id: request.id, source, score, comment: null, created_at: at });
    if (random() < 0.06) signal('user', random() < trueQuality ? 1 : 0);
    if (random() < 0.05) signal('judge', Math.round(clamp01(trueQuality + (random() - 0.5) * 0.3) * 20) / 20);
    if (request.finish_reason === 'tool_calls' && random() < 0.1) signal('completion', 0);
  }

  return {
    *hours(): Generator<HourOfHistory> {
      const slots = hourlyRequestCounts(spec.requests, spec.days, spec.endMs);
      for (const [hourIndex, slot] of slots.entries()) {
        const out: HourOfHistory = { requests: [], decisions: [], feedback: [] };
        const offsets = Array.from({ length: slot.requests }, () => Math.floor(random() * HOUR_MS)).sort((a, b) => a - b);
        for (const offset of offsets) makeRequest(Math.min(slot.startMs + offset, spec.endMs - 1), hourIndex, out);
        yield out;
      }
    },
  };
}

/** The benchmark's API keys, budgets included, so budget utilization has something to measure. */
export function benchmarkApiKeys(createdAtMs: number): ApiKeyRow[] {
  return BENCH_KEYS.map((k, i) => ({
    id: k.id,
    name: `${k.team} (${k.id})`,
    key_hash: (i + 1).toString(16).padStart(64, 'a'),
    key_prefix: `sk-aigw-${k.team}`,
    team: k.team,
    created_at: createdAtMs,
    revoked_at: null,
    budget_daily_usd: k.budgetDailyUsd,
    budget_monthly_usd: k.budgetMonthlyUsd,
    rpm_limit: null,
  }));
}
